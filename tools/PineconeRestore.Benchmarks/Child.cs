using System.Diagnostics;
using System.Globalization;

namespace PineconeRestore.Benchmarks;

/// <summary>What one child process printed: its "name value" lines, and its wall time as seen from outside.</summary>
public sealed class ChildOutput
{
    public Dictionary<string, List<string>> Values { get; } = new();
    public double WallMs { get; init; }
    public string Stdout { get; init; } = "";

    public IReadOnlyList<double> Numbers(string name) =>
        Values.TryGetValue(name, out var v) ? v.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray() : Array.Empty<double>();

    public double Number(string name) => Numbers(name) is { Count: > 0 } n ? n[0] : throw new InvalidOperationException($"The child printed no '{name}':\n{Stdout}");

    public string? Text(string name) => Values.TryGetValue(name, out var v) ? v[0] : null;
}

/// <summary>Starts child processes with a controlled environment and parses what bench.ps1, the raw child and node print.</summary>
public static class Child
{
    public static ChildOutput Run(string fileName, IEnumerable<string> args, IDictionary<string, string?> environment, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // Nothing of the benchmark's own tuning leaks into a child: each gets exactly what the case sets.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(key);
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment)
        {
            if (v is null) start.Environment.Remove(k); else start.Environment[k] = v;
        }

        var sw = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }
        process.WaitForExit();
        sw.Stop();
        var output = new ChildOutput { WallMs = sw.Elapsed.TotalMilliseconds, Stdout = stdout.Result };
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        Parse(stdout.Result, output);
        return output;
    }

    public static void Parse(string text, ChildOutput into)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = line.IndexOf(' ');
            if (space <= 0) continue;
            var name = line.Substring(0, space);
            if (!into.Values.TryGetValue(name, out var list)) into.Values[name] = list = new List<string>();
            list.Add(line.Substring(space + 1));
        }
    }
}
