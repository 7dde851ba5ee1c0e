namespace PineconeRestore.Emulator;

/// <summary>How to start a <see cref="PineconeEmulator"/>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 lets the OS choose a free one.</summary>
    public int Port { get; set; } = 0;

    /// <summary>The only value of the <c>Api-Key</c> header the emulator accepts.</summary>
    public string ApiKey { get; set; } = "emulator-key";

    /// <summary>Whether to start (and <see cref="EmulatorState.Reset"/> back to) the sample jobs, indexes and backups.</summary>
    public bool SeedSampleJobs { get; set; } = true;

    /// <summary>Null: the clock is paused (moves only when told). Otherwise it runs at this multiple of wall time.</summary>
    public double? ClockSpeed { get; set; }

    /// <summary>The spec's way instead of today's backend: percent_complete climbs while a timed restore runs.</summary>
    public bool ReportPercentComplete { get; set; }

    /// <summary>Clock time a backup made by POST /indexes/{name}/backups stays Initializing.</summary>
    public TimeSpan BackupReadyAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Clock time a restore made by POST /backups/{id}/create-index stays Pending (its index stays Initializing as long).</summary>
    public TimeSpan RestoreCompleteAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock time after its restore completes that a restored index turns Ready (status.ready true).</summary>
    public TimeSpan IndexReadyAfter { get; set; } = TimeSpan.Zero;

    /// <summary>Run each control-plane request on Kestrel's socket thread (UnsafePreferInlineScheduling), saving two
    /// thread hops per request. The benchmark sets it so the server's share of every client's time is small; off by
    /// default, because a handler that blocked would then stall every connection.</summary>
    public bool InlineScheduling { get; set; }

    /// <summary>Null: no limit. Otherwise creating a backup when this many exist is 403 FORBIDDEN.</summary>
    public int? BackupQuota { get; set; }
}
