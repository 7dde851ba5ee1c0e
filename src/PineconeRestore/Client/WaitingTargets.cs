using System;

namespace PineconeRestore.Client
{
    /// <summary>
    /// Restore job statuses: an open set compared case-insensitively (NOTES.md). Today's backend reports a running
    /// restore as Pending; anything that is not Completed, Failed or Cancelled/Canceled is still running.
    /// </summary>
    internal static class RestoreJobStatus
    {
        public static bool IsCompleted(string status) => Is(status, "Completed");

        public static bool IsFailed(string status) => Is(status, "Failed");

        public static bool IsCancelled(string status) => Is(status, "Cancelled") || Is(status, "Canceled");

        public static bool IsFinished(string status) => IsCompleted(status) || IsFailed(status) || IsCancelled(status);

        private static bool Is(string status, string value) => string.Equals(status?.Trim(), value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Backup statuses (NOTES.md): Initializing, then Ready, or InitializationFailed on failure. Compared
    /// case-insensitively; any status naming a failure ends a wait as failed, anything else is still running.
    /// </summary>
    internal static class BackupStatus
    {
        public static bool IsReady(string status) => string.Equals(status?.Trim(), "Ready", StringComparison.OrdinalIgnoreCase);

        // InitializationFailed today; "Failed" (the spec's description) and whatever failure a later server names too.
        public static bool IsFailed(string status) => status != null && status.IndexOf("fail", StringComparison.OrdinalIgnoreCase) >= 0;

        public static bool IsFinished(string status) => IsReady(status) || IsFailed(status);
    }

    /// <summary>Index states (IndexModel.status): ready is what a restore waits for; InitializationFailed ends it.</summary>
    internal static class IndexStatus
    {
        public static bool IsFailed(PineconeIndex index) => index.State != null && index.State.IndexOf("fail", StringComparison.OrdinalIgnoreCase) >= 0;

        public static bool IsFinished(PineconeIndex index) => index.Ready || IsFailed(index);
    }

    /// <summary>The things a <see cref="WaitLoop{T}"/> can wait for.</summary>
    internal static class WaitTargets
    {
        public static WaitTarget<RestoreJob> RestoreJobs(RestoreJobsApi api) =>
            new WaitTarget<RestoreJob>("restore job", "restore jobs", api.DescribeAsync, job => RestoreJobStatus.IsFinished(job.Status));

        public static WaitTarget<Backup> Backups(BackupsApi api) =>
            new WaitTarget<Backup>("backup", "backups", api.DescribeAsync, backup => BackupStatus.IsFinished(backup.Status));

        /// <summary>Waits for indexes (by name) to be ready or to have failed.</summary>
        public static WaitTarget<PineconeIndex> Indexes(IndexesApi api) =>
            new WaitTarget<PineconeIndex>("index", "indexes", api.DescribeAsync, IndexStatus.IsFinished);
    }
}
