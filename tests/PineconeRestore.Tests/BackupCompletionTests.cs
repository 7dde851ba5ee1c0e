using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>Tab completion of -BackupId and -IndexName on the backup cmdlets, through TabExpansion2.</summary>
public sealed class BackupCompletionTests : EmulatorTestBase
{
    private List<CompletionResult> Complete(string input)
    {
        PsResult result = Ps.Run("(TabExpansion2 -inputScript $__input -cursorColumn $__input.Length).CompletionMatches", ("__input", input));
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        return result.Output.Select(o => (CompletionResult)o.BaseObject).ToList();
    }

    [Theory]
    [InlineData("Get-PineconeBackup -BackupId b4", SampleData.ReadyBackupId, "Ready: products-nightly-2025-05-31, of index products")]
    [InlineData("Get-PineconeBackup B4", SampleData.ReadyBackupId, "Ready")]
    [InlineData("Remove-PineconeBackup -BackupId '0e", SampleData.FailedBackupId, "InitializationFailed: of index docs-prod")]
    [InlineData("Restore-PineconeBackup -BackupId 9d", SampleData.InitializingBackupId, "Initializing: products-adhoc")]
    public void BackupId_completes_from_one_page_of_the_projects_backups(string input, string id, string toolTip)
    {
        CompletionResult match = Assert.Single(Complete(input));

        Assert.Equal(id, match.CompletionText);
        Assert.StartsWith(toolTip, match.ToolTip);
        LoggedRequest request = Assert.Single(Emulator.State.Requests);
        Assert.Equal(("/backups", "?limit=100"), (request.Path, request.Query));
    }

    [Theory]
    [InlineData("Get-PineconeBackup -IndexName doc")]
    [InlineData("New-PineconeBackup -IndexName doc")]
    [InlineData("New-PineconeBackup DOC")]
    public void IndexName_completes_from_the_projects_indexes(string input)
    {
        CompletionResult match = Assert.Single(Complete(input));

        Assert.Equal("docs-prod", match.CompletionText);
        Assert.Equal("Ready: dotproduct, 768 dimensions, gcp us-central1", match.ToolTip);
        Assert.Equal("/indexes", Assert.Single(Emulator.State.Requests).Path);
    }

    [Fact]
    public void The_new_index_name_of_a_restore_is_not_completed_from_the_API()
    {
        List<CompletionResult> matches = Complete("Restore-PineconeBackup -BackupId x -IndexName doc");

        Assert.DoesNotContain(matches, m => m.CompletionText == "docs-prod");
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void A_failing_API_completes_nothing_and_shows_no_error()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Remaining = -1 });

        Assert.Empty(Complete("Get-PineconeBackup -BackupId b4"));
        Assert.Empty(Complete("New-PineconeBackup -IndexName doc"));
    }
}
