using System;

namespace PineconeRestore
{
    /// <summary>What one restore drill (Test-PineconeBackup) found: the backup restored into a scratch index and checked.</summary>
    public sealed class BackupTestResult
    {
        internal BackupTestResult(string backupId, string sourceIndexName, string scratchIndexName, string runId)
        {
            BackupId = backupId;
            SourceIndexName = sourceIndexName;
            ScratchIndexName = scratchIndexName;
            RunId = runId;
        }

        /// <summary>The backup drilled.</summary>
        public string BackupId { get; }

        /// <summary>The index the backup was taken of.</summary>
        public string SourceIndexName { get; }

        /// <summary>The index the backup was restored into.</summary>
        public string ScratchIndexName { get; }

        /// <summary>The value of the scratch index's <c>restore-drill</c> tag: which run created it.</summary>
        public string RunId { get; }

        /// <summary>The restore job; null when create-index never answered with one.</summary>
        public string? RestoreJobId { get; internal set; }

        /// <summary>True when the restore completed, every count the backup reports matched, and the scratch index was deleted (or kept with -KeepIndex).</summary>
        public bool Passed { get; internal set; }

        /// <summary>The backup's record_count; null when it reports none (then it is not compared).</summary>
        public long? ExpectedRecordCount { get; internal set; }

        /// <summary>The records describe_index_stats found in the scratch index; null when it was never read.</summary>
        public long? RestoredRecordCount { get; internal set; }

        /// <summary>The backup's namespace_count; null when it reports none.</summary>
        public int? ExpectedNamespaceCount { get; internal set; }

        /// <summary>The namespaces found in the scratch index; null when it was never read.</summary>
        public int? RestoredNamespaceCount { get; internal set; }

        /// <summary>The scratch index's dimension as read (compared with the backup's); null when never read.</summary>
        public int? Dimension { get; internal set; }

        /// <summary>From the create-index request until the scratch index was ready (or the drill stopped waiting).</summary>
        public TimeSpan RestoreDuration { get; internal set; }

        /// <summary>The whole drill, from describing the backup to deleting the scratch index.</summary>
        public TimeSpan TotalDuration { get; internal set; }

        /// <summary>True once the scratch index this run created is deleted (or found gone).</summary>
        public bool IndexDeleted { get; internal set; }

        /// <summary>Why the drill did not pass; null when it passed.</summary>
        public string? Failure { get; internal set; }

        public override string ToString() => $"{BackupId}: {(Passed ? "passed" : "failed")}";
    }
}
