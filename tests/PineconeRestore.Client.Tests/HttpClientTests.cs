using System.Net.Http;
using PineconeRestore.Client;
using PineconeRestore.Emulator;

namespace PineconeRestore.Client.Tests;

/// <summary>
/// The client's contract for any method, with or without a body: which requests it repeats and which it never
/// sends twice, against the emulator's injected faults.
/// </summary>
public sealed class HttpClientTests : IAsyncLifetime
{
    private PineconeEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await PineconeEmulator.StartAsync(new EmulatorOptions());

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private PineconeHttpClient Client(int maxRetries = 3, IRequestLog? log = null, Uri? host = null, TimeSpan? timeout = null) =>
        new(new ClientSettings(host ?? _emulator.BaseUrl, new ApiKey(_emulator.ApiKey), "PineconeRestore.Client.Tests", timeout ?? TimeSpan.FromSeconds(10), maxRetries)
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        }, log);

    private void Fault(FaultKind kind, int status, int remaining = -1) =>
        _emulator.State.AddFault(new FaultRule { Kind = kind, StatusCode = status, Remaining = remaining, RetryAfter = "0" });

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task A_POST_is_never_sent_twice_after_a_5xx_it_may_have_acted_on(int status)
    {
        Fault(FaultKind.Status, status);

        var error = await Assert.ThrowsAsync<PineconeApiException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Post, "backups", "{\"name\":\"b\"}"), CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        LoggedRequest request = Assert.Single(_emulator.State.Requests);
        Assert.Equal("POST", request.Method);
    }

    [Fact]
    public async Task A_POST_turned_away_with_429_is_sent_again()
    {
        Fault(FaultKind.Status, 429, remaining: 2);
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.CustomBody, StatusCode = 201, Body = "{}", Remaining = 1 });

        int status = await Client().SendAsync(new ApiRequest(HttpMethod.Post, "backups", "{}"), r => r.StatusCode, CancellationToken.None);

        Assert.Equal(201, status);
        Assert.Equal(3, _emulator.State.Requests.Count);
    }

    [Fact]
    public async Task A_POST_is_not_repeated_after_a_dropped_connection()
    {
        Fault(FaultKind.DropConnection, 0);

        var error = await Assert.ThrowsAsync<PineconeConnectionException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Post, "backups", "{}"), CancellationToken.None));

        Assert.False(error.TimedOut);
        Assert.Single(_emulator.State.Requests);
    }

    [Fact]
    public async Task A_POST_that_never_reached_a_server_is_retried()
    {
        string url = _emulator.BaseUrl.ToString();
        await _emulator.DisposeAsync();
        var log = new ListLog();

        await Assert.ThrowsAsync<PineconeConnectionException>(() =>
            Client(maxRetries: 2, log: log, host: new Uri(url)).SendAsync(new ApiRequest(HttpMethod.Post, "backups", "{}"), CancellationToken.None));

        Assert.Equal(2, log.Messages.Count(m => m.StartsWith("Retry", StringComparison.Ordinal)));
        _emulator = await PineconeEmulator.StartAsync(new EmulatorOptions());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public async Task Idempotent_methods_are_retried_after_a_5xx(string method)
    {
        Fault(FaultKind.Status, 503, remaining: 1);

        await Assert.ThrowsAnyAsync<PineconeException>(() =>
            Client().SendAsync(new ApiRequest(new HttpMethod(method), "restore-jobs/x"), CancellationToken.None));

        // First the 503, then the emulator's own answer to the retry.
        Assert.Equal(2, _emulator.State.Requests.Count);
        Assert.All(_emulator.State.Requests, r => Assert.Equal(method, r.Method));
    }

    [Fact]
    public async Task A_body_is_sent_as_JSON_with_the_headers()
    {
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.CustomBody, StatusCode = 202, Body = "{\"ok\":true}", Remaining = 1 });

        string body = await Client().SendAsync(new ApiRequest(HttpMethod.Post, "backups", "{\"name\":\"b\"}"), r => r.Text, CancellationToken.None);

        Assert.Equal("{\"ok\":true}", body);
        LoggedRequest request = Assert.Single(_emulator.State.Requests);
        Assert.Equal("{\"name\":\"b\"}", request.Body);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.True(request.ApiKeyValid);
        Assert.Equal("2025-04", request.ApiVersionHeader);
        Assert.Equal("PineconeRestore.Client.Tests", request.UserAgent);
    }

    [Fact]
    public void POST_and_PATCH_are_not_retry_safe_unless_said_so()
    {
        Assert.False(new ApiRequest(HttpMethod.Post, "x").RetrySafe);
        Assert.False(new ApiRequest(new HttpMethod("PATCH"), "x").RetrySafe);
        Assert.True(new ApiRequest(HttpMethod.Post, "x", retrySafe: true).RetrySafe);
        Assert.True(new ApiRequest(HttpMethod.Get, "x").RetrySafe);
        Assert.True(new ApiRequest(HttpMethod.Delete, "x").RetrySafe);
    }

    [Fact]
    public async Task A_GET_that_timed_out_is_sent_again_and_its_answer_used()
    {
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.Latency, LatencyMs = 2000, Remaining = 1 });
        var log = new ListLog();

        int status = await Client(log: log, timeout: TimeSpan.FromMilliseconds(300)).SendAsync(new ApiRequest(HttpMethod.Get, "restore-jobs"), r => r.StatusCode, CancellationToken.None);

        Assert.Equal(200, status);
        Assert.Equal(2, _emulator.State.Requests.Count);
        Assert.Matches(@"^Retry 1 of 3 for GET \S+ in [\d.]+ s: no answer within 0\.3 s$", Assert.Single(log.Messages, m => m.StartsWith("Retry", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_GET_that_keeps_timing_out_is_a_timeout_after_the_retries()
    {
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.Latency, LatencyMs = 2000, Remaining = -1 });

        var error = await Assert.ThrowsAsync<PineconeConnectionException>(() =>
            Client(maxRetries: 1, timeout: TimeSpan.FromMilliseconds(300)).SendAsync(new ApiRequest(HttpMethod.Get, "restore-jobs"), CancellationToken.None));

        Assert.True(error.TimedOut);
        Assert.False(error.NeverReachedServer);
        Assert.Equal(2, _emulator.State.Requests.Count);
    }

    [Fact]
    public async Task A_POST_that_timed_out_is_not_sent_again()
    {
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.Latency, LatencyMs = 2000, Remaining = -1 });

        var error = await Assert.ThrowsAsync<PineconeConnectionException>(() =>
            Client(timeout: TimeSpan.FromMilliseconds(300)).SendAsync(new ApiRequest(HttpMethod.Post, "backups", "{}"), CancellationToken.None));

        Assert.True(error.TimedOut);
        Assert.Single(_emulator.State.Requests);
    }
}
