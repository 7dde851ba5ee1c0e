using ScottPlot;

namespace PineconeRestore.Benchmarks;

/// <summary>One PNG per case (two for case 3, one per unit): a horizontal bar per row at its median, a whisker from min to max.</summary>
public static class Charts
{
    public static IReadOnlyList<(string CaseId, string File)> Draw(RunResult result, string folder)
    {
        var written = new List<(string, string)>();
        foreach (var c in result.Cases)
        {
            var byUnit = c.Rows.Where(r => r.Measured).GroupBy(r => r.Unit).ToArray();
            foreach (var group in byUnit)
            {
                var file = byUnit.Length == 1 ? $"bench-case{c.Id}.png" : $"bench-case{c.Id}-{Slug(group.Key)}.png";
                var title = $"{c.Id}. {c.Title}";
                Draw(group.ToArray(), c.Rows.Where(r => !r.Measured).ToArray(), title, group.Key, Path.Combine(folder, file));
                written.Add((c.Id, file));
            }
        }
        return written;
    }

    private static void Draw(Row[] rows, Row[] missing, string title, string unit, string path)
    {
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        var palette = new ScottPlot.Palettes.Category10();
        var all = rows.Concat(missing).ToArray();
        var bars = new List<Bar>();
        for (var i = 0; i < all.Length; i++)
        {
            var r = all[i];
            var y = all.Length - 1 - i; // first row on top
            if (!r.Measured) continue;
            var label = Format(r.Median!.Value, unit) + (r.Ratio is double x && r.RatioTo != r.Short ? $"  ({x:0.00}x {r.RatioTo})" : r.RatioText is { } t ? $"  ({t})" : "");
            bars.Add(new Bar { Position = y, Value = r.Median!.Value, FillColor = palette.GetColor(i), Size = 0.6 });
            // The label goes past the whisker's end, so neither hides the other.
            var text = plot.Add.Text(label, Math.Max(r.Max!.Value, r.Median!.Value), y);
            text.LabelFontSize = 13;
            text.LabelAlignment = Alignment.MiddleLeft;
            text.OffsetX = 8;
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        // Whiskers from the fastest to the slowest run.
        for (var i = 0; i < all.Length; i++)
        {
            var r = all[i];
            if (!r.Measured || r.Samples.Count < 2) continue;
            var y = all.Length - 1 - i;
            var line = plot.Add.Line(r.Min!.Value, y, r.Max!.Value, y);
            line.LineWidth = 2;
            line.LineColor = Colors.Black;
            foreach (var x in new[] { r.Min!.Value, r.Max!.Value })
            {
                var tick = plot.Add.Line(x, y - 0.12, x, y + 0.12);
                tick.LineWidth = 2;
                tick.LineColor = Colors.Black;
            }
        }

        var positions = Enumerable.Range(0, all.Length).Select(i => (double)(all.Length - 1 - i)).ToArray();
        var labels = all.Select(r => r.Measured ? r.Short : r.Short + " (n/a)").ToArray();
        plot.Axes.Left.SetTicks(positions, labels);
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Title(Wrap(title, 70));
        plot.Axes.Title.Label.FontSize = 15;
        plot.XLabel(unit + " (bar: median; whisker: min to max)");
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        var max = rows.Max(r => Math.Max(r.Max ?? 0, r.Median ?? 0));
        plot.Axes.SetLimitsX(Math.Min(0, rows.Min(r => r.Min ?? 0)), max * 1.45); // room for the value labels
        plot.Axes.SetLimitsY(-0.6, all.Length - 0.4);
        plot.SavePng(path, 1000, 130 + 70 * all.Length);
    }

    private static string Format(double v, string unit) => unit switch
    {
        "B/job" => $"{v:N0} B",
        "MB" => $"{v:0.0} MB",
        _ => v >= 100 ? $"{v:N0} ms" : v >= 10 ? $"{v:0.0} ms" : $"{v:0.00} ms",
    };

    private static string Slug(string unit) => unit switch { "B/job" => "alloc", "MB" => "memory", _ => unit };

    private static string Wrap(string text, int width)
    {
        if (text.Length <= width) return text;
        var cut = text.LastIndexOf(' ', width);
        return cut <= 0 ? text : text.Substring(0, cut) + "\n" + text.Substring(cut + 1);
    }
}
