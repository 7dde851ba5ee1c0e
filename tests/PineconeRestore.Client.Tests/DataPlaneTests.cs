using PineconeRestore.Client;

namespace PineconeRestore.Client.Tests;

/// <summary>The data plane's parts of the client: rpcStatus errors, the index host's scheme, the drill's name rule.</summary>
public sealed class DataPlaneTests
{
    private static readonly Uri Request = new("https://index-abc.svc.pinecone.io/describe_index_stats");

    [Theory]
    [InlineData("{\"code\": 5, \"message\": \"Namespace not found\", \"details\": []}", 404, "NOT_FOUND", "Namespace not found")]
    [InlineData("{\"code\": 16, \"message\": \"Invalid API key\", \"details\": []}", 401, "UNAUTHENTICATED", "Invalid API key")]
    [InlineData("{\"code\": 7, \"message\": \"denied\"}", 403, "PERMISSION_DENIED", "denied")]
    [InlineData("{\"code\": 14, \"message\": \"\"}", 503, "UNAVAILABLE", "Pinecone answered UNAVAILABLE without a message.")]
    [InlineData("{\"code\": \"unavailable\", \"message\": \"busy\"}", 503, "UNAVAILABLE", "busy")]
    public void An_rpcStatus_body_reads_as_the_control_planes_code(string body, int status, string code, string message)
    {
        PineconeApiException error = ApiErrorReader.Read(status, "application/json", body, "POST", Request, null);

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(message, error.ApiMessage);
        Assert.Equal(status, error.StatusCode);
    }

    [Theory]
    [InlineData("{\"code\": 99, \"message\": \"?\"}")]
    [InlineData("{\"code\": null}")]
    [InlineData("{\"message\": \"no code\"}")]
    public void An_rpcStatus_without_a_known_code_falls_back_to_the_status(string body)
    {
        Assert.Equal("UNAVAILABLE", ApiErrorReader.Read(503, "application/json", body, "POST", Request, null).ErrorCode);
    }

    [Theory]
    [InlineData("index-abc.svc.pinecone.io", "https://api.pinecone.io/", "https://index-abc.svc.pinecone.io/")]
    [InlineData("127.0.0.1:5081", "http://127.0.0.1:5080/", "http://127.0.0.1:5081/")]
    [InlineData("localhost:5081", "http://localhost:5080/", "http://localhost:5081/")]
    [InlineData("127.0.0.1:5081", "https://127.0.0.1:5080/", "https://127.0.0.1:5081/")]
    [InlineData("https://index-abc.svc.pinecone.io", "https://api.pinecone.io/", "https://index-abc.svc.pinecone.io/")]
    public void An_index_host_is_https_and_plain_http_only_on_loopback_from_a_loopback_controller(string host, string controller, string expected)
    {
        Assert.Equal(new Uri(expected), IndexHost.Resolve(host, new Uri(controller)));
    }

    [Fact]
    public void Plain_http_to_an_index_host_off_loopback_is_refused_even_from_a_loopback_controller()
    {
        // The key must not cross the network in clear text, wherever the controller is.
        var local = new Uri("http://127.0.0.1:5080/");
        Assert.Throws<InsecureControllerHostException>(() => IndexHost.Resolve("http://index-abc.svc.pinecone.io", local));
        Assert.Equal("https", IndexHost.Resolve("index-abc.svc.pinecone.io", local).Scheme);
    }

    [Theory]
    [InlineData("products", "products-drill-20250601020304")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwx-drill-20250601020304")]
    [InlineData("abcdefghijklmnopqrstuvw-xyz", "abcdefghijklmnopqrstuvw-drill-20250601020304")]
    public void The_scratch_name_is_source_drill_timestamp_within_45_characters(string source, string expected)
    {
        string name = RestoreDrill.ScratchName(source, new DateTime(2025, 6, 1, 2, 3, 4, DateTimeKind.Utc));

        Assert.Equal(expected, name);
        Assert.True(name.Length <= 45);
    }
}
