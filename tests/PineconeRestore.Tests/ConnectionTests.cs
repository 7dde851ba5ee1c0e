using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>Where the key and the controller URL come from, what every request carries, and what is refused.</summary>
[Collection(SerialCollection.Name)]
public sealed class ConnectionTests : EmulatorTestBase
{
    private EnvironmentScope _environment = null!;

    protected override int? ConnectWithMaxRetries => null;

    public override async Task InitializeAsync()
    {
        _environment = new EnvironmentScope(("PINECONE_API_KEY", null), ("PINECONE_CONTROLLER_HOST", null));
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _environment.Dispose();
    }

    private (string, object?)[] Vars => new (string, object?)[] { ("key", Emulator.ApiKey), ("url", Emulator.BaseUrl.ToString()) };

    [Fact]
    public void No_key_anywhere_is_a_terminating_ApiKeyMissing_error_naming_both_ways_and_no_request()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -ControllerHost $url", Vars);

        ErrorRecord record = result.TerminatingRecord;
        Assert.Equal("ApiKeyMissing,PineconeRestore.Commands.GetPineconeRestoreJobCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, record.CategoryInfo.Category);
        Assert.Contains("-ApiKey", record.Exception.Message);
        Assert.Contains("PINECONE_API_KEY", record.Exception.Message);
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void The_key_comes_from_the_parameter_as_a_string_or_a_SecureString()
    {
        PsResult plain = Ps.Run("@(Get-PineconeRestoreJob -ApiKey $key -ControllerHost $url).Count", Vars);
        PsResult secure = Ps.Run(
            "$s = [securestring]::new(); $key.ToCharArray() | ForEach-Object { $s.AppendChar($_) }; @(Get-PineconeRestoreJob -ApiKey $s -ControllerHost $url).Count",
            Vars);

        Assert.Equal(Emulator.State.RestoreJobs.Count, plain.Output.Single().BaseObject);
        Assert.Equal(Emulator.State.RestoreJobs.Count, secure.Output.Single().BaseObject);
    }

    [Fact]
    public void The_key_and_host_come_from_the_environment_when_nothing_else_gives_them()
    {
        using var environment = new EnvironmentScope(("PINECONE_API_KEY", Emulator.ApiKey), ("PINECONE_CONTROLLER_HOST", Emulator.BaseUrl.ToString()));

        PsResult result = Ps.Run("@(Get-PineconeRestoreJob).Count");

        Assert.Equal(Emulator.State.RestoreJobs.Count, result.Output.Single().BaseObject);
    }

    [Fact]
    public void Parameter_beats_Connect_Pinecone_which_beats_the_environment()
    {
        using var environment = new EnvironmentScope(("PINECONE_API_KEY", "wrong-from-environment"), ("PINECONE_CONTROLLER_HOST", "https://unreachable.invalid"));

        PsResult fromSession = Ps.Run("Connect-Pinecone -ApiKey $key -ControllerHost $url -PassThru; @(Get-PineconeRestoreJob).Count", Vars);
        PsResult fromParameter = Ps.Run("Connect-Pinecone -ApiKey 'wrong-from-session' -ControllerHost $url; @(Get-PineconeRestoreJob -ApiKey $key).Count", Vars);
        PsResult afterDisconnect = Ps.Run("Disconnect-Pinecone; Get-PineconeRestoreJob -ControllerHost $url", Vars);

        PSObject connection = fromSession.Output[0];
        Assert.Equal("PineconeRestore.PineconeConnection", connection.TypeNames[0]);
        Assert.Equal("Session", connection.Prop("ApiKeySource")!.ToString());
        Assert.Equal(Emulator.BaseUrl.AbsoluteUri, connection.Prop("ControllerHost"));
        Assert.Equal(Emulator.State.RestoreJobs.Count, fromSession.Output[1].BaseObject);
        Assert.Equal(Emulator.State.RestoreJobs.Count, fromParameter.Output.Single().BaseObject);
        // After Disconnect-Pinecone the environment's (wrong) key is used again.
        Assert.StartsWith("UNAUTHENTICATED,", afterDisconnect.TerminatingRecord.FullyQualifiedErrorId);
    }

    [Fact]
    public void Connect_Pinecone_without_a_key_reports_the_environments_and_never_prints_the_key()
    {
        using var environment = new EnvironmentScope(("PINECONE_API_KEY", "env-key-value-123"));

        PsResult result = Ps.Run("Connect-Pinecone -ControllerHost http://localhost:1/ -TimeoutSec 5 -MaxRetries 1 -PassThru -Verbose");

        PSObject connection = result.Output.Single();
        Assert.Equal("Environment", connection.Prop("ApiKeySource")!.ToString());
        Assert.Equal("http://localhost:1/", connection.Prop("ControllerHost"));
        Assert.Equal(5, connection.Prop("TimeoutSec"));
        Assert.Equal(1, connection.Prop("MaxRetries"));
        Assert.DoesNotContain(result.AllText(), t => t.Contains("env-key-value-123"));
    }

    [Fact]
    public void Sessions_are_separate_a_Connect_in_one_runspace_does_not_reach_another()
    {
        using var other = new PsSession();
        Ps.Run("Connect-Pinecone -ApiKey $key -ControllerHost $url", Vars);

        PsResult result = other.Run("Get-PineconeRestoreJob -ControllerHost $url", Vars);

        Assert.StartsWith("ApiKeyMissing,", result.TerminatingRecord.FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData("http://example.com")]
    [InlineData("http://10.0.0.8:8080/")]
    [InlineData("http://api.pinecone.io")]
    public void Plain_http_to_a_host_that_is_not_loopback_is_refused_before_a_request(string host)
    {
        PsResult command = Ps.Run("Get-PineconeRestoreJob -ApiKey $key -ControllerHost $h", ("key", Emulator.ApiKey), ("h", host));
        PsResult connect = Ps.Run("Connect-Pinecone -ApiKey $key -ControllerHost $h", ("key", Emulator.ApiKey), ("h", host));

        foreach (PsResult result in new[] { command, connect })
        {
            ErrorRecord record = result.TerminatingRecord;
            Assert.StartsWith("InsecureControllerHost,", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, record.CategoryInfo.Category);
            Assert.Contains("clear text", record.Exception.Message);
        }
    }

    [Fact]
    public void Plain_http_from_the_environment_to_a_remote_host_is_refused_too()
    {
        using var environment = new EnvironmentScope(("PINECONE_CONTROLLER_HOST", "http://example.com"));

        PsResult result = Ps.Run("Get-PineconeRestoreJob -ApiKey $key", Vars);

        Assert.StartsWith("InsecureControllerHost,", result.TerminatingRecord.FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData("http://localhost:1")]
    [InlineData("http://127.0.0.1:1/")]
    [InlineData("http://127.1.2.3:1")]
    [InlineData("http://[::1]:1")]
    [InlineData("https://api.pinecone.io")]
    [InlineData("https://controller.example.com/base/")]
    public void Loopback_http_and_any_https_are_accepted(string host)
    {
        PsResult result = Ps.Run("(Connect-Pinecone -ControllerHost $h -PassThru).ControllerHost", ("h", host));

        Assert.Null(result.Terminating);
        Assert.EndsWith("/", (string)result.Output.Single().BaseObject);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.com")]
    [InlineData("https://example.com/?x=1")]
    public void A_controller_host_that_is_not_a_URL_is_refused(string host)
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -ApiKey k -ControllerHost $h", ("h", host));

        Assert.StartsWith("InvalidControllerHost,", result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, result.TerminatingRecord.CategoryInfo.Category);
    }

    [Fact]
    public void A_bad_PINECONE_CONTROLLER_HOST_is_named_by_Connect_Pinecone_too()
    {
        using var environment = new EnvironmentScope(("PINECONE_CONTROLLER_HOST", "not a url"));

        PsResult result = Ps.Run("Connect-Pinecone -ApiKey k");

        Assert.StartsWith("InvalidControllerHost,", result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Equal("not a url", result.TerminatingRecord.TargetObject);
    }

    [Theory]
    [InlineData("Get-PineconeRestoreJob -ApiKey '' -ControllerHost $url")]
    [InlineData("Get-PineconeRestoreJob -ApiKey '   ' -ControllerHost $url")]
    [InlineData("Get-PineconeRestoreJob -ApiKey ([securestring]::new()) -ControllerHost $url")]
    [InlineData("Connect-Pinecone -ApiKey ''")]
    public void An_empty_key_fails_at_binding(string script)
    {
        PsResult result = Ps.Run(script, Vars);

        Assert.StartsWith("ParameterArgumentTransformationError,", result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Contains("The API key is empty.", result.TerminatingRecord.Exception.Message);
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void A_key_of_only_spaces_is_refused_before_a_request()
    {
        PsResult result = Ps.Run("$s = [securestring]::new(); $s.AppendChar(' '); Get-PineconeRestoreJob -ApiKey $s -ControllerHost $url", Vars);

        Assert.StartsWith("InvalidArgument,", result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void A_trailing_slash_or_none_reaches_the_same_endpoint()
    {
        string withoutSlash = Emulator.BaseUrl.ToString().TrimEnd('/');
        Ps.Run("Get-PineconeRestoreJob -ApiKey $key -ControllerHost $u -First 1", ("key", Emulator.ApiKey), ("u", withoutSlash));
        Ps.Run("Get-PineconeRestoreJob -ApiKey $key -ControllerHost $u -First 1", ("key", Emulator.ApiKey), ("u", withoutSlash + "/"));

        Assert.All(Emulator.State.Requests, r => Assert.Equal("/restore-jobs", r.Path));
        Assert.Equal(2, Emulator.State.Requests.Count);
    }

    [Fact]
    public void Every_request_carries_the_key_the_API_version_and_a_user_agent_naming_module_and_PowerShell()
    {
        Ps.Run("Connect-Pinecone -ApiKey $key -ControllerHost $url; Get-PineconeRestoreJob -PageSize 5 | Get-PineconeRestoreJob", Vars);

        Assert.True(Emulator.State.Requests.Count > 3);
        Assert.All(Emulator.State.Requests, r =>
        {
            Assert.True(r.ApiKeyValid);
            Assert.Equal("2025-04", r.ApiVersionHeader);
            Assert.Matches(@"^PineconeRestore/0\.\d+\.\d+ \(PowerShell 7\.6\.\d+; Core\)$", r.UserAgent);
        });
    }

    [Fact]
    public void Verbose_tells_each_request_method_url_status_and_duration()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -ApiKey $key -ControllerHost $url -PageSize 5 -Verbose", Vars);

        Assert.Equal(Emulator.State.Requests.Count, result.Verbose.Count);
        Assert.All(result.Verbose, v => Assert.Matches(@"^GET http://127\.0\.0\.1:\d+/restore-jobs\?limit=5(&paginationToken=\S+)? -> 200 OK in \d+ ms$", v));
    }
}
