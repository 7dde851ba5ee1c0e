using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// Transport failures as the pipeline sees them: a lost answer is about one id, and the rows offset pagination
/// repeats are skipped with a word on the Verbose stream.
/// </summary>
public sealed class TransportFailureTests : EmulatorTestBase
{
    protected override int? ConnectWithMaxRetries => 1;

    private string[] Ids(int count) => Emulator.State.RestoreJobs.Take(count).Select(j => j.RestoreJobId).ToArray();

    [Fact]
    public void A_connection_lost_after_the_request_reached_the_server_is_an_error_for_that_id_and_the_next_id_runs()
    {
        string[] ids = Ids(4);
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.DropConnection, PathPrefix = "/restore-jobs/" + ids[1], Remaining = -1 });

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob", ("ids", ids));

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { ids[0], ids[2], ids[3] }, result.JobIds());
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("ConnectionFailed" + CommandFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ids[1], error.TargetObject);
        Assert.Equal(2, Emulator.State.Requests.Count(r => r.Path == "/restore-jobs/" + ids[1]));
    }

    [Fact]
    public void A_row_repeated_by_the_next_page_is_written_once_and_said_on_the_Verbose_stream()
    {
        string Job(string id) => $$"""{"restore_job_id":"{{id}}","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Completed"}""";
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.CustomBody, StatusCode = 200, Remaining = 1, Body = $$$"""{"data":[{{{Job("a")}}},{{{Job("b")}}}],"pagination":{"next":"t1"}}""" });
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.CustomBody, StatusCode = 200, Remaining = 1, Body = $$$"""{"data":[{{{Job("b")}}},{{{Job("c")}}}],"pagination":{"next":"t2"}}""" });
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.CustomBody, StatusCode = 200, Remaining = 1, Body = """{"data":[],"pagination":null}""" });

        PsResult result = Ps.Run("Get-PineconeRestoreJob -PageSize 2 -Verbose");

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "a", "b", "c" }, result.JobIds());
        Assert.Contains(result.Verbose, v => v.StartsWith("Skipped 1 item(s) of page 2 already listed", StringComparison.Ordinal));
    }
}
