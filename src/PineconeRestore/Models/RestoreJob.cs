using System;

namespace PineconeRestore
{
    /// <summary>A restore job: the creation of an index from a backup (the API's RestoreJobModel).</summary>
    public sealed class RestoreJob
    {
        public RestoreJob(
            string restoreJobId,
            string backupId,
            string targetIndexName,
            string targetIndexId,
            string status,
            DateTime? createdAt,
            DateTime? completedAt,
            double? percentComplete)
        {
            RestoreJobId = restoreJobId;
            BackupId = backupId;
            TargetIndexName = targetIndexName;
            TargetIndexId = targetIndexId;
            Status = status;
            CreatedAt = createdAt;
            CompletedAt = completedAt;
            PercentComplete = percentComplete;
        }

        /// <summary>Unique identifier of the restore job.</summary>
        public string RestoreJobId { get; }

        /// <summary>The backup the index is restored from.</summary>
        public string BackupId { get; }

        /// <summary>Name of the index the data is restored into.</summary>
        public string TargetIndexName { get; }

        /// <summary>Id of the index the data is restored into.</summary>
        public string TargetIndexId { get; }

        /// <summary>Status as the API sent it (Pending, InProgress, Completed, Failed, Cancelled, ...): an open set.</summary>
        public string Status { get; }

        /// <summary>When the job started, in UTC; null when the API sends none (it does, despite the spec).</summary>
        public DateTime? CreatedAt { get; }

        /// <summary>When the job finished, in UTC; null while it runs.</summary>
        public DateTime? CompletedAt { get; }

        /// <summary>Progress out of 100; null when the API sends none.</summary>
        public double? PercentComplete { get; }

        public override string ToString() => RestoreJobId;
    }
}
