using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PineconeRestore.Emulator;

/// <summary>
/// A local emulator of Pinecone's API 2025-04: the control plane's restore-job, backup and index operations, and each
/// index's data plane (describe_index_stats) on its own port. Kestrel on 127.0.0.1 only.
/// </summary>
public sealed class PineconeEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly DataPlaneHosts _hosts;
    private int _stopped;

    private PineconeEmulator(WebApplication app, CancellationTokenSource stopping, DataPlaneHosts hosts, Uri baseUrl, string apiKey, EmulatorState state)
    {
        _app = app;
        _stopping = stopping;
        _hosts = hosts;
        BaseUrl = baseUrl;
        ApiKey = apiKey;
        State = state;
    }

    /// <summary>e.g. http://127.0.0.1:54321/ (always with a trailing slash).</summary>
    public Uri BaseUrl { get; }

    public string ApiKey { get; }

    public EmulatorState State { get; }

    public static async Task<PineconeEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmulatorOptions();
        if (options.Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(options), "Port must be 0..65535.");
        if (string.IsNullOrEmpty(options.ApiKey)) throw new ArgumentException("ApiKey must not be empty.", nameof(options));
        if (options.ClockSpeed is { } speed && !(speed > 0)) throw new ArgumentOutOfRangeException(nameof(options), "ClockSpeed must be positive (null = paused).");

        var state = new EmulatorState(options);
        var stopping = new CancellationTokenSource();
        var hosts = new DataPlaneHosts(state, options.ApiKey, stopping.Token);
        WebApplication app;
        try
        {
            app = await StartAppAsync(options.Port, a =>
            {
                var paging = new Paging();
                new Pipeline(state, options.ApiKey, stopping.Token, Plane.Control, null, paging).Configure(a);
                new ControlPlane(state, paging, hosts).Map(a);
                new Admin(state, hosts).Map(a);
            }, ct, options.InlineScheduling);
        }
        catch
        {
            await hosts.DisposeAsync();
            stopping.Dispose();
            throw;
        }
        return new PineconeEmulator(app, stopping, hosts, new Uri($"http://127.0.0.1:{PortOf(app)}/"), options.ApiKey, state);
    }

    /// <summary>The host ("127.0.0.1:port", no scheme) of the named index's data plane, as GET /indexes/{name} serves it.</summary>
    public async Task<string> IndexHostAsync(string indexName)
    {
        var index = State.FindIndex(indexName) ?? throw new KeyNotFoundException($"No index named '{indexName}'.");
        return await _hosts.HostForAsync(index.IndexId);
    }

    internal static async Task<WebApplication> StartAppAsync(int port, Action<WebApplication> configure, CancellationToken ct, bool inlineScheduling = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PineconeEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A bind failure surfaces as the exception the caller reports in one line; the hosts' own copies would add stack traces.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // never on stdout
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // Inline: a request runs on the socket's I/O thread, with no hop to the thread pool and back (Kestrel's own
        // benchmarks do this). Only for callers that ask: a handler that blocked would stall every connection's I/O.
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = inlineScheduling);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port); // loopback only, never 0.0.0.0
        });

        var app = builder.Build();
        configure(app);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    internal static int PortOf(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _stopping.Cancel(); // releases hung / delayed requests
        try
        {
            await _hosts.DisposeAsync();
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            _stopping.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
