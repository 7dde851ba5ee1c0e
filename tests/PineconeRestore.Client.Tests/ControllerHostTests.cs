using PineconeRestore.Client;

namespace PineconeRestore.Client.Tests;

/// <summary>Controller URLs: what is refused, and that the refusal says why without echoing a password.</summary>
public sealed class ControllerHostTests
{
    [Theory]
    [InlineData("https://user:s3cret-pw@api.example.com/", "https://api.example.com/")]
    [InlineData("https://s3cret-pw@api.example.com", "https://api.example.com/")]
    [InlineData("https://user:s3cret-pw@api.example.com:8443/base?x=1", "https://api.example.com:8443/base?x=1")]
    public void User_info_is_refused_and_never_echoed(string url, string shown)
    {
        var error = Assert.Throws<InvalidControllerHostException>(() => ControllerHost.Parse(url));

        Assert.DoesNotContain("s3cret-pw", error.ToString());
        Assert.DoesNotContain("user:", error.Message);
        Assert.Contains($"'{shown}'", error.Message);
        Assert.Contains("user name or password", error.Message);
    }

    [Theory]
    [InlineData("ftp://user:s3cret-pw@example.com/", "ftp://<user info hidden>@example.com/")]
    [InlineData("user:s3cret-pw@example.com", "<user info hidden>@example.com")]
    [InlineData("https://user:s3cret-pw@", "https://<user info hidden>@")]
    [InlineData("file://u:s3cret-pw@host/share", "file://<user info hidden>@host/share")]
    [InlineData("https://user:s3cret/pw@api.example.com", "https://<user info hidden>@api.example.com")]
    [InlineData("https://user:s3cret#pw@api.example.com/", "https://<user info hidden>@api.example.com/")]
    public void A_URL_that_does_not_parse_is_shown_without_user_info(string url, string shown)
    {
        var error = Assert.Throws<InvalidControllerHostException>(() => ControllerHost.Parse(url));

        Assert.Contains($"'{shown}' is not a controller URL", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Theory]
    [InlineData("https://api.example.com/?x=1", "'https://api.example.com/?x=1'", "query ('?x=1')")]
    [InlineData("https://api.example.com/base#frag", "'https://api.example.com/base#frag'", "fragment ('#frag')")]
    public void A_query_or_fragment_is_named_and_shown(string url, string shown, string what)
    {
        var error = Assert.Throws<InvalidControllerHostException>(() => ControllerHost.Parse(url));

        Assert.Contains(shown, error.Message);
        Assert.Contains(what, error.Message);
    }

    [Theory]
    [InlineData("https://api.pinecone.io", "https://api.pinecone.io/")]
    [InlineData("  https://controller.example.com/base  ", "https://controller.example.com/base/")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    public void A_good_URL_comes_back_with_a_trailing_slash(string url, string expected)
    {
        Assert.Equal(new Uri(expected), ControllerHost.Parse(url));
    }

    [Fact]
    public void Only_a_server_no_attempt_reached_ends_a_describe_pipeline()
    {
        var uri = new Uri("https://api.example.com/restore-jobs/x");

        Assert.True(Commands.ErrorRecords.EndsTheCommand(new PineconeConnectionException("refused", uri, timedOut: false, neverReachedServer: true)));
        Assert.False(Commands.ErrorRecords.EndsTheCommand(new PineconeConnectionException("cut off", uri, timedOut: false)));
        Assert.False(Commands.ErrorRecords.EndsTheCommand(new PineconeConnectionException("timed out", uri, timedOut: true)));
        Assert.False(Commands.ErrorRecords.EndsTheCommand(new PineconeInvalidResponseException("too large", uri)));
        Assert.True(Commands.ErrorRecords.EndsTheCommand(new PineconeApiException(401, "UNAUTHENTICATED", "bad key", "GET", uri)));
        Assert.False(Commands.ErrorRecords.EndsTheCommand(new PineconeApiException(404, "NOT_FOUND", "no job", "GET", uri)));
    }
}
