using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PineconeRestore.Emulator;

/// <summary>
/// One loopback listener per index (its IndexModel.host), started the first time the index's host is served. A listener
/// outlives its index: once the index is deleted it answers NOT_FOUND, as a real host would before its name goes away.
/// </summary>
internal sealed class DataPlaneHosts(EmulatorState state, string apiKey, CancellationToken stopping) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<(WebApplication App, string Host)>>> _byIndexId = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>"127.0.0.1:port" (no scheme, as the real API sends it) of the index's own data-plane listener.</summary>
    public async Task<string> HostForAsync(string indexId)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var lazy = _byIndexId.GetOrAdd(indexId, id => new Lazy<Task<(WebApplication, string)>>(() => StartAsync(id)));
        try
        {
            return (await lazy.Value).Host;
        }
        catch
        {
            _byIndexId.TryRemove(new KeyValuePair<string, Lazy<Task<(WebApplication App, string Host)>>>(indexId, lazy));
            throw;
        }
    }

    private async Task<(WebApplication, string)> StartAsync(string indexId)
    {
        string? host = null;
        var app = await PineconeEmulator.StartAppAsync(0, a =>
        {
            // The host is known only once bound; the pipeline reads it lazily through the closure.
            var pipeline = new Pipeline(state, apiKey, stopping, Plane.Data, new Lazy<string?>(() => host), new Paging());
            pipeline.Configure(a);
            a.MapPost("/describe_index_stats", context => DescribeIndexStatsAsync(context, indexId)).WithName(Operations.DescribeIndexStats);
        }, stopping);
        host = "127.0.0.1:" + PineconeEmulator.PortOf(app);
        return (app, host);
    }

    private async Task DescribeIndexStatsAsync(HttpContext context, string indexId)
    {
        if (RequestInfo.Of(context).Entry?.Body is not null && (await ControlPlane.ReadObjectAsync(context)).Error is { } bad)
        {
            await Http.ErrorAsync(context, bad);
            return;
        }
        if (state.FindIndexById(indexId) is not { } index)
        {
            await Http.ErrorAsync(context, 404, "NOT_FOUND", "Index not found.");
            return;
        }
        // An index that is not ready yet (a restore still running) holds nothing readable.
        var namespaces = EmulatorState.IsReady(index.State) ? new Dictionary<string, long>(index.Namespaces) : new Dictionary<string, long>();
        if (RequestInfo.Of(context).Fault is { Kind: FaultKind.LagStats } lag)
        {
            if (lag.Records is { } missing) EmulatorState.RemoveRecords(namespaces, missing);
            else namespaces.Clear();
        }
        await Http.WriteAsync(context, 200, WireJson.IndexStats(index, namespaces));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var lazy in _byIndexId.Values)
        {
            if (!lazy.IsValueCreated) continue;
            try
            {
                var (app, _) = await lazy.Value;
                await app.StopAsync();
                await app.DisposeAsync();
            }
            catch (Exception)
            {
                // a listener that never started has nothing to stop
            }
        }
    }
}
