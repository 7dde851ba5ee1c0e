using System;
using System.Collections.Generic;

namespace PineconeRestore
{
    /// <summary>A backup of an index (the API's BackupModel).</summary>
    public sealed class Backup
    {
        public Backup(
            string backupId,
            string sourceIndexName,
            string sourceIndexId,
            string status,
            string cloud,
            string region,
            string? name = null,
            string? description = null,
            int? dimension = null,
            string? metric = null,
            long? recordCount = null,
            int? namespaceCount = null,
            long? sizeBytes = null,
            IReadOnlyDictionary<string, string>? tags = null,
            DateTime? createdAt = null)
        {
            BackupId = backupId;
            SourceIndexName = sourceIndexName;
            SourceIndexId = sourceIndexId;
            Status = status;
            Cloud = cloud;
            Region = region;
            Name = name;
            Description = description;
            Dimension = dimension;
            Metric = metric;
            RecordCount = recordCount;
            NamespaceCount = namespaceCount;
            SizeBytes = sizeBytes;
            Tags = tags;
            CreatedAt = createdAt;
        }

        /// <summary>Unique identifier of the backup.</summary>
        public string BackupId { get; }

        /// <summary>The user-given name; null when none was given.</summary>
        public string? Name { get; }

        /// <summary>The user-given description; null when none was given.</summary>
        public string? Description { get; }

        /// <summary>Name of the index the backup was taken from.</summary>
        public string SourceIndexName { get; }

        /// <summary>Id of the index the backup was taken from.</summary>
        public string SourceIndexId { get; }

        /// <summary>Initializing, Ready, InitializationFailed, ... as the API sent it: an open set.</summary>
        public string Status { get; }

        /// <summary>Cloud provider where the backup is stored (aws, gcp, azure).</summary>
        public string Cloud { get; }

        /// <summary>Cloud region where the backup is stored.</summary>
        public string Region { get; }

        /// <summary>Dimension of the backed-up vectors; null when the API sends none.</summary>
        public int? Dimension { get; }

        /// <summary>cosine, euclidean or dotproduct; null when the API sends none.</summary>
        public string? Metric { get; }

        /// <summary>Records in the backup; null when the API sends none (while it initializes).</summary>
        public long? RecordCount { get; }

        /// <summary>Namespaces in the backup; null when the API sends none.</summary>
        public int? NamespaceCount { get; }

        /// <summary>Size in bytes; null when the API sends none.</summary>
        public long? SizeBytes { get; }

        /// <summary>The index's tags when the backup was taken (a restore without -Tag inherits them); null when none.</summary>
        public IReadOnlyDictionary<string, string>? Tags { get; }

        /// <summary>When the backup was created, in UTC; null when the API sends none.</summary>
        public DateTime? CreatedAt { get; }

        public override string ToString() => BackupId;
    }
}
