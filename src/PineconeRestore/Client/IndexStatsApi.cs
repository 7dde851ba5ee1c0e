using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>What describe_index_stats says an index holds.</summary>
    internal sealed class IndexStats
    {
        public IndexStats(long totalRecordCount, IReadOnlyDictionary<string, long> namespaces, int? dimension)
        {
            TotalRecordCount = totalRecordCount;
            Namespaces = namespaces;
            Dimension = dimension;
        }

        /// <summary>totalVectorCount, or the namespaces' sum when the server leaves it out.</summary>
        public long TotalRecordCount { get; }

        /// <summary>Records per namespace ("" is the default namespace).</summary>
        public IReadOnlyDictionary<string, long> Namespaces { get; }

        public int NamespaceCount => Namespaces.Count;

        public int? Dimension { get; }
    }

    /// <summary>The data-plane URL of an index, from the host that GET /indexes/{index_name} gives.</summary>
    internal static class IndexHost
    {
        /// <summary>
        /// https://host/ for a host without a scheme (as Pinecone sends it, NOTES.md); plain http only for a loopback
        /// host reached from a plain-http (hence loopback) controller, the local emulator: the same rule as for the
        /// controller. Throws <see cref="InsecureControllerHostException"/> for plain http elsewhere and
        /// <see cref="InvalidControllerHostException"/> for a host that is no URL.
        /// </summary>
        public static Uri Resolve(string host, Uri controllerHost)
        {
            string text = host.Trim();
            if (text.IndexOf("://", StringComparison.Ordinal) < 0)
            {
                bool local = controllerHost.Scheme == Uri.UriSchemeHttp
                    && Uri.TryCreate("http://" + text, UriKind.Absolute, out Uri? plain)
                    && ControllerHost.IsLoopback(plain);
                text = (local ? "http://" : "https://") + text;
            }

            return ControllerHost.Parse(text);
        }
    }

    /// <summary>The data plane of one index (db_data 2025-04): POST /describe_index_stats on the index's own host.</summary>
    internal sealed class IndexStatsApi
    {
        // The spec's request body: no filter, the whole index (serverless indexes take no filter anyway).
        private const string AllRecords = "{}";

        private static readonly WireModel<StatsWire, IndexStats> s_model = new WireModel<StatsWire, IndexStats>(Map);

        private readonly PineconeHttpClient _http;

        /// <param name="control">The control-plane client, whose key, version headers, timeout and retries are reused.</param>
        /// <param name="host">The index's data-plane URL (<see cref="IndexHost.Resolve"/>).</param>
        public IndexStatsApi(PineconeHttpClient control, Uri host)
        {
            _http = control.ForHost(host);
        }

        public Task<IndexStats> DescribeAsync(CancellationToken cancellationToken)
        {
            // A POST that only reads: safe to send again after a 5xx or a timeout, like a GET.
            var request = new ApiRequest(HttpMethod.Post, "describe_index_stats", AllRecords, retrySafe: true);
            return _http.SendAsync(request, s_model.One, cancellationToken);
        }

        private static IndexStats Map(StatsWire wire, JsonItem item)
        {
            var namespaces = new Dictionary<string, long>(StringComparer.Ordinal);
            long sum = 0;
            if (wire.Namespaces != null)
            {
                foreach (KeyValuePair<string, NamespaceWire?> pair in wire.Namespaces)
                {
                    long count = pair.Value?.VectorCount ?? pair.Value?.VectorCountSnake
                        ?? throw item.Invalid($"the namespace '{pair.Key}' has no vectorCount");
                    namespaces[pair.Key] = count;
                    sum += count;
                }
            }

            // The spec's own example spells some fields in snake_case: take either.
            long total = wire.TotalVectorCount ?? wire.TotalVectorCountSnake ?? sum;
            return new IndexStats(total, namespaces, wire.Dimension);
        }

        private sealed class StatsWire
        {
            [JsonPropertyName("namespaces")]
            public Dictionary<string, NamespaceWire?>? Namespaces { get; set; }

            [JsonPropertyName("dimension")]
            public int? Dimension { get; set; }

            [JsonPropertyName("totalVectorCount")]
            public long? TotalVectorCount { get; set; }

            [JsonPropertyName("total_vector_count")]
            public long? TotalVectorCountSnake { get; set; }
        }

        private sealed class NamespaceWire
        {
            [JsonPropertyName("vectorCount")]
            public long? VectorCount { get; set; }

            [JsonPropertyName("vector_count")]
            public long? VectorCountSnake { get; set; }
        }
    }
}
