using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PineconeRestore.Benchmarks;

/// <summary>Prints the table, writes the JSON and the charts, and regenerates docs/performance.md between its markers.</summary>
public static class Report
{
    public const string Begin = "<!-- benchmark:begin (written by tools/PineconeRestore.Benchmarks; edits inside are lost) -->";
    public const string End = "<!-- benchmark:end -->";

    public static void Write(RunResult result, Options options, Paths paths)
    {
        var outDir = options.OutputDirectory ?? (options.WriteDocs ? paths.Docs : Path.Combine(paths.Root, "out", "benchmarks-quick"));
        var images = Path.Combine(outDir, "images");
        Directory.CreateDirectory(images);

        Console.WriteLine();
        Console.WriteLine(Table(result, markdown: false));

        var json = Path.Combine(outDir, "performance.json");
        File.WriteAllText(json, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var charts = Charts.Draw(result, images);
        var md = Path.Combine(outDir, "performance.md");
        File.WriteAllText(md, Merge(File.Exists(md) ? File.ReadAllText(md) : null, Generated(result, charts, Path.GetRelativePath(outDir, images))));
        Console.WriteLine($"Wrote {md}, {json} and {charts.Count} charts in {images}" + (options.WriteDocs ? "" : " (not docs/: only a full run of every case writes there)"));
    }

    public static string Table(RunResult result, bool markdown)
    {
        var rows = new List<string[]> { new[] { "case", "what", "median", "min-max", "requests/run", "ratio" } };
        foreach (var c in result.Cases.OrderBy(c => c.Id, StringComparer.Ordinal))
            foreach (var r in c.Rows)
                rows.Add(new[]
                {
                    c.Id, markdown ? r.Label.Replace("|", "\\|") : r.Label,
                    r.Measured ? Value(r.Median!.Value, r.Unit) : "n/a",
                    r.Measured && r.Samples.Count > 1 ? $"{Number(r.Min!.Value)}-{Number(r.Max!.Value)}" : "",
                    r.RequestsPerRun is double q ? q.ToString("0.##", CultureInfo.InvariantCulture) : "",
                    r.NotAvailable ?? r.RatioText ?? (r.Ratio is double x ? $"{x:0.00}x {r.RatioTo}" : ""),
                });
        var sb = new StringBuilder();
        if (markdown)
        {
            foreach (var (row, i) in rows.Select((row, i) => (row, i)))
            {
                sb.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
                if (i == 0) sb.Append("|---|---|---:|---:|---:|---|\n");
            }
            return sb.ToString();
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
            sb.AppendLine(string.Join("  ", row.Select((cell, i) => i is 2 or 3 or 4 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
        return sb.ToString();
    }

    private static string Value(double v, string unit) => unit switch
    {
        "ms" => $"{Number(v)} ms",
        "B/job" => $"{v:N0} B/job",
        "MB" => $"{v:0.0} MB",
        _ => $"{Number(v)} {unit}",
    };

    private static string Number(double v) => v >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v >= 10 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Generated(RunResult result, IReadOnlyList<(string CaseId, string File)> charts, string imagesRelative)
    {
        var sb = new StringBuilder();
        sb.Append(Begin).Append("\n\n");
        sb.Append($"Measured {result.StartedAt:yyyy-MM-dd HH:mm} UTC{(result.Quick ? " (--quick: smaller sets, fewer runs)" : "")}, {result.TotalSeconds:0} s in all.\n\n");
        sb.Append("### Machine\n\n");
        foreach (var (k, v) in result.Machine) sb.Append($"- {k}: {v}\n");
        sb.Append("\n### Command\n\n```\n").Append(result.Command).Append("\n```\n\n");
        if (result.Settings.Count > 0)
        {
            sb.Append("### How it was run\n\n");
            foreach (var (k, v) in result.Settings) sb.Append($"- {k}: {v}\n");
            sb.Append('\n');
        }
        sb.Append("### Results\n\n");
        sb.Append(Table(result, markdown: true)).Append('\n');
        sb.Append("Setup, timed apart from every case: loading the emulator with ")
          .Append(string.Join(", ", result.SetupSeconds.Select(s => $"{s.Key} took {s.Value:0.00} s"))).Append(".\n\n");
        if (result.Clients.Count > 0)
        {
            sb.Append("What each client sent (from the emulator's request log):\n\n");
            foreach (var (k, v) in result.Clients) sb.Append($"- {k}: {v}\n");
            sb.Append('\n');
        }
        foreach (var c in result.Cases.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            sb.Append($"#### {c.Id}. {c.Title}\n\n");
            foreach (var (_, file) in charts.Where(x => x.CaseId == c.Id))
                sb.Append($"![case {c.Id}]({imagesRelative.Replace('\\', '/')}/{file})\n\n");
            foreach (var r in c.Rows.Where(r => r.Note != null)) sb.Append($"- `{r.Short}`: {r.Note}\n");
            foreach (var n in c.Notes) sb.Append($"- {n}\n");
            sb.Append('\n');
        }
        sb.Append(End);
        return sb.ToString();
    }

    /// <summary>Replaces the text between the markers, keeping the hand-written reading around it.</summary>
    private static string Merge(string? existing, string generated)
    {
        if (existing != null)
        {
            var b = existing.IndexOf(Begin, StringComparison.Ordinal);
            var e = existing.IndexOf(End, StringComparison.Ordinal);
            if (b >= 0 && e > b) return existing.Substring(0, b) + generated + existing.Substring(e + End.Length);
        }
        return "# Performance\n\n" + generated + "\n";
    }
}
