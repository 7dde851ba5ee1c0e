using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>Runs the official TypeScript SDK (tests/sdk-conformance) against the in-process emulator.</summary>
public sealed class SdkConformanceTests
{
    [Fact]
    public async Task OfficialTypeScriptSdk_AgreesWithEmulator()
    {
        var node = TestTools.FindOnPath("node")
            ?? throw new Xunit.Sdk.XunitException(
                "Node.js ('node') is not on PATH. The SDK conformance test needs Node.js >= 18 to run the official " +
                "@pinecone-database/pinecone SDK against the emulator. Install Node.js and re-run; this test does not skip.");
        var dir = Path.Combine(Repo.Root, "tests", "sdk-conformance");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "@pinecone-database", "pinecone")))
        {
            var npm = TestTools.FindOnPath("npm")
                ?? throw new Xunit.Sdk.XunitException("npm is not on PATH; cannot install tests/sdk-conformance (npm ci).");
            var ci = await TestTools.RunAsync(npm, "ci --no-audit --no-fund", dir, new(), TimeSpan.FromSeconds(300));
            Assert.True(ci.ExitCode == 0, $"npm ci failed ({ci.ExitCode}):\n{ci.StdOut}\n{ci.StdErr}");
        }

        await using var emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { ApiKey = "sdk-conformance-key" });
        var env = new Dictionary<string, string>
        {
            ["PINECONE_CONTROLLER_HOST"] = emulator.BaseUrl.ToString(),
            ["PINECONE_API_KEY"] = emulator.ApiKey,
        };
        var run = await TestTools.RunAsync(node, "conformance.mjs", dir, env, TimeSpan.FromSeconds(120));
        Assert.True(run.ExitCode == 0, $"node conformance.mjs failed ({run.ExitCode}):\n{run.StdOut}\n{run.StdErr}");
        var line = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        var result = JsonNode.Parse(line)!.AsObject();
        Assert.True(result["fatal"] is null, "SDK failed: " + result["fatal"]?.ToJsonString());

        // Every seeded id, in list order, over several pages of 5.
        var expected = emulator.State.RestoreJobs.Select(j => j.RestoreJobId).ToArray();
        Assert.Equal(12, expected.Length);
        Assert.Equal(expected, result["ids"]!.AsArray().Select(n => (string)n!).ToArray());
        Assert.Equal(3, (int)result["pages"]!);
        Assert.Equal(new[] { 5, 5, 2 }, result["pageSizes"]!.AsArray().Select(n => (int)n!).ToArray());

        // describeRestoreJob(first id) equals the emulator's job.
        var job = emulator.State.RestoreJobs[0];
        var d = result["described"]!;
        Assert.Equal(job.RestoreJobId, (string?)d["restoreJobId"]);
        Assert.Equal(job.BackupId, (string?)d["backupId"]);
        Assert.Equal(job.TargetIndexName, (string?)d["targetIndexName"]);
        Assert.Equal(job.TargetIndexId, (string?)d["targetIndexId"]);
        Assert.Equal(job.Status, (string?)d["status"]);
        Assert.Equal(job.CreatedAt, DateTimeOffset.Parse((string)d["createdAt"]!));
        Assert.Equal(job.CompletedAt, DateTimeOffset.Parse((string)d["completedAt"]!));
        Assert.Equal(job.PercentComplete, (double?)d["percentComplete"]);
        Assert.Equal("object", (string?)d["createdAtType"]);
        Assert.True((bool)d["createdAtIsDate"]!);
        Assert.True((bool)d["completedAtIsDate"]!);

        // A null created_at is not an error for this SDK: it becomes new Date(null), i.e. the Unix epoch.
        var nullCreated = emulator.State.RestoreJobs.Single(j => j.CreatedAt is null).RestoreJobId;
        var listedNull = result["listed"]!.AsArray().Single(n => (string?)n!["id"] == nullCreated)!;
        Assert.Equal("1970-01-01T00:00:00.000Z", (string?)listedNull["createdAt"]);

        // Errors surface as the SDK's own classes.
        Assert.True((bool)result["notFound"]!["thrown"]!);
        Assert.Equal("PineconeNotFoundError", (string?)result["notFound"]!["name"]);
        Assert.Contains("/restore-jobs/no-such-job", (string?)result["notFound"]!["message"]);
        Assert.True((bool)result["unauthorized"]!["thrown"]!);
        Assert.Equal("PineconeAuthorizationError", (string?)result["unauthorized"]!["name"]);

        // What the SDK put on the wire.
        var log = emulator.State.Requests;
        var lists = log.Where(r => r.Path == "/restore-jobs" && r.ApiKeyValid).ToArray();
        Assert.Equal(3, lists.Length);
        Assert.All(log, r => Assert.Equal("2025-04", r.ApiVersionHeader));
        Assert.All(log, r => Assert.True(r.ApiKeyPresent));
        Assert.All(log, r => Assert.StartsWith("@pinecone-database/pinecone", r.UserAgent));
        Assert.Equal("?limit=5", lists[0].Query);
        Assert.All(lists, r => Assert.Contains("limit=5", r.Query));
        Assert.All(lists.Skip(1), r => Assert.Contains("paginationToken=", r.Query));
        Assert.Contains(log, r => r.Path == "/restore-jobs/no-such-job" && r.StatusCode == 404);
        Assert.Contains(log, r => r.Path == "/restore-jobs" && r.ApiKeyPresent && !r.ApiKeyValid && r.StatusCode == 401);
    }
}

/// <summary>The emulator's HTTP contract, checked with plain HttpClient.</summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private PineconeEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await PineconeEmulator.StartAsync();
        _http = new HttpClient { BaseAddress = _emulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Add("Api-Key", _emulator.ApiKey);
        _http.DefaultRequestHeaders.Add("X-Pinecone-API-Version", "2025-04");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private EmulatorState State => _emulator.State;

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string relative, HttpClient? client = null)
    {
        var response = await (client ?? _http).GetAsync(relative);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static string ErrorCode(string body) => JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>();

    // ---- startup and binding ---------------------------------------------------------------------------------------

    [Fact]
    public void BaseUrl_IsLoopbackWithTrailingSlash()
    {
        Assert.Equal("127.0.0.1", _emulator.BaseUrl.Host);
        Assert.NotEqual(0, _emulator.BaseUrl.Port);
        Assert.EndsWith("/", _emulator.BaseUrl.AbsoluteUri);
        Assert.Equal("emulator-key", _emulator.ApiKey);
    }

    [Fact]
    public void Seeds_AreTheDocumentedTwelve()
    {
        var jobs = State.RestoreJobs;
        Assert.Equal(12, jobs.Count);
        Assert.Equal(12, jobs.Select(j => j.RestoreJobId).Distinct().Count());
        Assert.All(jobs, j => Assert.True(Guid.TryParse(j.RestoreJobId, out _)));
        foreach (var s in new[] { "Pending", "InProgress", "Running", "Failed", "Cancelled" }) Assert.Contains(jobs, j => j.Status == s);
        Assert.True(jobs.Count(j => j.Status == "Completed") >= 4);
        Assert.Single(jobs, j => j.CreatedAt is null);
        Assert.Contains(jobs, j => j.CreatedAt is { Millisecond: > 0 });
        Assert.Contains(jobs, j => j.CreatedAt is { Millisecond: 0 });
        Assert.All(jobs.Where(j => j.Status is "Completed" or "Failed" or "Cancelled"), j => Assert.NotNull(j.CompletedAt));
        Assert.Equal(EmulatorClock.DefaultStart, State.Clock.Now);
    }

    [Fact]
    public async Task NoSeed_ListIsEmptyWithNullPagination()
    {
        await using var empty = await PineconeEmulator.StartAsync(new EmulatorOptions { SeedSampleJobs = false, ApiKey = "k2" });
        using var http = new HttpClient { BaseAddress = empty.BaseUrl };
        http.DefaultRequestHeaders.Add("Api-Key", "k2");
        var (status, body, _) = await GetAsync("restore-jobs", http);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"data\":[],\"pagination\":null}", body);
    }

    // ---- auth ------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task WrongKey_401_ExactSpecBody()
    {
        using var http = new HttpClient { BaseAddress = _emulator.BaseUrl };
        http.DefaultRequestHeaders.Add("Api-Key", "wrong");
        var (status, body, response) = await GetAsync("restore-jobs", http);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"error\":{\"code\":\"UNAUTHENTICATED\",\"message\":\"Invalid API key.\"},\"status\":401}", body);
    }

    [Fact]
    public async Task MissingKey_401_Unauthenticated()
    {
        using var http = new HttpClient { BaseAddress = _emulator.BaseUrl };
        var (status, body, _) = await GetAsync("restore-jobs/whatever", http);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHENTICATED", ErrorCode(body));
        Assert.Equal(401, JsonNode.Parse(body)!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task ApiKeyHeaderName_IsCaseInsensitive()
    {
        using var http = new HttpClient { BaseAddress = _emulator.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "restore-jobs?limit=1");
        request.Headers.TryAddWithoutValidation("api-key", _emulator.ApiKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // ---- describe --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Describe_UnknownJob_404_ExactSpecBody()
    {
        var (status, body, _) = await GetAsync("restore-jobs/670e8400-e29b-41d4-a716-446655440002");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"Restore job 670e8400-e29b-41d4-a716-446655440002 not found.\"},\"status\":404}", body);
    }

    [Fact]
    public async Task Describe_ReturnsBareRestoreJobModel()
    {
        var (status, body, _) = await GetAsync("restore-jobs/7a3f9c2e-5b1d-4e8a-9f6c-0d2b4e6a8c01");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            "{\"restore_job_id\":\"7a3f9c2e-5b1d-4e8a-9f6c-0d2b4e6a8c01\",\"backup_id\":\"b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11\"," +
            "\"target_index_name\":\"products-restore\",\"target_index_id\":\"e5d2a8f1-3c6b-4a9e-8d7f-1b0c2e4a6d21\",\"status\":\"Completed\"," +
            "\"created_at\":\"2025-05-31T09:15:00.000Z\",\"completed_at\":\"2025-05-31T09:42:17.512Z\",\"percent_complete\":100}", body);
    }

    [Fact]
    public async Task Describe_NullCreatedAt_AndUnsetFieldsOmitted()
    {
        var nullCreated = State.RestoreJobs.Single(j => j.CreatedAt is null);
        var obj = JsonNode.Parse((await GetAsync("restore-jobs/" + nullCreated.RestoreJobId)).Body)!.AsObject();
        Assert.True(obj.ContainsKey("created_at"));
        Assert.Null(obj["created_at"]);

        var pending = State.RestoreJobs.First(j => j.Status == "Pending");
        obj = JsonNode.Parse((await GetAsync("restore-jobs/" + pending.RestoreJobId)).Body)!.AsObject();
        Assert.False(obj.ContainsKey("completed_at"));
        State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "bare", BackupId = "b", TargetIndexName = "i", TargetIndexId = "x", Status = "Pending", CreatedAt = State.Clock.Now });
        obj = JsonNode.Parse((await GetAsync("restore-jobs/bare")).Body)!.AsObject();
        Assert.False(obj.ContainsKey("percent_complete"));
        Assert.Equal("2025-06-01T12:00:00.000Z", (string?)obj["created_at"]);
    }

    [Fact]
    public async Task Describe_EscapedSlash_IsOneIdSegment()
    {
        var (status, body, _) = await GetAsync("restore-jobs/a%2Fb");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Restore job a/b not found.", JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>());

        State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "a/b", BackupId = "b", TargetIndexName = "idx", TargetIndexId = "id", Status = "Completed", CreatedAt = State.Clock.Now });
        (status, body, _) = await GetAsync("restore-jobs/a%2Fb");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("a/b", JsonNode.Parse(body)!["restore_job_id"]!.GetValue<string>());
        Assert.Equal("/restore-jobs/a%2Fb", State.Requests.Last().Path);

        // An unescaped slash is another route, not the id.
        (status, body, _) = await GetAsync("restore-jobs/a/b");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NOT_FOUND", ErrorCode(body));
    }

    [Fact]
    public async Task UnknownPath_404_SpecShaped()
    {
        var (status, body, _) = await GetAsync("collections");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NOT_FOUND", ErrorCode(body));
        Assert.Equal(404, JsonNode.Parse(body)!["status"]!.GetValue<int>());
    }

    // ---- list ------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("")]
    public async Task List_BadLimit_400_InvalidArgument(string limit)
    {
        var (status, body, _) = await GetAsync("restore-jobs?limit=" + limit);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_ARGUMENT", ErrorCode(body));
        Assert.Equal(400, JsonNode.Parse(body)!["status"]!.GetValue<int>());
        Assert.Contains("limit", JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_DefaultLimitIs10_ThenLastPageHasNullPagination()
    {
        var first = JsonNode.Parse((await GetAsync("restore-jobs")).Body)!;
        Assert.Equal(10, first["data"]!.AsArray().Count);
        var next = first["pagination"]!["next"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(next));

        var (status, body, _) = await GetAsync("restore-jobs?paginationToken=" + Uri.EscapeDataString(next));
        Assert.Equal(HttpStatusCode.OK, status);
        var last = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(2, last["data"]!.AsArray().Count);
        Assert.True(last.ContainsKey("pagination"));
        Assert.Null(last["pagination"]);
        Assert.EndsWith(",\"pagination\":null}", body);
    }

    [Fact]
    public async Task List_FollowingNext_YieldsAllJobsInOrder()
    {
        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var body = (await GetAsync("restore-jobs?limit=5" + (token is null ? "" : "&paginationToken=" + Uri.EscapeDataString(token)))).Body;
            var page = JsonNode.Parse(body)!;
            pages++;
            ids.AddRange(page["data"]!.AsArray().Select(j => j!["restore_job_id"]!.GetValue<string>()));
            token = page["pagination"]?["next"]?.GetValue<string>();
        } while (token is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(State.RestoreJobs.Select(j => j.RestoreJobId), ids);
    }

    [Fact]
    public async Task List_OnePageHoldsAll_PaginationNull()
    {
        var page = JsonNode.Parse((await GetAsync("restore-jobs?limit=100")).Body)!.AsObject();
        Assert.Equal(12, page["data"]!.AsArray().Count);
        Assert.Null(page["pagination"]);
    }

    [Theory]
    [InlineData("garbage!!")]
    [InlineData("dXNlcl9pZD11c2VyXzE=")]
    [InlineData("cmoxfDAwMDB8NXxu")]
    public async Task List_GarbledOrForeignToken_400(string token)
    {
        var (status, body, _) = await GetAsync("restore-jobs?limit=5&paginationToken=" + Uri.EscapeDataString(token));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_ARGUMENT", ErrorCode(body));
    }

    [Fact]
    public async Task List_TokenFromAnotherEmulator_400()
    {
        var next = JsonNode.Parse((await GetAsync("restore-jobs?limit=5")).Body)!["pagination"]!["next"]!.GetValue<string>();
        await using var other = await PineconeEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = other.BaseUrl };
        http.DefaultRequestHeaders.Add("Api-Key", other.ApiKey);
        var (status, _, _) = await GetAsync("restore-jobs?limit=5&paginationToken=" + Uri.EscapeDataString(next), http);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    // ---- faults ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Fault_Status_429_WithRetryAfter_ThenServesNormally()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "1" });
        var (status, body, response) = await GetAsync("restore-jobs?limit=2");
        Assert.Equal((HttpStatusCode)429, status);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("RESOURCE_EXHAUSTED", ErrorCode(body));
        Assert.Equal(429, JsonNode.Parse(body)!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs?limit=2")).Status);
        Assert.Equal(FaultKind.Status, State.Requests[0].Fault);
        Assert.Equal(429, State.Requests[0].StatusCode);
    }

    [Theory]
    [InlineData(500, "UNKNOWN")]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(504, "DEADLINE_EXCEEDED")]
    public async Task Fault_Status_DerivesErrorCode(int code, string expected)
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = code });
        var (status, body, _) = await GetAsync("restore-jobs");
        Assert.Equal(code, (int)status);
        Assert.Equal(expected, ErrorCode(body));
    }

    [Fact]
    public async Task Fault_Status_ExplicitCodeAndMessage_DefaultIs503()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Status, ErrorCode = "QUOTA_EXCEEDED", Message = "slow down" });
        var (status, body, _) = await GetAsync("restore-jobs");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("{\"error\":{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"slow down\"},\"status\":503}", body);
    }

    [Fact]
    public async Task Fault_HtmlBody_502_TextHtml()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.HtmlBody });
        var (status, body, response) = await GetAsync("restore-jobs");
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>502 Bad Gateway</title>", body);
        Assert.Contains("nginx", body);
    }

    [Fact]
    public async Task Fault_EmptyBody()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.EmptyBody, StatusCode = 500 });
        var (status, body, _) = await GetAsync("restore-jobs");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Fault_TruncatedJson()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.TruncatedJson, StatusCode = 500 });
        var (status, body, response) = await GetAsync("restore-jobs");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("{\"error\":{", body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Fault_MalformedSuccess()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.MalformedSuccess });
        var (status, body, response) = await GetAsync("restore-jobs");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"data\": [ {\"restore_job_id\": \"x\", ", body);
    }

    [Fact]
    public async Task Fault_MissingRequiredField_ListAndDescribe()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.MissingRequiredField, Remaining = 2 });
        var page = JsonNode.Parse((await GetAsync("restore-jobs?limit=3")).Body)!["data"]!.AsArray();
        Assert.False(page[0]!.AsObject().ContainsKey("restore_job_id"));
        Assert.True(page[1]!.AsObject().ContainsKey("restore_job_id"));
        var id = State.RestoreJobs[0].RestoreJobId;
        var job = JsonNode.Parse((await GetAsync("restore-jobs/" + id)).Body)!.AsObject();
        Assert.False(job.ContainsKey("restore_job_id"));
        Assert.Equal(State.RestoreJobs[0].BackupId, (string?)job["backup_id"]);
        job = JsonNode.Parse((await GetAsync("restore-jobs/" + id)).Body)!.AsObject();
        Assert.True(job.ContainsKey("restore_job_id"));
    }

    [Fact]
    public async Task Fault_DropConnection_ClientSeesHttpRequestException()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.DropConnection });
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync("restore-jobs"));
        Assert.Equal(0, State.Requests.Single().StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs")).Status);
    }

    [Fact]
    public async Task Fault_Hang_HonoursClientCancellation()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Hang });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _http.GetAsync("restore-jobs", cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
        // the server side notices the client went away and records no status
        for (var i = 0; i < 50 && State.Requests.Single().StatusCode != 0; i++) await Task.Delay(50);
        Assert.Equal(0, State.Requests.Single().StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs")).Status);
    }

    [Fact]
    public async Task Fault_Hang_IsReleasedWhenEmulatorStops()
    {
        await using var emulator = await PineconeEmulator.StartAsync();
        emulator.State.AddFault(new FaultRule { Kind = FaultKind.Hang });
        using var http = new HttpClient { BaseAddress = emulator.BaseUrl };
        var pending = http.GetAsync("restore-jobs");
        for (var i = 0; i < 100 && emulator.State.Requests.Count == 0; i++) await Task.Delay(20);
        var sw = Stopwatch.StartNew();
        await emulator.StopAsync();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4), $"stop took {sw.Elapsed}");
        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
    }

    [Fact]
    public async Task Fault_Latency_DelaysThenServes()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Latency, LatencyMs = 400 });
        var sw = Stopwatch.StartNew();
        var (status, _, _) = await GetAsync("restore-jobs");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(sw.ElapsedMilliseconds >= 350, $"took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Fault_RepeatToken_FirstPage_NextPageRepeatsTheSameToken()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.RepeatToken });
        var t1 = JsonNode.Parse((await GetAsync("restore-jobs?limit=5")).Body)!["pagination"]!["next"]!.GetValue<string>();
        var p2 = JsonNode.Parse((await GetAsync("restore-jobs?limit=5&paginationToken=" + Uri.EscapeDataString(t1))).Body)!;
        Assert.Equal(t1, p2["pagination"]!["next"]!.GetValue<string>());
        Assert.Equal(5, p2["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Fault_RepeatToken_LaterPage_EchoesIncomingToken()
    {
        var t1 = JsonNode.Parse((await GetAsync("restore-jobs?limit=5")).Body)!["pagination"]!["next"]!.GetValue<string>();
        State.AddFault(new FaultRule { Kind = FaultKind.RepeatToken, PathPrefix = "/restore-jobs" });
        var p2 = JsonNode.Parse((await GetAsync("restore-jobs?limit=5&paginationToken=" + Uri.EscapeDataString(t1))).Body)!;
        Assert.Equal(t1, p2["pagination"]!["next"]!.GetValue<string>());
        // rule spent: the same token now leads on normally
        var again = JsonNode.Parse((await GetAsync("restore-jobs?limit=5&paginationToken=" + Uri.EscapeDataString(t1))).Body)!;
        Assert.NotEqual(t1, again["pagination"]!["next"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fault_PathPrefix_AndForever()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, PathPrefix = "/restore-jobs/", Remaining = -1 });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs")).Status);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.InternalServerError, (await GetAsync("restore-jobs/x")).Status);
        State.ClearFaults();
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("restore-jobs/x")).Status);
    }

    [Fact]
    public async Task Fault_SkipFirst_LetsMatchingRequestsThroughFirst()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 400, ErrorCode = "INVALID_ARGUMENT", PathPrefix = "/restore-jobs", SkipFirst = 1 });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs?limit=5")).Status);
        var (status, body, _) = await GetAsync("restore-jobs?limit=5");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_ARGUMENT", ErrorCode(body));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs?limit=5")).Status);
        Assert.Equal(new FaultKind?[] { null, FaultKind.Status, null }, State.Requests.Select(r => r.Fault).ToArray());
    }

    [Fact]
    public async Task Faults_AreCheckedInOrder_AndFireBeforeAuth()
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Remaining = 1 });
        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Remaining = 1 });
        using var anonymous = new HttpClient { BaseAddress = _emulator.BaseUrl };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync("restore-jobs", anonymous)).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await GetAsync("restore-jobs")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("restore-jobs", anonymous)).Status);
    }

    // ---- request log -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task RequestLog_RecordsHeadersAndRawTarget()
    {
        using var http = new HttpClient { BaseAddress = _emulator.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "restore-jobs?limit=2&paginationToken=x");
        request.Headers.TryAddWithoutValidation("Api-Key", "nope");
        request.Headers.TryAddWithoutValidation("x-pinecone-api-version", "2024-07");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("conformance", "1.0"));
        using var _ = await http.SendAsync(request);
        await GetAsync("restore-jobs/a%2Fb");
        await http.GetAsync("restore-jobs");
        await _http.PostAsync("_emulator/requests", null); // admin: never logged

        var log = State.Requests;
        Assert.Equal(3, log.Count);
        Assert.Equal(("GET", "/restore-jobs", "?limit=2&paginationToken=x"), (log[0].Method, log[0].Path, log[0].Query));
        Assert.Equal("2024-07", log[0].ApiVersionHeader);
        Assert.Equal("conformance/1.0", log[0].UserAgent);
        Assert.True(log[0].ApiKeyPresent);
        Assert.False(log[0].ApiKeyValid);
        Assert.Equal(401, log[0].StatusCode);
        Assert.Equal(EmulatorClock.DefaultStart, log[0].Time);
        Assert.Equal("/restore-jobs/a%2Fb", log[1].Path);
        Assert.Equal("", log[1].Query);
        Assert.Equal("2025-04", log[1].ApiVersionHeader);
        Assert.True(log[1].ApiKeyValid);
        Assert.Equal(404, log[1].StatusCode);
        Assert.False(log[2].ApiKeyPresent);
        Assert.Null(log[2].ApiVersionHeader);
        State.ClearRequests();
        Assert.Empty(State.Requests);
    }

    [Fact]
    public async Task OtherApiVersion_IsStillServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "restore-jobs?limit=1");
        request.Headers.Remove("X-Pinecone-API-Version");
        using var http = new HttpClient { BaseAddress = _emulator.BaseUrl };
        request.Headers.TryAddWithoutValidation("Api-Key", _emulator.ApiKey);
        request.Headers.TryAddWithoutValidation("X-Pinecone-API-Version", "2099-01");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2099-01", State.Requests.Single().ApiVersionHeader);
    }

    // ---- clock and progress ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Clock_DrivesProgress_AndCompletion()
    {
        State.AddRestoreJob(new EmulatedRestoreJob
        {
            RestoreJobId = "moving", BackupId = "b", TargetIndexName = "products-restore", TargetIndexId = "i",
            Status = "Pending", CreatedAt = State.Clock.Now, PercentComplete = 0, ProgressPerMinute = 10,
        });
        State.Clock.Advance(TimeSpan.FromMinutes(3));
        var job = JsonNode.Parse((await GetAsync("restore-jobs/moving")).Body)!;
        Assert.Equal("InProgress", (string?)job["status"]);
        Assert.Equal(30, (double)job["percent_complete"]!);
        Assert.Null(job["completed_at"]);

        State.Clock.Advance(TimeSpan.FromHours(1));
        job = JsonNode.Parse((await GetAsync("restore-jobs/moving")).Body)!;
        Assert.Equal("Completed", (string?)job["status"]);
        Assert.Equal(100, (double)job["percent_complete"]!);
        Assert.Equal("2025-06-01T12:10:00.000Z", (string?)job["completed_at"]);
        Assert.Equal("Pending", State.RestoreJobs.Single(j => j.RestoreJobId == "moving").Status); // stored job untouched

        State.Reset();
        Assert.Equal(EmulatorClock.DefaultStart, State.Clock.Now);
        Assert.DoesNotContain(State.RestoreJobs, j => j.RestoreJobId == "moving");
        Assert.Equal(12, State.RestoreJobs.Count);
    }

    // ---- admin endpoints -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Admin_Endpoints_WorkWithoutKey_AndAreNotLoggedOrFaulted()
    {
        using var admin = new HttpClient { BaseAddress = _emulator.BaseUrl };
        State.AddFault(new FaultRule { Kind = FaultKind.Status, Remaining = -1, PathPrefix = "/_emulator" });

        var posted = await admin.PostAsync("_emulator/jobs", new StringContent(
            "{\"restoreJobId\":\"admin-job\",\"backupId\":\"bk\",\"targetIndexName\":\"docs-prod\",\"targetIndexId\":\"ti\",\"status\":\"Running\",\"createdAt\":\"2025-06-01T11:00:00.5Z\",\"percentComplete\":12.5}",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var job = State.RestoreJobs.Last();
        Assert.Equal(("admin-job", "Running", 12.5), (job.RestoreJobId, job.Status, job.PercentComplete!.Value));
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 11, 0, 0, 500, TimeSpan.Zero), job.CreatedAt);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("_emulator/faults")).StatusCode);
        var fault = await admin.PostAsync("_emulator/faults", new StringContent(
            "{\"kind\":\"Status\",\"statusCode\":429,\"retryAfter\":\"2\",\"pathPrefix\":\"/restore-jobs\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, fault.StatusCode);
        var (status, _, response) = await GetAsync("restore-jobs");
        Assert.Equal((HttpStatusCode)429, status);
        Assert.Equal("2", response.Headers.GetValues("Retry-After").Single());

        var requests = JsonNode.Parse(await admin.GetStringAsync("_emulator/requests"))!.AsArray();
        Assert.Single(requests);
        Assert.Equal("/restore-jobs", (string?)requests[0]!["path"]);
        Assert.Equal(429, (int)requests[0]!["statusCode"]!);
        Assert.Equal("Status", (string?)requests[0]!["fault"]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("_emulator/requests")).StatusCode);
        Assert.Empty(State.Requests);

        var advanced = JsonNode.Parse(await (await admin.PostAsync("_emulator/clock/advance?seconds=90", null)).Content.ReadAsStringAsync())!;
        Assert.Equal(EmulatorClock.DefaultStart.AddSeconds(90), State.Clock.Now);
        Assert.Equal(State.Clock.Now, DateTimeOffset.Parse((string)advanced["now"]!));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("_emulator/reset", null)).StatusCode);
        Assert.Equal(EmulatorClock.DefaultStart, State.Clock.Now);
        Assert.Empty(State.Faults);
        Assert.Equal(12, State.RestoreJobs.Count);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs")).Status);

        var bad = await admin.PostAsync("_emulator/faults", new StringContent("{\"kind\":\"Nope\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

internal static class TestTools
{
    public static string? FindOnPath(string name)
    {
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name + ".cmd", name } : new[] { name };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var n in names)
            {
                var candidate = Path.Combine(dir.Trim('"'), n);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(
        string file, string arguments, string workingDirectory, Dictionary<string, string> env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {arguments} did not finish within {timeout.TotalSeconds} s.\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
