using PineconeRestore.Client;

namespace PineconeRestore.Client.Tests;

/// <summary>The small parts: URL vetting, path escaping, backoff, paging, error bodies.</summary>
public sealed class ClientPartsTests
{
    [Theory]
    [InlineData("a/b", "restore-jobs/a%2Fb")]
    [InlineData("../indexes", "restore-jobs/..%2Findexes")]
    [InlineData("x?y#z", "restore-jobs/x%3Fy%23z")]
    [InlineData("sp ace", "restore-jobs/sp%20ace")]
    public void Ids_are_escaped_into_one_segment(string id, string path)
    {
        Assert.Equal(path, ApiPath.Join("restore-jobs", id));
        Uri uri = new ApiRequest(System.Net.Http.HttpMethod.Get, path).BuildUri(new Uri("https://api.pinecone.io/"));
        Assert.Equal("/" + path, uri.AbsolutePath);
        Assert.Equal(2, uri.Segments.Length - 1);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void Dot_segments_are_refused_because_Uri_would_collapse_them(string id)
    {
        Assert.Throws<ArgumentException>(() => ApiPath.Join("restore-jobs", id));
    }

    [Fact]
    public void Backoff_doubles_with_jitter_and_Retry_After_wins_up_to_the_cap()
    {
        var settings = new ClientSettings(ControllerHost.Default, new ApiKey("k"), "ua", TimeSpan.FromSeconds(1), 5);
        var policy = new RetryPolicy(settings);

        for (int i = 0; i < 50; i++)
        {
            Assert.InRange(policy.Delay(0, null).TotalMilliseconds, 250, 500);
            Assert.InRange(policy.Delay(2, null).TotalMilliseconds, 1000, 2000);
        }

        Assert.Equal(TimeSpan.FromSeconds(7), policy.Delay(0, TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.Delay(0, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.Zero, policy.Delay(0, TimeSpan.FromSeconds(-3)));
    }

    [Fact]
    public async Task A_cycle_of_tokens_is_caught_not_only_an_immediate_repeat()
    {
        var pages = new Dictionary<string, Page<int>>
        {
            [""] = new(new[] { 1 }, "A"),
            ["A"] = new(new[] { 2 }, "B"),
            ["B"] = new(new[] { 3 }, "A"),
        };
        var cursor = new PageCursor<int>((token, _) => Task.FromResult(pages[token ?? ""]));

        Assert.Equal(new[] { 1 }, await cursor.NextPageAsync(CancellationToken.None));
        Assert.Equal(new[] { 2 }, await cursor.NextPageAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<PineconePaginationException>(() => cursor.NextPageAsync(CancellationToken.None));
        Assert.Equal("A", error.Token);
        Assert.True(cursor.IsComplete);
    }

    [Fact]
    public void The_key_never_prints()
    {
        var key = new ApiKey("pcsk_secret");

        Assert.Equal("<redacted>", key.ToString());
        Assert.Equal("<redacted>", $"{key}");
    }

    [Theory]
    [InlineData("""{"error":{"code":"NOT_FOUND","message":"Restore job x not found."},"status":404}""", 404, "NOT_FOUND", "Restore job x not found.")]
    [InlineData("""{"error":{"code":"QUOTA_EXCEEDED"},"status":429}""", 429, "QUOTA_EXCEEDED", "Pinecone answered QUOTA_EXCEEDED without a message.")]
    [InlineData("""{"message":"not the spec"}""", 409, "ALREADY_EXISTS", "Pinecone answered HTTP 409 Conflict with a body that is not Pinecone's error JSON (application/json, 26 characters).")]
    [InlineData("", 503, "UNAVAILABLE", "Pinecone answered HTTP 503 ServiceUnavailable with an empty body.")]
    public void Error_bodies_become_code_and_message(string body, int status, string code, string message)
    {
        PineconeApiException error = ApiErrorReader.Read(status, "application/json", body, "GET", new Uri("https://api.pinecone.io/x"), null);

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(message, error.ApiMessage);
        Assert.Equal(status, error.StatusCode);
    }
}
