using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PineconeRestore.Tests;

/// <summary>
/// Issue 15's fault campaign: listings of 5,000 jobs and describes of 40 piped ids against the emulator's seeded random
/// faults (20% of requests: 429 with and without Retry-After, 5xx as JSON or HTML, dropped connections, bodies cut
/// mid-way, answers delayed past the 1 s client timeout). Each run either yields everything, exactly once and in order,
/// or ends with a clear error after what it already wrote; the figures are printed for docs/reliability.md:
/// <c>dotnet test tests/PineconeRestore.Tests --filter Category=FaultCampaign --logger "console;verbosity=detailed"</c>
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", "FaultCampaign")]
public sealed class FaultCampaignTests(FaultCampaignTests.Workers workers, ITestOutputHelper output) : IClassFixture<FaultCampaignTests.Workers>
{
    private const int JobCount = 5000;
    private const int PageSize = 100;
    private const double Rate = 0.2;
    private const int DelayMs = 1500; // just past -TimeoutSec 1
    private const int WorkerCount = 8; // runs in parallel: the 1 s timeouts overlap instead of adding up

    // The backoff's unit in the campaign (the module's is 500 ms): doubling and jitter stay, the waits shrink.
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(5);

    // A liveness bound per run; a healthy run takes a few seconds.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    // What a run may end with once a request's retries are spent: the transport's ids and the 429/5xx codes.
    private static readonly string[] FaultErrorIds =
        ["ConnectionFailed", "RequestTimeout", "RESOURCE_EXHAUSTED", "UNKNOWN", "INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED"];

    private const string CommandFqid = ",PineconeRestore.Commands.GetPineconeRestoreJobCommand";

    private static RandomFaultOptions Faults(int seed) =>
        // Retry-After "0": honouring its value is ResilienceTests' job; here it would only add seconds.
        new() { Seed = seed, Rate = Rate, RetryAfterSeconds = "0", DelayMs = DelayMs };

    [Theory]
    [InlineData(3, 30)] // the default -MaxRetries: most listings survive every fault
    [InlineData(1, 10)] // one retry: most listings end in an error, which must still lose and repeat nothing
    public async Task Listing_5000_jobs_under_20_percent_faults_loses_and_repeats_nothing(int maxRetries, int seeds)
    {
        var runs = await CampaignAsync(maxRetries, Enumerable.Range(1, seeds), ListOnce);

        ReportAndAssert($"List {JobCount:N0} jobs ({PageSize} a page), {Rate:P0} random faults, -MaxRetries {maxRetries}", runs, "jobs");
        Assert.True(runs.Sum(r => r.Survived) > 0, "no fault was survived: the campaign did not exercise retries");
    }

    [Theory]
    [InlineData(3, 10)]
    [InlineData(1, 10)]
    public async Task Describing_40_piped_ids_under_20_percent_faults_answers_each_id_once_in_order(int maxRetries, int seeds)
    {
        var runs = await CampaignAsync(maxRetries, Enumerable.Range(101, seeds), DescribeOnce);

        ReportAndAssert($"Describe 40 piped ids (38 jobs, 2 unknown), {Rate:P0} random faults, -MaxRetries {maxRetries}", runs, "ids");
    }

    /// <summary>Runs the seeds on the <see cref="WorkerCount"/> emulator-and-session pairs at once, with the short backoff.</summary>
    private async Task<List<RunFigures>> CampaignAsync(int maxRetries, IEnumerable<int> seeds, Func<Worker, int, RunFigures> runOnce)
    {
        IReadOnlyList<Worker> all = await workers.GetAsync();
        foreach (Worker w in all)
        {
            w.Ps.Connect(w.Emulator, maxRetries: maxRetries, timeoutSec: 1);
        }

        using IDisposable backoff = ModuleInternals.RetryBaseDelay(Backoff);
        var queue = new ConcurrentQueue<int>(seeds);
        var runs = new ConcurrentBag<RunFigures>();
        await Task.WhenAll(all.Select(w => Task.Run(() =>
        {
            while (queue.TryDequeue(out int seed))
            {
                runs.Add(runOnce(w, seed));
            }
        })));
        return runs.OrderBy(r => r.Seed).ToList();
    }

    /// <summary>The emulators and sessions, made once for the class (5,000 jobs each, the module imported).</summary>
    public sealed class Workers : IAsyncLifetime
    {
        private Task<Worker[]>? _workers;

        public Task<Worker[]> GetAsync() => _workers ??= Task.WhenAll(Enumerable.Range(0, WorkerCount).Select(_ => Task.Run(Worker.StartAsync)));

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            if (_workers != null)
            {
                foreach (Worker w in await _workers)
                {
                    await w.DisposeAsync();
                }
            }
        }
    }

    private static RunFigures ListOnce(Worker w, int seed)
    {
        EmulatorState state = w.Emulator.State;
        state.ClearRequests();
        state.SetRandomFaults(Faults(seed));
        var stopwatch = Stopwatch.StartNew();
        PsResult result = w.Ps.RunWithin(Bound, "Get-PineconeRestoreJob");
        stopwatch.Stop();
        var run = new RunFigures(seed, stopwatch.Elapsed, state.RandomFaultCounts, state.Requests);
        state.ClearRandomFaults();

        List<string> written = result.JobIds().ToList();
        run.Terminated = result.Terminating != null;
        run.Written = written.Count;
        run.Duplicated = written.Count - written.Distinct().Count();
        // Lost: a job missing before the last one written (a gap), or, for a run that finished, anywhere.
        int reach = result.Terminating == null ? w.Ids.Length : written.Count == 0 ? 0 : Array.IndexOf(w.Ids, written[^1]) + 1;
        run.Lost = w.Ids.Take(reach).Except(written).Count();
        (run.Survived, int unanswered) = Outcomes(run.Log, r => r.Path + r.Query);

        run.Check(() =>
        {
            Assert.Empty(result.Errors);
            if (result.Terminating == null)
            {
                Assert.Equal(w.Ids, written);
                Assert.Equal(0, unanswered);
                return;
            }

            // Ended early: what was written is the listing's beginning, in whole pages, and the error says what failed.
            run.Errors.Add(ErrorId(result.Terminating));
            Assert.Equal(w.Ids.Take(written.Count), written);
            Assert.Equal(0, written.Count % PageSize);
            Assert.Contains(ErrorId(result.Terminating), FaultErrorIds);
            Assert.EndsWith(CommandFqid, result.Terminating.FullyQualifiedErrorId);
            Assert.StartsWith("PineconeRestore.Pinecone", result.Terminating.Exception.GetType().FullName);
            Assert.False(string.IsNullOrWhiteSpace(result.Terminating.Exception.Message));
            Assert.Equal(1, unanswered);
        });
        return run;
    }

    private static RunFigures DescribeOnce(Worker w, int seed)
    {
        var random = new Random(seed);
        List<string> ids = w.Ids.OrderBy(_ => random.Next()).Take(38).ToList();
        ids.Insert(random.Next(ids.Count), $"no-such-job-{seed}-a");
        ids.Insert(random.Next(ids.Count), $"no-such-job-{seed}-b");

        EmulatorState state = w.Emulator.State;
        state.ClearRequests();
        state.SetRandomFaults(Faults(seed));
        var stopwatch = Stopwatch.StartNew();
        // 2>&1: objects and errors in one stream, in the order the command wrote them.
        PsResult result = w.Ps.RunWithin(Bound, "$ids | Get-PineconeRestoreJob 2>&1", ("ids", ids.ToArray()));
        stopwatch.Stop();
        var run = new RunFigures(seed, stopwatch.Elapsed, state.RandomFaultCounts, state.Requests);
        state.ClearRandomFaults();

        var answered = new List<string>();
        var errors = new List<ErrorRecord>();
        foreach (PSObject o in result.Output)
        {
            if (o.BaseObject is ErrorRecord error)
            {
                errors.Add(error);
                answered.Add((string)error.TargetObject);
            }
            else
            {
                answered.Add(JobView.From(o).RestoreJobId);
            }
        }

        run.Terminated = result.Terminating != null;
        run.Written = answered.Count;
        run.Duplicated = answered.Count - answered.Distinct().Count();
        run.Lost = ids.Except(answered).Count();
        run.Errors.AddRange(errors.Select(ErrorId));
        (run.Survived, _) = Outcomes(run.Log, r => r.Path);
        // The jobs' own requests: an unknown id's 404 can arrive through a fault (a cut error body still has its status).
        (_, int unanswered) = Outcomes(run.Log.Where(r => !r.Path.Contains("no-such-job-", StringComparison.Ordinal)).ToList(), r => r.Path);

        run.Check(() =>
        {
            Assert.Null(result.Terminating);
            Assert.Equal(ids, answered);
            // Every error is one a fault explains, or the unknown id's own NOT_FOUND.
            Assert.All(errors, e => Assert.Contains(ErrorId(e), FaultErrorIds.Append("NOT_FOUND")));
            Assert.All(errors.Where(e => ErrorId(e) == "NOT_FOUND"), e => Assert.StartsWith("no-such-job-", (string)e.TargetObject));
            Assert.Equal(unanswered, errors.Count(e => !((string)e.TargetObject).StartsWith("no-such-job-", StringComparison.Ordinal)));
        });
        return run;
    }

    /// <summary>
    /// Groups the log by request (a page's URL, an id's path): a fault is survived when a later attempt of the same
    /// request was answered; a request with no answer at all is what an error must account for.
    /// </summary>
    private static (int Survived, int Unanswered) Outcomes(IReadOnlyList<LoggedRequest> log, Func<LoggedRequest, string> request)
    {
        int survived = 0, unanswered = 0;
        foreach (IGrouping<string, LoggedRequest> attempts in log.GroupBy(request))
        {
            if (attempts.Any(a => a.RandomFault == null))
            {
                survived += attempts.Count(a => a.RandomFault != null);
            }
            else
            {
                unanswered++;
            }
        }

        return (survived, unanswered);
    }

    private static string ErrorId(ErrorRecord record) => record.FullyQualifiedErrorId.Split(',')[0];

    /// <summary>Prints the figures, then fails on any run's failed check, any loss or any duplicate.</summary>
    private void ReportAndAssert(string title, List<RunFigures> runs, string what)
    {
        Report(title, runs, what);
        Assert.All(runs, run => Assert.Null(run.Failure));
        Assert.Equal(0, runs.Sum(r => r.Lost));
        Assert.Equal(0, runs.Sum(r => r.Duplicated));
    }

    private void Report(string title, List<RunFigures> runs, string what)
    {
        var kinds = Enum.GetValues<RandomFaultKind>();
        int injected = runs.Sum(r => r.Injected);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{title}; -TimeoutSec 1, Delay {DelayMs} ms, backoff base {Backoff.TotalMilliseconds} ms, {WorkerCount} runs at a time");
        Line("runs (seeds)", $"{runs.Count} ({runs.Min(r => r.Seed)}-{runs.Max(r => r.Seed)})");
        Line("requests sent", runs.Sum(r => r.Log.Count).ToString("N0", CultureInfo.InvariantCulture));
        Line("faults injected", injected.ToString("N0", CultureInfo.InvariantCulture));
        foreach (RandomFaultKind kind in kinds)
        {
            Line("  " + kind, runs.Sum(r => r.Counts.GetValueOrDefault(kind)).ToString("N0", CultureInfo.InvariantCulture));
        }

        Line("faults survived by retry", runs.Sum(r => r.Survived).ToString("N0", CultureInfo.InvariantCulture));
        var ended = runs.Where(r => r.Terminated).ToList();
        Line("runs ended in an error", ended.Count.ToString(CultureInfo.InvariantCulture) + Summary(ended.SelectMany(r => r.Errors)));
        if (what == "ids")
        {
            var errors = runs.SelectMany(r => r.Errors).ToList();
            Line("ids answered by an error", errors.Count.ToString(CultureInfo.InvariantCulture) + Summary(errors));
        }

        Line($"{what} written", runs.Sum(r => r.Written).ToString("N0", CultureInfo.InvariantCulture));
        Line($"{what} lost", runs.Sum(r => r.Lost).ToString(CultureInfo.InvariantCulture));
        Line($"{what} duplicated", runs.Sum(r => r.Duplicated).ToString(CultureInfo.InvariantCulture));
        Line("longest run", $"{runs.Max(r => r.Elapsed).TotalSeconds:0.0} s");
        Line("runs that failed a check", runs.Count(r => r.Failure != null).ToString(CultureInfo.InvariantCulture));
        foreach (RunFigures failed in runs.Where(r => r.Failure != null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  seed {failed.Seed}: {failed.Failure}");
        }

        output.WriteLine(text.ToString());

        void Line(string name, string value) => text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-28} {value}");
    }

    private static string Summary(IEnumerable<string> errorIds)
    {
        var groups = errorIds.GroupBy(e => e).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        return groups.Count == 0 ? string.Empty : " (" + string.Join(", ", groups.Select(g => $"{g.Key} {g.Count()}")) + ")";
    }

    /// <summary>What one run did, and the first check it failed (kept so every run is counted before the test fails).</summary>
    private sealed class RunFigures(int seed, TimeSpan elapsed, IReadOnlyDictionary<RandomFaultKind, int> counts, IReadOnlyList<LoggedRequest> log)
    {
        public int Seed { get; } = seed;

        public TimeSpan Elapsed { get; } = elapsed;

        public IReadOnlyDictionary<RandomFaultKind, int> Counts { get; } = counts;

        public IReadOnlyList<LoggedRequest> Log { get; } = log;

        public int Injected => Counts.Values.Sum();

        public int Survived { get; set; }

        /// <summary>The run ended with a terminating error.</summary>
        public bool Terminated { get; set; }

        public int Written { get; set; }

        public int Lost { get; set; }

        public int Duplicated { get; set; }

        public List<string> Errors { get; } = new();

        public string? Failure { get; private set; }

        public void Check(Action assertions)
        {
            try
            {
                assertions();
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException || ex is InvalidCastException)
            {
                Failure = ex.Message.ReplaceLineEndings(" ");
            }
        }
    }

    /// <summary>An emulator holding the 5,000 jobs and a session for it.</summary>
    public sealed class Worker : IAsyncDisposable
    {
        private Worker(PineconeEmulator emulator, PsSession ps, string[] ids)
        {
            Emulator = emulator;
            Ps = ps;
            Ids = ids;
        }

        public PineconeEmulator Emulator { get; }

        public PsSession Ps { get; }

        /// <summary>The jobs in list order.</summary>
        public string[] Ids { get; }

        public static async Task<Worker> StartAsync()
        {
            PineconeEmulator emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { SeedSampleJobs = false });
            var created = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
            for (int i = 0; i < JobCount; i++)
            {
                emulator.State.AddRestoreJob(new EmulatedRestoreJob
                {
                    RestoreJobId = $"{i:x8}-5b1d-4e8a-9f6c-{i:x12}",
                    BackupId = "b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11",
                    TargetIndexName = $"restored-{i}",
                    TargetIndexId = $"idx-{i}",
                    Status = "Completed",
                    CreatedAt = created.AddMinutes(i),
                    CompletedAt = created.AddMinutes(i + 5),
                    PercentComplete = 100,
                });
            }

            var ps = new PsSession();
            return new Worker(emulator, ps, emulator.State.RestoreJobs.Select(j => j.RestoreJobId).ToArray());
        }

        public async ValueTask DisposeAsync()
        {
            Ps.Dispose();
            await Emulator.DisposeAsync();
        }
    }
}
