using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using PineconeRestore.Emulator;
using PineconeRestore.Hosting;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// Test-PineconeBackup, the restore drill, against the emulator on a running clock (600 x wall time: a five-minute
/// restore takes half a second): a passing drill, lost records, lagging stats, a failed restore, a timeout, Ctrl+C,
/// -WhatIf, -KeepIndex, a backup not Ready, a taken name, and an index the drill did not create.
/// </summary>
public sealed class TestBackupTests : EmulatorTestBase
{
    private const string DrillFqid = ",PineconeRestore.Commands.TestPineconeBackupCommand";
    private const string Drill = "Test-PineconeBackup -PollingIntervalSeconds 0.1 ";

    protected override EmulatorOptions Options => new() { ClockSpeed = 600 };

    private static readonly string ReadyBackup = SampleData.ReadyBackupId;

    private IReadOnlyList<LoggedRequest> Requests => Emulator.State.Requests;

    private static IReadOnlyList<string> Calls(IEnumerable<LoggedRequest> requests) =>
        requests.Select(r => r.IndexHost == null ? $"{r.Method} {r.Path}" : $"{r.Method} {{host}}{r.Path}").ToList();

    private IEnumerable<string> DrillIndexes() => Emulator.State.Indexes.Select(i => i.Name).Where(n => n.Contains("-drill-"));

    private static PSObject Result(PsResult run) => Assert.Single(run.Output, o => o.TypeNames[0] == "PineconeRestore.BackupTestResult");

    [Fact]
    public void A_passing_drill_restores_checks_deletes_and_reports_every_field()
    {
        var before = DateTime.UtcNow;
        PsResult run = Ps.Run(Drill + "-BackupId $id -Verbose", ("id", ReadyBackup));

        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        PSObject result = Result(run);
        string name = (string)result.Prop("ScratchIndexName")!;
        Assert.Matches(@"^products-drill-\d{14}$", name);
        var stamp = DateTime.ParseExact(name["products-drill-".Length..], "yyyyMMddHHmmss", null, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.InRange(stamp, before.AddSeconds(-1), DateTime.UtcNow);
        Assert.Equal(ReadyBackup, result.Prop("BackupId"));
        Assert.Equal("products", result.Prop("SourceIndexName"));
        Assert.True((bool)result.Prop("Passed")!);
        Assert.Equal(120_000L, result.Prop("ExpectedRecordCount"));
        Assert.Equal(120_000L, result.Prop("RestoredRecordCount"));
        Assert.Equal(3, result.Prop("ExpectedNamespaceCount"));
        Assert.Equal(3, result.Prop("RestoredNamespaceCount"));
        Assert.Equal(1536, result.Prop("Dimension"));
        Assert.True((bool)result.Prop("IndexDeleted")!);
        Assert.Null(result.Prop("Failure"));
        var restore = (TimeSpan)result.Prop("RestoreDuration")!;
        var total = (TimeSpan)result.Prop("TotalDuration")!;
        Assert.True(restore > TimeSpan.Zero && restore <= total, $"restore {restore}, total {total}");
        string jobId = (string)result.Prop("RestoreJobId")!;
        string runId = (string)result.Prop("RunId")!;

        // The exact calls, in order: describe, create, poll the job, poll the index, read stats, check and delete.
        IReadOnlyList<string> calls = Calls(Requests);
        string[] expectedStart = { $"GET /backups/{ReadyBackup}", $"POST /backups/{ReadyBackup}/create-index", $"GET /restore-jobs/{jobId}" };
        Assert.Equal(expectedStart, calls.Take(3));
        Assert.Equal(new[] { $"GET /indexes/{name}", "POST {host}/describe_index_stats", $"GET /indexes/{name}", $"DELETE /indexes/{name}" }, calls.Skip(calls.Count - 4));
        Assert.All(calls.Skip(3).Take(calls.Count - 7), c => Assert.True(c == $"GET /restore-jobs/{jobId}" || c == $"GET /indexes/{name}", c));
        Assert.All(Requests, r => Assert.True(r.ApiKeyValid && r.ApiVersionHeader == "2025-04", r.ToString()));

        using JsonDocument body = JsonDocument.Parse(Requests[1].Body!);
        Assert.Equal(name, body.RootElement.GetProperty("name").GetString());
        Assert.Equal("disabled", body.RootElement.GetProperty("deletion_protection").GetString());
        JsonElement tags = body.RootElement.GetProperty("tags");
        Assert.Equal(runId, Assert.Single(tags.EnumerateObject(), p => p.Name == "restore-drill").Value.GetString());
        Assert.Single(tags.EnumerateObject());
        LoggedRequest stats = Requests.Single(r => r.Path == "/describe_index_stats");
        Assert.Equal("{}", stats.Body);

        Assert.Empty(DrillIndexes());
        Assert.Contains(Emulator.State.Indexes, i => i.Name == "products");
        for (int step = 1; step <= 6; step++)
        {
            Assert.Contains(run.Verbose, v => v.StartsWith($"Step {step} of 6: ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Progress_is_one_drill_activity_with_the_waits_under_it_and_every_bar_completed()
    {
        PsResult run = Ps.Run(Drill + "-BackupId $id", ("id", ReadyBackup));

        Assert.Empty(run.Errors);
        ProgressRecord[] drill = run.Progress.Where(p => p.ParentActivityId == -1 && p.RecordType == ProgressRecordType.Processing).ToArray();
        Assert.Single(drill.Select(p => p.ActivityId).Distinct());
        int activity = drill[0].ActivityId;
        Assert.All(drill, p => Assert.Equal($"Restore drill of backup {ReadyBackup}", p.Activity));
        ProgressRecord[] waits = run.Progress.Where(p => p.ActivityId != activity && p.RecordType == ProgressRecordType.Processing).ToArray();
        Assert.Contains(waits, w => w.Activity.StartsWith("Waiting for restore job ", StringComparison.Ordinal));
        Assert.Contains(waits, w => w.Activity.StartsWith("Waiting for index products-drill-", StringComparison.Ordinal));
        Assert.All(waits, w => Assert.Equal(activity, w.ParentActivityId));
        Assert.Equal(ProgressRecordType.Completed, run.Progress[^1].RecordType);
        Assert.Equal(activity, run.Progress[^1].ActivityId);
        var opened = run.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).Select(p => p.ActivityId).Distinct();
        Assert.All(opened, id => Assert.Contains(run.Progress, p => p.ActivityId == id && p.RecordType == ProgressRecordType.Completed));
    }

    [Fact]
    public void Lost_records_fail_the_drill_with_BackupTestFailed_and_the_index_is_still_deleted()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.LoseRecords, Records = 7 });

        PsResult run = Ps.Run(Drill + "-BackupId $id -ErrorVariable problems; $problems.Count", ("id", ReadyBackup));

        PSObject result = Result(run);
        Assert.False((bool)result.Prop("Passed")!);
        Assert.Equal(119_993L, result.Prop("RestoredRecordCount"));
        Assert.True((bool)result.Prop("IndexDeleted")!);
        Assert.Contains("119993 records, the backup has 120000", (string)result.Prop("Failure")!);
        Assert.Equal(1, run.Output[^1].BaseObject);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("BackupTestFailed" + DrillFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Same(result.BaseObject, PSObject.AsPSObject(error.TargetObject).BaseObject);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
        // Every read was tried before calling it a failure.
        Assert.Equal(6, Requests.Count(r => r.Path == "/describe_index_stats"));
        Assert.Empty(DrillIndexes());
    }

    [Fact]
    public void Stats_that_lag_and_catch_up_pass_after_re_reads_said_on_Verbose()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.LagStats, Remaining = 2 });

        PsResult run = Ps.Run(Drill + "-BackupId $id -Verbose", ("id", ReadyBackup));

        Assert.Empty(run.Errors);
        Assert.True((bool)Result(run).Prop("Passed")!);
        Assert.Equal(3, Requests.Count(r => r.Path == "/describe_index_stats"));
        Assert.Equal(2, run.Verbose.Count(v => v.Contains("may lag: reading again in 0.1 s", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_count_the_backup_does_not_report_is_not_compared_and_Verbose_says_so()
    {
        EmulatedBackup backup = Emulator.State.FindBackup(ReadyBackup)!;
        backup.BackupId = "no-counts";
        backup.RecordCount = null;
        backup.NamespaceCount = null;
        Emulator.State.AddBackup(backup);

        PsResult run = Ps.Run(Drill + "-BackupId no-counts -Verbose");

        PSObject result = Result(run);
        Assert.True((bool)result.Prop("Passed")!);
        Assert.Null(result.Prop("ExpectedRecordCount"));
        Assert.Equal(120_000L, result.Prop("RestoredRecordCount"));
        Assert.Contains("The backup reports no record count: it is not compared.", run.Verbose);
        Assert.Contains("The backup reports no namespace count: it is not compared.", run.Verbose);
        Assert.DoesNotContain(run.Verbose, v => v.Contains("no dimension"));
    }

    [Theory]
    [InlineData("Failed", "RestoreJobFailed", ErrorCategory.InvalidResult)]
    [InlineData("Cancelled", "RestoreJobCancelled", ErrorCategory.OperationStopped)]
    public void A_restore_that_does_not_complete_is_its_own_error_and_the_index_is_deleted(string status, string errorId, ErrorCategory category)
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.FailRestore, FinalStatus = status });

        PsResult run = Ps.Run(Drill + "-BackupId $id", ("id", ReadyBackup));

        PSObject result = Result(run);
        Assert.False((bool)result.Prop("Passed")!);
        Assert.Null(result.Prop("RestoredRecordCount"));
        Assert.True((bool)result.Prop("IndexDeleted")!);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal(errorId + DrillFqid, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Same(result.BaseObject, PSObject.AsPSObject(error.TargetObject).BaseObject);
        Assert.Contains($"ended {status}", error.Exception.Message);
        Assert.DoesNotContain(Requests, r => r.Path == "/describe_index_stats");
        Assert.Empty(DrillIndexes());
    }

    [Fact]
    public void A_timeout_ends_the_drill_with_BackupTestFailed_and_deletes_the_index()
    {
        Emulator.State.RestoreCompleteAfter = TimeSpan.FromDays(1);

        PsResult run = Ps.Run(Drill + "-BackupId $id -Timeout 1", ("id", ReadyBackup));

        PSObject result = Result(run);
        Assert.False((bool)result.Prop("Passed")!);
        Assert.True((bool)result.Prop("IndexDeleted")!);
        Assert.Contains("-Timeout of 1 s passed waiting for restore job", (string)result.Prop("Failure")!);
        Assert.Contains("last seen Pending", (string)result.Prop("Failure")!);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("BackupTestFailed" + DrillFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Empty(DrillIndexes());
    }

    [Fact]
    public void Ctrl_C_during_the_wait_deletes_the_scratch_index_before_the_command_ends()
    {
        Emulator.State.RestoreCompleteAfter = TimeSpan.FromDays(1);
        using PowerShell ps = Ps.CreatePowerShell(Drill + "-BackupId $id", ("id", ReadyBackup));
        IAsyncResult invocation = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => Requests.Count(r => r.Path.StartsWith("/restore-jobs/", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(10)), "the restore job was polled");
        Assert.Single(DrillIndexes());

        var stopwatch = Stopwatch.StartNew();
        ps.Stop();
        stopwatch.Stop();

        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Stop took {stopwatch.Elapsed}");
        Assert.Empty(DrillIndexes());
        Assert.Equal("DELETE", Requests[^1].Method);
        Assert.Empty(ps.Streams.Error);
    }

    [Fact]
    public void WhatIf_says_what_would_be_created_and_deleted_and_sends_no_POST_or_DELETE()
    {
        PsResult run = Ps.Run(Drill + "-BackupId $id -WhatIf", ("id", ReadyBackup));

        Assert.Empty(run.Output);
        Assert.Empty(run.Errors);
        Assert.Equal(new[] { $"GET /backups/{ReadyBackup}" }, Calls(Requests));
        Assert.Empty(DrillIndexes());

        // What the user reads: the index that would be created, and that it would be deleted.
        var console = new StringWriter();
        using Runspace runspace = RunspaceFactory.CreateRunspace(new TextHost(console, plainText: true), InitialSessionState.CreateDefault2());
        runspace.Open();
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("Import-Module $args[0]; Test-PineconeBackup -BackupId $args[1] -ApiKey $args[2] -ControllerHost $args[3] -ScratchIndexName drill-check -WhatIf")
            .AddArgument(Repo.Manifest).AddArgument(ReadyBackup).AddArgument(Emulator.ApiKey).AddArgument(Emulator.BaseUrl.ToString());
        ps.Invoke();
        string said = string.Join(" ", console.ToString().Split('\n', StringSplitOptions.TrimEntries));
        Assert.Contains($"Restore backup {ReadyBackup} (index products) into a new index, tagged restore-drill=", said);
        Assert.Contains("check its record counts, then delete it", said);
        Assert.Contains("\"drill-check\"", said);
        Assert.DoesNotContain(Requests, r => r.Method is "POST" or "DELETE");
    }

    [Fact]
    public void KeepIndex_keeps_the_scratch_index_with_its_run_tag()
    {
        PsResult run = Ps.Run(Drill + "-BackupId $id -KeepIndex -ScratchIndexName kept-drill", ("id", ReadyBackup));

        Assert.Empty(run.Errors);
        PSObject result = Result(run);
        Assert.True((bool)result.Prop("Passed")!);
        Assert.False((bool)result.Prop("IndexDeleted")!);
        Assert.Equal("kept-drill", result.Prop("ScratchIndexName"));
        EmulatedIndex kept = Emulator.State.FindIndex("kept-drill")!;
        Assert.Equal(result.Prop("RunId"), kept.Tags!["restore-drill"]);
        Assert.Equal("disabled", kept.DeletionProtection);
        Assert.DoesNotContain(Requests, r => r.Method == "DELETE");
    }

    [Theory]
    [InlineData(SampleData.InitializingBackupId, "Initializing")]
    [InlineData(SampleData.FailedBackupId, "InitializationFailed")]
    public void A_backup_not_Ready_is_BackupNotReady_and_nothing_is_created(string backupId, string status)
    {
        PsResult run = Ps.Run(Drill + "-BackupId $id", ("id", backupId));

        Assert.Empty(run.Output);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("BackupNotReady" + DrillFqid, error.FullyQualifiedErrorId);
        Assert.Contains($"is {status}, not Ready", error.Exception.Message);
        Assert.Equal(backupId, error.TargetObject.Prop("BackupId"));
        Assert.Equal(new[] { $"GET /backups/{backupId}" }, Calls(Requests));
    }

    [Fact]
    public void A_taken_scratch_name_is_ALREADY_EXISTS_and_deletes_nothing()
    {
        PsResult run = Ps.Run(Drill + "-BackupId $id -ScratchIndexName scratch", ("id", ReadyBackup));

        Assert.Empty(run.Output);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("ALREADY_EXISTS" + DrillFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.DoesNotContain(Requests, r => r.Method == "DELETE");
        Assert.NotNull(Emulator.State.FindIndex("scratch"));
    }

    [Fact]
    public void An_index_the_drill_did_not_create_is_never_deleted()
    {
        // create-index answers 503 (not sent again), and an index of that name exists without this run's tag.
        Emulator.State.AddIndex(new EmulatedIndex { Name = "someone-elses", Tags = new() { ["restore-drill"] = "an-earlier-run" } });
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Method = "POST", PathPrefix = "/backups/" });

        PsResult run = Ps.Run(Drill + "-BackupId $id -ScratchIndexName someone-elses", ("id", ReadyBackup));

        PSObject result = Result(run);
        Assert.False((bool)result.Prop("Passed")!);
        Assert.False((bool)result.Prop("IndexDeleted")!);
        Assert.Contains("not this drill's, and was not deleted", (string)result.Prop("Failure")!);
        Assert.Equal("BackupTestFailed" + DrillFqid, Assert.Single(run.Errors).FullyQualifiedErrorId);
        Assert.Single(Requests, r => r.Method == "POST");
        Assert.DoesNotContain(Requests, r => r.Method == "DELETE");
        Assert.NotNull(Emulator.State.FindIndex("someone-elses"));
    }

    [Fact]
    public void A_create_index_whose_answer_was_lost_is_not_sent_again_but_its_index_is_found_by_tag_and_deleted()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.CutBody, Method = "POST", PathPrefix = "/backups/" });

        PsResult run = Ps.Run(Drill + "-BackupId $id", ("id", ReadyBackup));

        PSObject result = Result(run);
        Assert.False((bool)result.Prop("Passed")!);
        Assert.Null(result.Prop("RestoreJobId"));
        Assert.True((bool)result.Prop("IndexDeleted")!);
        Assert.Contains("not sent twice", (string)result.Prop("Failure")!);
        Assert.Equal("BackupTestFailed" + DrillFqid, Assert.Single(run.Errors).FullyQualifiedErrorId);
        Assert.Single(Requests, r => r.Method == "POST");
        Assert.Single(Requests, r => r.Method == "DELETE");
        Assert.Empty(DrillIndexes());
    }

    [Fact]
    public void A_delete_that_fails_once_is_retried_and_the_drill_passes()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Method = "DELETE" });

        PsResult run = Ps.Run(Drill + "-BackupId $id", ("id", ReadyBackup));

        Assert.Empty(run.Errors);
        Assert.True((bool)Result(run).Prop("IndexDeleted")!);
        Assert.Equal(2, Requests.Count(r => r.Method == "DELETE"));
        Assert.Empty(DrillIndexes());
    }

    [Fact]
    public void Stats_answered_503_are_read_again_like_a_GET_and_the_drill_passes()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, PathPrefix = "/describe_index_stats" });

        PsResult run = Ps.Run(Drill + "-BackupId $id", ("id", ReadyBackup));

        Assert.Empty(run.Errors);
        Assert.True((bool)Result(run).Prop("Passed")!);
        Assert.Equal(new[] { 503, 200 }, Requests.Where(r => r.Path == "/describe_index_stats").Select(r => r.StatusCode));
    }

    [Fact]
    public void A_data_plane_rpcStatus_error_keeps_its_code_inside_BackupTestFailed_and_the_index_is_deleted()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 403, ErrorCode = "PERMISSION_DENIED", Message = "No data access", PathPrefix = "/describe_index_stats" });

        PsResult run = Ps.Run(Drill + "-BackupId $id", ("id", ReadyBackup));

        PSObject result = Result(run);
        Assert.False((bool)result.Prop("Passed")!);
        Assert.True((bool)result.Prop("IndexDeleted")!);
        ErrorRecord error = Assert.Single(run.Errors);
        Assert.Equal("BackupTestFailed" + DrillFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Exception api = error.Exception.InnerException!;
        Assert.Equal("PineconeRestore.PineconeApiException", api.GetType().FullName);
        Assert.Equal("PERMISSION_DENIED", api.Prop("ErrorCode"));
        Assert.Equal("No data access", api.Prop("ApiMessage"));
        Assert.Empty(DrillIndexes());
    }

    [Fact]
    public void IndexName_drills_the_newest_Ready_backup_of_that_index()
    {
        // products' newest backup is Initializing: the Ready one before it is drilled.
        PsResult run = Ps.Run(Drill + "-IndexName products");

        Assert.Empty(run.Errors);
        Assert.Equal(ReadyBackup, Result(run).Prop("BackupId"));
        Assert.Equal("GET /indexes/products/backups", Calls(Requests)[0]);
    }

    [Fact]
    public void Several_backups_piped_in_are_drilled_one_after_another()
    {
        const string docs = "c52d8f3a-9e4b-4a6f-b7c2-3d0e1f8a4b12";
        PsResult run = Ps.Run("$ids | ForEach-Object { [pscustomobject]@{ BackupId = $_ } } | " + Drill, ("ids", new[] { ReadyBackup, docs }));

        Assert.Empty(run.Errors);
        Assert.Equal(new[] { ReadyBackup, docs }, run.Output.Select(o => o.Prop("BackupId")));
        Assert.All(run.Output, o => Assert.True((bool)o.Prop("Passed")!));
        IReadOnlyList<string> calls = Calls(Requests);
        int firstDelete = calls.ToList().FindIndex(c => c.StartsWith("DELETE ", StringComparison.Ordinal));
        int secondCreate = calls.ToList().FindIndex(c => c == $"POST /backups/{docs}/create-index");
        Assert.True(firstDelete >= 0 && firstDelete < secondCreate, string.Join("\n", calls));
        Assert.Empty(DrillIndexes());
    }

    [Theory]
    [InlineData("-ScratchIndexName Bad_Name")]
    [InlineData("-ScratchIndexName ('a' * 46)")]
    [InlineData("-IndexName -products")]
    public void Bad_names_fail_before_any_request(string arguments)
    {
        PsResult run = Ps.Run("Test-PineconeBackup " + (arguments.StartsWith("-IndexName", StringComparison.Ordinal) ? arguments : "-BackupId x " + arguments));

        Assert.NotNull(run.Terminating);
        Assert.StartsWith("ParameterArgumentValidationError", run.Terminating!.FullyQualifiedErrorId);
        Assert.Empty(Requests);
    }

    [Fact]
    public void A_long_source_name_is_shortened_so_the_scratch_name_fits_45_characters()
    {
        string source = new string('x', 30) + "-long-name";
        Emulator.State.AddIndex(new EmulatedIndex { Name = source, Namespaces = new() { [""] = 10 } });
        EmulatedBackup backup = Emulator.State.FindBackup(ReadyBackup)!;
        backup.BackupId = "long";
        backup.SourceIndexName = source;
        Emulator.State.AddBackup(backup);

        PsResult run = Ps.Run(Drill + "-BackupId long -KeepIndex");

        string name = (string)Result(run).Prop("ScratchIndexName")!;
        Assert.Equal(45, name.Length);
        Assert.Matches(@"^x{24}-drill-\d{14}$", name);
    }
}
