namespace PineconeRestore
{
    /// <summary>
    /// A restore that was started: the ids POST /backups/{id}/create-index answered. The TargetObject of an error that
    /// came after the start (describing the job failed), so a script knows the job exists and does not start it twice;
    /// pipe it to Wait-PineconeRestoreJob or Get-PineconeRestoreJob.
    /// </summary>
    public sealed class RestoreStart
    {
        public RestoreStart(string restoreJobId, string backupId, string targetIndexName, string targetIndexId)
        {
            RestoreJobId = restoreJobId;
            BackupId = backupId;
            TargetIndexName = targetIndexName;
            TargetIndexId = targetIndexId;
        }

        public string RestoreJobId { get; }

        public string BackupId { get; }

        public string TargetIndexName { get; }

        public string TargetIndexId { get; }

        public override string ToString() => RestoreJobId;
    }
}
