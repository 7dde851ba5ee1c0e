using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>Get-PineconeRestoreJob with ids: by position, by name, from the pipeline; one bad id hides nothing.</summary>
public sealed class DescribeRestoreJobTests : EmulatorTestBase
{

    private string[] Ids(int count) => Emulator.State.RestoreJobs.Take(count).Select(j => j.RestoreJobId).ToArray();

    [Fact]
    public void Describes_one_job_by_position()
    {
        EmulatedRestoreJob expected = Emulator.State.RestoreJobs[2];

        PsResult result = Ps.Run("Get-PineconeRestoreJob $id", ("id", expected.RestoreJobId));

        JobView job = Assert.Single(result.Jobs());
        Assert.Equal(expected.RestoreJobId, job.RestoreJobId);
        Assert.Equal(expected.Status, job.Status);
        Assert.Equal("/restore-jobs/" + expected.RestoreJobId, Assert.Single(Emulator.State.Requests).Path);
    }

    [Theory]
    [InlineData("Get-PineconeRestoreJob -RestoreJobId $ids")]
    [InlineData("Get-PineconeRestoreJob -Id $ids")]
    [InlineData("Get-PineconeRestoreJob -JobId $ids")]
    [InlineData("$ids | Get-PineconeRestoreJob")]
    [InlineData("$ids | ForEach-Object { [pscustomobject]@{ RestoreJobId = $_ } } | Get-PineconeRestoreJob")]
    [InlineData("$ids | ForEach-Object { [pscustomobject]@{ JobId = $_ } } | Get-PineconeRestoreJob")]
    public void Describes_several_jobs_however_the_ids_arrive(string script)
    {
        string[] ids = Ids(3);

        PsResult result = Ps.Run(script, ("ids", ids));

        Assert.Empty(result.Errors);
        Assert.Equal(ids, result.JobIds());
    }

    [Fact]
    public void List_piped_into_describe_describes_each_listed_job()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -First 4 | Get-PineconeRestoreJob");

        Assert.Equal(Ids(4), result.JobIds());
        Assert.Equal(4, Emulator.State.Requests.Count(r => r.Path.StartsWith("/restore-jobs/", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_bad_id_in_the_middle_writes_a_NOT_FOUND_error_and_the_others_still_come_out()
    {
        string[] ids = Ids(9);
        var withBadOne = ids.Take(6).Append("no-such-job").Concat(ids.Skip(6)).ToArray();

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob", ("ids", withBadOne));

        Assert.Null(result.Terminating);
        Assert.Equal(ids, result.JobIds());
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("NOT_FOUND" + CommandFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("no-such-job", error.TargetObject);
        Exception exception = error.AssertApiException();
        Assert.Equal(404, exception.Prop("StatusCode"));
        Assert.Equal("NOT_FOUND", exception.Prop("ErrorCode"));
        Assert.Equal("Restore job no-such-job not found.", exception.Prop("ApiMessage"));
        // What the user reads shows the API's own message (the TypeScript SDK loses it on a 404).
        Assert.Contains("Restore job no-such-job not found.", error.ToString());
    }

    [Fact]
    public void Errors_can_be_caught_by_their_code_in_a_script()
    {
        PsResult result = Ps.Run(@"
            try { Get-PineconeRestoreJob -RestoreJobId 'missing' -ErrorAction Stop }
            catch [PineconeRestore.PineconeApiException] { $_.Exception.ErrorCode; $_.Exception.StatusCode; $_.CategoryInfo.Category.ToString() }");

        Assert.Equal(new object[] { "NOT_FOUND", 404, "ObjectNotFound" }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Theory]
    [InlineData("../indexes", "/restore-jobs/..%2Findexes")]
    [InlineData("a/b", "/restore-jobs/a%2Fb")]
    [InlineData("x?limit=1#frag", "/restore-jobs/x%3Flimit%3D1%23frag")]
    public void Ids_are_path_escaped_and_never_reach_another_endpoint(string id, string expectedPath)
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -RestoreJobId $id", ("id", id));

        LoggedRequest request = Assert.Single(Emulator.State.Requests);
        Assert.Equal(expectedPath, request.Path);
        Assert.Equal(string.Empty, request.Query);
        Assert.Equal("NOT_FOUND" + CommandFqid, Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void An_id_with_a_slash_is_found_when_such_a_job_exists()
    {
        Emulator.State.AddRestoreJob(new EmulatedRestoreJob
        {
            RestoreJobId = "a/b", BackupId = "bk", TargetIndexName = "slashy", TargetIndexId = "idx", Status = "Completed",
            CreatedAt = DateTimeOffset.Parse("2025-01-01T00:00:00Z"),
        });

        PsResult result = Ps.Run("Get-PineconeRestoreJob 'a/b'");

        Assert.Equal("slashy", Assert.Single(result.Jobs()).TargetIndexName);
    }

    [Theory]
    [InlineData("Get-PineconeRestoreJob -RestoreJobId ''")]
    [InlineData("Get-PineconeRestoreJob -RestoreJobId $null")]
    [InlineData("Get-PineconeRestoreJob -RestoreJobId 'a', ''")]
    [InlineData("Get-PineconeRestoreJob -RestoreJobId '..'")]
    [InlineData("Get-PineconeRestoreJob -RestoreJobId '.'")]
    public void An_empty_id_fails_validation_before_any_request(string script)
    {
        PsResult result = Ps.Run(script);

        Assert.StartsWith("ParameterArgumentValidationError", result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void An_empty_id_from_the_pipeline_is_refused_and_the_others_still_described()
    {
        string[] ids = Ids(2);

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob", ("ids", new[] { ids[0], "", ids[1] }));

        Assert.Equal(ids, result.JobIds());
        Assert.StartsWith("ParameterArgumentValidationError", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(2, Emulator.State.Requests.Count);
    }

    [Fact]
    public void UNAUTHENTICATED_ends_the_command_after_the_first_request()
    {
        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob -ApiKey 'wrong-key'", ("ids", Ids(3)));

        ErrorRecord record = result.TerminatingRecord;
        Assert.Equal("UNAUTHENTICATED" + CommandFqid, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, record.CategoryInfo.Category);
        Assert.Contains("Invalid API key.", record.ToString());
        Assert.Contains("PINECONE_API_KEY", record.ErrorDetails.RecommendedAction);
        Assert.Single(Emulator.State.Requests);
    }

    [Fact]
    public void A_success_with_a_broken_body_is_an_InvalidResponse_error_naming_what_was_wrong()
    {
        string[] ids = Ids(2);
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.MissingRequiredField, PathPrefix = "/restore-jobs/" + ids[0] });

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob", ("ids", ids));

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("InvalidResponse" + CommandFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("restore_job_id", error.Exception.Message);
        Assert.Equal(ids[0], error.TargetObject);
        Assert.Equal(ids[1], Assert.Single(result.Jobs()).RestoreJobId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void Throttled_describes_come_out_in_input_order_with_each_error_in_its_place(int throttleLimit)
    {
        string[] ids = Ids(10);
        // Early ids answer last: without ordering they would come out last.
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Latency, PathPrefix = "/restore-jobs/" + ids[1], LatencyMs = 300 });
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Latency, PathPrefix = "/restore-jobs/" + ids[2], LatencyMs = 150 });
        string[] input = ids.Take(6).Append("no-such-job").Concat(ids.Skip(6)).ToArray();

        PsResult result = Ps.Run(
            "$ids | Get-PineconeRestoreJob -ThrottleLimit $t 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { 'error:' + $_.TargetObject } else { $_.RestoreJobId } }",
            ("ids", input), ("t", throttleLimit));

        Assert.Null(result.Terminating);
        Assert.Equal(input.Select(i => i == "no-such-job" ? "error:no-such-job" : i), result.Output.Select(o => o.ToString()));
        Assert.Equal(11, Emulator.State.Requests.Count);
    }

    [Fact]
    public void Describes_overlap_while_an_earlier_one_hangs_and_Stop_writes_nothing_past_it()
    {
        string[] ids = Ids(4);
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Hang, PathPrefix = "/restore-jobs/" + ids[1], Remaining = -1 });
        using PowerShell ps = Ps.CreatePowerShell("$ids | Get-PineconeRestoreJob -ThrottleLimit 4", ("ids", ids));
        var output = new PSDataCollection<PSObject>();

        IAsyncResult invocation = ps.BeginInvoke<PSObject, PSObject>(null, output);
        // One after the other, ids[2] and ids[3] would wait for ids[1], which never answers.
        bool overlapped = SpinWait.SpinUntil(() => Emulator.State.Requests.Count(r => r.Path == "/restore-jobs/" + ids[3] && r.StatusCode == 200) == 1, TimeSpan.FromSeconds(10));
        Stopping.AssertStopsWithinASecond(ps, invocation);

        Assert.True(overlapped, "ids[2] and ids[3] were described while ids[1] hung");
        // ids[2] and ids[3] are in, but come after ids[1]: nothing is written out of order.
        Assert.Equal(new[] { ids[0] }, output.Select(o => (string)o.Prop("RestoreJobId")!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void First_sends_no_more_describes_than_it_writes(int throttleLimit)
    {
        string[] ids = Ids(10);

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob -First 3 -ThrottleLimit $t", ("ids", ids), ("t", throttleLimit));

        Assert.Equal(ids.Take(3), result.JobIds());
        Assert.Equal(3, Emulator.State.Requests.Count);
    }

    [Fact]
    public void First_and_Skip_count_described_jobs_and_a_failed_id_counts_for_neither()
    {
        string[] ids = Ids(6);
        string[] input = new[] { ids[0], "no-such-job" }.Concat(ids.Skip(1)).ToArray();

        PsResult result = Ps.Run("Get-PineconeRestoreJob -RestoreJobId $ids -Skip 1 -First 2", ("ids", input));

        Assert.Equal(new[] { ids[1], ids[2] }, result.JobIds());
        Assert.Equal("no-such-job", Assert.Single(result.Errors).TargetObject);
        Assert.Equal(4, Emulator.State.Requests.Count);
    }

    [Theory]
    [InlineData("-ThrottleLimit 0")]
    [InlineData("-ThrottleLimit 33")]
    public void A_bad_ThrottleLimit_fails_before_any_request(string arguments)
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -RestoreJobId 'a' " + arguments);

        Assert.StartsWith("ParameterArgumentValidationError", result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void ErrorAction_Stop_on_a_failed_id_stops_the_describes_in_flight()
    {
        string[] ids = Ids(6);

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob -ErrorAction Stop", ("ids", new[] { ids[0], "no-such-job" }.Concat(ids.Skip(1)).ToArray()));

        Assert.Equal("NOT_FOUND" + CommandFqid, result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Equal(new[] { ids[0] }, result.JobIds());
    }
}
