using System.Management.Automation;
using System.Text.RegularExpressions;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// Answers that arrive in part, and ids that cannot be sent: a cut page is asked for again whole and never written
/// in part; one id's problem is that id's error; a 403 on one id does not end the pipeline.
/// </summary>
public sealed class PartialAnswerTests : EmulatorTestBase
{
    private const int JobCount = 250;

    protected override EmulatorOptions Options => new() { SeedSampleJobs = false };

    protected override int? ConnectWithMaxRetries => null;

    private string[] Ids => Emulator.State.RestoreJobs.Select(j => j.RestoreJobId).ToArray();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        for (int i = 0; i < JobCount; i++)
        {
            Emulator.State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = $"job-{i:D4}", BackupId = "b", TargetIndexName = "i", TargetIndexId = "x", Status = "Completed" });
        }
    }

    /// <summary>Page 2 (of 100 jobs each) is cut after its headers and half its body, <paramref name="times"/> times.</summary>
    private void CutPageTwo(int times) =>
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.CutBody, PathPrefix = "/restore-jobs", SkipFirst = 1, Remaining = times });

    private static long BytesBeforeTheCut(string text) =>
        long.Parse(Regex.Match(text, @"cut off after (\d+) bytes").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_page_cut_off_mid_body_is_requested_again_whole_and_written_once()
    {
        Ps.Connect(Emulator, maxRetries: 3);
        CutPageTwo(times: 1);

        PsResult result = Ps.Run("Get-PineconeRestoreJob -Verbose");

        Assert.Null(result.Terminating);
        Assert.Equal(Ids, result.JobIds());
        List<LoggedRequest> log = Emulator.State.Requests.ToList();
        Assert.Equal(FaultKind.CutBody, log[1].Fault);
        Assert.Equal(0, log[1].StatusCode); // the connection was aborted mid-body
        Assert.Equal(log[1].Query, log[2].Query); // the same page asked again, from its start
        Assert.Null(log[2].Fault);
        Assert.Equal(200, log[2].StatusCode);
        Assert.True(BytesBeforeTheCut(Assert.Single(result.Verbose, v => v.StartsWith("Retry 1", StringComparison.Ordinal))) > 0, "part of the body had arrived");
    }

    [Fact]
    public void A_page_cut_off_on_every_attempt_ends_the_list_after_the_whole_pages_before_it()
    {
        Ps.Connect(Emulator, maxRetries: 1);
        CutPageTwo(times: -1);

        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        // Page 1 whole, nothing of page 2, although half of it arrived twice.
        Assert.Equal(Ids.Take(100), result.JobIds());
        ErrorRecord error = result.TerminatingRecord;
        Assert.Equal("ConnectionFailed" + CommandFqid, error.FullyQualifiedErrorId);
        Assert.True(BytesBeforeTheCut(error.Exception.Message) > 0, error.Exception.Message);
        Assert.Equal(3, Emulator.State.Requests.Count);
    }

    [Fact]
    public void An_id_too_long_for_any_URL_is_an_error_for_that_id_and_the_next_id_runs()
    {
        Ps.Connect(Emulator);
        string tooLong = new('x', 9000); // past the 8 KB request lines servers and proxies accept

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob", ("ids", new[] { Ids[0], tooLong, Ids[1] }));

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { Ids[0], Ids[1] }, result.JobIds());
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("InvalidArgument" + CommandFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Same(tooLong, error.TargetObject);
        Assert.Contains("9,0", error.Exception.Message); // how long it would have been
        Assert.Equal(2, Emulator.State.Requests.Count);
    }

    [Fact]
    public void A_pagination_token_too_long_for_any_URL_ends_the_list_before_any_request()
    {
        Ps.Connect(Emulator);

        PsResult result = Ps.Run("Get-PineconeRestoreJob -PaginationToken $t", ("t", new string('t', 9000)));

        Assert.Equal("InvalidArgument" + CommandFqid, result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Empty(Emulator.State.Requests);
    }

    [Theory]
    [InlineData("PERMISSION_DENIED")]
    [InlineData("FORBIDDEN")]
    public void A_403_for_one_id_is_that_ids_error_and_the_next_ids_run(string code)
    {
        // Pinecone's 403s are about one resource or one request (deletion protection, a quota), and a proxy's 403 can
        // be about one URL: nothing proves the next id would fail too.
        Ps.Connect(Emulator);
        string[] ids = Ids.Take(4).ToArray();
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 403, ErrorCode = code, PathPrefix = "/restore-jobs/" + ids[1], Remaining = -1 });

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob", ("ids", ids));

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { ids[0], ids[2], ids[3] }, result.JobIds());
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(code + CommandFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Equal(ids[1], error.TargetObject);
    }
}
