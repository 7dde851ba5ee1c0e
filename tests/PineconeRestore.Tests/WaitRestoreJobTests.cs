using System.Diagnostics;
using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// Wait-PineconeRestoreJob against the emulator: one loop for many jobs, finishing order, progress, -Timeout, failed
/// and cancelled jobs, 404s, transient and fatal failures, Ctrl+C.
/// </summary>
public sealed class WaitRestoreJobTests : EmulatorTestBase
{
    private const string WaitFqid = ",PineconeRestore.Commands.WaitPineconeRestoreJobCommand";

    private JobProgression _progression = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Emulator.State.ClearRestoreJobs();
        _progression = new JobProgression(Emulator.State);
    }

    public override async Task DisposeAsync()
    {
        _progression.Dispose();
        await base.DisposeAsync();
    }

    private static EmulatedRestoreJob Job(string id, string status = "Pending", double? percent = null) => new()
    {
        RestoreJobId = id, BackupId = "bk-" + id, TargetIndexName = "index-" + id, TargetIndexId = "idx-" + id, Status = status,
        CreatedAt = DateTimeOffset.Parse("2025-06-01T11:00:00Z"), PercentComplete = percent,
    };

    /// <summary>Adds a running job that ends with <paramref name="finalStatus"/> once it has been described <paramref name="polls"/> times.</summary>
    private void Running(string id, int polls, string finalStatus = "Completed")
    {
        Emulator.State.AddRestoreJob(Job(id));
        _progression.After(id, polls, Job(id, finalStatus, finalStatus == "Completed" ? 100 : null));
    }

    private List<string> DescribedIds() => Emulator.State.Requests.Where(r => r.Path.StartsWith("/restore-jobs/", StringComparison.Ordinal)).Select(r => r.Path["/restore-jobs/".Length..]).ToList();

    [Fact]
    public void Jobs_finishing_at_different_times_come_out_in_finishing_order_from_one_loop()
    {
        Running("slow", polls: 5);
        Running("fast", polls: 2);
        Running("middle", polls: 3);

        PsResult result = Ps.Run("'slow', 'fast', 'middle' | Wait-PineconeRestoreJob -PollingIntervalSeconds 0.1");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "fast", "middle", "slow" }, result.JobIds());
        Assert.All(result.Jobs(), j => Assert.Equal("Completed", j.Status));
        // Interleaved: every job is polled before the first one finishes, not one job after another.
        Assert.Equal(new[] { "fast", "middle", "slow" }, DescribedIds().Take(3).Order());
    }

    [Fact]
    public void Get_piped_through_Where_waits_for_every_running_restore()
    {
        Running("a", polls: 2);
        Running("b", polls: 2);
        Emulator.State.AddRestoreJob(Job("done", "Completed", 100));

        PsResult result = Ps.Run("Get-PineconeRestoreJob | Where-Object Status -eq Pending | Wait-PineconeRestoreJob -PollingIntervalSeconds 0.1");

        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "a", "b" }, result.JobIds().Order());
        Assert.DoesNotContain("done", DescribedIds());
    }

    [Theory]
    [InlineData("Wait-PineconeRestoreJob -RestoreJobId 'a', 'b' -PollingIntervalSeconds 0.1")]
    [InlineData("Wait-PineconeRestoreJob 'a', 'b' -PollingIntervalSeconds 0.1")]
    [InlineData("Wait-PineconeRestoreJob -Id 'a', 'b' -PollingIntervalSeconds 0.1")]
    [InlineData("'a', 'b' | ForEach-Object { [pscustomobject]@{ JobId = $_ } } | Wait-PineconeRestoreJob -PollingIntervalSeconds 0.1")]
    [InlineData("'a', 'b', 'a' | Wait-PineconeRestoreJob -PollingIntervalSeconds 0.1")]
    public void Ids_arrive_however_a_user_gives_them_and_each_job_is_waited_for_once(string script)
    {
        Running("a", polls: 1);
        Running("b", polls: 2);

        PsResult result = Ps.Run(script);

        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "a", "b" }, result.JobIds());
    }

    [Fact]
    public void A_finished_job_is_written_after_one_describe()
    {
        Emulator.State.AddRestoreJob(Job("done", "completed", 100));

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'done'");

        Assert.Equal("completed", Assert.Single(result.Jobs()).Status);
        Assert.Single(Emulator.State.Requests);
    }

    [Fact]
    public void Progress_has_a_bar_per_job_under_a_parent_with_the_servers_percent_only_and_every_bar_completed()
    {
        Emulator.State.AddRestoreJob(Job("with-percent", "Pending", 42.2));
        _progression.After("with-percent", 2, Job("with-percent", "Completed", 100));
        Running("without", polls: 3);

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'with-percent', 'without' -PollingIntervalSeconds 0.1");

        Assert.Empty(result.Errors);
        List<ProgressRecord> progress = result.Progress;
        ProgressRecord[] processing = progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToArray();
        ProgressRecord parent = processing.First(p => p.ParentActivityId == -1);
        ProgressRecord[] children = processing.Where(p => p.ActivityId != parent.ActivityId).ToArray();
        Assert.All(children, c => Assert.Equal(parent.ActivityId, c.ParentActivityId));
        Assert.Equal(2, children.Select(c => c.ActivityId).Distinct().Count());
        Assert.Equal(-1, parent.PercentComplete);

        ProgressRecord[] withPercent = children.Where(c => c.Activity.Contains("with-percent")).ToArray();
        ProgressRecord[] without = children.Where(c => c.Activity.EndsWith("without")).ToArray();
        Assert.Contains(withPercent, c => c.PercentComplete == 42);
        Assert.All(without, c => Assert.Equal(-1, c.PercentComplete));
        Assert.Contains(without, c => c.StatusDescription.StartsWith("Pending, restoring backup bk-without into index index-without; waited ", StringComparison.Ordinal));

        // Every bar that was written has a Completed record, the parent's last.
        var completed = progress.Where(p => p.RecordType == ProgressRecordType.Completed).Select(p => p.ActivityId).ToList();
        Assert.Equal(processing.Select(p => p.ActivityId).Distinct().Order(), completed.Order());
        Assert.Equal(parent.ActivityId, completed[^1]);
    }

    [Fact]
    public void One_job_has_one_bar_and_no_parent()
    {
        Running("only", polls: 2);

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'only' -PollingIntervalSeconds 0.1");

        Assert.Single(result.Progress.Select(p => p.ActivityId).Distinct());
        Assert.All(result.Progress, p => Assert.Equal(-1, p.ParentActivityId));
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Fact]
    public void Timeout_writes_the_finished_jobs_and_a_WaitTimeout_error_for_each_unfinished_one()
    {
        Emulator.State.AddRestoreJob(Job("done", "Completed", 100));
        Emulator.State.AddRestoreJob(Job("stuck"));
        Emulator.State.AddRestoreJob(Job("stuck-too"));

        var stopwatch = Stopwatch.StartNew();
        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'stuck', 'done', 'stuck-too' -PollingIntervalSeconds 600 -Timeout 1");
        stopwatch.Stop();

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "done" }, result.JobIds());
        Assert.Equal(2, result.Errors.Count);
        ErrorRecord error = result.Errors[0];
        Assert.Equal("WaitTimeout" + WaitFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Equal("stuck", JobView.From(PSObject.AsPSObject(error.TargetObject)).RestoreJobId);
        Assert.Equal("The restore job stuck did not finish within the 1 s of -Timeout: its status was last Pending.", error.ToString());
        Assert.Contains("-Timeout", error.ErrorDetails.RecommendedAction);
        Assert.Equal("stuck-too", JobView.From(PSObject.AsPSObject(result.Errors[1].TargetObject)).RestoreJobId);
        // The 600 s sleep was cut short: the timeout is a maximum. (A liveness bound, not a measurement.)
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
        Assert.All(result.Progress.GroupBy(p => p.ActivityId), bar => Assert.Equal(ProgressRecordType.Completed, bar.Last().RecordType));
    }

    [Fact]
    public void Timeout_cuts_a_hanging_poll_short_and_the_error_targets_the_id()
    {
        Emulator.State.AddRestoreJob(Job("hangs"));
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Hang, PathPrefix = "/restore-jobs/hangs", Remaining = -1 });

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'hangs' -Timeout 1");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("WaitTimeout" + WaitFqid, error.FullyQualifiedErrorId);
        Assert.Equal("hangs", error.TargetObject);
        Assert.Contains("no poll of it came back", error.ToString());
    }

    [Fact]
    public void Timeout_cuts_a_Retry_After_wait_short()
    {
        Ps.Connect(Emulator, maxRetries: 3);
        Emulator.State.AddRestoreJob(Job("busy"));
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "60", PathPrefix = "/restore-jobs/busy", Remaining = -1 });

        var stopwatch = Stopwatch.StartNew();
        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'busy' -Timeout 1");
        stopwatch.Stop();

        Assert.Equal("WaitTimeout" + WaitFqid, Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Single(Emulator.State.Requests);
        // Liveness bound, not a measurement: the 60 s Retry-After would otherwise hold the command.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void A_Failed_job_is_written_and_is_a_RestoreJobFailed_error_that_ErrorAction_Stop_stops_on()
    {
        Running("fails", polls: 2, finalStatus: "Failed");

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'fails' -PollingIntervalSeconds 0.1");

        Assert.Equal("Failed", Assert.Single(result.Jobs()).Status);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("RestoreJobFailed" + WaitFqid, error.FullyQualifiedErrorId);
        Assert.Equal("fails", JobView.From(PSObject.AsPSObject(error.TargetObject)).RestoreJobId);
        Assert.Contains("Restore-PineconeBackup", error.ErrorDetails.RecommendedAction);
        Assert.Equal("PineconeRestore.PineconeOperationFailedException", error.Exception.GetType().FullName);
        Assert.Equal("Failed", error.Exception.Prop("Status"));

        Emulator.State.AddRestoreJob(Job("fails", "Failed"));
        PsResult stopped = Ps.Run("Wait-PineconeRestoreJob 'fails' -ErrorAction Stop; 'after'");
        Assert.Equal("RestoreJobFailed" + WaitFqid, stopped.TerminatingRecord.FullyQualifiedErrorId);
        Assert.DoesNotContain(stopped.Output, o => "after".Equals(o.BaseObject));
        Assert.All(stopped.Progress.GroupBy(p => p.ActivityId), bar => Assert.Equal(ProgressRecordType.Completed, bar.Last().RecordType));
    }

    [Theory]
    [InlineData("Cancelled")]
    [InlineData("canceled")]
    public void A_Cancelled_job_is_written_and_is_a_RestoreJobCancelled_error(string status)
    {
        Running("c", polls: 1, finalStatus: status);

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'c' -PollingIntervalSeconds 0.1");

        Assert.Equal(status, Assert.Single(result.Jobs()).Status);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("RestoreJobCancelled" + WaitFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationStopped, error.CategoryInfo.Category);
        Assert.NotNull(error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void An_id_never_seen_is_a_NOT_FOUND_error_and_the_other_jobs_are_still_waited_for()
    {
        Running("real", polls: 2);

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'no-such-job', 'real' -PollingIntervalSeconds 0.1");

        Assert.Equal(new[] { "real" }, result.JobIds());
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("NOT_FOUND" + WaitFqid, error.FullyQualifiedErrorId);
        Assert.Equal("no-such-job", error.TargetObject);
        Assert.Single(DescribedIds(), "no-such-job");
    }

    [Fact]
    public void A_transient_404_for_a_piped_job_is_survived_and_said_on_the_Verbose_stream()
    {
        Running("blip", polls: 3);
        // The Get's describe goes through; the wait's first poll gets a 404, as during a store outage.
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 404, ErrorCode = "NOT_FOUND", PathPrefix = "/restore-jobs/blip", SkipFirst = 1, Remaining = 1 });

        PsResult result = Ps.Run("Get-PineconeRestoreJob 'blip' | Wait-PineconeRestoreJob -PollingIntervalSeconds 0.1 -Verbose");

        Assert.Empty(result.Errors);
        Assert.Equal("Completed", Assert.Single(result.Jobs()).Status);
        Assert.Contains(result.Verbose, v => v.StartsWith("Restore job blip answered 404 NOT_FOUND, but it was seen before", StringComparison.Ordinal) && v.EndsWith("(1 of 3).", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_seen_and_then_gone_is_a_NOT_FOUND_error_after_a_few_more_polls()
    {
        Emulator.State.AddRestoreJob(Job("vanishes"));
        // The first poll sees it; every later one is a 404. A fault, not a removal racing the first poll's answer.
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 404, ErrorCode = "NOT_FOUND", PathPrefix = "/restore-jobs/vanishes", SkipFirst = 1, Remaining = -1 });

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'vanishes' -PollingIntervalSeconds 0.1 -Verbose");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("NOT_FOUND" + WaitFqid, error.FullyQualifiedErrorId);
        Assert.Equal("vanishes", JobView.From(PSObject.AsPSObject(error.TargetObject)).RestoreJobId);
        Assert.Contains("was seen earlier", error.ErrorDetails.Message);
        Assert.Equal(3, result.Verbose.Count(v => v.Contains("seen before")));
        Assert.Equal(5, DescribedIds().Count);
    }

    [Fact]
    public void A_transient_failure_is_said_on_the_Verbose_stream_and_polled_again_at_the_next_interval()
    {
        Ps.Connect(Emulator, maxRetries: 0);
        Running("t", polls: 3);
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, PathPrefix = "/restore-jobs/t", SkipFirst = 1, Remaining = 1 });

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 't' -PollingIntervalSeconds 0.1 -Verbose");

        Assert.Empty(result.Errors);
        Assert.Equal("Completed", Assert.Single(result.Jobs()).Status);
        Assert.Contains(result.Verbose, v => v.StartsWith("Polling restore job t failed, trying again in 0.1 s: ", StringComparison.Ordinal) && v.Contains("UNAVAILABLE"));
    }

    [Theory]
    [InlineData("UNAUTHENTICATED")]
    [InlineData("PERMISSION_DENIED")]
    public void A_fatal_answer_ends_the_command_and_completes_every_bar(string code)
    {
        Emulator.State.AddRestoreJob(Job("a"));
        Emulator.State.AddRestoreJob(Job("b"));
        string apiKey = Emulator.ApiKey;
        if (code == "UNAUTHENTICATED")
        {
            apiKey = "wrong-key";
        }
        else
        {
            Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 403, ErrorCode = code, Remaining = -1 });
        }

        PsResult result = Ps.Run("Wait-PineconeRestoreJob 'a', 'b' -ApiKey $k -PollingIntervalSeconds 0.1", ("k", apiKey));

        Assert.Equal(code + WaitFqid, result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.True(Emulator.State.Requests.Count <= 2, "no poll after the first 401s");
        Assert.All(result.Progress.GroupBy(p => p.ActivityId), bar => Assert.Equal(ProgressRecordType.Completed, bar.Last().RecordType));
    }

    [Theory]
    [InlineData("-PollingIntervalSeconds 0.05")]
    [InlineData("-PollingIntervalSeconds 0")]
    [InlineData("-Timeout 0")]
    [InlineData("-Timeout -1")]
    [InlineData("-RestoreJobId ''")]
    [InlineData("-RestoreJobId '..'")]
    public void Bad_arguments_fail_before_any_request(string arguments)
    {
        PsResult result = Ps.Run("Wait-PineconeRestoreJob " + (arguments.StartsWith("-RestoreJobId") ? arguments : "-RestoreJobId 'a' " + arguments));

        Assert.StartsWith("ParameterArgumentValidationError", result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Empty(Emulator.State.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Stop_ends_the_wait_within_a_second_during_a_sleep_or_a_hanging_poll(bool hang)
    {
        Emulator.State.AddRestoreJob(Job("long"));
        if (hang)
        {
            Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Hang, PathPrefix = "/restore-jobs/long", Remaining = -1 });
        }

        using PowerShell ps = Ps.CreatePowerShell("Wait-PineconeRestoreJob 'long' -PollingIntervalSeconds 600");
        IAsyncResult invocation = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => Emulator.State.Requests.Count > 0, TimeSpan.FromSeconds(10)), "the first poll was sent");
        Thread.Sleep(200);

        Stopping.AssertStopsWithinASecond(ps, invocation);
        Assert.Single(Emulator.State.Requests);
    }
}
