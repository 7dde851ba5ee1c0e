using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// Get-/New-/Remove-/Restore-PineconeBackup against the emulator: the lifecycle as one pipeline, -WhatIf, request
/// bodies, the POST retry rules, each error code, paging on both lists, validation before any request.
/// </summary>
public sealed class BackupCommandTests : EmulatorTestBase
{
    private const string ReadyBackup = SampleData.ReadyBackupId;

    // The clock runs at 10x wall time: a new backup is Ready after 0.2 s, a restore completes after 0.3 s.
    protected override EmulatorOptions Options => new()
    {
        ClockSpeed = 10,
        BackupReadyAfter = TimeSpan.FromSeconds(2),
        RestoreCompleteAfter = TimeSpan.FromSeconds(3),
    };

    private IReadOnlyList<LoggedRequest> Requests(string method) => Emulator.State.Requests.Where(r => r.Method == method).ToList();

    private void Fault(int status, string method, string? code = null, int remaining = 1, string? pathPrefix = null) =>
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = status, Method = method, ErrorCode = code, Remaining = remaining, RetryAfter = "0", PathPrefix = pathPrefix });

    private static string Fqid(ErrorRecord record) => record.FullyQualifiedErrorId;

    [Fact]
    public void The_whole_lifecycle_runs_as_one_pipeline()
    {
        PsResult result = Ps.Run("""
            $job = New-PineconeBackup -IndexName docs-prod -Name lifecycle -Wait -PollingIntervalSeconds 0.1 |
                Restore-PineconeBackup -IndexName docs-copy -Wait -PollingIntervalSeconds 0.1
            $job
            Get-PineconeBackup -BackupId $job.BackupId
            Get-PineconeBackup -BackupId $job.BackupId | Remove-PineconeBackup -Confirm:$false
            """);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        JobView job = JobView.From(result.Output[0]);
        Assert.Equal(("docs-copy", "Completed"), (job.TargetIndexName, job.Status));
        PSObject backup = result.Output[1];
        Assert.Equal("PineconeRestore.Backup", backup.TypeNames[0]);
        Assert.Equal(("lifecycle", "Ready", "docs-prod"), ((string?)backup.Prop("Name"), (string)backup.Prop("Status")!, (string)backup.Prop("SourceIndexName")!));
        Assert.Equal(2, result.Output.Count);
        Assert.Null(Emulator.State.FindBackup(job.BackupId));
        Assert.Equal(job.TargetIndexId, Emulator.State.FindIndex("docs-copy")!.IndexId);
        // Both waits showed progress, and completed every bar they opened.
        Assert.Contains(result.Progress, p => p.Activity.Contains("backup " + job.BackupId));
        Assert.Contains(result.Progress, p => p.Activity.Contains("restore job " + job.RestoreJobId));
        int backupBarEnd = result.Progress.FindIndex(p => p.RecordType == ProgressRecordType.Completed);
        Assert.True(backupBarEnd < result.Progress.FindIndex(p => p.Activity.Contains("restore job")));
        Assert.Equal(2, result.Progress.Count(p => p.RecordType == ProgressRecordType.Completed));
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Fact]
    public void WhatIf_sends_nothing_for_every_changing_cmdlet()
    {
        PsResult result = Ps.Run($"""
            New-PineconeBackup -IndexName products -WhatIf
            Restore-PineconeBackup -BackupId {ReadyBackup} -IndexName products-copy -WhatIf -Wait
            Remove-PineconeBackup -BackupId {ReadyBackup}, {SampleData.FailedBackupId} -WhatIf
            """);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void Request_bodies_are_the_specs()
    {
        PsResult result = Ps.Run($$"""
            New-PineconeBackup -IndexName products -Name 'nightly run' -Description 'before "v3"'
            New-PineconeBackup products
            Restore-PineconeBackup -BackupId {{ReadyBackup}} -IndexName copy-a -Tag @{ env = 'drill test'; n = 7 } -DeletionProtection Enabled
            Restore-PineconeBackup {{ReadyBackup}} copy-b
            """);

        Assert.Empty(result.Errors);
        string?[] bodies = Requests("POST").Select(r => r.Body).ToArray();
        Assert.Equal(new[]
        {
            """{"name":"nightly run","description":"before \u0022v3\u0022"}""",
            "{}",
            """{"name":"copy-a","tags":{"env":"drill test","n":"7"},"deletion_protection":"enabled"}""",
            """{"name":"copy-b"}""",
        }, bodies);
        Assert.All(Requests("POST"), r => Assert.StartsWith("application/json", r.ContentType));
        Assert.Equal("enabled", Emulator.State.FindIndex("copy-a")!.DeletionProtection);
        // Without -Tag the new index inherits the backup's tags.
        Assert.Equal("search", Emulator.State.FindIndex("copy-b")!.Tags!["team"]);
    }

    [Theory]
    [InlineData("New-PineconeBackup -IndexName products", "Get-PineconeBackup -IndexName products")]
    [InlineData("Restore-PineconeBackup -BackupId " + ReadyBackup + " -IndexName copy", "Get-PineconeRestoreJob | Where-Object TargetIndexName -eq 'copy'")]
    public void A_503_on_a_POST_is_not_retried_and_says_to_check_first(string script, string check)
    {
        Fault(503, "POST");

        PsResult result = Ps.Run(script);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("UNAVAILABLE,", Fqid(error));
        Assert.Contains("may have acted", error.ErrorDetails.Message);
        Assert.Contains(check, error.ErrorDetails.RecommendedAction);
        Assert.Single(Requests("POST"));
    }

    [Theory]
    [InlineData("New-PineconeBackup -IndexName products")]
    [InlineData("Restore-PineconeBackup -BackupId " + ReadyBackup + " -IndexName copy")]
    public void A_429_on_a_POST_is_retried(string script)
    {
        Fault(429, "POST");

        PsResult result = Ps.Run(script);

        Assert.Empty(result.Errors);
        Assert.Single(result.Output);
        Assert.Equal(new[] { 429, result.Output[0].TypeNames[0] == "PineconeRestore.Backup" ? 201 : 202 }, Requests("POST").Select(r => r.StatusCode));
    }

    [Fact]
    public void The_quota_the_payment_and_an_unreadable_body_keep_the_APIs_codes()
    {
        Emulator.State.BackupQuota = 1;
        PsResult quota = Ps.Run("New-PineconeBackup -IndexName products");
        Emulator.State.BackupQuota = null;
        Fault(402, "POST", "PAYMENT_REQUIRED");
        PsResult payment = Ps.Run("New-PineconeBackup -IndexName products");
        Fault(422, "POST", "UNPROCESSABLE_ENTITY");
        PsResult unprocessable = Ps.Run($"Restore-PineconeBackup -BackupId {ReadyBackup} -IndexName copy");

        ErrorRecord forbidden = Assert.Single(quota.Errors);
        Assert.Equal("FORBIDDEN,PineconeRestore.Commands.NewPineconeBackupCommand", Fqid(forbidden));
        Assert.Equal(ErrorCategory.PermissionDenied, forbidden.CategoryInfo.Category);
        Assert.Contains("Increase your quota", forbidden.Exception.Message);
        Assert.Contains("Remove-PineconeBackup", forbidden.ErrorDetails.RecommendedAction);
        ErrorRecord paymentError = Assert.Single(payment.Errors);
        Assert.Equal("PAYMENT_REQUIRED,PineconeRestore.Commands.NewPineconeBackupCommand", Fqid(paymentError));
        Assert.Equal(ErrorCategory.QuotaExceeded, paymentError.CategoryInfo.Category);
        Assert.Contains("invoices", paymentError.ErrorDetails.RecommendedAction);
        ErrorRecord unprocessableError = Assert.Single(unprocessable.Errors);
        Assert.Equal("UNPROCESSABLE_ENTITY,PineconeRestore.Commands.RestorePineconeBackupCommand", Fqid(unprocessableError));
        Assert.Equal(ErrorCategory.InvalidData, unprocessableError.CategoryInfo.Category);
    }

    [Fact]
    public void A_taken_name_and_a_backup_not_ready_say_so()
    {
        PsResult taken = Ps.Run($"Restore-PineconeBackup -BackupId {ReadyBackup} -IndexName docs-prod");
        PsResult notReady = Ps.Run($"Restore-PineconeBackup -BackupId {SampleData.InitializingBackupId} -IndexName early");

        ErrorRecord exists = Assert.Single(taken.Errors);
        Assert.Equal("ALREADY_EXISTS,PineconeRestore.Commands.RestorePineconeBackupCommand", Fqid(exists));
        Assert.Equal(ErrorCategory.ResourceExists, exists.CategoryInfo.Category);
        Assert.Contains("another -IndexName", exists.ErrorDetails.RecommendedAction);
        ErrorRecord precondition = Assert.Single(notReady.Errors);
        Assert.Equal("FAILED_PRECONDITION,PineconeRestore.Commands.RestorePineconeBackupCommand", Fqid(precondition));
        Assert.Contains($"The backup {SampleData.InitializingBackupId} is not Ready", precondition.ErrorDetails.Message);
        Assert.Contains("New-PineconeBackup -Wait", precondition.ErrorDetails.RecommendedAction);
        Assert.Equal(SampleData.InitializingBackupId, precondition.TargetObject);
    }

    [Fact]
    public void A_backup_a_restore_reads_from_names_the_pending_jobs_and_the_other_ids_are_still_deleted()
    {
        PsResult result = Ps.Run($"'{SampleData.BackupWithPendingRestoreId}', '{SampleData.FailedBackupId}' | Remove-PineconeBackup -Confirm:$false -PassThru");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("FAILED_PRECONDITION,PineconeRestore.Commands.RemovePineconeBackupCommand", Fqid(error));
        Assert.Equal(SampleData.BackupWithPendingRestoreId, error.TargetObject);
        const string pendingJob = "3f5a7c9e-1b3d-4f5a-9c7e-9b1d3f5a7c04";
        Assert.Contains(pendingJob, error.ErrorDetails.Message);
        Assert.Equal($"Wait for them to finish (Wait-PineconeRestoreJob -RestoreJobId {pendingJob}), then remove the backup again.", error.ErrorDetails.RecommendedAction);
        Assert.Equal(new object[] { SampleData.FailedBackupId }, result.Output.Select(o => o.BaseObject));
        Assert.Null(Emulator.State.FindBackup(SampleData.FailedBackupId));
        Assert.NotNull(Emulator.State.FindBackup(SampleData.BackupWithPendingRestoreId));
    }

    [Fact]
    public void A_404_on_a_retried_DELETE_counts_as_deleted_and_a_first_404_is_NOT_FOUND()
    {
        Fault(503, "DELETE");

        PsResult retried = Ps.Run("Remove-PineconeBackup -BackupId deleted-by-the-first-attempt -Confirm:$false -PassThru -Verbose");
        PsResult missing = Ps.Run("Remove-PineconeBackup -BackupId never-there -Confirm:$false");
        PsResult quiet = Ps.Run($"Remove-PineconeBackup -BackupId {SampleData.OrphanBackupId} -Confirm:$false");

        Assert.Empty(retried.Errors);
        Assert.Equal(new object[] { "deleted-by-the-first-attempt" }, retried.Output.Select(o => o.BaseObject));
        Assert.Contains(retried.Verbose, v => v.Contains("the earlier attempt deleted it"));
        Assert.Equal("NOT_FOUND,PineconeRestore.Commands.RemovePineconeBackupCommand", Fqid(Assert.Single(missing.Errors)));
        Assert.Empty(quiet.Output);
        Assert.Empty(quiet.Errors);
        Assert.Null(Emulator.State.FindBackup(SampleData.OrphanBackupId));
    }

    [Fact]
    public void A_restore_whose_describe_fails_still_carries_the_job_and_index_ids()
    {
        Fault(500, "GET", remaining: -1, pathPrefix: "/restore-jobs/");

        PsResult result = Ps.Run($"Restore-PineconeBackup -BackupId {ReadyBackup} -IndexName described-later");

        ErrorRecord error = Assert.Single(result.Errors);
        EmulatedRestoreJob job = Assert.Single(Emulator.State.RestoreJobs, j => j.TargetIndexName == "described-later");
        Assert.StartsWith("UNKNOWN,", Fqid(error));
        Assert.Equal("PineconeRestore.RestoreStart", PSObject.AsPSObject(error.TargetObject).TypeNames[0]);
        Assert.Equal((job.RestoreJobId, job.TargetIndexId), ((string)error.TargetObject.Prop("RestoreJobId")!, (string)error.TargetObject.Prop("TargetIndexId")!));
        Assert.Contains(job.RestoreJobId, error.ErrorDetails.Message);
        Assert.Contains(job.TargetIndexId, error.ErrorDetails.Message);
        Assert.Contains("Do not restore again", error.ErrorDetails.RecommendedAction);
        Assert.Single(Requests("POST"));
    }

    [Fact]
    public void A_backup_that_fails_to_initialize_is_written_and_is_a_BackupFailed_error()
    {
        Emulator.State.AddBackup(new EmulatedBackup
        {
            BackupId = "doomed", SourceIndexName = "products", SourceIndexId = SampleData.ProductsIndexId, Status = "Initializing",
            ReadyAfter = TimeSpan.FromSeconds(2), FinalStatus = "InitializationFailed",
        });
        // The create answers with that backup, so the wait polls one that will fail.
        Emulator.State.AddFault(new FaultRule
        {
            Kind = FaultKind.CustomBody, StatusCode = 201, Method = "POST", Remaining = 1,
            Body = """{"backup_id":"doomed","source_index_name":"products","source_index_id":"x","status":"Initializing","cloud":"aws","region":"us-east-1"}""",
        });

        PsResult result = Ps.Run("New-PineconeBackup -IndexName products -Wait -PollingIntervalSeconds 0.1");

        PSObject backup = Assert.Single(result.Output);
        Assert.Equal("InitializationFailed", backup.Prop("Status"));
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("BackupFailed,PineconeRestore.Commands.NewPineconeBackupCommand", Fqid(error));
        Assert.Equal("doomed", error.TargetObject.Prop("BackupId"));
        Assert.Contains("New-PineconeBackup -IndexName products -Wait", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void A_restore_that_fails_is_RestoreJobFailed_and_one_that_runs_past_the_timeout_is_WaitTimeout()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.FailRestore, Remaining = 1 });
        PsResult failed = Ps.Run($"Restore-PineconeBackup -BackupId {ReadyBackup} -IndexName fails -Wait -PollingIntervalSeconds 0.1");
        Emulator.State.RestoreCompleteAfter = TimeSpan.FromHours(1);
        PsResult slow = Ps.Run($"Restore-PineconeBackup -BackupId {ReadyBackup} -IndexName slow -Wait -PollingIntervalSeconds 0.1 -Timeout 1");

        Assert.Equal("Failed", JobView.From(Assert.Single(failed.Output)).Status);
        Assert.Equal("RestoreJobFailed,PineconeRestore.Commands.RestorePineconeBackupCommand", Fqid(Assert.Single(failed.Errors)));
        Assert.Empty(slow.Output);
        ErrorRecord timeout = Assert.Single(slow.Errors);
        Assert.Equal("WaitTimeout,PineconeRestore.Commands.RestorePineconeBackupCommand", Fqid(timeout));
        Assert.Equal("slow", timeout.TargetObject.Prop("TargetIndexName"));
    }

    [Theory]
    [InlineData("", "/backups")]
    [InlineData("-IndexName products", "/indexes/products/backups")]
    public void Both_lists_follow_every_page_and_First_asks_for_no_more(string scope, string path)
    {
        string[] all = Ps.Run($"Get-PineconeBackup {scope}").Output.Select(o => (string)o.Prop("BackupId")!).ToArray();
        Emulator.State.ClearRequests();

        PsResult paged = Ps.Run($"Get-PineconeBackup {scope} -PageSize 1");
        int pageRequests = Emulator.State.Requests.Count;
        Emulator.State.ClearRequests();
        PsResult first = Ps.Run($"Get-PineconeBackup {scope} -First 1 -Skip 1");
        PsResult total = Ps.Run($"Get-PineconeBackup {scope} -IncludeTotalCount");

        Assert.True(all.Length >= 2);
        Assert.Equal(all, paged.Output.Select(o => (string)o.Prop("BackupId")!));
        Assert.Equal(all.Length + 1, pageRequests); // the last full page still carries a token (NOTES.md)
        Assert.Equal(new[] { all[1] }, first.Output.Select(o => (string)o.Prop("BackupId")!));
        LoggedRequest request = Emulator.State.Requests[0];
        Assert.Equal((path, "?limit=2"), (request.Path, request.Query));
        Assert.Equal((double)all.Length, ((PSObject)total.Output[^1]).BaseObject is ulong count ? count : -1);
    }

    [Fact]
    public void Describing_backups_writes_them_in_input_order_with_an_error_for_the_unknown_one()
    {
        PsResult result = Ps.Run($"'{SampleData.FailedBackupId}', 'unknown', '{ReadyBackup}' | Get-PineconeBackup");

        Assert.Equal(new[] { SampleData.FailedBackupId, ReadyBackup }, result.Output.Select(o => (string)o.Prop("BackupId")!));
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("NOT_FOUND,PineconeRestore.Commands.GetPineconeBackupCommand", Fqid(error));
        Assert.Equal("unknown", error.TargetObject);
        PSObject failed = result.Output[0];
        Assert.Null(failed.Prop("Name"));
        Assert.Null(failed.Prop("Tags"));
        Assert.Equal(DateTimeKind.Utc, ((DateTime)result.Output[1].Prop("CreatedAt")!).Kind);
        Assert.Equal("search", Ps.Run($"(Get-PineconeBackup {ReadyBackup}).Tags.team").Output.Single().BaseObject);
    }

    [Theory]
    [InlineData("New-PineconeBackup -IndexName Products")]
    [InlineData("New-PineconeBackup -IndexName -products")]
    [InlineData("New-PineconeBackup -IndexName products-")]
    [InlineData("New-PineconeBackup -IndexName prod_ucts")]
    [InlineData("New-PineconeBackup -IndexName ''")]
    [InlineData("Get-PineconeBackup -IndexName abcdefghij-abcdefghij-abcdefghij-abcdefghij-abc")]
    [InlineData("Restore-PineconeBackup -BackupId b -IndexName 'a b'")]
    [InlineData("Restore-PineconeBackup -BackupId b -IndexName ok -Tag @{ 'bad key' = 'v' }")]
    [InlineData("Restore-PineconeBackup -BackupId b -IndexName ok -Tag @{ k = 'no/slash' }")]
    [InlineData("Restore-PineconeBackup -BackupId b -IndexName ok -Tag @{ k = $null }")]
    [InlineData("Restore-PineconeBackup -BackupId b -IndexName ok -Tag @{ k = 'x' * 121 }")]
    [InlineData("Restore-PineconeBackup -BackupId b -IndexName ok -Tag @{ ('k' * 81) = 'v' }")]
    [InlineData("Restore-PineconeBackup -BackupId b -IndexName ok -Tag @{ k = 1, 2 }")]
    [InlineData("Restore-PineconeBackup -BackupId b -IndexName ok -DeletionProtection On")]
    [InlineData("Restore-PineconeBackup -BackupId '  ' -IndexName ok")]
    [InlineData("Remove-PineconeBackup -BackupId ' ' -Confirm:$false")]
    [InlineData("Get-PineconeBackup -BackupId '..'")]
    public void Bad_input_fails_before_any_request(string script)
    {
        PsResult result = Ps.Run(script);

        ErrorRecord error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.StartsWith("ParameterArgumentValidationError", Fqid(error));
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void The_longest_index_name_and_every_allowed_tag_character_pass()
    {
        string name = "a" + new string('-', 43) + "z";
        PsResult result = Ps.Run($"Restore-PineconeBackup -BackupId {ReadyBackup} -IndexName {name} -Tag @{{ 'K_-9' = 'a;@_-.+ Z'; empty = '' }}");

        Assert.Empty(result.Errors);
        Assert.Equal(name, JobView.From(Assert.Single(result.Output)).TargetIndexName);
    }
}
