using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>The index operations the module needs: list (GET /indexes, unpaged), describe and delete.</summary>
    internal sealed class IndexesApi
    {
        private readonly PineconeHttpClient _http;

        public IndexesApi(PineconeHttpClient http)
        {
            _http = http;
        }

        /// <summary>Every index of the project: GET /indexes answers them all at once, as <c>{"indexes": [...]}</c>.</summary>
        public Task<IReadOnlyList<PineconeIndex>> ListAsync(CancellationToken cancellationToken) =>
            _http.SendAsync(new ApiRequest(HttpMethod.Get, "indexes"), s_list, cancellationToken);

        public Task<PineconeIndex> DescribeAsync(string indexName, CancellationToken cancellationToken) =>
            _http.SendAsync(new ApiRequest(HttpMethod.Get, ApiPath.Join("indexes", indexName)), IndexModel.Instance.One, cancellationToken);

        /// <summary>DELETE /indexes/{name} (202). A 404 after an attempt that may have been acted on: false, already deleted.</summary>
        public async Task<bool> DeleteAsync(string indexName, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Delete, ApiPath.Join("indexes", indexName));
            try
            {
                await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (PineconeApiException ex) when (ex.StatusCode == 404 && request.EarlierAttemptMayHaveActed)
            {
                _http.Log.Write($"DELETE of index {indexName} answered 404 on a retry: the earlier attempt deleted it.");
                return false;
            }
        }

        private static readonly System.Func<ApiResponse, IReadOnlyList<PineconeIndex>> s_list =
            response => ResponseReader.ReadList(response, IndexModel.Instance, "indexes");
    }

    /// <summary>Reads the 2025-04 IndexModel: the fields a restore and its check need.</summary>
    internal static class IndexModel
    {
        public static readonly JsonModel<PineconeIndex> Instance = new WireModel<Wire, PineconeIndex>((w, item) =>
        {
            StatusWire status = item.Required(w.Status, "status");
            return new PineconeIndex(
                item.Required(w.Name, "name"),
                item.Required(w.Metric, "metric"),
                item.Required(w.Host, "host"),
                item.RequiredValue(status.Ready, "status.ready"),
                item.Required(status.State, "status.state"),
                w.Dimension,
                w.DeletionProtection,
                RequestBody.ReadOnly(w.Tags),
                w.Spec?.Serverless?.Cloud,
                w.Spec?.Serverless?.Region,
                w.VectorType);
        });

        private sealed class Wire
        {
            [JsonPropertyName("name")] public string? Name { get; set; }

            [JsonPropertyName("dimension")] public int? Dimension { get; set; }

            [JsonPropertyName("metric")] public string? Metric { get; set; }

            [JsonPropertyName("host")] public string? Host { get; set; }

            [JsonPropertyName("deletion_protection")][JsonConverter(typeof(KnownStringConverter))] public string? DeletionProtection { get; set; }

            [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; set; }

            [JsonPropertyName("spec")] public SpecWire? Spec { get; set; }

            [JsonPropertyName("status")] public StatusWire? Status { get; set; }

            [JsonPropertyName("vector_type")] public string? VectorType { get; set; }
        }

        private sealed class SpecWire
        {
            [JsonPropertyName("serverless")] public ServerlessWire? Serverless { get; set; }
        }

        private sealed class ServerlessWire
        {
            [JsonPropertyName("cloud")] public string? Cloud { get; set; }

            [JsonPropertyName("region")] public string? Region { get; set; }
        }

        private sealed class StatusWire
        {
            [JsonPropertyName("ready")] public bool? Ready { get; set; }

            [JsonPropertyName("state")][JsonConverter(typeof(KnownStringConverter))] public string? State { get; set; }
        }
    }
}
