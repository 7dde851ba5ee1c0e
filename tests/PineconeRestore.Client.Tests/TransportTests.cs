using System.Globalization;
using System.Net;
using System.Net.Http;
using PineconeRestore.Client;

namespace PineconeRestore.Client.Tests;

/// <summary>
/// What the transport does with answers no good server sends: charsets, oversized and endless bodies, bodies cut
/// mid-way; and what it sends whatever the ids and tokens hold.
/// </summary>
public sealed class TransportTests : IAsyncLifetime
{
    private const string Job = """{"restore_job_id":"r1","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Completed","created_at":"2025-01-01T00:00:00Z"}""";

    private readonly LoopbackServer _server = new();
    private readonly ListLog _log = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private PineconeHttpClient Client(int maxRetries = 2, int? maxResponseBytes = null, Uri? host = null)
    {
        var settings = new ClientSettings(host ?? _server.BaseUrl, new ApiKey("pcsk_secret_key"), "tests", TimeSpan.FromSeconds(20), maxRetries)
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        if (maxResponseBytes.HasValue)
        {
            settings.MaxResponseBytes = maxResponseBytes.Value;
        }

        return new PineconeHttpClient(settings, _log);
    }

    private RestoreJobsApi Api(int maxRetries = 2, int? maxResponseBytes = null) => new(Client(maxRetries, maxResponseBytes));

    private static string Page(string next, params string[] ids) =>
        "{\"data\":[" + string.Join(",", ids.Select(id => Job.Replace("\"r1\"", "\"" + id + "\""))) + "],\"pagination\":" + (next.Length == 0 ? "null" : "{\"next\":\"" + next + "\"}") + "}";

    [Theory]
    [InlineData(null)]
    [InlineData("utf-8")]
    [InlineData("UTF-8")]
    [InlineData("\"utf-8\"")]
    [InlineData("utf8")]
    [InlineData("us-ascii")]
    public async Task UTF_8_in_any_spelling_or_no_charset_is_read(string? charset)
    {
        _server.Answer(200, Job, charset == null ? "application/json" : "application/json; charset=" + charset);

        RestoreJob job = await Api().DescribeAsync("r1", CancellationToken.None);

        Assert.Equal("r1", job.RestoreJobId);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("iso-8859-1")]
    [InlineData("utf-16")]
    public async Task Another_charset_is_an_InvalidResponse_that_names_it(string charset)
    {
        _server.Answer(200, Job, "application/json; charset=" + charset);

        var error = await Assert.ThrowsAsync<PineconeInvalidResponseException>(() => Api().DescribeAsync("r1", CancellationToken.None));

        Assert.Contains($"charset '{charset}'", error.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task An_error_body_in_an_unknown_charset_still_gives_the_APIs_error()
    {
        _server.Answer(404, """{"error":{"code":"NOT_FOUND","message":"No such job."},"status":404}""", "application/json; charset=nope");

        var error = await Assert.ThrowsAsync<PineconeApiException>(() => Api().DescribeAsync("r1", CancellationToken.None));

        Assert.Equal("NOT_FOUND", error.ErrorCode);
        Assert.Equal("No such job.", error.ApiMessage);
    }

    [Fact]
    public async Task A_body_exactly_at_the_cap_is_read_and_one_byte_more_is_refused()
    {
        string atCap = Job.PadRight(1024);
        _server.Answer(200, atCap).Answer(200, atCap + " ");

        RestoreJob job = await Api(maxResponseBytes: 1024).DescribeAsync("r1", CancellationToken.None);
        var error = await Assert.ThrowsAsync<PineconeInvalidResponseException>(() => Api(maxResponseBytes: 1024).DescribeAsync("r1", CancellationToken.None));

        Assert.Equal("r1", job.RestoreJobId);
        Assert.Contains("larger than 1024 bytes", error.Message);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_chunked_body_past_the_cap_is_refused_while_it_is_read()
    {
        // No Content-Length to check first: the bytes are counted as they come.
        _server.AnswerChunked(Job.Substring(0, 60), Job.Substring(60).PadRight(2000));

        var error = await Assert.ThrowsAsync<PineconeInvalidResponseException>(() => Api(maxResponseBytes: 1024).DescribeAsync("r1", CancellationToken.None));

        Assert.Contains("larger than 1024 bytes", error.Message);
    }

    [Fact]
    public async Task An_endless_chunked_body_stops_at_the_default_cap_as_an_InvalidResponse()
    {
        _server.AnswerEndless();

        var error = await Assert.ThrowsAsync<PineconeInvalidResponseException>(() => Api().DescribeAsync("r1", CancellationToken.None));

        Assert.Contains($"larger than {ClientSettings.DefaultMaxResponseBytes} bytes", error.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_page_cut_mid_way_is_asked_for_again_whole()
    {
        string page = Page("", "a", "b", "c");
        _server.AnswerCut(page.Substring(0, 100), page.Length).AnswerChunkedCut(page.Substring(0, 150)).Answer(200, page);

        PageCursor<RestoreJob> cursor = Api().List(3);
        IReadOnlyList<RestoreJob> jobs = await cursor.NextPageAsync(CancellationToken.None);

        Assert.Equal(new[] { "a", "b", "c" }, jobs.Select(j => j.RestoreJobId));
        Assert.True(cursor.IsComplete);
        Assert.Equal(3, _server.Requests.Count);
        string[] retries = _log.Messages.Where(m => m.StartsWith("Retry", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, retries.Length);
        Assert.Contains("cut off after 100 bytes", retries[0]);
    }

    [Fact]
    public async Task A_body_cut_on_every_attempt_is_a_ConnectionFailed_about_this_answer_only()
    {
        _server.AnswerCut(Job.Substring(0, 20), Job.Length);

        var error = await Assert.ThrowsAsync<PineconeConnectionException>(() => Api(maxRetries: 2).DescribeAsync("r1", CancellationToken.None));

        Assert.False(error.NeverReachedServer);
        Assert.False(error.TimedOut);
        Assert.Contains("cut off", error.Message);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task A_POST_whose_answer_was_cut_is_not_sent_again()
    {
        _server.AnswerCut("{\"restore_job_id\":", 200);

        var error = await Assert.ThrowsAsync<PineconeConnectionException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Post, "indexes/create-from-backup", "{}"), r => r.Text, CancellationToken.None));

        Assert.False(error.NeverReachedServer);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_refused_connection_proves_the_server_unreachable()
    {
        Uri closed = _server.BaseUrl;
        await _server.DisposeAsync();

        var error = await Assert.ThrowsAsync<PineconeConnectionException>(() =>
            new RestoreJobsApi(Client(maxRetries: 1, host: closed)).DescribeAsync("r1", CancellationToken.None));

        Assert.True(error.NeverReachedServer);
    }

    [Fact]
    public async Task A_repeated_row_is_skipped_and_counted_and_a_last_full_page_then_an_empty_one_ends_quietly()
    {
        _server.Answer(200, Page("t1", "a", "b"))
            .Answer(200, Page("t2", "b", "c")) // "b" moved down a place: a job was added in front of it
            .Answer(200, Page("t3", "d", "e")) // exactly limit long, with a token
            .Answer(200, """{"data":[],"pagination":null}""");

        PageCursor<RestoreJob> cursor = Api().List(2);
        var ids = new List<string>();
        while (!cursor.IsComplete)
        {
            ids.AddRange((await cursor.NextPageAsync(CancellationToken.None)).Select(j => j.RestoreJobId));
        }

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, ids);
        Assert.Equal(1, cursor.DuplicatesSkipped);
        Assert.Equal(4, cursor.PagesFetched);
        Assert.Contains(_log.Messages, m => m.StartsWith("Skipped 1 item(s) of page 2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a\r\nX-Evil: 1", "/restore-jobs/a%0D%0AX-Evil%3A%201")]
    [InlineData("../indexes", "/restore-jobs/..%2Findexes")]
    [InlineData("a/b?c=d#e", "/restore-jobs/a%2Fb%3Fc%3Dd%23e")]
    [InlineData("%2F%00", "/restore-jobs/%252F%2500")]
    [InlineData("a b\tc\0", "/restore-jobs/a%20b%09c%00")]
    [InlineData("ünï", "/restore-jobs/%C3%BCn%C3%AF")]
    [InlineData("\\..\\x", "/restore-jobs/%5C..%5Cx")]
    public async Task An_id_cannot_change_the_request_line_or_the_headers(string id, string path)
    {
        _server.Answer(200, Job);

        await Api().DescribeAsync(id, CancellationToken.None);

        string[] lines = Assert.Single(_server.Requests).Split("\r\n");
        Assert.Equal($"GET {path} HTTP/1.1", lines[0]);
        Assert.DoesNotContain(lines, l => l.StartsWith("X-Evil", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_token_cannot_add_query_parameters_or_headers()
    {
        _server.Answer(200, Page(""));

        await Api().ListPageAsync(5, "t&limit=100#x\r\nX-Evil: 1", CancellationToken.None);

        string[] lines = Assert.Single(_server.Requests).Split("\r\n");
        Assert.Equal("GET /restore-jobs?limit=5&paginationToken=t%26limit%3D100%23x%0D%0AX-Evil%3A%201 HTTP/1.1", lines[0]);
        Assert.DoesNotContain(lines, l => l.StartsWith("X-Evil", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_long_id_goes_out_as_one_escaped_segment()
    {
        string id = new string('x', 3000) + "/" + new string('y', 3000); // long, and still under the 8,000-character URL cap
        _server.Answer(200, Job);

        await Api().DescribeAsync(id, CancellationToken.None);

        string line = Assert.Single(_server.Requests).Split("\r\n")[0];
        Assert.Equal($"GET /restore-jobs/{new string('x', 3000)}%2F{new string('y', 3000)} HTTP/1.1", line);
    }

    [Fact]
    public async Task Log_lines_read_the_same_in_every_culture()
    {
        _server.Answer(503, "").Answer(200, Job);
        CultureInfo before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            await Api().DescribeAsync("r1", CancellationToken.None);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        string retry = Assert.Single(_log.Messages, m => m.StartsWith("Retry", StringComparison.Ordinal));
        Assert.Matches(@"^Retry 1 of 2 for GET http://127\.0\.0\.1:\d+/restore-jobs/r1 in \d+\.\d+ s: HTTP 503 UNAVAILABLE$", retry);
    }

    [Fact]
    public void The_handler_keeps_certificate_validation_and_the_system_proxy()
    {
        using HttpClientHandler handler = PineconeHttpClient.CreateHandler();

        Assert.Null(handler.ServerCertificateCustomValidationCallback);
        Assert.True(handler.UseProxy);
        Assert.Null(handler.Proxy); // null means the system proxy (environment, settings)
        Assert.False(handler.AllowAutoRedirect);
        Assert.Equal(System.Security.Authentication.SslProtocols.None, handler.SslProtocols); // the platform's choice
        Assert.Equal(ClientCertificateOption.Manual, handler.ClientCertificateOptions);
        // Windows PowerShell's default of 2 per server would run -ThrottleLimit 4 two at a time.
        Assert.Equal(64, handler.MaxConnectionsPerServer);
    }

    [Fact]
    public async Task A_body_echoing_the_key_keeps_it_out_of_the_message()
    {
        _server.Answer(200, """{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Done","created_at":"pcsk_secret_key"}""");

        var error = await Assert.ThrowsAsync<PineconeInvalidResponseException>(() => Api().DescribeAsync("r", CancellationToken.None));

        Assert.DoesNotContain("pcsk_secret_key", error.ToString());
        Assert.Contains("created_at", error.Message);
    }
}

internal sealed class ListLog : IRequestLog
{
    private readonly List<string> _messages = new();

    public IReadOnlyList<string> Messages
    {
        get { lock (_messages) return _messages.ToArray(); }
    }

    public void Write(string message)
    {
        lock (_messages) _messages.Add(message);
    }
}
