using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PineconeRestore.Benchmarks;

/// <summary>
/// The baseline a .NET user would write by hand: HttpClient + System.Text.Json deserialising each page into plain records.
/// Runs in its own process (the program re-invoked with --raw-child), times itself and prints "name value" lines like bench.ps1.
/// </summary>
public static class RawChild
{
    public sealed record Job(
        [property: JsonPropertyName("restore_job_id")] string RestoreJobId,
        [property: JsonPropertyName("backup_id")] string BackupId,
        [property: JsonPropertyName("target_index_name")] string TargetIndexName,
        [property: JsonPropertyName("target_index_id")] string TargetIndexId,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
        [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
        [property: JsonPropertyName("percent_complete")] double? PercentComplete);

    public sealed record Pagination([property: JsonPropertyName("next")] string? Next);

    public sealed record Page(
        [property: JsonPropertyName("data")] List<Job> Data,
        [property: JsonPropertyName("pagination")] Pagination? Pagination);

    /// <summary>args: mode runs warmup expected [idsFile]; PINECONE_CONTROLLER_HOST / PINECONE_API_KEY from the environment.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args[0];
        var runs = int.Parse(args[1], CultureInfo.InvariantCulture);
        var warmup = int.Parse(args[2], CultureInfo.InvariantCulture);
        var expected = int.Parse(args[3], CultureInfo.InvariantCulture);
        var host = new Uri(Environment.GetEnvironmentVariable("PINECONE_CONTROLLER_HOST")!);
        using var http = new HttpClient { BaseAddress = host };
        http.DefaultRequestHeaders.Add("Api-Key", Environment.GetEnvironmentVariable("PINECONE_API_KEY"));
        http.DefaultRequestHeaders.Add("X-Pinecone-API-Version", "2025-04");

        switch (mode)
        {
            case "list":
                await TimeAsync(runs, warmup, async _ =>
                {
                    var jobs = await ListAsync(http, 100, int.MaxValue);
                    Check(jobs.Count == expected, $"Listed {jobs.Count} jobs, expected {expected}.");
                });
                break;
            case "bytes":
                // The floor: the same pages over the same HTTP, read to the end and never parsed (the token is found
                // with a plain search), so what is left above it in the other rows is the client's own work.
                await TimeAsync(runs, warmup, async _ =>
                {
                    var pages = await ReadPagesAsync(http);
                    // Offset pagination (NOTES.md): a last page exactly 100 long still carries a token, and an empty page follows.
                    int expectedPages = expected / 100 + 1;
                    Check(pages == expectedPages, $"Read {pages} pages, expected {expectedPages}.");
                });
                break;
            case "page1":
            case "page100":
                var limit = mode == "page1" ? 1 : 100;
                await TimeAsync(runs, warmup, async _ =>
                {
                    var jobs = await ListAsync(http, limit, 1);
                    Check(jobs.Count == limit, $"Got {jobs.Count} jobs, expected {limit}.");
                });
                break;
            case "alloc":
            {
                // Same shape as bench.ps1's alloc: a small warm-up listing, then one whole listing measured.
                await ListAsync(http, 100, 2);
                Collect();
                var before = GC.GetTotalAllocatedBytes(true);
                var count = await CountAsync(http);
                var after = GC.GetTotalAllocatedBytes(true);
                Check(count == expected, $"Listed {count} jobs, expected {expected}.");
                Print("alloc", after - before);
                Print("peakws", Process.GetCurrentProcess().PeakWorkingSet64);
                break;
            }
            case "describe":
            {
                var ids = File.ReadAllLines(args[4]);
                // The warm-up describes a few ids only, as bench.ps1's does.
                await TimeAsync(runs, warmup, async warm =>
                {
                    var these = warm ? ids.Take(50).ToArray() : ids;
                    var jobs = new List<Job>(these.Length);
                    foreach (var id in these)
                        jobs.Add((await http.GetFromJsonAsync<Job>("restore-jobs/" + Uri.EscapeDataString(id)))!);
                    Check(jobs.Count == these.Length && jobs[^1].RestoreJobId == these[^1], "Describes went wrong.");
                });
                break;
            }
            default:
                throw new ArgumentException("Unknown raw mode " + mode);
        }
        return 0;
    }

    /// <summary>Warm-up runs, then the measured ones, each after a full collection, printed as "warm ms" and "run ms".</summary>
    private static async Task TimeAsync(int runs, int warmup, Func<bool, Task> body)
    {
        var pause = int.TryParse(Environment.GetEnvironmentVariable(Bench.PauseVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        for (var i = 0; i < warmup + runs; i++)
        {
            Collect();
            if (pause > 0) Thread.Sleep(pause);
            var sw = Stopwatch.StartNew();
            await body(i < warmup);
            sw.Stop();
            Print(i >= warmup ? "run" : "warm", sw.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Follows pagination.next, keeping every job (like `$jobs = Get-PineconeRestoreJob`), up to maxPages.</summary>
    private static async Task<List<Job>> ListAsync(HttpClient http, int limit, int maxPages)
    {
        var all = new List<Job>();
        string? token = null;
        for (var pages = 0; pages < maxPages; pages++)
        {
            var page = (await http.GetFromJsonAsync<Page>(PageUrl(limit, token)))!;
            all.AddRange(page.Data);
            token = page.Pagination?.Next;
            if (string.IsNullOrEmpty(token)) break;
        }
        return all;
    }

    internal static async Task<int> ReadPagesAsync(HttpClient http)
    {
        var pages = 0;
        string? token = null;
        do
        {
            var body = await http.GetByteArrayAsync(PageUrl(100, token));
            pages++;
            token = NextToken(body);
        } while (token != null);
        return pages;
    }

    /// <summary>pagination.next without parsing the page: the last "next":"..." in the body (tokens need no escaping).</summary>
    private static string? NextToken(byte[] body)
    {
        var marker = "\"next\":"u8;
        var at = body.AsSpan().LastIndexOf(marker);
        if (at < 0) return null;
        var rest = body.AsSpan(at + marker.Length).TrimStart(" "u8);
        if (rest.Length == 0 || rest[0] != (byte)'"') return null; // null or absent
        var end = rest.Slice(1).IndexOf((byte)'"');
        return System.Text.Encoding.UTF8.GetString(rest.Slice(1, end));
    }

    /// <summary>Follows every page but keeps nothing (like `$null = Get-PineconeRestoreJob`).</summary>
    private static async Task<int> CountAsync(HttpClient http)
    {
        var count = 0;
        string? token = null;
        do
        {
            var page = (await http.GetFromJsonAsync<Page>(PageUrl(100, token)))!;
            count += page.Data.Count;
            token = page.Pagination?.Next;
        } while (!string.IsNullOrEmpty(token));
        return count;
    }

    private static string PageUrl(int limit, string? token) =>
        "restore-jobs?limit=" + limit.ToString(CultureInfo.InvariantCulture)
        + (token is null ? "" : "&paginationToken=" + Uri.EscapeDataString(token));

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Check(bool ok, string message)
    {
        if (!ok) throw new InvalidOperationException(message);
    }

    private static void Print(string name, double value) => Console.WriteLine(name + " " + value.ToString("R", CultureInfo.InvariantCulture));
}
