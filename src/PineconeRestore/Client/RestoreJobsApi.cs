using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>The restore-job operations of the control plane (GET /restore-jobs, GET /restore-jobs/{job_id}).</summary>
    internal sealed class RestoreJobsApi
    {
        public const int MaxPageSize = 100;

        private readonly PineconeHttpClient _http;

        public RestoreJobsApi(PineconeHttpClient http)
        {
            _http = http;
        }

        /// <summary>All restore jobs, one page at a time, starting at <paramref name="startToken"/> when given.</summary>
        public PageCursor<RestoreJob> List(int pageSize, string? startToken = null) =>
            new PageCursor<RestoreJob>((token, ct) => ListPageAsync(pageSize, token, ct), startToken);

        public async Task<Page<RestoreJob>> ListPageAsync(int pageSize, string? paginationToken, CancellationToken cancellationToken)
        {
            // Always send limit: the spec's default (10) and the server's (100) disagree (NOTES.md).
            ApiRequest request = new ApiRequest(HttpMethod.Get, "restore-jobs")
                .WithQuery("limit", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithQuery("paginationToken", paginationToken);
            ApiResponse response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ResponseReader.ReadRestoreJobPage(response);
        }

        public async Task<RestoreJob> DescribeAsync(string restoreJobId, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Get, ApiPath.Join("restore-jobs", restoreJobId));
            ApiResponse response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ResponseReader.ReadRestoreJob(response);
        }
    }
}
