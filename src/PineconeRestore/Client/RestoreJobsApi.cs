using System;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
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

        /// <summary>
        /// All restore jobs, one page at a time, starting at <paramref name="startToken"/> when given; a job the
        /// previous page already had is skipped (offset pagination repeats rows when jobs are added meanwhile).
        /// </summary>
        public PageCursor<RestoreJob> List(int pageSize, string? startToken = null) =>
            new PageCursor<RestoreJob>((token, ct) => ListPageAsync(pageSize, token, ct), startToken, job => job.RestoreJobId, _http.Log);

        public Task<Page<RestoreJob>> ListPageAsync(int pageSize, string? paginationToken, CancellationToken cancellationToken)
        {
            // Always send limit: the spec's default (10) and the server's (100) disagree (NOTES.md).
            ApiRequest request = new ApiRequest(HttpMethod.Get, "restore-jobs")
                .WithQuery("limit", pageSize.ToString(CultureInfo.InvariantCulture))
                .WithQuery("paginationToken", paginationToken);
            return _http.SendAsync(request, RestoreJobModel.Instance.Page, cancellationToken);
        }

        public Task<RestoreJob> DescribeAsync(string restoreJobId, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Get, ApiPath.Join("restore-jobs", restoreJobId));
            return _http.SendAsync(request, RestoreJobModel.Instance.One, cancellationToken);
        }
    }

    /// <summary>
    /// Reads the 2025-04 RestoreJobModel by hand, field by field from the UTF-8 bytes: a listing reads thousands, so no
    /// wire object in between (other models use <see cref="WireModel{TWire, T}"/>).
    /// </summary>
    internal sealed class RestoreJobModel : JsonModel<RestoreJob>
    {
        public static readonly RestoreJobModel Instance = new RestoreJobModel();

        // Wire names, in the order of the switch below.
        private static readonly byte[][] s_fields = JsonFields.Names(
            "restore_job_id", "backup_id", "target_index_name", "target_index_id", "status", "created_at", "completed_at", "percent_complete");

        public override RestoreJob Read(ref Utf8JsonReader reader, JsonItem item)
        {
            string? restoreJobId = null, backupId = null, targetIndexName = null, targetIndexId = null, status = null;
            DateTime? createdAt = null, completedAt = null;
            double? percentComplete = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                switch (JsonFields.Match(ref reader, s_fields))
                {
                    case 0: restoreJobId = JsonFields.String(ref reader, item, "restore_job_id"); break;
                    case 1: backupId = JsonFields.String(ref reader, item, "backup_id"); break;
                    case 2: targetIndexName = JsonFields.String(ref reader, item, "target_index_name"); break;
                    case 3: targetIndexId = JsonFields.String(ref reader, item, "target_index_id"); break;
                    case 4: status = JsonFields.KnownString(ref reader, item, "status"); break;
                    case 5: createdAt = JsonFields.Timestamp(ref reader, item, "created_at"); break;
                    case 6: completedAt = JsonFields.Timestamp(ref reader, item, "completed_at"); break;
                    case 7: percentComplete = JsonFields.Number(ref reader, item, "percent_complete"); break;
                    default: JsonFields.Skip(ref reader); break;
                }
            }

            return new RestoreJob(
                item.Required(restoreJobId, "restore_job_id"),
                item.Required(backupId, "backup_id"),
                item.Required(targetIndexName, "target_index_name"),
                item.Required(targetIndexId, "target_index_id"),
                item.Required(status, "status"),
                // created_at is required by the spec, but servers send null (NOTES.md): accept it.
                createdAt,
                completedAt,
                percentComplete);
        }
    }
}
