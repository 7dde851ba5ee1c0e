namespace PineconeRestore.Emulator;

/// <summary>How to start a <see cref="PineconeEmulator"/>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 lets the OS choose a free one.</summary>
    public int Port { get; set; } = 0;

    /// <summary>The only value of the <c>Api-Key</c> header the emulator accepts.</summary>
    public string ApiKey { get; set; } = "emulator-key";

    /// <summary>Whether to start (and <see cref="EmulatorState.Reset"/> back to) the 12 deterministic sample jobs.</summary>
    public bool SeedSampleJobs { get; set; } = true;
}
