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
/// A local emulator of Pinecone's control plane (API 2025-04), restore-job operations only. Kestrel on 127.0.0.1 only.
/// </summary>
public sealed class PineconeEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private int _stopped;

    private PineconeEmulator(WebApplication app, CancellationTokenSource stopping, Uri baseUrl, string apiKey, EmulatorState state)
    {
        _app = app;
        _stopping = stopping;
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

        var state = new EmulatorState(options.SeedSampleJobs);
        var stopping = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PineconeEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // never on stdout
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port); // loopback only, never 0.0.0.0
        });

        var app = builder.Build();
        var handler = new ApiHandler(state, options.ApiKey, stopping.Token);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            stopping.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        return new PineconeEmulator(app, stopping, baseUrl, options.ApiKey, state);
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _stopping.Cancel(); // releases hung / delayed requests
        try
        {
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
