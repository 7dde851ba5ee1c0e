using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// The restore drill: restores a backup into a scratch index, waits for it, compares its record counts with the
    /// backup's, deletes it, and writes what it found. One backup after another (each drill creates a real index).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "PineconeBackup", DefaultParameterSetName = BackupIdParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BackupTestResult))]
    public sealed class TestPineconeBackupCommand : PineconeWaitingCmdletBase
    {
        /// <summary>An unattended drill must end: four hours, unless -Timeout says otherwise.</summary>
        public const int DefaultTimeoutSeconds = 14400;

        private const string BackupIdParameterSet = "BackupId";
        private const string IndexNameParameterSet = "IndexName";
        private const int Steps = 6;

        // The drill's own progress activity; the waits' bars (ids 0 and 1) sit under it.
        private const int DrillActivityId = 100;

        private BackupsApi? _backups;
        private IndexesApi? _indexes;

        public TestPineconeBackupCommand()
        {
            Timeout = DefaultTimeoutSeconds;
        }

        /// <summary>The backup to drill.</summary>
        [Parameter(ParameterSetName = BackupIdParameterSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ValidatePathSegment]
        [ArgumentCompleter(typeof(BackupIdCompleter))]
        public string BackupId { get; set; } = string.Empty;

        /// <summary>Drill this index's newest Ready backup.</summary>
        [Parameter(ParameterSetName = IndexNameParameterSet, Mandatory = true)]
        [ValidateIndexName]
        [ArgumentCompleter(typeof(IndexNameCompleter))]
        public string IndexName { get; set; } = string.Empty;

        /// <summary>The scratch index's name instead of &lt;source&gt;-drill-&lt;yyyyMMddHHmmss&gt;.</summary>
        [Parameter]
        [ValidateIndexName]
        public string? ScratchIndexName { get; set; }

        /// <summary>Keep the scratch index instead of deleting it.</summary>
        [Parameter]
        public SwitchParameter KeepIndex { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _backups = new BackupsApi(Client);
            _indexes = new IndexesApi(Client);
        }

        protected override void ProcessRecord()
        {
            var total = Stopwatch.StartNew();
            string subject = ParameterSetName == IndexNameParameterSet ? $"the newest Ready backup of index {IndexName}" : $"backup {BackupId}";
            var progress = new DrillProgress("Restore drill of " + subject);
            try
            {
                Step(progress, 1, ParameterSetName == IndexNameParameterSet ? $"finding the newest Ready backup of index {IndexName}" : $"describing backup {BackupId}");
                Backup? backup = ParameterSetName == IndexNameParameterSet ? NewestReadyBackup(IndexName) : Describe(BackupId);
                if (backup != null)
                {
                    progress.Activity = "Restore drill of backup " + backup.BackupId;
                    Drill(backup, progress, total);
                }
            }
            finally
            {
                // On every path but Ctrl+C, when nothing more can be written (the host clears the bar itself).
                if (!IsStopped && progress.Written)
                {
                    WriteProgress(new ProgressRecord(DrillActivityId, progress.Activity, "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
        }

        private bool IsStopped => Stopping || CancelToken.IsCancellationRequested;

        private Backup? Describe(string backupId)
        {
            Backup backup;
            try
            {
                backup = Await(ct => _backups!.DescribeAsync(backupId, ct));
            }
            catch (PineconeException ex)
            {
                WriteItemError(ex, backupId);
                return null;
            }

            if (!BackupStatus.IsReady(backup.Status))
            {
                WriteError(ErrorRecords.BackupNotReady(
                    $"The backup {backup.BackupId} of index {backup.SourceIndexName} is {backup.Status}, not Ready: it cannot be restored, so nothing was created.",
                    backup,
                    BackupStatus.IsFailed(backup.Status)
                        ? $"The backup failed; take a new one with New-PineconeBackup -IndexName {backup.SourceIndexName} -Wait and drill that."
                        : $"Wait for it (New-PineconeBackup -Wait waits for a new backup; Get-PineconeBackup -BackupId {backup.BackupId} shows its status), then drill it again."));
                return null;
            }

            return backup;
        }

        private Backup? NewestReadyBackup(string indexName)
        {
            PageCursor<Backup> cursor = _backups!.List(indexName, BackupsApi.MaxPageSize);
            var backups = new List<Backup>();
            try
            {
                while (!cursor.IsComplete)
                {
                    backups.AddRange(Await(ct => cursor.NextPageAsync(ct)));
                }
            }
            catch (PineconeException ex)
            {
                WriteItemError(ex, indexName);
                return null;
            }

            // Newest first by created_at; among equals (or none), the list's own order.
            Backup? newest = backups
                .Where(b => BackupStatus.IsReady(b.Status))
                .Select((b, i) => (Backup: b, Order: i))
                .OrderByDescending(x => x.Backup.CreatedAt ?? DateTime.MinValue)
                .ThenBy(x => x.Order)
                .Select(x => x.Backup)
                .FirstOrDefault();
            if (newest == null)
            {
                string statuses = backups.Count == 0
                    ? "it has no backups"
                    : "its backups are " + string.Join(", ", backups.Select(b => b.Status).Distinct(StringComparer.OrdinalIgnoreCase));
                WriteError(ErrorRecords.BackupNotReady(
                    $"The index {indexName} has no Ready backup to drill ({statuses}): nothing was created.",
                    indexName,
                    $"Take one with New-PineconeBackup -IndexName {indexName} -Wait, then drill it."));
                return null;
            }

            WriteVerbose($"The newest Ready backup of index {indexName} is {newest.BackupId}" + (newest.CreatedAt is DateTime at ? $", taken {at:yyyy-MM-dd HH:mm:ss} UTC." : "."));
            return newest;
        }

        private void Drill(Backup backup, DrillProgress progress, Stopwatch total)
        {
            string name = ScratchIndexName ?? RestoreDrill.ScratchName(backup.SourceIndexName, DateTime.UtcNow);
            string runId = RestoreDrill.NewRunId();
            var result = new BackupTestResult(backup.BackupId, backup.SourceIndexName, name, runId)
            {
                ExpectedRecordCount = backup.RecordCount,
                ExpectedNamespaceCount = backup.NamespaceCount,
            };

            string afterwards = KeepIndex ? "and keep it (-KeepIndex)" : "then delete it";
            if (!ShouldProcess(name, $"Restore backup {backup.BackupId} (index {backup.SourceIndexName}) into a new index, tagged {RestoreDrill.RunTagKey}={runId}, check its record counts, {afterwards}"))
            {
                return;
            }

            TimeSpan deadline = TimeSpan.FromSeconds(Timeout);
            var created = Creation.NotSent;
            Failure? failure = null;
            TimeSpan restoreStarted = TimeSpan.Zero;
            try
            {
                Step(progress, 2, $"restoring backup {backup.BackupId} into the scratch index {name}");
                var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [RestoreDrill.RunTagKey] = runId };
                restoreStarted = total.Elapsed;
                created = Creation.Unknown;
                try
                {
                    CreatedIndex answer = Await(ct => _backups!.CreateIndexAsync(backup.BackupId, name, tags, "disabled", ct));
                    created = Creation.Created;
                    result.RestoreJobId = answer.RestoreJobId;
                    WriteVerbose($"Restore job {answer.RestoreJobId} is creating index {name} (id {answer.IndexId}).");
                }
                catch (PineconeException ex) when (CannotHaveCreated(ex))
                {
                    // A taken name (409), a backup not restorable, bad input: nothing was created, so nothing is deleted.
                    created = Creation.NotSent;
                    WriteItemError(ex, backup);
                    return;
                }
                catch (PineconeException ex)
                {
                    // A 5xx or a lost answer: a POST is not sent again, and it may have created the index anyway.
                    failure = Failure.From(ex, $"create-index for {name} got no clear answer, and is not sent twice (it may have acted): {ex.Message}");
                }

                PineconeIndex? index = null;
                failure ??= WaitForRestore(result, progress, deadline, total) ?? WaitForIndex(name, progress, deadline, total, out index);
                if (index != null)
                {
                    result.RestoreDuration = total.Elapsed - restoreStarted;
                }

                failure ??= CheckStats(backup, index!, result, progress, deadline, total);
            }
            catch (PineconeException ex)
            {
                failure = Failure.From(ex, $"The drill stopped on an error: {ex.Message}");
            }
            finally
            {
                if (created != Creation.NotSent)
                {
                    if (result.RestoreDuration == TimeSpan.Zero)
                    {
                        result.RestoreDuration = total.Elapsed - restoreStarted;
                    }

                    if (KeepIndex)
                    {
                        if (!IsStopped)
                        {
                            Step(progress, 5, $"keeping the scratch index {name} (-KeepIndex); delete it yourself once done with it");
                        }
                    }
                    else
                    {
                        string? problem = CleanUp(name, runId, created, progress, result);
                        if (problem != null)
                        {
                            failure = failure == null ? Failure.Plain(problem, Failure.LeftBehind(name)) : failure.With(problem, name);
                        }
                    }
                }
            }

            Step(progress, 6, "writing the result");
            result.Failure = failure?.Message;
            result.Passed = failure == null;
            result.TotalDuration = total.Elapsed;
            WriteObject(result);
            if (failure != null)
            {
                WriteError(ErrorRecords.OperationFailed(
                    failure.ErrorId,
                    failure.Category,
                    $"The restore drill of backup {backup.BackupId} (index {backup.SourceIndexName}) did not pass: {failure.Message}",
                    failure.ErrorId == ErrorRecords.BackupTestFailedId ? backup.BackupId : result.RestoreJobId ?? backup.BackupId,
                    failure.Status,
                    result,
                    failure.Action,
                    failure.Cause));
            }
        }

        private Failure? WaitForRestore(BackupTestResult result, DrillProgress progress, TimeSpan deadline, Stopwatch total)
        {
            string jobId = result.RestoreJobId!;
            Step(progress, 3, $"waiting for restore job {jobId}");
            if (Remaining(deadline, total) is not TimeSpan left)
            {
                return Failure.TimedOut(Timeout, $"before waiting for restore job {jobId}");
            }

            var wait = WaitStep<RestoreJob>.Run(this, new RestoreJobWaiting(new RestoreJobsApi(Client)), jobId, Options(left), DrillActivityId);
            if (wait.Finished is RestoreJob job)
            {
                if (RestoreJobStatus.IsCompleted(job.Status))
                {
                    WriteVerbose($"Restore job {jobId} completed.");
                    return null;
                }

                bool cancelled = RestoreJobStatus.IsCancelled(job.Status);
                return new Failure(
                    cancelled ? ErrorRecords.RestoreJobCancelledId : ErrorRecords.RestoreJobFailedId,
                    cancelled ? ErrorCategory.OperationStopped : ErrorCategory.InvalidResult,
                    $"the restore job {jobId} ended {job.Status}.",
                    job.Status,
                    $"Drill the backup again; if its restore fails again the backup cannot be restored: take a new one with New-PineconeBackup -Wait. Pinecone support can tell why restore job {jobId} failed.");
            }

            return Failure.FromWait(wait.Error!, (wait.Error!.TargetObject as RestoreJob)?.Status, Timeout, $"waiting for restore job {jobId}");
        }

        private Failure? WaitForIndex(string name, DrillProgress progress, TimeSpan deadline, Stopwatch total, out PineconeIndex? index)
        {
            index = null;
            Step(progress, 3, $"waiting for the scratch index {name} to be ready");
            if (Remaining(deadline, total) is not TimeSpan left)
            {
                return Failure.TimedOut(Timeout, $"before waiting for index {name}");
            }

            var wait = WaitStep<PineconeIndex>.Run(this, new IndexWaiting(_indexes!), name, Options(left), DrillActivityId);
            index = wait.Finished;
            if (index == null)
            {
                return Failure.FromWait(wait.Error!, (wait.Error!.TargetObject as PineconeIndex)?.State, Timeout, $"waiting for index {name} to be ready");
            }

            return index.Ready
                ? null
                : new Failure(ErrorRecords.BackupTestFailedId, ErrorCategory.InvalidResult, $"the restore completed, but the scratch index {name} ended {index.State}.", "Failed",
                    "Drill the backup again; if the index fails again, the backup cannot be restored: take a new one with New-PineconeBackup -Wait.");
        }

        private Failure? CheckStats(Backup backup, PineconeIndex index, BackupTestResult result, DrillProgress progress, TimeSpan deadline, Stopwatch total)
        {
            Step(progress, 4, $"reading the record counts of index {index.Name} from its host {index.Host}");
            var stats = new IndexStatsApi(Client, IndexHost.Resolve(index.Host, Client.BaseUrl));
            TimeSpan interval = TimeSpan.FromSeconds(Math.Min(PollingIntervalSeconds, RestoreDrill.MaxStatsInterval.TotalSeconds));
            List<string> differences = new List<string>();
            List<string> notCompared = new List<string>();
            int reads = 0;
            while (true)
            {
                IndexStats read = Await(ct => stats.DescribeAsync(ct));
                reads++;
                RestoreDrill.Compare(backup.RecordCount, backup.NamespaceCount, backup.Dimension, read, index.Dimension, out differences, out notCompared);
                result.RestoredRecordCount = read.TotalRecordCount;
                result.RestoredNamespaceCount = read.NamespaceCount;
                result.Dimension = read.Dimension ?? index.Dimension;
                if (differences.Count == 0 || reads >= RestoreDrill.StatsReads || Remaining(deadline, total) is not TimeSpan left || left < interval)
                {
                    break;
                }

                // Serverless reads are eventually consistent (NOTES.md): counts right after a restore may lag.
                WriteVerbose($"Read {reads} of {RestoreDrill.StatsReads}: the scratch index holds {string.Join("; ", differences)}. Counts read just after a restore may lag: reading again in {Seconds(interval)}.");
                Await(async ct =>
                {
                    await Task.Delay(interval, ct).ConfigureAwait(false);
                    return true;
                });
            }

            foreach (string what in notCompared)
            {
                WriteVerbose($"The backup reports no {what}: it is not compared.");
            }

            if (differences.Count > 0)
            {
                return new Failure(
                    ErrorRecords.BackupTestFailedId,
                    ErrorCategory.InvalidResult,
                    $"the scratch index {index.Name} holds {string.Join("; ", differences)} ({reads} reads).",
                    "Failed",
                    $"The backup may not hold what it reports. Drill it again with -KeepIndex to look at the restored index, and take a new backup with New-PineconeBackup -IndexName {backup.SourceIndexName} -Wait.");
            }

            WriteVerbose(string.Format(
                CultureInfo.InvariantCulture,
                "The scratch index holds what the backup reports: {0} records in {1} namespaces, dimension {2}.",
                result.RestoredRecordCount,
                result.RestoredNamespaceCount,
                result.Dimension?.ToString(CultureInfo.InvariantCulture) ?? "unknown"));
            return null;
        }

        /// <summary>
        /// Deletes the scratch index if it is this run's (its name and its run tag): on every path, after Ctrl+C too,
        /// with its own short timeout then and nothing written. Returns what went wrong, or null.
        /// </summary>
        private string? CleanUp(string name, string runId, Creation created, DrillProgress progress, BackupTestResult result)
        {
            bool quiet = IsStopped;
            if (!quiet)
            {
                Step(progress, 5, $"deleting the scratch index {name}");
            }

            using var bound = new CancellationTokenSource();
            // After Ctrl+C the delete still runs, but only for a short while.
            using CancellationTokenRegistration onStop = CancelToken.Register(() => Cancel(bound, RestoreDrill.StopCleanupTimeout));
            if (quiet)
            {
                bound.CancelAfter(RestoreDrill.StopCleanupTimeout);
            }

            PineconeIndex found;
            try
            {
                found = RunCleanup(ct => _indexes!.DescribeAsync(name, ct), bound.Token, ref quiet);
            }
            catch (PineconeApiException ex) when (ex.StatusCode == 404)
            {
                if (created == Creation.Unknown)
                {
                    Say(quiet, $"No index {name} exists: create-index did not create it, so there is nothing to delete.");
                    return null;
                }

                result.IndexDeleted = true;
                Say(quiet, $"The scratch index {name} is already gone.");
                return null;
            }
            catch (Exception ex) when (ex is PineconeException || ex is OperationCanceledException)
            {
                return $"the scratch index {name} could not be looked up to delete it: {Reason(ex)}";
            }

            if (!RestoreDrill.IsThisRunsIndex(found.Tags, runId))
            {
                // Never delete what this run did not create.
                return $"an index {name} exists but does not carry this run's tag {RestoreDrill.RunTagKey}={runId}: it is not this drill's, and was not deleted";
            }

            try
            {
                bool own = RunCleanup(ct => _indexes!.DeleteAsync(name, ct), bound.Token, ref quiet);
                result.IndexDeleted = true;
                Say(quiet, own ? $"Deleted the scratch index {name}." : $"The scratch index {name} was deleted by an earlier attempt.");
                return null;
            }
            catch (PineconeApiException ex) when (ex.StatusCode == 404)
            {
                result.IndexDeleted = true;
                Say(quiet, $"The scratch index {name} is already gone.");
                return null;
            }
            catch (Exception ex) when (ex is PineconeException || ex is OperationCanceledException)
            {
                return $"the scratch index {name} could not be deleted: {Reason(ex)}";
            }
        }

        /// <summary>A cleanup call: its log on the Verbose stream while that can be written, waited for either way.</summary>
        private T RunCleanup<T>(Func<CancellationToken, Task<T>> call, CancellationToken token, ref bool quiet)
        {
            Task<T> task = call(token);
            if (!quiet)
            {
                try
                {
                    RelayUntil(task);
                }
                catch (PipelineStoppedException)
                {
                    // Ctrl+C while deleting: finish quietly.
                    quiet = true;
                }
            }

            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
            }

            return task.GetAwaiter().GetResult();
        }

        private void Say(bool quiet, string message)
        {
            if (!quiet && !IsStopped)
            {
                WriteVerbose(message);
            }
        }

        private static void Cancel(CancellationTokenSource source, TimeSpan after)
        {
            try
            {
                source.CancelAfter(after);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private static string Reason(Exception ex) => ex is OperationCanceledException
            ? $"no answer within the {Seconds(RestoreDrill.StopCleanupTimeout)} allowed after Ctrl+C"
            : ex.Message;

        private void Step(DrillProgress progress, int step, string what)
        {
            string text = string.Format(CultureInfo.InvariantCulture, "Step {0} of {1}: {2}", step, Steps, what);
            WriteVerbose(text + ".");
            // A new record each time: a host may keep the ones it was given.
            WriteProgress(new ProgressRecord(DrillActivityId, progress.Activity, text));
            progress.Written = true;
        }

        private WaitOptions Options(TimeSpan left) => new WaitOptions
        {
            PollingInterval = TimeSpan.FromSeconds(PollingIntervalSeconds),
            Timeout = left,
        };

        private static TimeSpan? Remaining(TimeSpan deadline, Stopwatch total)
        {
            TimeSpan left = deadline - total.Elapsed;
            return left > TimeSpan.Zero ? left : (TimeSpan?)null;
        }

        /// <summary>An answer after which the index cannot exist: a 4xx (409 a taken name, 412 not Ready), or a request that never left.</summary>
        private static bool CannotHaveCreated(PineconeException ex) =>
            (ex is PineconeApiException api && api.StatusCode >= 400 && api.StatusCode < 500)
            || (ex is PineconeConnectionException connection && connection.NeverReachedServer);

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        /// <summary>The drill's one progress activity.</summary>
        private sealed class DrillProgress
        {
            public DrillProgress(string activity)
            {
                Activity = activity;
            }

            public string Activity { get; set; }

            public bool Written { get; set; }
        }

        private enum Creation
        {
            /// <summary>create-index was not sent, or was refused: nothing to delete.</summary>
            NotSent,

            /// <summary>Sent without a clear answer: the index may exist.</summary>
            Unknown,

            /// <summary>Accepted: the index exists.</summary>
            Created,
        }

        /// <summary>Why a drill did not pass, and the one error it ends with.</summary>
        private sealed class Failure
        {
            public Failure(string errorId, ErrorCategory category, string message, string status, string action, Exception? cause = null)
            {
                ErrorId = errorId;
                Category = category;
                Message = message;
                Status = status;
                Action = action;
                Cause = cause;
            }

            public string ErrorId { get; }

            public ErrorCategory Category { get; }

            public string Message { get; private set; }

            public string Status { get; }

            public string Action { get; private set; }

            public Exception? Cause { get; }

            public static Failure From(PineconeException ex, string message)
            {
                ErrorCategory category = ErrorRecords.FromException(ex, null).CategoryInfo.Category;
                return new Failure(ErrorRecords.BackupTestFailedId, category, message, "Failed",
                    "Drill the backup again once the error is resolved; check that no index from this run is left behind.", ex);
            }

            public static Failure Plain(string problem, string action) =>
                new Failure(ErrorRecords.BackupTestFailedId, ErrorCategory.ResourceUnavailable, "the restore passed its checks, but " + problem + ".", "Failed", action);

            public static Failure TimedOut(int timeoutSeconds, string where) =>
                new Failure(ErrorRecords.BackupTestFailedId, ErrorCategory.OperationTimeout,
                    string.Format(CultureInfo.InvariantCulture, "the drill's -Timeout of {0} s passed {1}.", timeoutSeconds, where), "TimedOut",
                    "Give the drill a longer -Timeout: a large backup can take hours to restore.");

            /// <summary>A wait that ended without its item: the timeout, or the error the wait met.</summary>
            public static Failure FromWait(ErrorRecord error, string? lastStatus, int timeoutSeconds, string where)
            {
                if (error.FullyQualifiedErrorId == ErrorRecords.WaitTimeoutId)
                {
                    Failure timedOut = TimedOut(timeoutSeconds, where);
                    timedOut.Message = timedOut.Message.TrimEnd('.') + (lastStatus == null ? " (no poll came back in time)." : $" (last seen {lastStatus}).");
                    return timedOut;
                }

                return new Failure(ErrorRecords.BackupTestFailedId, error.CategoryInfo.Category, $"{where} failed: {error.Exception.Message}", "Failed",
                    "Drill the backup again once the error is resolved.", error.Exception);
            }

            public static string LeftBehind(string name) =>
                $"The index {name} may be left behind and costs money: delete it (DELETE /indexes/{name}) once checked.";

            public Failure With(string problem, string name)
            {
                Message = Message.TrimEnd('.') + "; and " + problem + ".";
                Action += " " + LeftBehind(name);
                return this;
            }
        }
    }
}
