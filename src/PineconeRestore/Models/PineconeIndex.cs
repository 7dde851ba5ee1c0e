using System.Collections.Generic;

namespace PineconeRestore
{
    /// <summary>An index as the control plane describes it (the API's IndexModel).</summary>
    public sealed class PineconeIndex
    {
        public PineconeIndex(
            string name,
            string metric,
            string host,
            bool ready,
            string state,
            int? dimension = null,
            string? deletionProtection = null,
            IReadOnlyDictionary<string, string>? tags = null,
            string? cloud = null,
            string? region = null,
            string? vectorType = null)
        {
            Name = name;
            Metric = metric;
            Host = host;
            Ready = ready;
            State = state;
            Dimension = dimension;
            DeletionProtection = deletionProtection;
            Tags = tags;
            Cloud = cloud;
            Region = region;
            VectorType = vectorType;
        }

        public string Name { get; }

        /// <summary>Null for a sparse index, which has none.</summary>
        public int? Dimension { get; }

        /// <summary>cosine, euclidean or dotproduct.</summary>
        public string Metric { get; }

        /// <summary>The data-plane host, without a scheme (use https://).</summary>
        public string Host { get; }

        /// <summary>"enabled" or "disabled"; null when the API sends none.</summary>
        public string? DeletionProtection { get; }

        public IReadOnlyDictionary<string, string>? Tags { get; }

        /// <summary>status.ready: the index answers queries.</summary>
        public bool Ready { get; }

        /// <summary>status.state: Initializing, Ready, InitializationFailed, Terminating, ...</summary>
        public string State { get; }

        /// <summary>The serverless spec's cloud; null for a pod or BYOC index.</summary>
        public string? Cloud { get; }

        /// <summary>The serverless spec's region; null for a pod or BYOC index.</summary>
        public string? Region { get; }

        /// <summary>dense or sparse; null when the API sends none.</summary>
        public string? VectorType { get; }

        public override string ToString() => Name;
    }
}
