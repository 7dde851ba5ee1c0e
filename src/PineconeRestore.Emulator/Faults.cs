using System.Text.Json.Serialization;

namespace PineconeRestore.Emulator;

/// <summary>What a <see cref="FaultRule"/> does to a matching request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Sleep <see cref="FaultRule.LatencyMs"/>, then serve normally.</summary>
    Latency,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with the spec's error body (+ Retry-After if set); rpcStatus on the data plane.</summary>
    Status,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> (default 502) with an nginx-style text/html page.</summary>
    HtmlBody,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with no body.</summary>
    EmptyBody,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with the spec's error body cut in half (a complete, short response).</summary>
    TruncatedJson,
    /// <summary>Answer 200 application/json with broken JSON.</summary>
    MalformedSuccess,
    /// <summary>Serve normally but remove the id field (restore_job_id, backup_id, name) from the (first) item.</summary>
    MissingRequiredField,
    /// <summary>Abort the TCP connection without a response.</summary>
    DropConnection,
    /// <summary>Lists only: serve the page but make <c>pagination.next</c> repeat the token the request came with.</summary>
    RepeatToken,
    /// <summary>Never answer; wait until the client goes away (or the emulator stops).</summary>
    Hang,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with <see cref="FaultRule.Body"/> as given, to replay any body a server could send.</summary>
    CustomBody,
    /// <summary>Serve normally, but send headers and only half of the body, then abort the connection.</summary>
    CutBody,
    /// <summary>create-index only: the restored index gets <see cref="FaultRule.Records"/> fewer records (default: a tenth, at least 1) than the backup.</summary>
    LoseRecords,
    /// <summary>describe_index_stats only: report <see cref="FaultRule.Records"/> fewer records (default: none at all); Remaining = how many reads lag.</summary>
    LagStats,
    /// <summary>create-index only: the restore job ends as <see cref="FaultRule.FinalStatus"/> (default Failed) and the index as InitializationFailed.</summary>
    FailRestore,
}

/// <summary>A queued fault. Rules are checked in order for each API request; the first that matches fires.</summary>
public sealed class FaultRule
{
    private int? _statusCode;

    public FaultKind Kind { get; set; }

    /// <summary>Null = any API path. Otherwise an ordinal prefix of the raw (still escaped) path, e.g. "/restore-jobs/".</summary>
    public string? PathPrefix { get; set; }

    /// <summary>Null = any method; otherwise only requests with this method (case-insensitive), e.g. "DELETE".</summary>
    public string? Method { get; set; }

    /// <summary>How many more times the rule fires; -1 = forever; 0 = spent.</summary>
    public int Remaining { get; set; } = 1;

    /// <summary>
    /// How many matching requests to let through untouched before the rule starts firing (e.g. 1 = the second matching
    /// request is the first to fault). Skipped requests do not consume <see cref="Remaining"/>; later rules still get a look.
    /// </summary>
    public int SkipFirst { get; set; }

    /// <summary>Latency: the delay before serving normally.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Status / HtmlBody / EmptyBody / TruncatedJson / CustomBody: the HTTP status. Defaults to 503 (502 for HtmlBody).</summary>
    public int StatusCode
    {
        get => _statusCode ?? (Kind == FaultKind.HtmlBody ? 502 : 503);
        set => _statusCode = value;
    }

    /// <summary>Value of a Retry-After header (seconds or an HTTP date). Sent with any status-answering fault when set.</summary>
    public string? RetryAfter { get; set; }

    /// <summary>Status: error.code; null = derived from the status (429 RESOURCE_EXHAUSTED, 500 UNKNOWN, 503 UNAVAILABLE, ...).</summary>
    public string? ErrorCode { get; set; }

    /// <summary>Status / TruncatedJson: error.message; null = a default for the status.</summary>
    public string? Message { get; set; }

    /// <summary>CustomBody: the exact body to send.</summary>
    public string? Body { get; set; }

    /// <summary>CustomBody: the exact bytes to send instead of <see cref="Body"/> (base64 in the admin API), e.g. invalid UTF-8.</summary>
    public byte[]? BodyBytes { get; set; }

    /// <summary>CustomBody: the content type to send; application/json when null.</summary>
    public string? ContentType { get; set; }

    /// <summary>LoseRecords / LagStats: how many records are missing; null = the kind's default.</summary>
    public long? Records { get; set; }

    /// <summary>FailRestore: the restore job's final status (Failed when null; Cancelled works too).</summary>
    public string? FinalStatus { get; set; }

    public FaultRule Clone() => (FaultRule)MemberwiseClone();

    public override string ToString() =>
        $"{Kind} {Method ?? "*"} {PathPrefix ?? "*"} x{Remaining}" + (SkipFirst > 0 ? $" after {SkipFirst}" : "");
}

/// <summary>The kinds of fault the seeded random fault mode injects (issue 15).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RandomFaultKind>))]
public enum RandomFaultKind
{
    /// <summary>429 RESOURCE_EXHAUSTED without Retry-After.</summary>
    TooManyRequests,
    /// <summary>429 RESOURCE_EXHAUSTED with Retry-After: <see cref="RandomFaultOptions.RetryAfterSeconds"/>.</summary>
    TooManyRequestsRetryAfter,
    /// <summary>500, 502, 503 or 504 with the API's JSON error body.</summary>
    ServerErrorJson,
    /// <summary>500, 502, 503 or 504 with a proxy's HTML page.</summary>
    ServerErrorHtml,
    /// <summary>The connection is aborted before any header is sent.</summary>
    DropConnection,
    /// <summary>The real answer's headers and half its body, then the connection is aborted.</summary>
    CutBody,
    /// <summary>The real answer, after <see cref="RandomFaultOptions.DelayMs"/> (meant to be past the client's timeout).</summary>
    Delay,
}

/// <summary>Seeded random faults: each API request faults with probability <see cref="Rate"/>, the kind drawn uniformly from <see cref="Kinds"/>.</summary>
public sealed class RandomFaultOptions
{
    public int Seed { get; set; }

    /// <summary>0..1: the share of requests that fault.</summary>
    public double Rate { get; set; } = 0.2;

    /// <summary>Null or empty = every kind.</summary>
    public List<RandomFaultKind>? Kinds { get; set; }

    /// <summary>Retry-After value for <see cref="RandomFaultKind.TooManyRequestsRetryAfter"/>; "0" keeps a test fast.</summary>
    public string RetryAfterSeconds { get; set; } = "1";

    /// <summary>How long <see cref="RandomFaultKind.Delay"/> waits before answering.</summary>
    public int DelayMs { get; set; } = 30_000;

    /// <summary>Null = every API path; otherwise only raw paths with this prefix.</summary>
    public string? PathPrefix { get; set; }

    public RandomFaultOptions Clone()
    {
        var copy = (RandomFaultOptions)MemberwiseClone();
        copy.Kinds = Kinds?.ToList();
        return copy;
    }
}

/// <summary>The seeded generator and its counts; guarded by the state's lock so one request sequence gives one fault sequence.</summary>
internal sealed class RandomFaults
{
    private static readonly int[] ServerErrors = { 500, 502, 503, 504 };
    private readonly Random _random;
    private readonly RandomFaultKind[] _kinds;

    public RandomFaults(RandomFaultOptions options)
    {
        Options = options.Clone();
        _random = new Random(options.Seed);
        _kinds = options.Kinds is { Count: > 0 } k ? k.Distinct().ToArray() : Enum.GetValues<RandomFaultKind>();
    }

    public RandomFaultOptions Options { get; }

    public Dictionary<RandomFaultKind, int> Counts { get; } = new();

    /// <summary>Two draws per request whether or not it faults, so one request's outcome never shifts the next one's.</summary>
    public (RandomFaultKind Kind, int Status)? Next(string rawPath)
    {
        if (Options.PathPrefix is not null && !rawPath.StartsWith(Options.PathPrefix, StringComparison.Ordinal)) return null;
        var roll = _random.NextDouble();
        var pick = _random.Next(_kinds.Length * ServerErrors.Length);
        if (roll >= Options.Rate) return null;
        var kind = _kinds[pick / ServerErrors.Length];
        Counts[kind] = Counts.GetValueOrDefault(kind) + 1;
        var status = kind is RandomFaultKind.TooManyRequests or RandomFaultKind.TooManyRequestsRetryAfter ? 429 : ServerErrors[pick % ServerErrors.Length];
        return (kind, status);
    }
}
