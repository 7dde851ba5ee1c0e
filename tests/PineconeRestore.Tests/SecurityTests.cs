using System.Collections;
using System.Management.Automation;
using System.Reflection;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// Issue 15's security checks, end to end: the key and a URL's password reach nothing the runspace produced under any
/// fault (streams, objects, every error with its target, details and whole exception chain), and hostile ids and
/// tokens cannot change the request line, the path or the headers.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class SecurityTests : EmulatorTestBase
{
    private const string Key = "pcsk_LEAK-4d3c2b1a-must-never-show";
    private const string Password = "Hunter2-url-pw";

    protected override EmulatorOptions Options => new() { ApiKey = Key };

    protected override int? ConnectWithMaxRetries => null;

    private static readonly string[] Secrets = [Key, "LEAK-4d3c2b1a", Password];

    public static TheoryData<string, FaultRule> EveryFault()
    {
        var data = new TheoryData<string, FaultRule>();
        FaultRule[] rules =
        [
            new() { Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "0" },
            new() { Kind = FaultKind.Status, StatusCode = 503 },
            new() { Kind = FaultKind.Status, StatusCode = 400, ErrorCode = "INVALID_ARGUMENT", Message = "bad key " + Key },
            new() { Kind = FaultKind.HtmlBody, StatusCode = 502 },
            new() { Kind = FaultKind.EmptyBody, StatusCode = 500 },
            new() { Kind = FaultKind.TruncatedJson, StatusCode = 400 },
            new() { Kind = FaultKind.MalformedSuccess },
            new() { Kind = FaultKind.MissingRequiredField },
            new() { Kind = FaultKind.DropConnection },
            new() { Kind = FaultKind.CutBody },
            new() { Kind = FaultKind.RepeatToken },
            new() { Kind = FaultKind.Latency, LatencyMs = 1500, Remaining = 2 }, // past -TimeoutSec 1; twice, to keep it short
            // A proxy or broken server echoing the request's headers, in a success and in an error.
            new() { Kind = FaultKind.CustomBody, StatusCode = 200, Body = $$"""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Api-Key: {{Key}}","created_at":"{{Key}}"}""" },
            new() { Kind = FaultKind.CustomBody, StatusCode = 502, ContentType = "text/html", Body = $"<html>Api-Key: {Key}</html>" },
            new() { Kind = FaultKind.CustomBody, StatusCode = 200, ContentType = "application/json; charset=" + Key, Body = "{}" },
        ];
        foreach (FaultRule rule in rules)
        {
            rule.Remaining = rule.Remaining == 1 ? -1 : rule.Remaining;
            data.Add(rule.Kind + " " + rule.StatusCode, rule);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryFault))]
    public void The_key_is_in_nothing_a_listing_or_a_describe_produced_under_any_fault(string name, FaultRule rule)
    {
        Assert.NotNull(name);
        Ps.Connect(Emulator, maxRetries: 1, timeoutSec: 1);
        Emulator.State.AddFault(rule);
        using IDisposable backoff = ModuleInternals.RetryBaseDelay(TimeSpan.FromMilliseconds(5));

        var results = new[]
        {
            Ps.Run("Get-PineconeRestoreJob -PageSize 3 -Verbose -Debug"),
            Ps.Run("'a', 'b' | Get-PineconeRestoreJob -ApiKey $k -Verbose -Debug *>&1", ("k", Key)),
        };

        Assert.Contains(Emulator.State.Requests, r => r.Fault == rule.Kind); // the fault fired
        AssertNoSecret(results);
        AssertNoSecret(Ps.Run("$Error")); // the session's error list, as a user would look at it afterwards
    }

    [Fact]
    public void The_key_is_in_nothing_a_seeded_random_fault_run_produced()
    {
        Ps.Connect(Emulator, maxRetries: 1, timeoutSec: 1);
        Emulator.State.SetRandomFaults(new RandomFaultOptions { Seed = 15, Rate = 0.4, RetryAfterSeconds = "0", DelayMs = 1500 });
        using IDisposable backoff = ModuleInternals.RetryBaseDelay(TimeSpan.FromMilliseconds(5));

        var results = Enumerable.Range(0, 4).Select(i => i % 2 == 0
            ? Ps.Run("Get-PineconeRestoreJob -PageSize 2 -Verbose -Debug")
            : Ps.Run("Get-PineconeRestoreJob -ApiKey $k -PageSize 2 | Get-PineconeRestoreJob -ApiKey $k -Verbose", ("k", Key))).ToList();

        Assert.True(Emulator.State.RandomFaultCounts.Values.Sum() > 5);
        AssertNoSecret(results);
    }

    [Theory]
    [InlineData("http://user:{0}@127.0.0.1:{1}/")]
    [InlineData("https://user:{0}@api.example.com/")]
    [InlineData("https://user:{0}/with-slash@api.example.com")]
    [InlineData("not a url user:{0}@x")]
    public void A_password_in_a_controller_URL_is_in_no_error_and_no_TargetObject(string template)
    {
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Password, 5080);
        var results = new List<PsResult>
        {
            Ps.Run("Get-PineconeRestoreJob -ApiKey $k -ControllerHost $u", ("k", Key), ("u", url)),
            Ps.Run("Connect-Pinecone -ApiKey $k -ControllerHost $u -Verbose", ("k", Key), ("u", url)),
        };
        using (new EnvironmentScope(("PINECONE_CONTROLLER_HOST", url), ("PINECONE_API_KEY", Key)))
        {
            results.Add(Ps.Run("Get-PineconeRestoreJob 'x'"));
            results.Add(Ps.Run("Connect-Pinecone -PassThru"));
        }

        Assert.All(results, r => Assert.StartsWith("InvalidControllerHost,", r.TerminatingRecord.FullyQualifiedErrorId));
        Assert.All(results.Skip(2), r => Assert.NotNull(r.TerminatingRecord.TargetObject)); // the variable's text, shown safely
        AssertNoSecret(results);
    }

    [Fact]
    public void Hostile_ids_cannot_change_the_request_line_the_path_or_the_headers()
    {
        Ps.Connect(Emulator, maxRetries: 0);
        string[] ids =
        [
            // (No NUL: Kestrel itself refuses %00 in a path, before the emulator sees it; the token test has one.)
            "a\r\nX-Injected: yes", "a\nHost: evil.example", "../backups", "a/../../backups", "a/b", "a?limit=1",
            "a#frag", "a%2F..%2Fbackups", "%2e%2e", "a b", "a;b=c&d", "a\\b", "ü-ñ-\u2028-\u0085", "a HTTP/1.1\r\n\r\nGET /x", "...",
            new string('x', 4000),
        ];
        PsResult baseline = Ps.Run("Get-PineconeRestoreJob -First 1");
        Assert.Single(baseline.Output);
        IReadOnlyList<string> headers = Emulator.State.Requests.Single().HeaderNames;
        Emulator.State.ClearRequests();

        PsResult result = Ps.Run("$ids | Get-PineconeRestoreJob -ThrottleLimit 1", ("ids", ids));

        // Each id is one request for one path segment, answered 404 for that id alone.
        Assert.Null(result.Terminating);
        Assert.Equal(ids, result.Errors.Select(e => (string)e.TargetObject));
        Assert.All(result.Errors, e => Assert.Equal("NOT_FOUND" + CommandFqid, e.FullyQualifiedErrorId));
        List<LoggedRequest> log = Emulator.State.Requests.ToList();
        Assert.Equal(ids.Select(id => "/restore-jobs/" + Uri.EscapeDataString(id)), log.Select(r => r.Path));
        Assert.All(log, r => AssertPlainRequest(r, headers));
    }

    [Fact]
    public void Hostile_pagination_tokens_stay_inside_the_query_value()
    {
        Ps.Connect(Emulator, maxRetries: 0);
        string[] tokens = ["t\r\nX-Injected: yes", "t&limit=1", "t#frag", "t/../../backups", "t=x?y", "t\0", new string('t', 4000)];
        PsResult baseline = Ps.Run("Get-PineconeRestoreJob -First 1");
        Assert.Single(baseline.Output);
        IReadOnlyList<string> headers = Emulator.State.Requests.Single().HeaderNames;
        Emulator.State.ClearRequests();

        foreach (string token in tokens)
        {
            // A token the server never minted is its 400; what matters is what was sent.
            PsResult result = Ps.Run("Get-PineconeRestoreJob -PaginationToken $t", ("t", token));
            Assert.StartsWith("INVALID_ARGUMENT,", result.TerminatingRecord.FullyQualifiedErrorId);
        }

        List<LoggedRequest> log = Emulator.State.Requests.ToList();
        Assert.Equal(tokens.Select(t => "?limit=100&paginationToken=" + Uri.EscapeDataString(t)), log.Select(r => r.Query));
        Assert.All(log, r => Assert.Equal("/restore-jobs", r.Path));
        Assert.All(log, r => AssertPlainRequest(r, headers));
    }

    private static void AssertPlainRequest(LoggedRequest request, IReadOnlyList<string> headers)
    {
        Assert.Equal("GET", request.Method);
        Assert.Equal(headers.Order(StringComparer.OrdinalIgnoreCase), request.HeaderNames.Order(StringComparer.OrdinalIgnoreCase));
        Assert.True(request.ApiKeyValid);
        Assert.Equal("2025-04", request.ApiVersionHeader);
        Assert.StartsWith("PineconeRestore/", request.UserAgent);
    }

    private static void AssertNoSecret(params IEnumerable<PsResult> results)
    {
        foreach (PsResult result in results)
        {
            foreach (string text in Everything(result))
            {
                foreach (string secret in Secrets)
                {
                    Assert.DoesNotContain(secret, text);
                }
            }
        }
    }

    /// <summary>
    /// Every text in a run: what <see cref="PsResult.AllText"/> gives, and for each error its target, details, position
    /// and script stack, and every public property of every exception in its chain (aggregates too).
    /// </summary>
    private static IEnumerable<string> Everything(PsResult result)
    {
        foreach (string text in result.AllText())
        {
            yield return text;
        }

        IEnumerable<ErrorRecord> records = result.Terminating != null ? result.Errors.Append(result.Terminating) : result.Errors;
        records = records.Concat(result.Output.Select(o => o.BaseObject).OfType<ErrorRecord>());
        foreach (ErrorRecord record in records)
        {
            yield return record.InvocationInfo?.PositionMessage ?? string.Empty;
            yield return record.ScriptStackTrace ?? string.Empty;
            yield return record.CategoryInfo.TargetName;
            foreach (string text in Properties(record.TargetObject))
            {
                yield return text;
            }

            var pending = new Stack<Exception>();
            pending.Push(record.Exception);
            while (pending.Count > 0)
            {
                Exception exception = pending.Pop();
                yield return exception.ToString();
                foreach (string text in Properties(exception))
                {
                    yield return text;
                }

                foreach (DictionaryEntry entry in exception.Data)
                {
                    yield return $"{entry.Key}={entry.Value}";
                }

                if (exception is AggregateException aggregate)
                {
                    aggregate.InnerExceptions.ToList().ForEach(pending.Push);
                }
                else if (exception.InnerException != null)
                {
                    pending.Push(exception.InnerException);
                }

                if (exception is IContainsErrorRecord inner && !ReferenceEquals(inner.ErrorRecord, record))
                {
                    yield return inner.ErrorRecord.ToString();
                    yield return inner.ErrorRecord.TargetObject?.ToString() ?? string.Empty;
                }
            }
        }
    }

    private static IEnumerable<string> Properties(object? value)
    {
        if (value == null)
        {
            yield break;
        }

        yield return value.ToString() ?? string.Empty;
        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name is "TargetSite" or "ErrorRecord")
            {
                continue;
            }

            object? item;
            try
            {
                item = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                continue;
            }

            yield return item?.ToString() ?? string.Empty;
        }
    }
}
