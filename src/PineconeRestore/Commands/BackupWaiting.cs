using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Waiting for backups to be Ready: New-PineconeBackup -Wait.</summary>
    internal sealed class BackupWaiting : WaitSubject<Backup>
    {
        public BackupWaiting(BackupsApi api)
        {
            Target = WaitTargets.Backups(api);
        }

        public override WaitTarget<Backup> Target { get; }

        public override string Describe(Backup backup) =>
            $"{backup.Status}, backing up index {backup.SourceIndexName}" + (backup.Name == null ? string.Empty : $" as {backup.Name}");

        public override string StatusOf(Backup backup) => backup.Status;

        public override void WriteFinished(PineconeCmdletBase cmdlet, Backup backup)
        {
            cmdlet.WriteObject(backup);
            if (BackupStatus.IsFailed(backup.Status))
            {
                cmdlet.WriteError(ErrorRecords.OperationFailed(
                    ErrorRecords.BackupFailedId,
                    ErrorCategory.InvalidResult,
                    $"The backup {backup.BackupId} of index {backup.SourceIndexName} ended {backup.Status}: it cannot be restored.",
                    backup.BackupId,
                    backup.Status,
                    backup,
                    $"Remove it (Remove-PineconeBackup -BackupId {backup.BackupId}) and back up again with New-PineconeBackup -IndexName {backup.SourceIndexName} -Wait; if it fails again, Pinecone support can tell why."));
            }
        }

        public override string TimeoutAction(string id) =>
            $"The backup may still be initializing: look at it with Get-PineconeBackup -BackupId {id}, and restore it once its Status is Ready.";
    }
}
