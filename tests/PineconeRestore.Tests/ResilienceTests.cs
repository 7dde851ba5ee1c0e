using System.Diagnostics;
using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>Retries, Retry-After, bodies that are not the spec's JSON, timeouts and Ctrl+C, against injected faults.</summary>
[Collection(SerialCollection.Name)]
public sealed class ResilienceTests : EmulatorTestBase
{
    protected override int? ConnectWithMaxRetries => null;

    private void Fault(FaultKind kind, int statusCode = 503, int remaining = 1, string? retryAfter = null, int latencyMs = 0) =>
        Emulator.State.AddFault(new FaultRule { Kind = kind, StatusCode = statusCode, Remaining = remaining, RetryAfter = retryAfter, LatencyMs = latencyMs });

    private int ApiRequests => Emulator.State.Requests.Count;

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Transient_statuses_are_retried_and_each_retry_is_on_the_verbose_stream(int status)
    {
        Ps.Connect(Emulator);
        Fault(FaultKind.Status, status, remaining: 2, retryAfter: "0");

        PsResult result = Ps.Run("Get-PineconeRestoreJob -Verbose");

        Assert.Null(result.Terminating);
        Assert.Equal(Emulator.State.RestoreJobs.Count, result.Output.Count);
        Assert.Equal(3, ApiRequests);
        string[] retries = result.Verbose.Where(v => v.StartsWith("Retry", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, retries.Length);
        Assert.Matches($@"^Retry 1 of 3 for GET \S+ in [\d.]+ s as Retry-After asked: HTTP {status} [A-Z_]+$", retries[0]);
        Assert.StartsWith("Retry 2 of 3", retries[1]);
    }

    [Fact]
    public void Without_Retry_After_the_backoff_grows()
    {
        Ps.Connect(Emulator, maxRetries: 2);
        Fault(FaultKind.Status, 500, remaining: 2);

        PsResult result = Ps.Run("Get-PineconeRestoreJob -First 1 -Verbose");

        Assert.Single(result.Output);
        double[] waits = result.Verbose.Where(v => v.StartsWith("Retry", StringComparison.Ordinal))
            .Select(v => double.Parse(System.Text.RegularExpressions.Regex.Match(v, @" in ([\d.]+) s").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(2, waits.Length);
        Assert.InRange(waits[0], 0.25, 0.5);
        Assert.InRange(waits[1], 0.5, 1.0);
    }

    [Fact]
    public void Retries_stop_after_MaxRetries_and_the_error_keeps_its_code()
    {
        Ps.Connect(Emulator, maxRetries: 2);
        Fault(FaultKind.Status, 503, remaining: -1, retryAfter: "0");

        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        ErrorRecord record = result.TerminatingRecord;
        Assert.Equal("UNAVAILABLE" + CommandFqid, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, record.CategoryInfo.Category);
        Assert.Equal(3, ApiRequests);
    }

    [Fact]
    public void MaxRetries_0_sends_once()
    {
        Ps.Connect(Emulator, maxRetries: 0);
        Fault(FaultKind.Status, 429, remaining: -1, retryAfter: "0");

        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        Assert.Equal("RESOURCE_EXHAUSTED" + CommandFqid, result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, result.TerminatingRecord.CategoryInfo.Category);
        Assert.Equal(1, ApiRequests);
    }

    [Fact]
    public void Retry_After_in_seconds_is_honoured()
    {
        Ps.Connect(Emulator);
        Fault(FaultKind.Status, 429, remaining: 1, retryAfter: "1");

        PsResult result = Ps.Run("Get-PineconeRestoreJob -First 1");

        Assert.Single(result.Output);
        List<LoggedRequest> requests = Emulator.State.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"waited {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public void Retry_After_as_an_HTTP_date_is_honoured()
    {
        Ps.Connect(Emulator);
        // Whole seconds, 1 to 2 s ahead. However slow this machine is, the retry must not arrive before that date;
        // a client that ignored the date would retry within half a second.
        DateTimeOffset date = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds());
        Fault(FaultKind.Status, 503, remaining: 1, retryAfter: date.ToString("r"));

        PsResult result = Ps.Run("Get-PineconeRestoreJob -First 1");

        Assert.Single(result.Output);
        List<LoggedRequest> requests = Emulator.State.Requests.ToList();
        Assert.Equal(2, requests.Count);
        // 20 ms: the timer's resolution, not the machine's speed.
        Assert.True(requests[1].ReceivedAt >= date - TimeSpan.FromMilliseconds(20), $"retried at {requests[1].ReceivedAt:O}, Retry-After said {date:O}");
    }

    [Fact]
    public void Retry_messages_read_the_same_in_a_culture_with_a_decimal_comma()
    {
        Ps.Connect(Emulator);
        Fault(FaultKind.Status, 503, remaining: 1, retryAfter: "0");

        PsResult result = Ps.Run("[cultureinfo]::CurrentCulture = 'de-DE'; Get-PineconeRestoreJob -First 1 -Verbose");

        Assert.Single(result.Output);
        Assert.Matches(@"^Retry 1 of 3 for GET \S+ in 0\.0 s as Retry-After asked: HTTP 503 UNAVAILABLE$", Assert.Single(result.Verbose, v => v.StartsWith("Retry", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_dropped_connection_is_retried()
    {
        Ps.Connect(Emulator);
        Fault(FaultKind.DropConnection, remaining: 1);

        PsResult result = Ps.Run("Get-PineconeRestoreJob -Verbose");

        Assert.Equal(Emulator.State.RestoreJobs.Count, result.Output.Count);
        Assert.Contains(result.Verbose, v => v.StartsWith("Retry 1 of 3", StringComparison.Ordinal));
    }

    [Fact]
    public void A_connection_that_keeps_failing_is_a_ConnectionFailed_error()
    {
        Ps.Connect(Emulator, maxRetries: 1);
        using var closed = new ClosedPort();

        PsResult result = Ps.Run("Get-PineconeRestoreJob -ControllerHost $u 'a','b'", ("u", closed.Url));

        Assert.Equal("ConnectionFailed" + CommandFqid, result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, result.TerminatingRecord.CategoryInfo.Category);
    }

    [Theory]
    [InlineData(FaultKind.HtmlBody, 502, "UNAVAILABLE", ErrorCategory.ResourceUnavailable, "HTTP 502")]
    [InlineData(FaultKind.EmptyBody, 500, "INTERNAL", ErrorCategory.NotSpecified, "empty body")]
    [InlineData(FaultKind.TruncatedJson, 400, "INVALID_ARGUMENT", ErrorCategory.InvalidArgument, "HTTP 400")]
    [InlineData(FaultKind.EmptyBody, 401, "UNAUTHENTICATED", ErrorCategory.AuthenticationError, "HTTP 401")]
    [InlineData(FaultKind.HtmlBody, 403, "PERMISSION_DENIED", ErrorCategory.PermissionDenied, "text/html")]
    [InlineData(FaultKind.EmptyBody, 504, "DEADLINE_EXCEEDED", ErrorCategory.OperationTimeout, "HTTP 504")]
    [InlineData(FaultKind.EmptyBody, 418, "UNKNOWN", ErrorCategory.NotSpecified, "HTTP 418")]
    public void A_body_that_is_not_the_specs_JSON_still_gives_a_clear_error(FaultKind kind, int status, string code, ErrorCategory category, string inMessage)
    {
        Ps.Connect(Emulator, maxRetries: 0);
        Fault(kind, status, remaining: -1);

        PsResult result = Ps.Run("Get-PineconeRestoreJob 'some-id'");

        ErrorRecord record = result.Errors.Concat(result.Terminating is null ? [] : [result.TerminatingRecord]).Single();
        Assert.Equal(code + CommandFqid, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Exception exception = record.AssertApiException();
        Assert.Equal(status, exception.Prop("StatusCode"));
        Assert.Contains(inMessage, record.ToString());
        Assert.Equal("some-id", record.TargetObject);
    }

    [Theory]
    [InlineData("QUOTA_EXCEEDED", 429, ErrorCategory.QuotaExceeded)]
    [InlineData("PERMISSION_DENIED", 403, ErrorCategory.PermissionDenied)]
    [InlineData("FORBIDDEN", 403, ErrorCategory.PermissionDenied)]
    [InlineData("OUT_OF_RANGE", 400, ErrorCategory.InvalidArgument)]
    [InlineData("ALREADY_EXISTS", 409, ErrorCategory.ResourceExists)]
    [InlineData("FAILED_PRECONDITION", 412, ErrorCategory.InvalidOperation)]
    [InlineData("ABORTED", 409, ErrorCategory.InvalidOperation)]
    [InlineData("UNIMPLEMENTED", 501, ErrorCategory.NotImplemented)]
    [InlineData("DEADLINE_EXCEEDED", 504, ErrorCategory.OperationTimeout)]
    [InlineData("UNKNOWN", 500, ErrorCategory.NotSpecified)]
    public void The_specs_error_code_wins_and_sets_the_category(string code, int status, ErrorCategory category)
    {
        Ps.Connect(Emulator, maxRetries: 0);
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, StatusCode = status, ErrorCode = code, Message = "The API's own words.", Remaining = -1 });

        PsResult result = Ps.Run("Get-PineconeRestoreJob 'x'");

        ErrorRecord record = Assert.Single(result.Errors);
        Assert.Equal(code + CommandFqid, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Contains("The API's own words.", record.ToString());
    }

    [Fact]
    public void Malformed_JSON_in_a_success_is_an_InvalidResponse_that_ends_the_list()
    {
        Ps.Connect(Emulator);
        Fault(FaultKind.MalformedSuccess);

        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        Assert.Equal("InvalidResponse" + CommandFqid, result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Contains("not the expected JSON", result.TerminatingRecord.Exception.Message);
        Assert.Equal(1, ApiRequests);
    }

    [Fact]
    public void A_request_slower_than_TimeoutSec_is_a_RequestTimeout_error()
    {
        // A GET that timed out is asked again (it is safe to repeat); the error comes once the retries are spent.
        Ps.Connect(Emulator, timeoutSec: 1, maxRetries: 1);
        Fault(FaultKind.Latency, remaining: -1, latencyMs: 3000);

        var stopwatch = Stopwatch.StartNew();
        PsResult result = Ps.Run("Get-PineconeRestoreJob 'a'");
        stopwatch.Stop();

        ErrorRecord record = Assert.Single(result.Errors);
        Assert.Equal("RequestTimeout" + CommandFqid, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, record.CategoryInfo.Category);
        Assert.Contains("1 s", record.Exception.Message);
        Assert.Equal(2, ApiRequests);
        // Two attempts of 1 s and one backoff; waiting out the 3 s latency twice would take over 6 s.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Stop_ends_the_command_within_a_second_while_a_request_hangs()
    {
        Fault(FaultKind.Hang, remaining: -1);

        AssertStopsWithinASecond();
    }

    [Fact]
    public void Stop_also_cuts_a_retry_wait_short()
    {
        Fault(FaultKind.Status, 429, remaining: -1, retryAfter: "30");

        AssertStopsWithinASecond();
        Assert.Equal(1, ApiRequests);
    }

    /// <summary>Ctrl+C, as a host sends it: PowerShell.Stop() while the command waits on the API.</summary>
    private void AssertStopsWithinASecond()
    {
        Ps.Connect(Emulator);
        using PowerShell ps = Ps.CreatePowerShell("Get-PineconeRestoreJob");

        IAsyncResult invocation = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => Emulator.State.Requests.Count > 0, TimeSpan.FromSeconds(5)), "the request was sent");
        Thread.Sleep(200);
        Stopping.AssertStopsWithinASecond(ps, invocation);
    }
}
