using PineconeRestore.Emulator;

namespace PineconeRestore.Tests.Infrastructure;

/// <summary>
/// A test class's own emulator (sample jobs, fresh request log) and a PowerShell session with the staged module,
/// new for every test so that faults and logs never leak between tests.
/// </summary>
public abstract class EmulatorTestBase : IAsyncLifetime
{
    /// <summary>What follows the error id in a FullyQualifiedErrorId written by Get-PineconeRestoreJob.</summary>
    protected const string CommandFqid = ",PineconeRestore.Commands.GetPineconeRestoreJobCommand";

    protected PineconeEmulator Emulator { get; private set; } = null!;

    protected PsSession Ps { get; private set; } = null!;

    /// <summary>The key the emulator accepts; override for a test class that needs a particular one.</summary>
    protected virtual EmulatorOptions Options => new();

    /// <summary>Retries for the session's Connect-Pinecone; null leaves the session unconnected.</summary>
    protected virtual int? ConnectWithMaxRetries => 3;

    public virtual async Task InitializeAsync()
    {
        Emulator = await PineconeEmulator.StartAsync(Options);
        Ps = new PsSession();
        if (ConnectWithMaxRetries is int retries)
        {
            Ps.Connect(Emulator, maxRetries: retries);
        }
    }

    public virtual async Task DisposeAsync()
    {
        Ps.Dispose();
        await Emulator.DisposeAsync();
    }
}
