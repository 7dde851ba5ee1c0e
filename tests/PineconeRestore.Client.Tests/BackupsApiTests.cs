using System.Text.Json;
using PineconeRestore.Client;
using PineconeRestore.Emulator;

namespace PineconeRestore.Client.Tests;

/// <summary>BackupsApi and IndexesApi against the emulator: models, request bodies, and the delete-after-retry rule.</summary>
public sealed class BackupsApiTests : IAsyncLifetime
{
    private PineconeEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { BackupReadyAfter = TimeSpan.FromSeconds(5) });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private PineconeHttpClient Client() =>
        new(new ClientSettings(_emulator.BaseUrl, new ApiKey(_emulator.ApiKey), "tests", TimeSpan.FromSeconds(10), 3) { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });

    [Fact]
    public async Task Backups_read_every_field_and_absent_ones_as_null()
    {
        var api = new BackupsApi(Client());

        Backup ready = await api.DescribeAsync(SampleData.ReadyBackupId, CancellationToken.None);
        Backup failed = await api.DescribeAsync(SampleData.FailedBackupId, CancellationToken.None);

        Assert.Equal(("products", SampleData.ProductsIndexId, "Ready", "aws", "us-east-1"), (ready.SourceIndexName, ready.SourceIndexId, ready.Status, ready.Cloud, ready.Region));
        Assert.Equal(("products-nightly-2025-05-31", "Nightly backup of products", 1536, "cosine"), (ready.Name, ready.Description, ready.Dimension, ready.Metric));
        Assert.Equal((120_000L, 3, 737_280_000L), (ready.RecordCount, ready.NamespaceCount, ready.SizeBytes));
        Assert.Equal("search", ready.Tags!["team"]);
        Assert.Equal(new DateTime(2025, 5, 31, 2, 0, 0, DateTimeKind.Utc), ready.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, ready.CreatedAt!.Value.Kind);
        Assert.Equal("InitializationFailed", failed.Status);
        Assert.Null(failed.Name);
        Assert.Null(failed.RecordCount);
        Assert.Null(failed.Tags);
    }

    [Fact]
    public async Task Both_lists_page_and_an_index_list_holds_only_that_index()
    {
        var api = new BackupsApi(Client());

        var all = new List<Backup>();
        PageCursor<Backup> cursor = api.List(null, 2);
        while (!cursor.IsComplete) all.AddRange(await cursor.NextPageAsync(CancellationToken.None));
        Page<Backup> products = await api.ListPageAsync("products", 100, null, CancellationToken.None);

        Assert.Equal(_emulator.State.Backups.Select(b => b.BackupId), all.Select(b => b.BackupId));
        Assert.True(cursor.PagesFetched > 2);
        Assert.All(products.Items, b => Assert.Equal("products", b.SourceIndexName));
        Assert.Contains(_emulator.State.Requests, r => r.Path == "/indexes/products/backups" && r.Query == "?limit=100");
    }

    [Fact]
    public async Task Create_and_create_index_send_the_spec_bodies_and_read_the_answers()
    {
        var api = new BackupsApi(Client());

        Backup created = await api.CreateAsync("docs-prod", "nightly", null, CancellationToken.None);
        CreatedIndex restore = await api.CreateIndexAsync(SampleData.ReadyBackupId, "products-copy",
            new Dictionary<string, string> { ["env"] = "drill test" }, "enabled", CancellationToken.None);

        Assert.Equal(("docs-prod", "Initializing"), (created.SourceIndexName, created.Status));
        var posts = _emulator.State.Requests.Where(r => r.Method == "POST").ToArray();
        Assert.Equal("""{"name":"nightly"}""", posts[0].Body);
        Assert.Equal("/indexes/docs-prod/backups", posts[0].Path);
        Assert.Equal("""{"name":"products-copy","tags":{"env":"drill test"},"deletion_protection":"enabled"}""", posts[1].Body);
        Assert.Equal(_emulator.State.FindRestoreJob(restore.RestoreJobId)!.TargetIndexId, restore.IndexId);
        Assert.Equal("{}", JsonSerializer.Serialize(JsonDocument.Parse(RequestBody.Write(_ => { })).RootElement));
    }

    [Fact]
    public async Task A_404_after_a_5xx_on_DELETE_counts_as_deleted_but_a_first_404_does_not()
    {
        var api = new BackupsApi(Client());
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Method = "DELETE", Remaining = 1, RetryAfter = "0" });

        bool deletedNow = await api.DeleteAsync("gone-already", CancellationToken.None);
        var error = await Assert.ThrowsAsync<PineconeApiException>(() => api.DeleteAsync("gone-already", CancellationToken.None));
        bool deleted = await api.DeleteAsync(SampleData.OrphanBackupId, CancellationToken.None);

        Assert.False(deletedNow);
        Assert.Equal("NOT_FOUND", error.ErrorCode);
        Assert.True(deleted);
        Assert.Null(_emulator.State.FindBackup(SampleData.OrphanBackupId));
    }

    [Fact]
    public async Task A_429_on_create_is_retried_and_a_503_is_not()
    {
        var api = new BackupsApi(Client());
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 429, Method = "POST", Remaining = 1, RetryAfter = "0" });
        await api.CreateAsync("products", null, null, CancellationToken.None);
        _emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Method = "POST", Remaining = 1, RetryAfter = "0" });

        await Assert.ThrowsAsync<PineconeApiException>(() => api.CreateAsync("products", null, null, CancellationToken.None));

        Assert.Equal(new[] { 429, 201, 503 }, _emulator.State.Requests.Where(r => r.Method == "POST").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Indexes_list_describe_and_delete()
    {
        var api = new IndexesApi(Client());

        string[] stored = _emulator.State.Indexes.Select(i => i.Name).ToArray();
        IReadOnlyList<PineconeIndex> all = await api.ListAsync(CancellationToken.None);
        PineconeIndex docs = await api.DescribeAsync("docs-prod", CancellationToken.None);
        PineconeIndex staging = await api.DescribeAsync("search-staging", CancellationToken.None);
        bool deleted = await api.DeleteAsync("scratch", CancellationToken.None);

        Assert.Equal(stored, all.Select(i => i.Name));
        Assert.Equal(("gcp", "us-central1", 768, "dotproduct", "disabled", true, "Ready"),
            (docs.Cloud, docs.Region, docs.Dimension, docs.Metric, docs.DeletionProtection, docs.Ready, docs.State));
        Assert.Equal(await _emulator.IndexHostAsync("docs-prod"), docs.Host);
        Assert.Equal((false, "Initializing"), (staging.Ready, staging.State));
        Assert.True(deleted);
        Assert.Null(_emulator.State.FindIndex("scratch"));
        Assert.Equal("production", all.Single(i => i.Name == "products").Tags!["environment"]);
    }
}
