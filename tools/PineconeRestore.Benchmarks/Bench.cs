using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using PineconeRestore.Emulator;

namespace PineconeRestore.Benchmarks;

/// <summary>
/// One emulator on loopback, loaded with the seeded data set, and every case run against it one after the other, so
/// every ratio compares clients on the same server, data and run. Clients run in their own processes and time themselves.
/// </summary>
public sealed class Bench : IAsyncDisposable
{
    // GC budget for the allocation / memory case: fixed so the figures measure the client, not the machine's default.
    private const string Gen0Size = "0x4000000";

    private readonly Options _o;
    private readonly PineconeEmulator _emulator;
    private readonly RunResult _result;
    private readonly List<string> _ids = new();
    private readonly string _idsFile = Path.Combine(Path.GetTempPath(), $"pinecone-bench-ids-{Environment.ProcessId}.txt");
    private int _loaded = -1;
    private bool? _hasThrottleLimit;

    public Paths Paths { get; }

    private Bench(Options options, Paths paths, PineconeEmulator emulator, RunResult result)
    {
        _o = options;
        Paths = paths;
        _emulator = emulator;
        _result = result;
    }

    public static async Task<Bench> StartAsync(Options options, string command)
    {
        var paths = Paths.Find();
        var emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { Port = 0, SeedSampleJobs = false, InlineScheduling = true });
        var result = new RunResult { StartedAt = DateTimeOffset.UtcNow, Command = command, Quick = options.Quick, Machine = Machine.Describe(paths) };
        Console.WriteLine($"Emulator at {emulator.BaseUrl}; module {paths.ModuleDll} ({paths.ModuleConfiguration}); pwsh {paths.PwshVersion}");
        return new Bench(options, paths, emulator, result);
    }

    public async Task<RunResult> RunAsync()
    {
        var total = Stopwatch.StartNew();
        _result.Settings["emulator"] = "in this process on 127.0.0.1, requests run inline on Kestrel's socket threads (EmulatorOptions.InlineScheduling)";
        _result.Settings["runs per client"] = $"{_o.FastRuns} timed (cases 1 and 2) or {_o.Runs} (case 5) after {_o.Warmup} untimed warm-up runs in the same process (case 5's warm-ups describe 50 ids); cases 3 and 4: {_o.Runs} fresh processes";
        _result.Settings["before every run"] = $"a full GC, then a {_o.PauseMs} ms pause, the same in every client";
        await WarmServerAsync();
        if (_o.Includes("1")) Listing();
        if (_o.Includes("2")) FirstObject();
        if (_o.Includes("4")) StartUp();
        if (_o.Includes("5")) Describing();
        if (_o.Includes("3")) Memory(); // last: its 100,000-job set is the slowest to load and serve
        _result.Machine["loadavg at end"] = Machine.LoadAverage();
        _result.TotalSeconds = total.Elapsed.TotalSeconds;
        await Task.CompletedTask;
        return _result;
    }

    // ---- data ---------------------------------------------------------------------------------------------------

    private void Load(int count)
    {
        if (_loaded == count) return;
        var sw = Stopwatch.StartNew();
        _emulator.State.ClearRestoreJobs();
        _ids.Clear();
        foreach (var job in DataSet.Create(count))
        {
            _emulator.State.AddRestoreJob(job);
            _ids.Add(job.RestoreJobId);
        }
        sw.Stop();
        _loaded = count;
        _result.SetupSeconds[$"{count:N0} jobs"] = Math.Round(sw.Elapsed.TotalSeconds, 2);
        Console.WriteLine($"Loaded {count:N0} jobs into the emulator in {sw.Elapsed.TotalSeconds:F2} s (setup, not timed in any case)");
    }

    /// <summary>
    /// The emulator is JIT-compiled code too, and tiers up over its first few thousand requests: unwarmed, the first
    /// client measured would be served by slower code than the rest. So before any case it serves listings and
    /// describes from this process for a while; none of it is timed or counted in any case.
    /// </summary>
    private async Task WarmServerAsync()
    {
        Load(_o.ListJobs);
        var sw = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = _emulator.BaseUrl };
        http.DefaultRequestHeaders.Add("Api-Key", _emulator.ApiKey);
        http.DefaultRequestHeaders.Add("X-Pinecone-API-Version", "2025-04");
        var listings = 0;
        while (sw.Elapsed < TimeSpan.FromSeconds(_o.ServerWarmupSeconds) || listings < 3)
        {
            await RawChild.ReadPagesAsync(http);
            foreach (var id in _ids.Take(20)) using (await http.GetAsync("restore-jobs/" + id)) { }
            using (await http.GetAsync("restore-jobs?limit=1")) { }
            listings++;
        }
        _emulator.State.ClearRequests();
        _result.Settings["emulator warm-up"] = $"{listings} untimed listings of {_o.ListJobs:N0} jobs (and describes) in {sw.Elapsed.TotalSeconds:F1} s before the first case";
        Console.WriteLine($"Warmed the emulator with {listings} listings of {_o.ListJobs:N0} jobs in {sw.Elapsed.TotalSeconds:F1} s (not timed in any case)");
    }

    // ---- clients --------------------------------------------------------------------------------------------------

    private Dictionary<string, string?> Env(string? gen0 = null) => new()
    {
        ["PINECONE_API_KEY"] = _emulator.ApiKey,
        ["PINECONE_CONTROLLER_HOST"] = _emulator.BaseUrl.ToString(),
        ["DOTNET_GCgen0size"] = gen0,
        [PauseVariable] = Str(_o.PauseMs),
    };

    /// <summary>How every client (bench.ps1, the raw child, node) learns the pause before each run.</summary>
    public const string PauseVariable = "PINECONE_BENCH_PAUSE_MS";

    private ChildOutput Pwsh(string mode, int runs, int warmup, int expected = 0, int throttle = 0, string? gen0 = null)
    {
        var args = new List<string> { Paths.PwshDll, "-NoProfile", "-NonInteractive", "-File", Paths.Script,
            "-Mode", mode, "-Manifest", Paths.Manifest, "-Runs", Str(runs), "-Warmup", Str(warmup), "-Expected", Str(expected),
            "-IdsFile", _idsFile, "-ThrottleLimit", Str(throttle) };
        var output = Child.Run(Paths.Dotnet, args, Env(gen0));
        CheckModulePath(output, "pwsh");
        _hasThrottleLimit ??= bool.Parse(output.Text("throttle") ?? "false");
        return output;
    }

    private ChildOutput Hosted(string mode, int runs, int warmup, int expected)
    {
        Environment.SetEnvironmentVariable("PINECONE_API_KEY", _emulator.ApiKey);
        Environment.SetEnvironmentVariable("PINECONE_CONTROLLER_HOST", _emulator.BaseUrl.ToString());
        Environment.SetEnvironmentVariable(PauseVariable, Str(_o.PauseMs));
        var output = HostedEngine.Run(Paths.Script, new Dictionary<string, object>
        {
            ["Mode"] = mode, ["Manifest"] = Paths.Manifest, ["Runs"] = runs, ["Warmup"] = warmup, ["Expected"] = expected,
        });
        CheckModulePath(output, "hosted engine");
        return output;
    }

    private ChildOutput Raw(string mode, int runs, int warmup, int expected, string? gen0 = null) =>
        Child.Run(Paths.Self, new[] { Program.RawChildSwitch, mode, Str(runs), Str(warmup), Str(expected), _idsFile }, Env(gen0));

    private ChildOutput Node(int runs, int warmup, int expected)
    {
        if (!Directory.Exists(Path.Combine(Paths.NodeFolder, "node_modules", "@pinecone-database", "pinecone")))
        {
            Console.WriteLine("npm ci in " + Paths.NodeFolder);
            Child.Run(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", new[] { "ci", "--no-audit", "--no-fund" }, new Dictionary<string, string?>(), Paths.NodeFolder);
        }
        return Child.Run("node", new[] { "--expose-gc", "bench-sdk.mjs", Str(runs), Str(warmup), Str(expected) }, Env(), Paths.NodeFolder);
    }

    /// <summary>The hosted engine must run the staged DLL; a ProjectReference copy in bin/ would silently win (STYLE.md 7).</summary>
    private void CheckModulePath(ChildOutput output, string who)
    {
        var loaded = Path.GetFullPath(output.Text("module") ?? "");
        if (!string.Equals(loaded, Path.GetFullPath(Paths.ModuleDll), StringComparison.Ordinal))
            throw new InvalidOperationException($"{who} ran PineconeRestore.dll from {loaded}, not the staged {Paths.ModuleDll}.");
    }

    /// <summary>Runs a client with a clean request log and returns what it printed and the requests it made.</summary>
    private (ChildOutput Output, IReadOnlyList<LoggedRequest> Requests) Logged(string client, Func<ChildOutput> run)
    {
        _emulator.State.ClearRequests();
        var output = run();
        var requests = _emulator.State.Requests;
        var first = requests.FirstOrDefault(r => r.Path.StartsWith("/restore-jobs", StringComparison.Ordinal));
        if (first != null && !_result.Clients.ContainsKey(client))
            _result.Clients[client] = $"X-Pinecone-API-Version: {first.ApiVersionHeader ?? "(none)"}; User-Agent: {first.UserAgent ?? "(none)"}";
        if (requests.Any(r => r.StatusCode != 200))
            throw new InvalidOperationException($"{client}: {requests.Count(r => r.StatusCode != 200)} requests did not answer 200, e.g. {requests.First(r => r.StatusCode != 200)}");
        return (output, requests);
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private CaseResult NewCase(string id, string title)
    {
        var c = new CaseResult { Id = id, Title = title };
        _result.Cases.Add(c);
        Console.WriteLine($"\n== {id}. {title}");
        return c;
    }

    private static Row Add(CaseResult c, Row row)
    {
        c.Rows.Add(row);
        Console.WriteLine(row.Measured
            ? $"   {row.Label}: median {row.Median:F2} {row.Unit} [{row.Min:F2}-{row.Max:F2}]" + (row.RequestsPerRun is double r ? $", {r:0.##} requests/run" : "")
            : $"   {row.Label}: n/a ({row.NotAvailable})");
        return row;
    }

    private static void Ratio(Row row, Row baseline)
    {
        if (!row.Measured || !baseline.Measured) return;
        row.RatioTo = baseline.Short;
        row.Ratio = row.Median / baseline.Median;
    }

    // ---- 1. listing -----------------------------------------------------------------------------------------------

    private void Listing()
    {
        Load(_o.ListJobs);
        var n = _o.ListJobs;
        var c = NewCase("1", $"Listing {n:N0} jobs ({n / 100} pages of 100, and the empty page after a full last page), all objects kept");
        var runs = _o.FastRuns;
        int calls = runs + _o.Warmup;

        var (pwsh, pwshLog) = Logged("pwsh (module)", () => Pwsh("list", runs, _o.Warmup, n));
        var (hosted, hostedLog) = Logged("hosted engine (module)", () => Hosted("list", runs, _o.Warmup, n));
        var (raw, rawLog) = Logged("raw HttpClient + System.Text.Json", () => Raw("list", runs, _o.Warmup, n));
        var (floor, floorLog) = Logged("raw HttpClient + System.Text.Json", () => Raw("bytes", runs, _o.Warmup, n));
        var rawRow = new Row { Case = "1", Label = "(b) raw C# loop: HttpClient + System.Text.Json", Short = "raw C#", Samples = raw.Numbers("run").ToList(), RequestsPerRun = (double)rawLog.Count / calls };
        var floorRow = new Row { Case = "1", Label = "floor: the same pages read as bytes, not parsed (server + HTTP)", Short = "floor", Samples = floor.Numbers("run").ToList(), RequestsPerRun = (double)floorLog.Count / calls,
            Note = "the emulator's and HTTP's share of every row above; not a client anyone would use" };
        var pwshRow = new Row { Case = "1", Label = "(a) $jobs = Get-PineconeRestoreJob, real pwsh", Short = "pwsh", Samples = pwsh.Numbers("run").ToList(), RequestsPerRun = (double)pwshLog.Count / calls };
        var hostedRow = new Row { Case = "1", Label = "(a) $jobs = Get-PineconeRestoreJob, hosted engine", Short = "hosted", Samples = hosted.Numbers("run").ToList(), RequestsPerRun = (double)hostedLog.Count / calls,
            Note = "the engine runs in the benchmark process, beside the emulator" };
        Row nodeRow;
        try
        {
            var (node, nodeLog) = Logged("TypeScript SDK (node)", () => Node(runs, _o.Warmup, n));
            nodeRow = new Row { Case = "1", Label = $"(c) TypeScript SDK {node.Text("sdk")} listRestoreJobs, node", Short = "TS SDK", Samples = node.Numbers("run").ToList(), RequestsPerRun = (double)nodeLog.Count / calls };
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            nodeRow = new Row { Case = "1", Label = "(c) TypeScript SDK listRestoreJobs, node", Short = "TS SDK", NotAvailable = "node failed: " + ex.Message.Split('\n')[0] };
        }
        foreach (var row in new[] { pwshRow, hostedRow, rawRow, nodeRow, floorRow }) Ratio(row, rawRow);
        foreach (var row in new[] { pwshRow, hostedRow, rawRow, nodeRow, floorRow }) Add(c, row);

        // What a scheduled script sees: its one listing, in a process that has not listed before (JIT not yet warm).
        // One figure per process, so these come from one fresh process per sample.
        var coldRuns = Math.Max(3, _o.Runs / 2);
        var pwshCold = Enumerable.Range(0, coldRuns).Select(_ => Pwsh("list", 0, 1, n).Numbers("warm")[0]).ToList();
        var rawCold = Enumerable.Range(0, coldRuns).Select(_ => Raw("list", 0, 1, n).Numbers("warm")[0]).ToList();
        var pwshColdRow = new Row { Case = "1", Label = "first listing in a fresh pwsh (after Import-Module), real pwsh", Short = "pwsh, first", Samples = pwshCold,
            Note = "the first listing of a process, as a scheduled script's one call: one fresh process per sample" };
        var rawColdRow = new Row { Case = "1", Label = "first listing in a fresh process, raw C# loop", Short = "raw C#, first", Samples = rawCold };
        var nodeColdRow = new Row { Case = "1", Label = "first listing in a fresh node, TypeScript SDK", Short = "TS SDK, first" };
        if (nodeRow.Measured) nodeColdRow.Samples.AddRange(Enumerable.Range(0, coldRuns).Select(_ => Node(0, 1, n).Numbers("warm")[0]));
        else nodeColdRow.NotAvailable = nodeRow.NotAvailable;
        foreach (var row in new[] { pwshColdRow, rawColdRow, nodeColdRow }) Ratio(row, rawColdRow);
        foreach (var row in new[] { pwshColdRow, rawColdRow, nodeColdRow }) Add(c, row);
        if (nodeRow.Measured && pwshRow.Measured)
            c.Notes.Add($"The cmdlet in real pwsh takes {pwshRow.Median / nodeRow.Median:0.00}x the TypeScript SDK's time (issue 16's target: at most 1/3.5 = 0.29x).");
        // With the floor taken off, what each client itself costs, against the raw loop's own cost.
        var rawOwn = rawRow.Median - floorRow.Median;
        if (rawOwn > 0)
            c.Notes.Add("Above the floor (client work only), against the raw loop's " + $"{rawOwn:0.0} ms: "
                + string.Join(", ", new[] { pwshRow, hostedRow, nodeRow }.Where(r => r.Measured)
                    .Select(r => $"{r.Short} {r.Median - floorRow.Median:0.0} ms ({(r.Median - floorRow.Median) / rawOwn:0.00}x)")) + ".");
    }

    // ---- 2. first object ------------------------------------------------------------------------------------------

    private void FirstObject()
    {
        Load(_o.ListJobs);
        var c = NewCase("2", "Time to the first object");
        var runs = _o.FastRuns;
        int calls = runs + _o.Warmup;
        var (raw100, raw100Log) = Logged("raw HttpClient + System.Text.Json", () => Raw("page100", runs, _o.Warmup, 100));
        var (raw1, raw1Log) = Logged("raw HttpClient + System.Text.Json", () => Raw("page1", runs, _o.Warmup, 1));
        var (first, firstLog) = Logged("pwsh (module)", () => Pwsh("first", runs, _o.Warmup));
        var (param, paramLog) = Logged("pwsh (module)", () => Pwsh("firstparam", runs, _o.Warmup));
        var raw100Row = new Row { Case = "2", Label = "raw C# loop: one page of 100", Short = "raw page of 100", Samples = raw100.Numbers("run").ToList(), RequestsPerRun = (double)raw100Log.Count / calls };
        var raw1Row = new Row { Case = "2", Label = "raw C# loop: one page of 1", Short = "raw page of 1", Samples = raw1.Numbers("run").ToList(), RequestsPerRun = (double)raw1Log.Count / calls };
        var firstRow = new Row { Case = "2", Label = "Get-PineconeRestoreJob | Select-Object -First 1, real pwsh", Short = "| Select -First 1", Samples = first.Numbers("run").ToList(), RequestsPerRun = (double)firstLog.Count / calls,
            Note = "asks for a page of 100; Select-Object stops the cmdlet after the first object" };
        var paramRow = new Row { Case = "2", Label = "Get-PineconeRestoreJob -First 1, real pwsh", Short = "-First 1", Samples = param.Numbers("run").ToList(), RequestsPerRun = (double)paramLog.Count / calls,
            Note = "asks for a page of 1 (the cmdlet's own -First)" };
        Ratio(firstRow, raw100Row);
        Ratio(raw100Row, raw100Row);
        Ratio(paramRow, raw1Row);
        Ratio(raw1Row, raw1Row);
        foreach (var row in new[] { firstRow, raw100Row, paramRow, raw1Row }) Add(c, row);
    }

    // ---- 3. allocations and memory --------------------------------------------------------------------------------

    private void Memory()
    {
        var c = NewCase("3", $"Allocations per job and peak working set, {_o.AllocSmall:N0} against {_o.AllocLarge:N0} jobs (DOTNET_GCgen0size={Gen0Size})");
        var sizes = new[] { _o.AllocSmall, _o.AllocLarge };
        var alloc = new Dictionary<(string, int), Row>();
        var peak = new Dictionary<(string, int), Row>();
        foreach (var size in sizes)
        {
            Load(size);
            foreach (var who in new[] { "pwsh", "raw" })
            {
                var bytes = new List<double>();
                var ws = new List<double>();
                var requests = 0;
                // One fresh process per sample: a peak working set is only meaningful for the whole of one process.
                for (var i = 0; i < _o.Runs; i++)
                {
                    var (output, log) = who == "pwsh"
                        ? Logged("pwsh (module)", () => Pwsh("alloc", 1, 0, gen0: Gen0Size))
                        : Logged("raw HttpClient + System.Text.Json", () => Raw("alloc", 1, 0, size, gen0: Gen0Size));
                    bytes.Add(output.Number("alloc") / size);
                    ws.Add(output.Number("peakws") / (1024.0 * 1024.0));
                    requests = log.Count - 2; // less the two-page warm-up listing
                }
                var label = who == "pwsh" ? "$null = Get-PineconeRestoreJob, real pwsh" : "raw C# loop";
                alloc[(who, size)] = new Row { Case = "3", Label = $"{label}: allocated per job, {size:N0} jobs", Short = $"{who} {Short(size)}", Unit = "B/job", Samples = bytes, RequestsPerRun = requests };
                peak[(who, size)] = new Row { Case = "3", Label = $"{label}: peak working set, {size:N0} jobs", Short = $"{who} {Short(size)}", Unit = "MB", Samples = ws, RequestsPerRun = requests };
            }
        }
        foreach (var size in sizes)
        {
            Ratio(alloc[("pwsh", size)], alloc[("raw", size)]);
            Ratio(alloc[("raw", size)], alloc[("raw", size)]);
        }
        foreach (var row in alloc.Values) Add(c, row);
        foreach (var row in peak.Values) Add(c, row);
        double Growth(string who) => peak[(who, _o.AllocLarge)].Median!.Value - peak[(who, _o.AllocSmall)].Median!.Value;
        var pwshGrowth = Growth("pwsh");
        var rawGrowth = Growth("raw");
        Add(c, new Row { Case = "3", Label = $"real pwsh: peak working set growth {Short(_o.AllocSmall)} -> {Short(_o.AllocLarge)}", Short = "pwsh growth", Unit = "MB", Samples = { pwshGrowth },
            RatioText = $"{pwshGrowth - rawGrowth:+0.0;-0.0} MB vs raw", Note = "difference of the medians" });
        Add(c, new Row { Case = "3", Label = $"raw C# loop: peak working set growth {Short(_o.AllocSmall)} -> {Short(_o.AllocLarge)}", Short = "raw growth", Unit = "MB", Samples = { rawGrowth },
            Note = "difference of the medians" });
    }

    private static string Short(int n) => n >= 1000 && n % 1000 == 0 ? $"{n / 1000}k" : n.ToString(CultureInfo.InvariantCulture);

    // ---- 4. start-up ----------------------------------------------------------------------------------------------

    private void StartUp()
    {
        Load(_o.ListJobs);
        var c = NewCase("4", "Start-up: a fresh pwsh importing the module, and the first call after import");
        var bare = new List<double>();
        var import = new List<double>();
        var importInside = new List<double>();
        var firstCall = new List<double>();
        var secondCall = new List<double>();
        var env = Env();
        var bareArgs = new[] { Paths.PwshDll, "-NoProfile", "-NonInteractive", "-Command", "exit" };
        var importArgs = new[] { Paths.PwshDll, "-NoProfile", "-NonInteractive", "-Command", $"Import-Module '{Paths.Manifest}'" };
        _emulator.State.ClearRequests();
        // Fresh processes: warm-up here only fills the disk cache, which one round does.
        var warmup = Math.Min(_o.Warmup, 1);
        for (var i = 0; i < warmup + _o.Runs; i++)
        {
            // Interleaved, so a slow moment of a shared machine hits every kind of start alike.
            var b = Child.Run(Paths.Dotnet, bareArgs, env);
            var m = Child.Run(Paths.Dotnet, importArgs, env);
            var f = Pwsh("firstcall", 0, 0);
            if (i < warmup) continue;
            bare.Add(b.WallMs);
            import.Add(m.WallMs);
            importInside.Add(f.Number("import"));
            firstCall.Add(f.Number("firstcall"));
            secondCall.Add(f.Number("secondcall"));
        }
        var requests = (double)_emulator.State.Requests.Count / (warmup + _o.Runs) / 2;
        var bareRow = new Row { Case = "4", Label = "pwsh -NoProfile -Command exit (no module), wall", Short = "pwsh, no module", Samples = bare };
        var importRow = new Row { Case = "4", Label = "pwsh -NoProfile -Command Import-Module <staged psd1>, wall", Short = "pwsh + Import-Module", Samples = import };
        var insideRow = new Row { Case = "4", Label = "Import-Module inside a fresh pwsh (Stopwatch)", Short = "Import-Module", Samples = importInside };
        var firstRow = new Row { Case = "4", Label = "first Get-PineconeRestoreJob -First 1 after import", Short = "first call", Samples = firstCall, RequestsPerRun = requests };
        var secondRow = new Row { Case = "4", Label = "the same call again", Short = "second call", Samples = secondCall, RequestsPerRun = requests };
        Ratio(importRow, bareRow);
        Ratio(firstRow, secondRow);
        foreach (var row in new[] { bareRow, importRow, insideRow, firstRow, secondRow }) Add(c, row);
        c.Notes.Add("pwsh is the pinned .NET tool run as `dotnet <tool>/pwsh.dll`, as its shim does; wall times include the dotnet host.");
    }

    // ---- 5. describing piped ids ----------------------------------------------------------------------------------

    private void Describing()
    {
        Load(_o.ListJobs);
        var n = Math.Min(_o.DescribeIds, _ids.Count);
        File.WriteAllLines(_idsFile, _ids.Take(n));
        var c = NewCase("5", $"Describing {n:N0} piped ids, {_o.LatencyMs} ms of server latency on each request");
        _emulator.State.ClearFaults();
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.Latency, LatencyMs = _o.LatencyMs, Remaining = -1, PathPrefix = "/restore-jobs/" });
        try
        {
            const int warmupIds = 50;
            double PerRun(int count) => (double)(count - Math.Min(warmupIds, n) * _o.Warmup) / _o.Runs;
            var (raw, rawLog) = Logged("raw HttpClient + System.Text.Json", () => Raw("describe", _o.Runs, _o.Warmup, n));
            var (def, defLog) = Logged("pwsh (module)", () => Pwsh("describe", _o.Runs, _o.Warmup));
            var rawRow = new Row { Case = "5", Label = "raw C# loop, one request after the other", Short = "raw sequential", Samples = raw.Numbers("run").ToList(), RequestsPerRun = PerRun(rawLog.Count) };
            var defRow = new Row { Case = "5", Label = "$ids | Get-PineconeRestoreJob (default), real pwsh", Short = "default", Samples = def.Numbers("run").ToList(), RequestsPerRun = PerRun(defLog.Count) };
            Row oneRow;
            if (_hasThrottleLimit == true)
            {
                var (one, oneLog) = Logged("pwsh (module)", () => Pwsh("describe", _o.Runs, _o.Warmup, throttle: 1));
                oneRow = new Row { Case = "5", Label = "$ids | Get-PineconeRestoreJob -ThrottleLimit 1, real pwsh", Short = "-ThrottleLimit 1", Samples = one.Numbers("run").ToList(), RequestsPerRun = PerRun(oneLog.Count) };
            }
            else
            {
                oneRow = new Row { Case = "5", Label = "$ids | Get-PineconeRestoreJob -ThrottleLimit 1, real pwsh", Short = "-ThrottleLimit 1", NotAvailable = "the module has no -ThrottleLimit yet" };
            }
            foreach (var row in new[] { defRow, oneRow, rawRow }) Ratio(row, rawRow);
            foreach (var row in new[] { defRow, oneRow, rawRow }) Add(c, row);
            c.Notes.Add($"The floor of one request after the other is {n:N0} x {_o.LatencyMs} ms = {n * _o.LatencyMs / 1000.0:0.0} s of latency alone.");
        }
        finally
        {
            _emulator.State.ClearFaults();
        }
    }

    public async ValueTask DisposeAsync()
    {
        File.Delete(_idsFile);
        await _emulator.DisposeAsync();
    }
}

/// <summary>What the figures were measured on.</summary>
public static class Machine
{
    public static Dictionary<string, string> Describe(Paths paths)
    {
        var d = new Dictionary<string, string>
        {
            ["cpu"] = CpuModel(),
            ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["memory"] = $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB",
            ["os"] = RuntimeInformation.OSDescription,
            [".NET"] = RuntimeInformation.FrameworkDescription,
            ["pwsh"] = paths.PwshVersion + " (the pinned .NET tool) and System.Management.Automation 7.6.9 hosted",
            ["node"] = Try(() => Child.Run("node", new[] { "-e", "console.log('v ' + process.version)" }, new Dictionary<string, string?>()).Text("v")) ?? "not found",
            ["module"] = $"{Path.GetRelativePath(paths.Root, paths.ModuleDll)} ({paths.ModuleConfiguration}, {Try(() => System.Reflection.AssemblyName.GetAssemblyName(paths.ModuleDll).Version?.ToString())})",
            ["loadavg at start"] = LoadAverage(),
        };
        return d;
    }

    public static string LoadAverage() => Try(() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))) ?? "n/a";

    private static string CpuModel() =>
        Try(() => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim())
        ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string? Try(Func<string?> f)
    {
        try { return f(); } catch { return null; }
    }
}
