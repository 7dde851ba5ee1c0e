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

        await using var emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { ApiKey = "sdk-conformance-key", RestoreCompleteAfter = TimeSpan.Zero });
        var env = new Dictionary<string, string>
        {
            ["PINECONE_CONTROLLER_HOST"] = emulator.BaseUrl.ToString(),
            ["PINECONE_API_KEY"] = emulator.ApiKey,
            ["CONFORMANCE_SOURCE_INDEX"] = "docs-prod",
            ["CONFORMANCE_READY_BACKUP"] = SampleData.ReadyBackupId,
            ["CONFORMANCE_DELETABLE_BACKUP"] = SampleData.FailedBackupId,
        };
        var seededBackups = emulator.State.Backups.Select(b => b.BackupId).ToArray();
        var seededJobs = emulator.State.RestoreJobs.Select(j => j.RestoreJobId).ToArray();
        var run = await TestTools.RunAsync(node, "conformance.mjs", dir, env, TimeSpan.FromSeconds(120));
        Assert.True(run.ExitCode == 0, $"node conformance.mjs failed ({run.ExitCode}):\n{run.StdOut}\n{run.StdErr}");
        var line = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        var result = JsonNode.Parse(line)!.AsObject();
        Assert.True(result["fatal"] is null, "SDK failed: " + result["fatal"]?.ToJsonString());

        // Every seeded id, in list order, over several pages of 5.
        var expected = seededJobs;
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

        // createBackup: a 201 BackupModel, Initializing, with the index's counts.
        var created = result["createdBackup"]!;
        Assert.True(created["thrown"] is null, "createBackup: " + created.ToJsonString());
        var createdId = (string)created["backupId"]!;
        Assert.Equal(("docs-prod", SampleData.DocsIndexId, "sdk-backup", "made by the SDK", "Initializing"),
            ((string?)created["sourceIndexName"], (string?)created["sourceIndexId"], (string?)created["name"], (string?)created["description"], (string?)created["status"]));
        Assert.Equal((20_000, 2, 768, "dotproduct"), ((int)created["recordCount"]!, (int)created["namespaceCount"]!, (int)created["dimension"]!, (string?)created["metric"]));

        // listBackups over pages of 3 sees every backup (the seeded ones and the new one) once, in order.
        Assert.Equal(seededBackups.Append(createdId), result["listedBackups"]!["ids"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(3, (int)result["listedBackups"]!["pages"]!);
        var docsBackups = SampleData.Backups().Where(b => b.SourceIndexName == "docs-prod").Select(b => b.BackupId).Append(createdId);
        Assert.Equal(docsBackups, result["indexBackups"]!.AsArray().Select(n => (string)n!));

        // describeBackup equals the seeded backup.
        var described = result["describedBackup"]!;
        var seeded = SampleData.Backups().Single(b => b.BackupId == SampleData.ReadyBackupId);
        Assert.Equal((seeded.BackupId, seeded.SourceIndexName, seeded.Name, seeded.Status, seeded.RecordCount, seeded.NamespaceCount, seeded.SizeBytes),
            ((string?)described["backupId"], (string?)described["sourceIndexName"], (string?)described["name"], (string?)described["status"],
             (long?)described["recordCount"], (int?)described["namespaceCount"], (long?)described["sizeBytes"]));
        Assert.Equal("{\"environment\":\"production\",\"team\":\"search\"}", described["tags"]!.ToJsonString());

        // deleteBackup: 202 with no body is success; a second delete is the SDK's not-found error.
        Assert.True(result["deletedBackup"]!["thrown"] is null, "deleteBackup: " + result["deletedBackup"]!.ToJsonString());
        Assert.Null(emulator.State.FindBackup(SampleData.FailedBackupId));
        Assert.Equal("PineconeNotFoundError", (string?)result["deleteAgain"]!["name"]);

        // createIndexFromBackup: ids that describeRestoreJob and describeIndex agree with; a taken name is a conflict.
        var restored = result["restored"]!;
        Assert.True(restored["thrown"] is null, "createIndexFromBackup: " + restored.ToJsonString());
        var restoreJob = emulator.State.FindRestoreJob((string)restored["restoreJobId"]!)!;
        Assert.Equal(("sdk-restore", (string)restored["indexId"]!), (restoreJob.TargetIndexName, restoreJob.TargetIndexId));
        Assert.Equal(("Completed", SampleData.ReadyBackupId, "sdk-restore"), ((string?)result["restoreJob"]!["status"], (string?)result["restoreJob"]!["backupId"], (string?)result["restoreJob"]!["targetIndexName"]));
        Assert.Equal("PineconeConflictError", (string?)result["restoreTaken"]!["name"]);

        // describeIndex: the IndexModel, with a host that describeIndexStats reaches over plain http.
        var index = result["describedIndex"]!;
        Assert.True(index["thrown"] is null, "describeIndex: " + index.ToJsonString());
        Assert.Equal(("sdk-restore", 1536, "cosine", "disabled", true, "Ready", "dense"),
            ((string?)index["name"], (int)index["dimension"]!, (string?)index["metric"], (string?)index["deletionProtection"], (bool)index["ready"]!, (string?)index["state"], (string?)index["vectorType"]));
        Assert.Equal("{\"origin\":\"sdk\"}", index["tags"]!.ToJsonString());
        Assert.Equal("aws", (string?)index["spec"]!["serverless"]!["cloud"]);
        var stats = result["stats"]!;
        Assert.True(stats["thrown"] is null, "describeIndexStats: " + stats.ToJsonString());
        Assert.Equal((120_000, 1536), ((long)stats["totalRecordCount"]!, (int)stats["dimension"]!));
        Assert.Equal((60_000, 40_000, 20_000), ((long)stats["namespaces"]![""]!["recordCount"]!, (long)stats["namespaces"]!["electronics"]!["recordCount"]!, (long)stats["namespaces"]!["garden"]!["recordCount"]!));

        // deleteIndex: 202, after which describeIndex is not found.
        Assert.True(result["deletedIndex"]!["thrown"] is null, "deleteIndex: " + result["deletedIndex"]!.ToJsonString());
        Assert.Equal("PineconeNotFoundError", (string?)result["indexGone"]!["name"]);
        Assert.Null(emulator.State.FindIndex("sdk-restore"));

        // What the SDK put on the wire.
        var log = emulator.State.Requests;
        Assert.Contains(log, r => r.Method == "POST" && r.Path == "/describe_index_stats" && r.IndexHost == (string?)index["host"] && r.StatusCode == 200);
        Assert.Contains(log, r => r.Method == "POST" && r.Path == $"/backups/{SampleData.ReadyBackupId}/create-index"
                                  && JsonNode.Parse(r.Body!)!["deletion_protection"]?.GetValue<string>() == "disabled" && r.StatusCode == 202);
        Assert.Contains(log, r => r.Method == "DELETE" && r.Path == "/indexes/sdk-restore" && r.StatusCode == 202);
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
        using var cts = new CancellationTokenSource();
        var pending = _http.GetAsync("restore-jobs", cts.Token);
        // Cancel once the emulator holds the request (a cold first request can take longer than a fixed delay).
        for (var i = 0; i < 200 && State.Requests.Count == 0; i++) await Task.Delay(20);
        await Task.Delay(100);
        cts.Cancel();
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
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

/// <summary>Pagination, timed restore jobs, backups, indexes, the data plane, random faults and admin, over HTTP.</summary>
public sealed class EmulatorResourceTests : IAsyncLifetime
{
    private PineconeEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await PineconeEmulator.StartAsync();
        _http = NewClient(_emulator);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private EmulatorState State => _emulator.State;

    private static HttpClient NewClient(PineconeEmulator emulator, string? baseUrl = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl ?? emulator.BaseUrl.ToString()), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("Api-Key", emulator.ApiKey);
        http.DefaultRequestHeaders.Add("X-Pinecone-API-Version", "2025-04");
        return http;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string relative, string? json = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, relative);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await (client ?? _http).SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<(HttpStatusCode Status, string Body)> GetAsync(string relative) => SendAsync(HttpMethod.Get, relative);

    private async Task<JsonNode> GetJsonAsync(string relative)
    {
        var (status, body) = await GetAsync(relative);
        Assert.True(status == HttpStatusCode.OK, $"GET {relative} -> {(int)status} {body}");
        return JsonNode.Parse(body)!;
    }

    private static (string Code, string Message, int Status) Error(string body)
    {
        var e = JsonNode.Parse(body)!;
        return ((string)e["error"]!["code"]!, (string)e["error"]!["message"]!, (int)e["status"]!);
    }

    private static string? Next(JsonNode page) => page["pagination"]?["next"]?.GetValue<string>();

    private static string Q(string token) => Uri.EscapeDataString(token);

    // ---- offset pagination -----------------------------------------------------------------------------------------

    [Fact]
    public async Task List_FinalPageExactlyLimitLong_StillCarriesAToken_AndTheNextPageIsEmpty()
    {
        var p1 = await GetJsonAsync("restore-jobs?limit=6");
        var p2 = await GetJsonAsync("restore-jobs?limit=6&paginationToken=" + Q(Next(p1)!));
        Assert.Equal(6, p2["data"]!.AsArray().Count);
        var token = Next(p2);
        Assert.NotNull(token);
        var (status, body) = await GetAsync("restore-jobs?limit=6&paginationToken=" + Q(token!));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"data\":[],\"pagination\":null}", body);
    }

    [Fact]
    public async Task List_TheTokenCarriesThePageSizeItWasMintedWith()
    {
        var p1 = await GetJsonAsync("restore-jobs?limit=5");
        var p2 = await GetJsonAsync("restore-jobs?limit=2&paginationToken=" + Q(Next(p1)!));
        Assert.Equal(State.RestoreJobs.Skip(5).Take(5).Select(j => j.RestoreJobId), p2["data"]!.AsArray().Select(j => (string)j!["restore_job_id"]!));
    }

    [Fact]
    public async Task List_ARowAddedAtTheFrontBetweenPages_ShiftsTheNextPage_SoARowRepeats()
    {
        var p1 = await GetJsonAsync("restore-jobs?limit=5");
        State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "newest", BackupId = "b", TargetIndexName = "i", TargetIndexId = "x", CreatedAt = State.Clock.Now }, atFront: true);
        var p2 = await GetJsonAsync("restore-jobs?limit=5&paginationToken=" + Q(Next(p1)!));
        Assert.Equal((string)p1["data"]![4]!["restore_job_id"]!, (string)p2["data"]![0]!["restore_job_id"]!);
        Assert.Equal("newest", State.RestoreJobs[0].RestoreJobId);
        Assert.Equal("newest", (string)(await GetJsonAsync("restore-jobs?limit=1"))["data"]![0]!["restore_job_id"]!);
    }

    [Fact]
    public async Task List_TwentyThousandJobs_EveryIdOnceInOrder()
    {
        State.ClearRestoreJobs();
        for (var i = 0; i < 20_000; i++)
            State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "job-" + i, BackupId = "b", TargetIndexName = "i", TargetIndexId = "x", Status = "Completed", CreatedAt = State.Clock.Now });
        State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "job-5", BackupId = "replaced", TargetIndexName = "i", TargetIndexId = "x" });
        Assert.True(State.RemoveRestoreJob("job-19999"));

        var ids = new List<string>();
        string? token = null;
        for (var pages = 0; pages < 300; pages++)
        {
            var page = await GetJsonAsync("restore-jobs?limit=100" + (token is null ? "" : "&paginationToken=" + Q(token)));
            ids.AddRange(page["data"]!.AsArray().Select(j => (string)j!["restore_job_id"]!));
            if ((token = Next(page)) is null) break;
        }
        Assert.Equal(Enumerable.Range(0, 19_999).Select(i => "job-" + i), ids);
        Assert.Equal("replaced", State.FindRestoreJob("job-5")!.BackupId);
    }

    [Fact]
    public async Task List_ATokenOfAnotherListing_Is400()
    {
        var token = Next(await GetJsonAsync("backups?limit=2"))!;
        var (status, body) = await GetAsync("restore-jobs?limit=2&paginationToken=" + Q(token));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_ARGUMENT", Error(body).Code);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("indexes/docs-prod/backups?limit=2&paginationToken=" + Q(token))).Status);
    }

    // ---- restore jobs on the clock ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("Completed", true)]
    [InlineData("Failed", false)]
    [InlineData("Cancelled", false)]
    public async Task TimedJob_IsPendingWithoutPercent_ThenItsFinalStatus(string final, bool percent100)
    {
        State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "timed", BackupId = "b", TargetIndexName = "t", TargetIndexId = "x", CreatedAt = State.Clock.Now, CompleteAfter = TimeSpan.FromMinutes(10), FinalStatus = final });
        State.Clock.Advance(TimeSpan.FromMinutes(9.5));
        var job = (await GetJsonAsync("restore-jobs/timed")).AsObject();
        Assert.Equal("Pending", (string?)job["status"]);
        Assert.False(job.ContainsKey("percent_complete"));
        Assert.False(job.ContainsKey("completed_at"));

        State.Clock.Advance(TimeSpan.FromMinutes(1));
        job = (await GetJsonAsync("restore-jobs/timed")).AsObject();
        Assert.Equal(final, (string?)job["status"]);
        Assert.Equal("2025-06-01T12:10:00.000Z", (string?)job["completed_at"]);
        Assert.Equal(percent100, job.ContainsKey("percent_complete"));
        if (percent100) Assert.Equal(100, (double)job["percent_complete"]!);
        Assert.Equal(final, State.ServedRestoreJobs.Single(j => j.RestoreJobId == "timed").Status);
    }

    [Fact]
    public async Task ReportPercentComplete_MakesTheSpecsPercentClimb_WhileStatusStaysPending()
    {
        await using var emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { ReportPercentComplete = true });
        using var http = NewClient(emulator);
        emulator.State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "p", BackupId = "b", TargetIndexName = "t", TargetIndexId = "x", CreatedAt = emulator.State.Clock.Now, CompleteAfter = TimeSpan.FromMinutes(8) });
        emulator.State.Clock.Advance(TimeSpan.FromMinutes(2));
        var job = JsonNode.Parse(await http.GetStringAsync("restore-jobs/p"))!;
        Assert.Equal("Pending", (string?)job["status"]);
        Assert.Equal(25, (double)job["percent_complete"]!);
        emulator.State.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(100, (double)JsonNode.Parse(await http.GetStringAsync("restore-jobs/p"))!["percent_complete"]!);
    }

    [Fact]
    public async Task Clock_Run_MovesWithWallTime_AndPauseStopsIt()
    {
        var start = State.Clock.Now;
        State.Clock.Run(3600);
        for (var i = 0; i < 100 && State.Clock.Now - start < TimeSpan.FromMinutes(5); i++) await Task.Delay(20);
        State.Clock.Pause();
        var paused = State.Clock.Now;
        Assert.True(paused - start >= TimeSpan.FromMinutes(5), $"the running clock only reached {paused}");
        await Task.Delay(50);
        Assert.Equal(paused, State.Clock.Now);
        Assert.False(State.Clock.IsRunning);
        Assert.Equal(paused.AddMinutes(1), State.Clock.Advance(TimeSpan.FromMinutes(1)));

        await using var running = await PineconeEmulator.StartAsync(new EmulatorOptions { ClockSpeed = 100 });
        Assert.Equal(100, running.State.Clock.Speed);
    }

    [Fact]
    public async Task Describe_A404Once_ThenTheJobAgain()
    {
        var id = State.RestoreJobs[0].RestoreJobId;
        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 404, Remaining = 1, PathPrefix = "/restore-jobs/" });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs?limit=1")).Status); // another path: untouched
        var (status, body) = await GetAsync("restore-jobs/" + id);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(("NOT_FOUND", 404), (Error(body).Code, Error(body).Status));
        Assert.Equal(id, (string)(await GetJsonAsync("restore-jobs/" + id))["restore_job_id"]!);
    }

    // ---- backups ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Backups_AreSeededInEveryStatus_AndPaged()
    {
        var p1 = await GetJsonAsync("backups?limit=4");
        var p2 = await GetJsonAsync("backups?limit=4&paginationToken=" + Q(Next(p1)!));
        Assert.Null(Next(p2));
        var all = p1["data"]!.AsArray().Concat(p2["data"]!.AsArray()).ToArray();
        Assert.Equal(State.Backups.Select(b => b.BackupId), all.Select(b => (string)b!["backup_id"]!));
        Assert.Equal(new[] { "InitializationFailed", "Initializing", "Ready" }, all.Select(b => (string)b!["status"]!).Distinct().Order());

        var (status, body) = await GetAsync("backups/" + SampleData.ReadyBackupId);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            "{\"backup_id\":\"b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11\",\"source_index_name\":\"products\",\"source_index_id\":\"5a7c9e1b-3d5f-4a7c-9e1b-3d5f7a9c1e50\"," +
            "\"name\":\"products-nightly-2025-05-31\",\"description\":\"Nightly backup of products\",\"status\":\"Ready\",\"cloud\":\"aws\",\"region\":\"us-east-1\"," +
            "\"dimension\":1536,\"metric\":\"cosine\",\"record_count\":120000,\"namespace_count\":3,\"size_bytes\":737280000," +
            "\"tags\":{\"environment\":\"production\",\"team\":\"search\"},\"created_at\":\"2025-05-31T02:00:00.000Z\"}", body);

        (status, body) = await GetAsync("backups/no-such%2Fbackup");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(("NOT_FOUND", "Backup no-such/backup not found."), (Error(body).Code, Error(body).Message));
    }

    [Fact]
    public async Task IndexBackups_OnlyThatIndexs_EmptyForNone_404ForADeletedIndex()
    {
        var products = await GetJsonAsync("indexes/products/backups?limit=10");
        Assert.Equal(State.Backups.Where(b => b.SourceIndexName == "products").Select(b => b.BackupId), products["data"]!.AsArray().Select(b => (string)b!["backup_id"]!));
        Assert.Null(products["pagination"]);
        Assert.Equal("{\"data\":[],\"pagination\":null}", (await GetAsync("indexes/scratch/backups")).Body);

        Assert.Contains(State.Backups, b => b.SourceIndexName == "legacy-catalog");
        var (status, body) = await GetAsync("indexes/legacy-catalog/backups");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(("NOT_FOUND", "Index legacy-catalog not found.", 404), Error(body));
    }

    [Fact]
    public async Task CreateBackup_201_Initializing_ThenReadyOnTheClock_WithTheIndexsCounts()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "indexes/docs-prod/backups", "{\"name\":\"nightly\",\"description\":\"before deploy\"}");
        Assert.Equal(HttpStatusCode.Created, status);
        var b = JsonNode.Parse(body)!;
        var id = (string)b["backup_id"]!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(("docs-prod", SampleData.DocsIndexId, "nightly", "before deploy", "Initializing"),
            ((string)b["source_index_name"]!, (string)b["source_index_id"]!, (string)b["name"]!, (string)b["description"]!, (string)b["status"]!));
        Assert.Equal((20_000, 2, 768, "dotproduct", "gcp", "us-central1"),
            ((int)b["record_count"]!, (int)b["namespace_count"]!, (int)b["dimension"]!, (string)b["metric"]!, (string)b["cloud"]!, (string)b["region"]!));
        Assert.Equal("2025-06-01T12:00:00.000Z", (string?)b["created_at"]);
        Assert.Equal("{\"name\":\"nightly\",\"description\":\"before deploy\"}", State.Requests.Single().Body);

        State.Clock.Advance(State.BackupReadyAfter - TimeSpan.FromSeconds(1));
        Assert.Equal("Initializing", (string?)(await GetJsonAsync("backups/" + id))["status"]);
        State.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("Ready", (string?)(await GetJsonAsync("backups/" + id))["status"]);
        Assert.Equal("Ready", State.FindBackup(id)!.Status);

        // Without a name or description, those fields are absent.
        var bare = JsonNode.Parse((await SendAsync(HttpMethod.Post, "indexes/scratch/backups", "{}")).Body)!.AsObject();
        Assert.False(bare.ContainsKey("name"));
        Assert.False(bare.ContainsKey("description"));

        (status, body) = await SendAsync(HttpMethod.Post, "indexes/nope/backups", "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(("NOT_FOUND", "Index nope not found.", 404), Error(body));
        (status, body) = await SendAsync(HttpMethod.Post, "indexes/docs-prod/backups", "{\"name\":5}");
        Assert.Equal(((HttpStatusCode)422, "UNPROCESSABLE_ENTITY"), (status, Error(body).Code));
        (status, body) = await SendAsync(HttpMethod.Post, "indexes/docs-prod/backups", "{\"name\":");
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_ARGUMENT"), (status, Error(body).Code));
    }

    [Fact]
    public async Task CreateBackup_PastTheQuota_403Forbidden()
    {
        State.BackupQuota = State.Backups.Count + 1;
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "indexes/products/backups", "{}")).Status);
        var count = State.Backups.Count;
        var (status, body) = await SendAsync(HttpMethod.Post, "indexes/products/backups", "{}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(("FORBIDDEN", "Increase your quota or upgrade to create more backups.", 403), Error(body));
        Assert.Equal(count, State.Backups.Count);
        State.Reset();
        Assert.Null(State.BackupQuota);
    }

    [Fact]
    public async Task DeleteBackup_202WithNoBody_Then404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "backups/" + SampleData.FailedBackupId);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Null(State.FindBackup(SampleData.FailedBackupId));
        var (status, body) = await SendAsync(HttpMethod.Delete, "backups/" + SampleData.FailedBackupId);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(("NOT_FOUND", $"Backup {SampleData.FailedBackupId} not found.", 404), Error(body));
    }

    [Fact]
    public async Task DeleteBackup_WhileARestoreFromItIsPending_412NamingTheJobs()
    {
        State.AddRestoreJob(new EmulatedRestoreJob { RestoreJobId = "second-restore", BackupId = SampleData.BackupWithPendingRestoreId, TargetIndexName = "t", TargetIndexId = "x", CreatedAt = State.Clock.Now, CompleteAfter = TimeSpan.FromMinutes(1) });
        var (status, body) = await SendAsync(HttpMethod.Delete, "backups/" + SampleData.BackupWithPendingRestoreId);
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Equal(("FAILED_PRECONDITION",
            "Unable to delete backup. There are pending restore jobs for this backup: ['3f5a7c9e-1b3d-4f5a-9c7e-9b1d3f5a7c04', 'second-restore']", 412), Error(body));
        Assert.NotNull(State.FindBackup(SampleData.BackupWithPendingRestoreId));

        State.RemoveRestoreJob("3f5a7c9e-1b3d-4f5a-9c7e-9b1d3f5a7c04");
        State.Clock.Advance(TimeSpan.FromMinutes(1)); // second-restore completes
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Delete, "backups/" + SampleData.BackupWithPendingRestoreId)).Status);
    }

    [Fact]
    public async Task CreateIndexFromBackup_202_MakesTheIndexAndARestoreJob_ThatFinishOnTheClock()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", "{\"name\":\"products-copy\",\"deletion_protection\":\"enabled\"}");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var created = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(new[] { "restore_job_id", "index_id" }, created.Select(p => p.Key));
        var jobId = (string)created["restore_job_id"]!;
        var indexId = (string)created["index_id"]!;

        var job = await GetJsonAsync("restore-jobs/" + jobId);
        Assert.Equal((SampleData.ReadyBackupId, "products-copy", indexId, "Pending", "2025-06-01T12:00:00.000Z"),
            ((string)job["backup_id"]!, (string)job["target_index_name"]!, (string)job["target_index_id"]!, (string)job["status"]!, (string)job["created_at"]!));
        Assert.Equal(jobId, State.RestoreJobs.Last().RestoreJobId);
        var index = await GetJsonAsync("indexes/products-copy");
        Assert.Equal((false, "Initializing"), ((bool)index["status"]!["ready"]!, (string)index["status"]!["state"]!));
        Assert.Equal("enabled", (string?)index["deletion_protection"]);
        Assert.Equal("{\"environment\":\"production\",\"team\":\"search\"}", index["tags"]!.ToJsonString()); // inherited from the backup
        Assert.Equal((1536, "cosine"), ((int)index["dimension"]!, (string)index["metric"]!));

        State.Clock.Advance(State.RestoreCompleteAfter);
        job = await GetJsonAsync("restore-jobs/" + jobId);
        Assert.Equal(("Completed", 100.0), ((string)job["status"]!, (double)job["percent_complete"]!));
        index = await GetJsonAsync("indexes/products-copy");
        Assert.Equal((true, "Ready"), ((bool)index["status"]!["ready"]!, (string)index["status"]!["state"]!));
        Assert.Equal(new Dictionary<string, long> { [""] = 60_000, ["electronics"] = 40_000, ["garden"] = 20_000 }, State.FindIndex("products-copy")!.Namespaces);

        // Tags given replace the backup's; deletion protection defaults to disabled.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", "{\"name\":\"copy-2\",\"tags\":{\"drill\":\"r1\"}}")).Status);
        var copy2 = State.FindIndex("copy-2")!;
        Assert.Equal(("disabled", "r1", 1), (copy2.DeletionProtection, copy2.Tags!["drill"], copy2.Tags.Count));
        Assert.Equal("{\"name\":\"copy-2\",\"tags\":{\"drill\":\"r1\"}}", State.Requests.Last(r => r.Method == "POST").Body);
    }

    [Theory]
    [InlineData("{\"name\":\"\"}", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"name\":\"-starts\"}", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"name\":\"ends-\"}", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"name\":\"Upper\"}", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"name\":\"under_score\"}", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"name\":\"a234567890123456789012345678901234567890123456\"}", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"name\":\"ok\",\"tags\":{\"bad key!\":\"v\"}}", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"name\":\"ok\",\"tags\":{\"k\":\"bad/value\"}}", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"name\":\"ok\",\"tags\":{\"k\":1}}", 422, "UNPROCESSABLE_ENTITY")]
    [InlineData("{\"name\":\"ok\",\"deletion_protection\":\"maybe\"}", 422, "UNPROCESSABLE_ENTITY")]
    [InlineData("{\"tags\":{}}", 422, "UNPROCESSABLE_ENTITY")]
    [InlineData("[]", 422, "UNPROCESSABLE_ENTITY")]
    [InlineData("{\"name\":", 400, "INVALID_ARGUMENT")]
    public async Task CreateIndexFromBackup_ABadBody_IsRefused_AndCreatesNothing(string json, int expected, string code)
    {
        var indexes = State.Indexes.Count;
        var (status, body) = await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", json);
        Assert.Equal(expected, (int)status);
        Assert.Equal((code, expected), (Error(body).Code, Error(body).Status));
        Assert.Equal(indexes, State.Indexes.Count);
        Assert.Equal(12, State.RestoreJobs.Count);
    }

    [Fact]
    public async Task CreateIndexFromBackup_TheNameRulesAcceptEdgeCases()
    {
        foreach (var name in new[] { "a", "0-9", new string('z', 45) })
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", $"{{\"name\":\"{name}\"}}")).Status);
    }

    [Fact]
    public async Task CreateIndexFromBackup_409_412_404()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", "{\"name\":\"docs-prod\"}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(("ALREADY_EXISTS", 409), (Error(body).Code, Error(body).Status));

        foreach (var id in new[] { SampleData.InitializingBackupId, SampleData.FailedBackupId })
        {
            (status, body) = await SendAsync(HttpMethod.Post, $"backups/{id}/create-index", "{\"name\":\"fresh\"}");
            Assert.Equal(HttpStatusCode.PreconditionFailed, status);
            Assert.Equal("FAILED_PRECONDITION", Error(body).Code);
            Assert.Contains("is not completed", Error(body).Message);
        }

        (status, body) = await SendAsync(HttpMethod.Post, "backups/nope/create-index", "{\"name\":\"fresh\"}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(("NOT_FOUND", "Backup nope not found.", 404), Error(body));
        Assert.Null(State.FindIndex("fresh"));
    }

    [Theory]
    [InlineData(402, "PAYMENT_REQUIRED")]
    [InlineData(422, "UNPROCESSABLE_ENTITY")]
    public async Task CreateIndexFromBackup_402And422_ThroughAPostOnlyFault(int code, string expected)
    {
        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = code, Method = "POST", PathPrefix = "/backups/" });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("backups/" + SampleData.ReadyBackupId)).Status); // a GET is not hit
        var (status, body) = await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", "{\"name\":\"fresh\"}");
        Assert.Equal(code, (int)status);
        Assert.Equal((expected, code), (Error(body).Code, Error(body).Status));
        Assert.Null(State.FindIndex("fresh"));
    }

    // ---- indexes and the data plane --------------------------------------------------------------------------------

    [Fact]
    public async Task Indexes_ListAndDescribe_SpecShaped_EachWithItsOwnLoopbackHost()
    {
        var list = (await GetJsonAsync("indexes")).AsObject();
        Assert.Equal(new[] { "indexes" }, list.Select(p => p.Key));
        var indexes = list["indexes"]!.AsArray();
        Assert.Equal(State.Indexes.Select(i => i.Name), indexes.Select(i => (string)i!["name"]!));
        var hosts = indexes.Select(i => (string)i!["host"]!).ToArray();
        Assert.All(hosts, h => Assert.Matches(@"^127\.0\.0\.1:\d+$", h));
        Assert.Equal(hosts.Length, hosts.Distinct().Count());
        Assert.DoesNotContain($"127.0.0.1:{_emulator.BaseUrl.Port}", hosts);

        var (status, body) = await GetAsync("indexes/products");
        Assert.Equal(HttpStatusCode.OK, status);
        var host = await _emulator.IndexHostAsync("products");
        Assert.Equal(
            "{\"name\":\"products\",\"dimension\":1536,\"metric\":\"cosine\",\"host\":\"" + host + "\",\"deletion_protection\":\"enabled\"," +
            "\"tags\":{\"environment\":\"production\",\"team\":\"search\"},\"spec\":{\"serverless\":{\"cloud\":\"aws\",\"region\":\"us-east-1\"}}," +
            "\"status\":{\"ready\":true,\"state\":\"Ready\"},\"vector_type\":\"dense\"}", body);
        Assert.Equal(host, hosts[0]);

        var staging = await GetJsonAsync("indexes/search-staging");
        Assert.Equal((false, "Initializing"), ((bool)staging["status"]!["ready"]!, (string)staging["status"]!["state"]!));
        (status, body) = await GetAsync("indexes/nope");
        Assert.Equal(("NOT_FOUND", "Index nope not found.", 404), Error(body));
    }

    [Fact]
    public async Task DescribeIndexStats_OnTheIndexsHost_PerNamespaceCounts_KeyChecked_RpcStatusErrors()
    {
        var host = (string)(await GetJsonAsync("indexes/products"))["host"]!;
        using var data = NewClient(_emulator, "http://" + host + "/");
        var (status, body) = await SendAsync(HttpMethod.Post, "describe_index_stats", "{}", data);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"namespaces\":{\"\":{\"vectorCount\":60000},\"electronics\":{\"vectorCount\":40000},\"garden\":{\"vectorCount\":20000}}," +
                     "\"dimension\":1536,\"indexFullness\":0,\"totalVectorCount\":120000,\"metric\":\"cosine\",\"vectorType\":\"dense\"}", body);
        var logged = State.Requests.Last();
        Assert.Equal(("POST", "/describe_index_stats", host, "{}", true), (logged.Method, logged.Path, logged.IndexHost, logged.Body, logged.ApiKeyValid));

        using var anonymous = new HttpClient { BaseAddress = new Uri("http://" + host + "/") };
        using var noKey = await anonymous.PostAsync("describe_index_stats", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        var rpc = JsonNode.Parse(await noKey.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(new[] { "code", "message", "details" }, rpc.Select(p => p.Key));
        Assert.Equal(16, (int)rpc["code"]!);

        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, PathPrefix = "/describe_index_stats" });
        (status, body) = await SendAsync(HttpMethod.Post, "describe_index_stats", "{}", data);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 14), (status, (int)JsonNode.Parse(body)!["code"]!));

        // A deleted index's host answers NOT_FOUND (5).
        using var gone = NewClient(_emulator, "http://" + await _emulator.IndexHostAsync("scratch") + "/");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "describe_index_stats", null, gone)).Status); // no body is fine too
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Delete, "indexes/scratch")).Status);
        (status, body) = await SendAsync(HttpMethod.Post, "describe_index_stats", "{}", gone);
        Assert.Equal((HttpStatusCode.NotFound, 5), (status, (int)JsonNode.Parse(body)!["code"]!));
    }

    [Fact]
    public async Task DeleteIndex_202_Then404_AndDeletionProtectionIs403()
    {
        var (status, body) = await SendAsync(HttpMethod.Delete, "indexes/products");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(("FORBIDDEN", "Deletion protection is enabled for this index. Disable deletion protection before retrying.", 403), Error(body));
        Assert.NotNull(State.FindIndex("products"));

        using var request = new HttpRequestMessage(HttpMethod.Delete, "indexes/docs-prod");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Null(State.FindIndex("docs-prod"));
        (status, body) = await SendAsync(HttpMethod.Delete, "indexes/docs-prod");
        Assert.Equal(("NOT_FOUND", "Index docs-prod not found.", 404), Error(body));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("indexes/docs-prod/backups")).Status);
    }

    [Fact]
    public async Task Faults_ARestoreThatLosesRecords_StatsThatLagThenCatchUp_ADeleteThatFailsOnce()
    {
        State.RestoreCompleteAfter = TimeSpan.Zero;
        State.AddFault(new FaultRule { Kind = FaultKind.LoseRecords, Records = 1_500 });
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", "{\"name\":\"lossy\"}")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", "{\"name\":\"whole\"}")).Status);

        async Task<long> TotalAsync(string name)
        {
            using var data = NewClient(_emulator, "http://" + await _emulator.IndexHostAsync(name) + "/");
            return (long)JsonNode.Parse((await SendAsync(HttpMethod.Post, "describe_index_stats", "{}", data)).Body)!["totalVectorCount"]!;
        }
        Assert.Equal(120_000 - 1_500, await TotalAsync("lossy"));
        Assert.Equal(120_000, await TotalAsync("whole"));

        State.AddFault(new FaultRule { Kind = FaultKind.LagStats, Remaining = 2 });
        State.AddFault(new FaultRule { Kind = FaultKind.LagStats, Records = 20_000, Remaining = 1 });
        Assert.Equal(new long[] { 0, 0, 100_000, 120_000 }, new[] { await TotalAsync("whole"), await TotalAsync("whole"), await TotalAsync("whole"), await TotalAsync("whole") });

        State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 500, Method = "DELETE", PathPrefix = "/indexes/whole" });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("indexes/whole")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await SendAsync(HttpMethod.Delete, "indexes/whole")).Status);
        Assert.NotNull(State.FindIndex("whole"));
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Delete, "indexes/whole")).Status);

        State.AddFault(new FaultRule { Kind = FaultKind.FailRestore });
        var created = JsonNode.Parse((await SendAsync(HttpMethod.Post, $"backups/{SampleData.ReadyBackupId}/create-index", "{\"name\":\"broken\"}")).Body)!;
        Assert.Equal("Failed", (string?)(await GetJsonAsync("restore-jobs/" + (string)created["restore_job_id"]!))["status"]);
        Assert.Equal("InitializationFailed", (string?)(await GetJsonAsync("indexes/broken"))["status"]!["state"]);
    }

    // ---- seeded random faults --------------------------------------------------------------------------------------

    private async Task<string[]> RandomRunAsync(int seed, int requests)
    {
        // Delay is left out only to keep this quick; its own test is below.
        var kinds = Enum.GetValues<RandomFaultKind>().Where(k => k != RandomFaultKind.Delay).ToList();
        State.SetRandomFaults(new RandomFaultOptions { Seed = seed, Rate = 0.4, Kinds = kinds, RetryAfterSeconds = "0" });
        using var http = NewClient(_emulator);
        http.Timeout = TimeSpan.FromSeconds(10);
        var outcomes = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            try
            {
                using var response = await http.GetAsync("restore-jobs?limit=3");
                var body = await response.Content.ReadAsStringAsync();
                outcomes.Add($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {response.Headers.RetryAfter?.ToString() ?? "-"} {body.Length}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                outcomes.Add(e.GetType().Name);
            }
        }
        return outcomes.ToArray();
    }

    [Fact]
    public async Task RandomFaults_AreDeterministicForASeed_AndCountedByKind()
    {
        var first = await RandomRunAsync(seed: 15, requests: 40);
        var counts = State.RandomFaultCounts;
        var logged = State.Requests.Where(r => r.RandomFault is not null).GroupBy(r => r.RandomFault!.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(logged.OrderBy(p => p.Key), counts.OrderBy(p => p.Key));
        Assert.InRange(counts.Values.Sum(), 6, 30);
        Assert.True(counts.Count >= 4, "kinds seen: " + string.Join(", ", counts.Keys));
        Assert.Contains(first, o => o.StartsWith("200 ", StringComparison.Ordinal));
        Assert.Contains(first, o => o.StartsWith("429 ", StringComparison.Ordinal));

        State.ClearRequests();
        Assert.Equal(first, await RandomRunAsync(seed: 15, requests: 40));
        Assert.NotEqual(first, await RandomRunAsync(seed: 16, requests: 40));
        State.ClearRandomFaults();
        Assert.Empty(State.RandomFaultCounts);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("restore-jobs")).Status);
    }

    [Fact]
    public async Task RandomFaults_EachKind_LooksAsItShould()
    {
        async Task<HttpResponseMessage> One(RandomFaultKind kind, int timeoutMs = 10_000)
        {
            State.SetRandomFaults(new RandomFaultOptions { Seed = 1, Rate = 1, Kinds = new() { kind }, RetryAfterSeconds = "3", DelayMs = 3_000 });
            using var cts = new CancellationTokenSource(timeoutMs);
            return await _http.GetAsync("restore-jobs?limit=2", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        }

        using (var r = await One(RandomFaultKind.TooManyRequests)) Assert.Equal(((HttpStatusCode)429, false), (r.StatusCode, r.Headers.Contains("Retry-After")));
        using (var r = await One(RandomFaultKind.TooManyRequestsRetryAfter)) Assert.Equal("3", r.Headers.GetValues("Retry-After").Single());
        using (var r = await One(RandomFaultKind.ServerErrorJson))
        {
            Assert.Contains((int)r.StatusCode, new[] { 500, 502, 503, 504 });
            Assert.Equal((int)r.StatusCode, Error(await r.Content.ReadAsStringAsync()).Status);
        }
        using (var r = await One(RandomFaultKind.ServerErrorHtml)) Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        await Assert.ThrowsAsync<HttpRequestException>(() => One(RandomFaultKind.DropConnection));
        using (var r = await One(RandomFaultKind.CutBody))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode); // the headers came
            await Assert.ThrowsAnyAsync<Exception>(() => r.Content.ReadAsStringAsync());
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => One(RandomFaultKind.Delay, timeoutMs: 300));
        Assert.Equal(Enum.GetValues<RandomFaultKind>().Cast<RandomFaultKind?>(), State.Requests.Select(r => r.RandomFault));
        Assert.Equal(1, State.RandomFaultCounts[RandomFaultKind.Delay]);
    }

    // ---- admin -----------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("{}", "kind")]
    [InlineData("{\"kind\":\"Nope\"}", "Unknown fault kind 'Nope'")]
    [InlineData("{\"kind\":3}", "Unknown fault kind")]
    [InlineData("{\"kind\":\"Status\",\"remaining\":-5}", "remaining")]
    [InlineData("{\"kind\":\"Status\",\"skipFirst\":-1}", "skipFirst")]
    [InlineData("{\"kind\":\"Latency\",\"latencyMs\":-1}", "latencyMs")]
    [InlineData("{\"kind\":\"Status\",\"statusCode\":42}", "statusCode")]
    [InlineData("{\"kind\":\"LoseRecords\",\"records\":-1}", "records")]
    [InlineData("{\"kind\":\"Status\",\"status\":500}", "status")]
    [InlineData("{\"kind\":\"Status\",\"pathPrefix\":\"restore-jobs\"}", "pathPrefix")]
    [InlineData("[{\"kind\":\"Status\"},{}]", "Fault 2")]
    [InlineData("nope", "not valid JSON")]
    public async Task Admin_AnInvalidFaultBody_Is400SayingWhatIsWrong_AndQueuesNothing(string json, string inMessage)
    {
        using var admin = new HttpClient { BaseAddress = _emulator.BaseUrl };
        using var response = await admin.PostAsync("_emulator/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message, _) = Error(await response.Content.ReadAsStringAsync());
        Assert.Equal("INVALID_ARGUMENT", code);
        Assert.Contains(inMessage, message);
        Assert.Empty(State.Faults);
    }

    [Fact]
    public async Task Admin_DrivesBackupsIndexesJobsClockSettingsAndRandomFaults()
    {
        using var admin = new HttpClient { BaseAddress = _emulator.BaseUrl };
        async Task<JsonNode> Post(string path, string json, HttpStatusCode expected = HttpStatusCode.OK)
        {
            using var r = await admin.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == expected, $"{path}: {(int)r.StatusCode} {body}");
            return JsonNode.Parse(body)!;
        }

        await Post("_emulator/faults", "[{\"kind\":\"Status\",\"statusCode\":500,\"method\":\"DELETE\",\"pathPrefix\":\"/indexes/\"},{\"kind\":\"LagStats\",\"remaining\":2}]", HttpStatusCode.Created);
        Assert.Equal(new[] { FaultKind.Status, FaultKind.LagStats }, State.Faults.Select(f => f.Kind));
        Assert.Equal("DELETE", State.Faults[0].Method);

        await Post("_emulator/indexes", "{\"name\":\"pester-index\",\"dimension\":8,\"namespaces\":{\"a\":3,\"b\":4},\"readyAfter\":\"00:01:00\",\"deletionProtection\":\"enabled\"}", HttpStatusCode.Created);
        var index = State.FindIndex("pester-index")!;
        Assert.Equal(("Initializing", 7L, "enabled"), (index.State, index.RecordCount, index.DeletionProtection));
        var host = await admin.GetStringAsync("_emulator/indexes/pester-index/host");
        Assert.Equal(await _emulator.IndexHostAsync("pester-index"), (string?)JsonNode.Parse(host)!["host"]);

        await Post("_emulator/backups", "{\"backupId\":\"bk-admin\",\"sourceIndexName\":\"pester-index\",\"sourceIndexId\":\"x\",\"recordCount\":7,\"readyAfter\":\"00:00:30\"}", HttpStatusCode.Created);
        Assert.Equal("Initializing", State.FindBackup("bk-admin")!.Status);
        await Post("_emulator/jobs?atFront=true", "{\"restoreJobId\":\"front-job\",\"backupId\":\"bk-admin\",\"targetIndexName\":\"t\",\"targetIndexId\":\"x\",\"completeAfter\":\"00:02:00\",\"finalStatus\":\"Failed\"}", HttpStatusCode.Created);
        Assert.Equal("front-job", State.RestoreJobs[0].RestoreJobId);

        var clock = await Post("_emulator/clock/advance?seconds=120", "");
        Assert.Equal(EmulatorClock.DefaultStart.AddMinutes(2), DateTimeOffset.Parse((string)clock["now"]!));
        Assert.Equal(("Ready", "Ready", "Failed"), (State.FindIndex("pester-index")!.State, State.FindBackup("bk-admin")!.Status, State.FindRestoreJob("front-job")!.Status));
        Assert.True((bool)(await Post("_emulator/clock/run?speed=60", ""))["running"]!);
        Assert.Equal(60, State.Clock.Speed);
        Assert.False((bool)(await Post("_emulator/clock/pause", ""))["running"]!);
        await Post("_emulator/clock/run?speed=-1", "", HttpStatusCode.BadRequest);

        var settings = await Post("_emulator/settings", "{\"backupQuota\":3,\"backupReadyAfterSeconds\":0,\"restoreCompleteAfterSeconds\":1.5,\"reportPercentComplete\":true}");
        Assert.Equal((3, TimeSpan.Zero, TimeSpan.FromSeconds(1.5), true), (State.BackupQuota!.Value, State.BackupReadyAfter, State.RestoreCompleteAfter, State.ReportPercentComplete));
        Assert.Equal(3, (int)settings["backupQuota"]!);
        using (var unknown = await admin.PostAsync("_emulator/settings", new StringContent("{\"quota\":1}")))
            Assert.Contains("Unknown setting 'quota'", Error(await unknown.Content.ReadAsStringAsync()).Message);
        await Post("_emulator/settings", "{\"backupQuota\":null}");
        Assert.Null(State.BackupQuota);

        await Post("_emulator/random-faults", "{\"seed\":3,\"rate\":1,\"kinds\":[\"TooManyRequests\"]}", HttpStatusCode.Created);
        Assert.Equal((HttpStatusCode)429, (await GetAsync("restore-jobs")).Status);
        var random = JsonNode.Parse(await admin.GetStringAsync("_emulator/random-faults"))!;
        Assert.Equal((true, 1), ((bool)random["enabled"]!, (int)random["counts"]!["TooManyRequests"]!));
        await Post("_emulator/random-faults", "{\"rate\":2}", HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("_emulator/random-faults")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("_emulator/backups/bk-admin")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("_emulator/backups/bk-admin")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("_emulator/indexes/pester-index")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("_emulator/nothing-here")).StatusCode);
        Assert.Equal(State.Backups.Count, JsonNode.Parse(await admin.GetStringAsync("_emulator/backups"))!.AsArray().Count);
        Assert.Equal(State.Indexes.Count, JsonNode.Parse(await admin.GetStringAsync("_emulator/indexes"))!.AsArray().Count);
        Assert.DoesNotContain(State.Requests, r => r.Path.StartsWith("/_emulator", StringComparison.Ordinal));
    }

    // ---- the command line ------------------------------------------------------------------------------------------

    [Fact]
    public async Task Cli_ATakenPort_IsOneLineNamingPort_AndANonZeroExit()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dll = Path.Combine(AppContext.BaseDirectory, "PineconeRestore.Emulator.dll");
        var dotnet = TestTools.FindOnPath("dotnet") ?? "dotnet";
        var run = await TestTools.RunAsync(dotnet, $"\"{dll}\" --port {port}", AppContext.BaseDirectory, new(), TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, run.ExitCode);
        var lines = (run.StdOut + run.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains($"Port {port}", line);
        Assert.Contains("--port N", line);
        Assert.Contains("--port 0", line);
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
