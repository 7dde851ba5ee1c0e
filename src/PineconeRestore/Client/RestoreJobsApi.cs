using System;
using System.Globalization;
using System.Net.Http;
using System.Text.Json.Serialization;
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
            return _http.SendAsync(request, RestoreJobWire.Model.Page, cancellationToken);
        }

        public Task<RestoreJob> DescribeAsync(string restoreJobId, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Get, ApiPath.Join("restore-jobs", restoreJobId));
            return _http.SendAsync(request, RestoreJobWire.Model.One, cancellationToken);
        }
    }

    /// <summary>The 2025-04 RestoreJobModel as sent. Everything is nullable here; <see cref="Model"/> enforces the spec.</summary>
    internal sealed class RestoreJobWire
    {
        public static readonly JsonModel<RestoreJob> Model = new WireModel<RestoreJobWire, RestoreJob>((json, item) => new RestoreJob(
            item.Required(json.RestoreJobId, "restore_job_id"),
            item.Required(json.BackupId, "backup_id"),
            item.Required(json.TargetIndexName, "target_index_name"),
            item.Required(json.TargetIndexId, "target_index_id"),
            item.Required(json.Status, "status"),
            // created_at is required by the spec, but servers send null (NOTES.md): accept it.
            json.CreatedAt,
            json.CompletedAt,
            json.PercentComplete));

        [JsonPropertyName("restore_job_id")]
        public string? RestoreJobId { get; set; }

        [JsonPropertyName("backup_id")]
        public string? BackupId { get; set; }

        [JsonPropertyName("target_index_name")]
        public string? TargetIndexName { get; set; }

        [JsonPropertyName("target_index_id")]
        public string? TargetIndexId { get; set; }

        [JsonPropertyName("status")]
        [JsonConverter(typeof(KnownStringConverter))]
        public string? Status { get; set; }

        [JsonPropertyName("created_at")]
        public DateTime? CreatedAt { get; set; }

        [JsonPropertyName("completed_at")]
        public DateTime? CompletedAt { get; set; }

        [JsonPropertyName("percent_complete")]
        public double? PercentComplete { get; set; }
    }
}
