using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>The API key never reaches a stream, an error, an exception or an output object.</summary>
[Collection(SerialCollection.Name)]
public sealed class SecretTests : EmulatorTestBase
{
    private const string Key = "pcsk_SECRET-9f8e7d6c5b4a-do-not-print";

    protected override int? ConnectWithMaxRetries => null;

    protected override EmulatorOptions Options => new() { ApiKey = Key };

    private static void AssertNoKey(PsResult result)
    {
        foreach (string text in result.AllText())
        {
            Assert.DoesNotContain(Key, text);
            Assert.DoesNotContain("SECRET-9f8e7d6c5b4a", text);
        }
    }

    [Fact]
    public void Not_on_any_stream_of_a_successful_run_with_every_stream_on()
    {
        PsResult result = Ps.Run(
            "$VerbosePreference = $DebugPreference = $InformationPreference = 'Continue'; Connect-Pinecone -ApiKey $k -ControllerHost $u -PassThru -Verbose; Get-PineconeRestoreJob -PageSize 3 -Verbose -Debug | Get-PineconeRestoreJob -Verbose",
            ("k", Key), ("u", Emulator.BaseUrl.ToString()));

        Assert.Null(result.Terminating);
        Assert.NotEmpty(result.Verbose);
        AssertNoKey(result);
    }

    [Fact]
    public void Not_in_any_error_or_exception_whatever_went_wrong()
    {
        using var environment = new EnvironmentScope(("PINECONE_API_KEY", null));
        using var closed = new ClosedPort();
        // The emulator echoes nothing, but a proxy might: make the 502 body contain the key.
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 400, ErrorCode = "INVALID_ARGUMENT", Message = "key " + Key + " rejected", Remaining = 1, PathPrefix = "/restore-jobs/echo" });
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, RetryAfter = "0", Remaining = 2, PathPrefix = "/restore-jobs/retry" });
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.HtmlBody, StatusCode = 502, Remaining = -1, PathPrefix = "/restore-jobs/html" });
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.MissingRequiredField, Remaining = -1, PathPrefix = "/restore-jobs/broken" });

        var results = new List<PsResult>
        {
            Ps.Run("'missing', 'echo', 'retry', 'html', 'broken' | Get-PineconeRestoreJob -ApiKey $k -ControllerHost $u -Verbose -Debug", ("k", Key), ("u", Emulator.BaseUrl.ToString())),
            Ps.Run("Get-PineconeRestoreJob -ApiKey ($k + 'x') -ControllerHost $u -Verbose", ("k", Key), ("u", Emulator.BaseUrl.ToString())),
            Ps.Run("Get-PineconeRestoreJob -ApiKey $k -ControllerHost 'http://example.com'", ("k", Key)),
            Ps.Run("Get-PineconeRestoreJob -ApiKey $k -ControllerHost $u 'x'", ("k", Key), ("u", closed.Url)),
            Ps.Run("Get-PineconeRestoreJob -ApiKey ([datetime]::Now) -ControllerHost $u", ("u", Emulator.BaseUrl.ToString())),
        };

        Assert.True(results[0].Errors.Count >= 4, string.Join("\n", results[0].Errors));
        Assert.All(results.Skip(1), r => Assert.NotNull(r.Terminating));
        foreach (PsResult result in results)
        {
            AssertNoKey(result);
        }
    }

    [Fact]
    public void Not_in_the_connection_object_or_the_session_variables()
    {
        PsResult result = Ps.Run(
            // The hosted engine has no Utility module (Get-Variable, Remove-Variable): the session state API does the same.
            "Connect-Pinecone -ApiKey $k -ControllerHost $u -PassThru; $ExecutionContext.SessionState.PSVariable.Remove('k'); " +
            "$ExecutionContext.SessionState.InvokeProvider.ChildItem.Get('variable:', $false) | ForEach-Object { \"$($_.Name)=$($_.Value)\" }",
            ("k", Key), ("u", Emulator.BaseUrl.ToString()));

        // The check means something only if the script ran to its end: the connection and every variable came out.
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal("PineconeRestore.PineconeConnection", result.Output[0].TypeNames[0]);
        Assert.Contains(result.Output, o => o.BaseObject is string s && s.StartsWith("u=http://127.0.0.1:", StringComparison.Ordinal));
        AssertNoKey(result);
    }
}
