using System.Globalization;

namespace PineconeRestore.Benchmarks;

/// <summary>Sizes and repetitions. The full run is what docs/performance.md reports; --quick is a smoke check of every case.</summary>
public sealed class Options
{
    public bool Quick { get; private set; }
    public int Runs { get; private set; } = 5;
    /// <summary>Timed runs of the cases that take well under a second a run (1 and 2): more samples, a steadier median.</summary>
    public int FastRuns { get; private set; } = 9;
    /// <summary>Untimed runs first, in the same process: enough for the JIT to have tiered up the hot code in every client.</summary>
    public int Warmup { get; private set; } = 10;
    /// <summary>A pause before every run (after the full collection), the same for every client: the JIT's background
    /// tier-up and the GC's background work then finish between runs instead of inside the next one.</summary>
    public int PauseMs { get; private set; } = 200;
    /// <summary>How long the emulator serves untimed listings before the first case, so every client meets warm server code.</summary>
    public double ServerWarmupSeconds { get; private set; } = 8;
    /// <summary>Jobs in the listing cases (1, 2, 4, 5): 100 pages of 100.</summary>
    public int ListJobs { get; private set; } = 10_000;
    public int AllocSmall { get; private set; } = 1_000;
    public int AllocLarge { get; private set; } = 100_000;
    public int DescribeIds { get; private set; } = 1_000;
    public int LatencyMs { get; private set; } = 5;
    /// <summary>Only these cases (1..5); empty = all.</summary>
    public HashSet<string> Cases { get; } = new();
    /// <summary>Where the table, JSON and charts go; the full run writes docs/, --quick writes out/benchmarks-quick/.</summary>
    public string? OutputDirectory { get; private set; }
    public bool WriteDocs { get; private set; }

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    o.Quick = true;
                    o.Runs = 2;
                    o.FastRuns = 2;
                    o.ListJobs = 2_000;
                    o.AllocSmall = 1_000;
                    o.AllocLarge = 10_000;
                    o.DescribeIds = 100;
                    o.Warmup = 2;
                    o.ServerWarmupSeconds = 1;
                    break;
                case "--runs":
                    o.Runs = o.FastRuns = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--warmup":
                    o.Warmup = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--pause-ms":
                    o.PauseMs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--cases":
                    foreach (var c in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) o.Cases.Add(c);
                    break;
                case "--out":
                    o.OutputDirectory = args[++i];
                    break;
                case "-h":
                case "--help":
                    Console.WriteLine("dotnet run -c Release --project tools/PineconeRestore.Benchmarks -- [--quick] [--runs N] [--warmup N] [--pause-ms N] [--cases 1,2,3,4,5] [--out DIR]");
                    Environment.Exit(0);
                    break;
                default:
                    throw new ArgumentException("Unknown argument " + args[i] + " (try --help).");
            }
        }
        // Only a full run of every case may replace the committed report.
        o.WriteDocs = !o.Quick && o.Cases.Count == 0 && o.OutputDirectory is null;
        return o;
    }

    public bool Includes(string id) => Cases.Count == 0 || Cases.Contains(id);
}
