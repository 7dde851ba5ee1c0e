using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PineconeRestore.Emulator;
using PineconeRestore.Hosting;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>What a user sees in the console: the default table view of restore jobs.</summary>
public sealed class FormattingTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FormattingTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Restore_jobs_print_as_a_table_of_id_status_percent_index_and_dates()
    {
        await using PineconeEmulator emulator = await PineconeEmulator.StartAsync(new EmulatorOptions());
        var console = new StringWriter();
        using Runspace runspace = RunspaceFactory.CreateRunspace(new TextHost(console, plainText: true), InitialSessionState.CreateDefault2());
        runspace.Open();
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("Import-Module $args[0]; Connect-Pinecone -ApiKey $args[1] -ControllerHost $args[2]; Get-PineconeRestoreJob | Where Status -eq Completed | Out-Default")
            .AddArgument(Repo.Manifest).AddArgument(emulator.ApiKey).AddArgument(emulator.BaseUrl.ToString());

        ps.Invoke();

        Assert.False(ps.HadErrors, string.Join("\n", ps.Streams.Error));
        _output.WriteLine(console.ToString());
        string[] lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string header = Assert.Single(lines, l => l.StartsWith("RestoreJobId", StringComparison.Ordinal));
        Assert.Matches(@"^RestoreJobId\s+Status\s+Percent\s+TargetIndexName\s+Created \(UTC\)\s+Completed \(UTC\)$", header);
        foreach (EmulatedRestoreJob job in emulator.State.RestoreJobs.Where(j => j.Status == "Completed"))
        {
            string row = Assert.Single(lines, l => l.StartsWith(job.RestoreJobId, StringComparison.Ordinal));
            Assert.Contains(" Completed ", row);
            Assert.Contains(job.CompletedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm"), row);
        }

        Assert.DoesNotContain(lines, l => l.Contains("Pending"));
    }
}
