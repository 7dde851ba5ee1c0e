using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.NetworkInformation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PineconeRestore.Tests;

/// <summary>
/// Issue 15's many runspaces: eight runspaces in one process list and describe at once against four emulators, each
/// with its own key, half through Connect-Pinecone and half through -ApiKey/-ControllerHost, while a ninth with no key
/// keeps asking. No request carries another runspace's key or goes to its host, no key leaks across, and the shared
/// HttpClient keeps a bounded number of connections. A few seconds by default; PINECONE_RESTORE_SOAK_SECONDS=120 for
/// the 2-minute soak.
/// </summary>
[Collection(SerialCollection.Name)] // it clears PINECONE_API_KEY for the process
[Trait("Category", "Runspaces")]
public sealed class RunspaceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Emulators = 4;
    private const int Runspaces = 8;
    private const int JobsEach = 120;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly List<PineconeEmulator> _emulators = new();
    private readonly List<PsSession> _sessions = new();

    private static TimeSpan SoakTime =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("PINECONE_RESTORE_SOAK_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s > 0 ? s : 4);

    public async Task InitializeAsync()
    {
        for (int e = 0; e < Emulators; e++)
        {
            PineconeEmulator emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { ApiKey = $"pcsk_runspace-key-{e}", SeedSampleJobs = false });
            for (int j = 0; j < JobsEach; j++)
            {
                emulator.State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = $"e{e}-job-{j:D4}", BackupId = "b", TargetIndexName = $"index-{e}", TargetIndexId = "x", Status = "Completed" });
            }

            _emulators.Add(emulator);
        }

        _sessions.AddRange(await Task.WhenAll(Enumerable.Range(0, Runspaces + 1).Select(_ => Task.Run(() => new PsSession()))));
    }

    public async Task DisposeAsync()
    {
        _sessions.ForEach(s => s.Dispose());
        foreach (PineconeEmulator emulator in _emulators)
        {
            await emulator.DisposeAsync();
        }
    }

    [Fact]
    public async Task Eight_runspaces_at_once_each_use_their_own_key_and_host_and_share_the_client_safely()
    {
        using var environment = new EnvironmentScope(("PINECONE_API_KEY", null), ("PINECONE_CONTROLLER_HOST", null));
        for (int r = 0; r < Runspaces; r += 2)
        {
            PineconeEmulator emulator = _emulators[r % Emulators];
            _sessions[r].Connect(emulator);
        }

        // Warm up first (the engine compiles the module's first commands), so the soak's seconds go to the soak.
        await Task.WhenAll(Enumerable.Range(0, Runspaces).Select(r => Task.Run(() =>
            _sessions[r].RunWithin(Bound, "Get-PineconeRestoreJob -First 1 -ApiKey $k -ControllerHost $u", ("k", _emulators[r % Emulators].ApiKey), ("u", _emulators[r % Emulators].BaseUrl.ToString())))));
        _emulators.ForEach(e => e.State.ClearRequests());

        var failures = new ConcurrentQueue<string>();
        var iterations = new int[Runspaces + 1];
        var written = new long[Runspaces + 1];
        var stopwatch = Stopwatch.StartNew();
        DateTime deadline = DateTime.UtcNow + SoakTime;

        var workers = Enumerable.Range(0, Runspaces).Select(r => Task.Run(() =>
        {
            PineconeEmulator emulator = _emulators[r % Emulators];
            PsSession ps = _sessions[r];
            string[] all = emulator.State.RestoreJobs.Select(j => j.RestoreJobId).ToArray();
            // Even runspaces were connected; odd ones name key and host on each command and have no session key.
            string with = r % 2 == 0 ? string.Empty : " -ApiKey $k -ControllerHost $u";
            (string, object?)[] variables = [("k", emulator.ApiKey), ("u", emulator.BaseUrl.ToString()), ("ids", all.Where((_, i) => i % 6 == r % 6).ToArray())];
            do
            {
                PsResult list = ps.RunWithin(Bound, "Get-PineconeRestoreJob -PageSize 25" + with, variables);
                PsResult describe = ps.RunWithin(Bound, "$ids | Get-PineconeRestoreJob -ThrottleLimit 4" + with, variables);
                Check(r, "list", list, all);
                Check(r, "describe", describe, (string[])variables[2].Item2!);
                written[r] += list.Output.Count + describe.Output.Count;
                if (r % 2 == 1)
                {
                    // The sibling runspaces' Connect-Pinecone keys are not here.
                    PsResult keyless = ps.RunWithin(Bound, "Get-PineconeRestoreJob -ControllerHost $u -First 1", variables);
                    if (keyless.Terminating?.FullyQualifiedErrorId.StartsWith("ApiKeyMissing,", StringComparison.Ordinal) != true || keyless.Output.Count > 0)
                    {
                        failures.Enqueue($"runspace {r}: a command without -ApiKey found a key ({keyless.Output.Count} jobs)");
                    }
                }

                iterations[r]++;
            }
            while (DateTime.UtcNow < deadline);
        })).ToList();

        // A ninth runspace, never connected, asks the whole time: it must never borrow a sibling's key.
        workers.Add(Task.Run(() =>
        {
            PsSession ps = _sessions[Runspaces];
            do
            {
                PsResult result = ps.RunWithin(Bound, "(Connect-Pinecone -PassThru).ApiKeySource; Get-PineconeRestoreJob -ControllerHost $u -First 1", ("u", _emulators[0].BaseUrl.ToString()));
                if (result.Output.Count != 1 || result.Output[0].ToString() != "None"
                    || result.Terminating?.FullyQualifiedErrorId.StartsWith("ApiKeyMissing,", StringComparison.Ordinal) != true)
                {
                    failures.Enqueue($"keyless runspace: {string.Join(", ", result.Output)} / {result.Terminating?.FullyQualifiedErrorId}");
                }

                iterations[Runspaces]++;
                Thread.Sleep(50); // asking now and then is enough; a busy loop would starve the eight on 2 cores
            }
            while (DateTime.UtcNow < deadline);
        }));

        await Task.WhenAll(workers);
        stopwatch.Stop();

        List<LoggedRequest>[] logs = _emulators.Select(e => e.State.Requests.ToList()).ToArray();
        int connections = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections()
            .Count(c => _emulators.Any(e => c.RemoteEndPoint.Port == e.BaseUrl.Port));
        output.WriteLine(string.Join(Environment.NewLine,
            $"{Runspaces} runspaces (+1 without a key) against {Emulators} emulators for {stopwatch.Elapsed.TotalSeconds:0} s",
            $"  command rounds per runspace   {string.Join(", ", iterations)}",
            $"  jobs written                  {written.Sum():N0}",
            $"  requests per emulator         {string.Join(", ", logs.Select(l => l.Count.ToString("N0", CultureInfo.InvariantCulture)))}",
            $"  requests with a wrong key     {logs.Sum(l => l.Count(r => !r.ApiKeyValid))}",
            $"  TCP connections to them now  {connections} (client side, any state)",
            $"  failed checks                 {failures.Count}"));

        Assert.Empty(failures);
        Assert.All(logs, log => Assert.NotEmpty(log));
        Assert.All(logs.SelectMany(l => l), r => Assert.True(r.ApiKeyValid, $"{r} carried another key or none"));
        // Pooled and reused: about one per request in flight (2 runspaces x 4 per emulator), not one per request.
        Assert.True(connections <= 4 * Runspaces * 2, $"{connections} connections for {logs.Sum(l => l.Count)} requests");

        void Check(int r, string what, PsResult result, string[] expected)
        {
            string[] ids = result.JobIds().ToArray();
            if (result.Terminating != null || result.Errors.Count > 0 || !ids.SequenceEqual(expected))
            {
                failures.Enqueue($"runspace {r} {what}: {ids.Length} of {expected.Length} jobs, {result.Terminating?.FullyQualifiedErrorId ?? string.Join("; ", result.Errors)}");
            }
        }
    }
}
