using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>What POST /backups/{backup_id}/create-index answers: only the ids of what it started.</summary>
    internal sealed class CreatedIndex
    {
        public CreatedIndex(string restoreJobId, string indexId)
        {
            RestoreJobId = restoreJobId;
            IndexId = indexId;
        }

        public string RestoreJobId { get; }

        public string IndexId { get; }
    }

    /// <summary>
    /// The backup operations of the control plane: list (project and per index), describe, create, delete, and create an
    /// index from a backup.
    /// </summary>
    internal sealed class BackupsApi
    {
        public const int MaxPageSize = 100;

        private readonly PineconeHttpClient _http;

        public BackupsApi(PineconeHttpClient http)
        {
            _http = http;
        }

        /// <summary>The project's backups (GET /backups), or one index's (GET /indexes/{name}/backups), page by page.</summary>
        public PageCursor<Backup> List(string? indexName, int pageSize, string? startToken = null) =>
            new PageCursor<Backup>((token, ct) => ListPageAsync(indexName, pageSize, token, ct), startToken, b => b.BackupId, _http.Log);

        public Task<Page<Backup>> ListPageAsync(string? indexName, int pageSize, string? paginationToken, CancellationToken cancellationToken)
        {
            // Always send limit: the spec's default (10) and the server's (100) disagree (NOTES.md).
            ApiRequest request = new ApiRequest(HttpMethod.Get, indexName == null ? "backups" : IndexBackupsPath(indexName))
                .WithQuery("limit", pageSize.ToString(CultureInfo.InvariantCulture))
                .WithQuery("paginationToken", paginationToken);
            return _http.SendAsync(request, BackupModel.Instance.Page, cancellationToken);
        }

        public Task<Backup> DescribeAsync(string backupId, CancellationToken cancellationToken) =>
            _http.SendAsync(new ApiRequest(HttpMethod.Get, ApiPath.Join("backups", backupId)), BackupModel.Instance.One, cancellationToken);

        /// <summary>POST /indexes/{name}/backups. Not retried after a 5xx or a timeout: it may have created the backup.</summary>
        public Task<Backup> CreateAsync(string indexName, string? name, string? description, CancellationToken cancellationToken)
        {
            string body = RequestBody.Write(w =>
            {
                if (name != null)
                {
                    w.WriteString("name", name);
                }

                if (description != null)
                {
                    w.WriteString("description", description);
                }
            });
            return _http.SendAsync(new ApiRequest(HttpMethod.Post, IndexBackupsPath(indexName), body), BackupModel.Instance.One, cancellationToken);
        }

        /// <summary>
        /// DELETE /backups/{id} (202, no body). A 404 after an attempt that may have been acted on (a 5xx, a lost answer)
        /// means that attempt deleted it: returns false then, true when this call's own attempt did.
        /// </summary>
        public async Task<bool> DeleteAsync(string backupId, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Delete, ApiPath.Join("backups", backupId));
            try
            {
                await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (PineconeApiException ex) when (ex.StatusCode == 404 && request.EarlierAttemptMayHaveActed)
            {
                _http.Log.Write($"DELETE of backup {backupId} answered 404 on a retry: the earlier attempt deleted it.");
                return false;
            }
        }

        /// <summary>
        /// POST /backups/{id}/create-index: starts a restore job into a new index. <paramref name="deletionProtection"/> is
        /// "enabled" or "disabled"; null tags inherit the backup's (NOTES.md). Not retried after a 5xx or a timeout.
        /// </summary>
        public Task<CreatedIndex> CreateIndexAsync(string backupId, string indexName, IReadOnlyDictionary<string, string>? tags, string? deletionProtection, CancellationToken cancellationToken)
        {
            string body = RequestBody.Write(w =>
            {
                w.WriteString("name", indexName);
                if (tags != null)
                {
                    w.WriteStartObject("tags");
                    foreach (KeyValuePair<string, string> tag in tags)
                    {
                        w.WriteString(tag.Key, tag.Value);
                    }

                    w.WriteEndObject();
                }

                if (deletionProtection != null)
                {
                    w.WriteString("deletion_protection", deletionProtection);
                }
            });
            var request = new ApiRequest(HttpMethod.Post, ApiPath.Join("backups", backupId) + "/create-index", body);
            return _http.SendAsync(request, CreatedIndexModel.One, cancellationToken);
        }

        private static string IndexBackupsPath(string indexName) => ApiPath.Join("indexes", indexName) + "/backups";

        private static readonly JsonModel<CreatedIndex> CreatedIndexModel = new WireModel<CreatedIndexWire, CreatedIndex>((w, item) =>
            new CreatedIndex(item.Required(w.RestoreJobId, "restore_job_id"), item.Required(w.IndexId, "index_id")));

        private sealed class CreatedIndexWire
        {
            [JsonPropertyName("restore_job_id")] public string? RestoreJobId { get; set; }

            [JsonPropertyName("index_id")] public string? IndexId { get; set; }
        }
    }

    /// <summary>Reads the 2025-04 BackupModel.</summary>
    internal static class BackupModel
    {
        public static readonly JsonModel<Backup> Instance = new WireModel<Wire, Backup>((w, item) => new Backup(
            item.Required(w.BackupId, "backup_id"),
            item.Required(w.SourceIndexName, "source_index_name"),
            item.Required(w.SourceIndexId, "source_index_id"),
            item.Required(w.Status, "status"),
            item.Required(w.Cloud, "cloud"),
            item.Required(w.Region, "region"),
            w.Name,
            w.Description,
            w.Dimension,
            w.Metric,
            w.RecordCount,
            w.NamespaceCount,
            w.SizeBytes,
            RequestBody.ReadOnly(w.Tags),
            w.CreatedAt));

        private sealed class Wire
        {
            [JsonPropertyName("backup_id")] public string? BackupId { get; set; }

            [JsonPropertyName("source_index_name")] public string? SourceIndexName { get; set; }

            [JsonPropertyName("source_index_id")] public string? SourceIndexId { get; set; }

            [JsonPropertyName("name")] public string? Name { get; set; }

            [JsonPropertyName("description")] public string? Description { get; set; }

            [JsonPropertyName("status")][JsonConverter(typeof(KnownStringConverter))] public string? Status { get; set; }

            [JsonPropertyName("cloud")] public string? Cloud { get; set; }

            [JsonPropertyName("region")] public string? Region { get; set; }

            [JsonPropertyName("dimension")] public int? Dimension { get; set; }

            [JsonPropertyName("metric")] public string? Metric { get; set; }

            [JsonPropertyName("record_count")] public long? RecordCount { get; set; }

            [JsonPropertyName("namespace_count")] public int? NamespaceCount { get; set; }

            [JsonPropertyName("size_bytes")] public long? SizeBytes { get; set; }

            [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; set; }

            [JsonPropertyName("created_at")] public System.DateTime? CreatedAt { get; set; }
        }
    }

    /// <summary>Request bodies as the spec names them: one JSON object, written with UTF-8 and snake_case names.</summary>
    internal static class RequestBody
    {
        public static string Write(System.Action<Utf8JsonWriter> writeProperties)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writeProperties(writer);
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>Tags as handed out: read-only, keys as sent (case-sensitive, like the API).</summary>
        public static IReadOnlyDictionary<string, string>? ReadOnly(Dictionary<string, string>? tags) =>
            tags == null ? null : new ReadOnlyDictionary<string, string>(tags);
    }
}
