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

    /// <summary>The things a <see cref="WaitLoop{T}"/> can wait for.</summary>
    internal static class WaitTargets
    {
        public static WaitTarget<RestoreJob> RestoreJobs(RestoreJobsApi api) =>
            new WaitTarget<RestoreJob>("restore job", "restore jobs", api.DescribeAsync, job => RestoreJobStatus.IsFinished(job.Status));
    }
}
