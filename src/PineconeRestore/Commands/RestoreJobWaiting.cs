using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Waiting for restore jobs: Wait-PineconeRestoreJob, and Restore-PineconeBackup -Wait.</summary>
    internal sealed class RestoreJobWaiting : WaitSubject<RestoreJob>
    {
        public RestoreJobWaiting(RestoreJobsApi api)
        {
            Target = WaitTargets.RestoreJobs(api);
        }

        public override WaitTarget<RestoreJob> Target { get; }

        public override string Describe(RestoreJob job) => $"{job.Status}, restoring backup {job.BackupId} into index {job.TargetIndexName}";

        public override double? PercentComplete(RestoreJob job) => job.PercentComplete;

        public override string StatusOf(RestoreJob job) => job.Status;

        public override void WriteFinished(PineconeCmdletBase cmdlet, RestoreJob job)
        {
            cmdlet.WriteObject(job);
            if (RestoreJobStatus.IsFailed(job.Status))
            {
                cmdlet.WriteError(ErrorRecords.OperationFailed(
                    ErrorRecords.RestoreJobFailedId,
                    ErrorCategory.InvalidResult,
                    $"The restore job {job.RestoreJobId} (backup {job.BackupId} into index {job.TargetIndexName}) ended {job.Status}.",
                    job.RestoreJobId,
                    job.Status,
                    job,
                    $"Check that the backup {job.BackupId} is Ready and the index {job.TargetIndexName} was not deleted, then restore again with Restore-PineconeBackup; Pinecone support can tell why the job failed."));
            }
            else if (RestoreJobStatus.IsCancelled(job.Status))
            {
                cmdlet.WriteError(ErrorRecords.OperationFailed(
                    ErrorRecords.RestoreJobCancelledId,
                    ErrorCategory.OperationStopped,
                    $"The restore job {job.RestoreJobId} (backup {job.BackupId} into index {job.TargetIndexName}) was cancelled.",
                    job.RestoreJobId,
                    job.Status,
                    job,
                    $"If the index {job.TargetIndexName} is still wanted, restore the backup {job.BackupId} again with Restore-PineconeBackup."));
            }
        }

        public override string TimeoutAction(string id) =>
            $"The job may still be running: wait again with a longer -Timeout (Wait-PineconeRestoreJob -RestoreJobId {id} -Timeout <seconds>), or look at it with Get-PineconeRestoreJob -RestoreJobId {id}.";
    }
}
