using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>Tab completion of -RestoreJobId through TabExpansion2, as a user's Tab key runs it.</summary>
public sealed class CompletionTests : EmulatorTestBase
{
    private List<CompletionResult> Complete(string input, params (string Name, object? Value)[] variables)
    {
        PsResult result = Ps.Run("(TabExpansion2 -inputScript $__input -cursorColumn $__input.Length).CompletionMatches", variables.Append(("__input", input)).ToArray());
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        return result.Output.Select(o => (CompletionResult)o.BaseObject).ToList();
    }

    [Theory]
    [InlineData("Get-PineconeRestoreJob -RestoreJobId 7a")]
    [InlineData("Get-PineconeRestoreJob 7A")]
    [InlineData("Wait-PineconeRestoreJob -RestoreJobId '7a")]
    [InlineData("Wait-PineconeRestoreJob -Id 7a")]
    public void Completes_the_ids_that_start_with_what_was_typed_with_index_and_status_in_the_tooltip(string input)
    {
        CompletionResult match = Assert.Single(Complete(input));

        Assert.Equal("7a3f9c2e-5b1d-4e8a-9f6c-0d2b4e6a8c01", match.CompletionText);
        Assert.Equal(CompletionResultType.ParameterValue, match.ResultType);
        Assert.Contains("products-restore", match.ToolTip);
        Assert.StartsWith("Completed", match.ToolTip);
        LoggedRequest request = Assert.Single(Emulator.State.Requests);
        Assert.Equal("/restore-jobs", request.Path);
    }

    [Fact]
    public void An_empty_word_offers_every_job_of_one_page()
    {
        List<CompletionResult> matches = Complete("Wait-PineconeRestoreJob -RestoreJobId ");

        Assert.Equal(Emulator.State.RestoreJobs.Select(j => j.RestoreJobId).Order(), matches.Select(m => m.CompletionText).Order());
        Assert.Single(Emulator.State.Requests);
    }

    [Fact]
    public void An_id_that_needs_quotes_is_completed_quoted()
    {
        Emulator.State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "odd id's", BackupId = "b", TargetIndexName = "i", TargetIndexId = "x", Status = "Pending" });

        CompletionResult match = Assert.Single(Complete("Get-PineconeRestoreJob -RestoreJobId odd"));

        Assert.Equal("'odd id''s'", match.CompletionText);
    }

    [Fact]
    public void The_key_and_controller_typed_on_the_line_are_used()
    {
        Ps.Run("Disconnect-Pinecone");

        List<CompletionResult> matches = Complete("Get-PineconeRestoreJob -ApiKey $k -ControllerHost $u -RestoreJobId 1e", ("k", Emulator.ApiKey), ("u", Emulator.BaseUrl.ToString()));

        Assert.Equal("1e8b5d7f-2a4c-4b6e-8f0a-3c5e7a9b1d02", Assert.Single(matches).CompletionText);
    }

    [Fact]
    public void Without_a_key_nothing_is_completed_and_nothing_is_sent()
    {
        Ps.Run("Disconnect-Pinecone");

        Assert.Empty(Complete("Get-PineconeRestoreJob -RestoreJobId 7a"));
        Assert.Empty(Emulator.State.Requests);
    }

    [Theory]
    [InlineData(FaultKind.Status, 401)]
    [InlineData(FaultKind.Status, 503)]
    [InlineData(FaultKind.MalformedSuccess, 200)]
    [InlineData(FaultKind.Hang, 0)]
    public void A_failing_API_completes_nothing_without_an_error_and_with_one_request(FaultKind kind, int status)
    {
        Emulator.State.AddFault(new FaultRule { Kind = kind, StatusCode = status, Remaining = -1 });

        Assert.Empty(Complete("Get-PineconeRestoreJob -RestoreJobId 7a"));
        Assert.Single(Emulator.State.Requests);
    }
}
