using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Lists the project's backups or one index's, or describes the ones named.</summary>
    [Cmdlet(VerbsCommon.Get, "PineconeBackup", DefaultParameterSetName = ListParameterSet, SupportsPaging = true)]
    [OutputType(typeof(Backup))]
    public sealed class GetPineconeBackupCommand : PineconeCmdletBase
    {
        private const string ListParameterSet = "List";
        private const string IndexParameterSet = "Index";
        private const string IdParameterSet = "Id";

        private BackupsApi? _api;
        private PagedOutput<Backup>? _output;
        private ByIdRunner<Backup>? _describe;

        /// <summary>Ids of the backups to describe.</summary>
        [Parameter(ParameterSetName = IdParameterSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ValidatePathSegment]
        [ArgumentCompleter(typeof(BackupIdCompleter))]
        public string[] BackupId { get; set; } = Array.Empty<string>();

        /// <summary>List only the backups of this index.</summary>
        [Parameter(ParameterSetName = IndexParameterSet, Mandatory = true)]
        [ValidateIndexName]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        public string? IndexName { get; set; }

        /// <summary>Describes sent at once; 1 sends them one after the other.</summary>
        [Parameter(ParameterSetName = IdParameterSet)]
        [ValidateRange(1, ByIdRunner.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = ByIdRunner.DefaultThrottleLimit;

        /// <summary>Backups asked for per request (the API's limit).</summary>
        [Parameter(ParameterSetName = ListParameterSet)]
        [Parameter(ParameterSetName = IndexParameterSet)]
        [Alias("Limit")]
        [ValidateRange(1, BackupsApi.MaxPageSize)]
        public int PageSize { get; set; } = BackupsApi.MaxPageSize;

        /// <summary>Start listing at this page, from an earlier list's next token.</summary>
        [Parameter(ParameterSetName = ListParameterSet)]
        [Parameter(ParameterSetName = IndexParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? PaginationToken { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _api = new BackupsApi(Client);
            _output = new PagedOutput<Backup>(this);
            _describe = new ByIdRunner<Backup>(this, ThrottleLimit, _api.DescribeAsync, (_, backup) => _output.Write(backup), () => _output.Wanted);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != IdParameterSet)
            {
                ListRunner.Run(this, _output!, PageSize, size => _api!.List(IndexName, size, PaginationToken), (object?)IndexName ?? PaginationToken);
                return;
            }

            foreach (string id in BackupId)
            {
                _describe!.Add(id);
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName != IdParameterSet)
            {
                _output!.WriteTotalCount();
                return;
            }

            _describe!.Complete();
        }
    }

    /// <summary>Backs up an index; with -Wait, until the backup is Ready.</summary>
    [Cmdlet(VerbsCommon.New, "PineconeBackup", SupportsShouldProcess = true)]
    [OutputType(typeof(Backup))]
    public sealed class NewPineconeBackupCommand : PineconeWaitingCmdletBase
    {
        private readonly List<WaitItem<Backup>> _items = new List<WaitItem<Backup>>();
        private BackupsApi? _api;
        private BackupWaiting? _waiting;

        /// <summary>The index to back up.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateIndexName]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        public string IndexName { get; set; } = string.Empty;

        /// <summary>A name for the backup.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>A description of the backup.</summary>
        [Parameter]
        [ValidateNotNull]
        public string? Description { get; set; }

        /// <summary>Wait until the backup is Ready (or has failed), with progress.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _api = new BackupsApi(Client);
            _waiting = new BackupWaiting(_api);
        }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess($"index {IndexName}", Name == null ? "Create a backup" : $"Create the backup '{Name}'"))
            {
                return;
            }

            Backup backup;
            try
            {
                backup = Await(ct => _api!.CreateAsync(IndexName, Name, Description, ct));
            }
            catch (PineconeException ex)
            {
                WriteItemError(ex, ErrorRecords.CreateFailed(ex, IndexName, $"Get-PineconeBackup -IndexName {IndexName}", CreateAction));
                return;
            }

            if (!Wait)
            {
                WriteObject(backup);
            }
            else if (BackupStatus.IsFinished(backup.Status))
            {
                _waiting!.WriteFinished(this, backup);
            }
            else
            {
                _items.Add(new WaitItem<Backup>(backup.BackupId, backup));
            }
        }

        protected override void EndProcessing()
        {
            // One loop for every backup started, as Wait-PineconeRestoreJob waits for many jobs.
            new WaitRunner<Backup>(this, _waiting!).Run(_items, WaitOptions);
        }

        private (string?, string)? CreateAction(PineconeApiException api)
        {
            switch (api.ErrorCode)
            {
                case "FORBIDDEN":
                    return (null, "The project's backup quota is used up: remove backups no longer needed (Get-PineconeBackup | Sort-Object CreatedAt | Select-Object -First 5 | Remove-PineconeBackup), or raise the quota.");
                case "NOT_FOUND":
                    return (null, $"No index is named {IndexName} in this project: Tab after -IndexName lists its indexes.");
                default:
                    return null;
            }
        }
    }

    /// <summary>Deletes backups.</summary>
    [Cmdlet(VerbsCommon.Remove, "PineconeBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(string))]
    public sealed class RemovePineconeBackupCommand : PineconeCmdletBase
    {
        private ByIdRunner<bool>? _delete;

        /// <summary>Ids of the backups to delete.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ValidatePathSegment]
        [ArgumentCompleter(typeof(BackupIdCompleter))]
        public string[] BackupId { get; set; } = Array.Empty<string>();

        /// <summary>Deletes sent at once; 1 sends them one after the other.</summary>
        [Parameter]
        [ValidateRange(1, ByIdRunner.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = ByIdRunner.DefaultThrottleLimit;

        /// <summary>Write the id of each backup deleted.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var api = new BackupsApi(Client);
            _delete = new ByIdRunner<bool>(this, ThrottleLimit, api.DeleteAsync, Deleted, error: DeleteError);
        }

        protected override void ProcessRecord()
        {
            foreach (string id in BackupId)
            {
                if (ShouldProcess($"backup {id}", "Remove"))
                {
                    _delete!.Add(id);
                }
            }
        }

        protected override void EndProcessing() => _delete!.Complete();

        private void Deleted(string id, bool _)
        {
            if (PassThru)
            {
                WriteObject(id);
            }
        }

        private static ErrorRecord DeleteError(string id, PineconeException exception)
        {
            ErrorRecord record = ErrorRecords.FromException(exception, id);
            if (!(exception is PineconeApiException api) || api.StatusCode != 412)
            {
                return record;
            }

            // The API lists the restores in flight from this backup: name them, and how to wait for them.
            IReadOnlyList<string> jobs = ErrorRecords.QuotedIds(api.ApiMessage);
            return jobs.Count == 0
                ? ErrorRecords.WithAction(
                    record,
                    $"The backup {id} cannot be removed while a restore from it is pending: {api.ApiMessage}",
                    $"Wait for its restores to finish (Get-PineconeRestoreJob | Where-Object BackupId -eq '{id}' | Wait-PineconeRestoreJob), then remove it again.")
                : ErrorRecords.WithAction(
                    record,
                    $"The backup {id} cannot be removed while restores from it are pending: {string.Join(", ", jobs)}.",
                    $"Wait for them to finish (Wait-PineconeRestoreJob -RestoreJobId {string.Join(", ", jobs)}), then remove the backup again.");
        }
    }

    /// <summary>Restores a backup into a new index; writes the restore job, with -Wait once it has finished.</summary>
    [Cmdlet(VerbsData.Restore, "PineconeBackup", SupportsShouldProcess = true)]
    [OutputType(typeof(RestoreJob))]
    public sealed class RestorePineconeBackupCommand : PineconeWaitingCmdletBase
    {
        private readonly List<WaitItem<RestoreJob>> _items = new List<WaitItem<RestoreJob>>();
        private BackupsApi? _backups;
        private RestoreJobsApi? _jobs;

        /// <summary>The backup to restore.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ValidatePathSegment]
        [ArgumentCompleter(typeof(BackupIdCompleter))]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>The name of the new index (not completed: it must not exist yet).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateIndexName]
        public string IndexName { get; set; } = string.Empty;

        /// <summary>Tags of the new index; without it, the backup's tags.</summary>
        [Parameter]
        [ValidateNotNull]
        [ValidateTags]
        public Hashtable? Tag { get; set; }

        /// <summary>Deletion protection of the new index (the API's default: Disabled).</summary>
        [Parameter]
        [ValidateSet("Enabled", "Disabled")]
        public string? DeletionProtection { get; set; }

        /// <summary>Wait until the restore job has finished, with progress.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _backups = new BackupsApi(Client);
            _jobs = new RestoreJobsApi(Client);
        }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess($"backup {BackupId}", $"Restore into the new index {IndexName}"))
            {
                return;
            }

            CreatedIndex created;
            try
            {
                created = Await(ct => _backups!.CreateIndexAsync(BackupId, IndexName, TagParameter.ToDictionary(Tag), DeletionProtection?.ToLowerInvariant(), ct));
            }
            catch (PineconeException ex)
            {
                WriteItemError(ex, ErrorRecords.CreateFailed(ex, BackupId, $"Get-PineconeRestoreJob | Where-Object TargetIndexName -eq '{IndexName}'", CreateAction));
                return;
            }

            WriteVerbose($"Started the restore job {created.RestoreJobId} of backup {BackupId} into the new index {IndexName} (id {created.IndexId}).");
            if (Wait)
            {
                // The job was just created, so it has been seen: a 404 on a poll is then treated as Pinecone's transient one.
                _items.Add(new WaitItem<RestoreJob>(created.RestoreJobId, new RestoreJob(created.RestoreJobId, BackupId, IndexName, created.IndexId, "Pending", null, null, null)));
                return;
            }

            try
            {
                WriteObject(Await(ct => _jobs!.DescribeAsync(created.RestoreJobId, ct)));
            }
            catch (PineconeException ex)
            {
                // The restore runs: the error must say so, or a script would restore again into a 409.
                var start = new RestoreStart(created.RestoreJobId, BackupId, IndexName, created.IndexId);
                WriteItemError(ex, ErrorRecords.WithAction(
                    ErrorRecords.FromException(ex, start),
                    $"The restore job {created.RestoreJobId} into the new index {IndexName} (index id {created.IndexId}) was started, but describing it failed: {ex.Message}",
                    $"Do not restore again: follow the job with Wait-PineconeRestoreJob -RestoreJobId {created.RestoreJobId} (the error's TargetObject can be piped to it)."));
            }
        }

        protected override void EndProcessing()
        {
            new WaitRunner<RestoreJob>(this, new RestoreJobWaiting(_jobs!)).Run(_items, WaitOptions);
        }

        private (string?, string)? CreateAction(PineconeApiException api)
        {
            switch (api.ErrorCode)
            {
                case "FAILED_PRECONDITION":
                    return (
                        $"The backup {BackupId} is not Ready, so it cannot be restored yet: {api.Message}",
                        $"Wait until Get-PineconeBackup -BackupId {BackupId} shows Status Ready (New-PineconeBackup -Wait returns a backup once it is), then restore again.");
                case "ALREADY_EXISTS":
                    return (
                        $"An index named {IndexName} already exists: {api.Message}",
                        $"Choose another -IndexName, or delete the index {IndexName} first.");
                case "FORBIDDEN":
                    return (null, "The project's index quota is used up: delete an index no longer needed, or raise the quota.");
                case "NOT_FOUND":
                    return (null, $"No backup {BackupId} in this project: Get-PineconeBackup lists them.");
                default:
                    return null;
            }
        }
    }
}
