using System.Text.Json.Serialization;

namespace PineconeRestore.Benchmarks;

/// <summary>One measured line of the table: samples of one client doing one thing, in one unit.</summary>
public sealed class Row
{
    public string Case { get; init; } = "";
    public string Label { get; init; } = "";
    /// <summary>Short name for the chart's axis.</summary>
    public string Short { get; init; } = "";
    public string Unit { get; init; } = "ms";
    public List<double> Samples { get; init; } = new();
    /// <summary>Why there is no figure (e.g. a parameter that does not exist yet); null when measured.</summary>
    public string? NotAvailable { get; set; }
    public double? RequestsPerRun { get; set; }
    public string? RatioTo { get; set; }
    public double? Ratio { get; set; }
    /// <summary>Shown instead of a ratio when a difference says more (memory growth).</summary>
    public string? RatioText { get; set; }
    public string? Note { get; set; }

    public double? Median => Samples.Count == 0 ? null : Stats.Median(Samples);
    public double? Min => Samples.Count == 0 ? null : Samples.Min();
    public double? Max => Samples.Count == 0 ? null : Samples.Max();

    [JsonIgnore]
    public bool Measured => NotAvailable is null && Samples.Count > 0;
}

public sealed class CaseResult
{
    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    public List<Row> Rows { get; } = new();
    public List<string> Notes { get; } = new();
}

public sealed class RunResult
{
    public DateTimeOffset StartedAt { get; init; }
    public string Command { get; init; } = "";
    public bool Quick { get; init; }
    public Dictionary<string, string> Machine { get; init; } = new();
    /// <summary>Runs, warm-up and pauses: what every client was given alike.</summary>
    public Dictionary<string, string> Settings { get; } = new();
    /// <summary>Seconds the emulator took to be loaded with each data set (timed apart from every case).</summary>
    public Dictionary<string, double> SetupSeconds { get; } = new();
    /// <summary>What each client sent, read from the emulator's request log.</summary>
    public Dictionary<string, string> Clients { get; } = new();
    public List<CaseResult> Cases { get; } = new();
    public double TotalSeconds { get; set; }
}

public static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
