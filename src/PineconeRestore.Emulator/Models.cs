using System.Text.Json.Serialization;

namespace PineconeRestore.Emulator;

/// <summary>A restore job as the emulator stores it. Serialized on the wire as the spec's RestoreJobModel.</summary>
public sealed class EmulatedRestoreJob
{
    public string RestoreJobId { get; set; } = "";
    public string BackupId { get; set; } = "";
    public string TargetIndexName { get; set; } = "";
    public string TargetIndexId { get; set; } = "";
    /// <summary>Open string: Pending, InProgress, Running, Completed, Failed, Cancelled, or anything else.</summary>
    public string Status { get; set; } = "Pending";
    /// <summary>Null is served as <c>"created_at": null</c> (real servers have done that).</summary>
    public DateTimeOffset? CreatedAt { get; set; }
    /// <summary>Null is omitted from the JSON.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>Null is omitted from the JSON.</summary>
    public double? PercentComplete { get; set; }

    /// <summary>
    /// Optional simulated progress, in percentage points per minute of <see cref="EmulatorClock"/> time since the job was
    /// added. Only applies while <see cref="Status"/> is Pending/InProgress/Running; at 100 the job is served as
    /// Completed with completed_at = the clock time it reached 100. Null or &lt;= 0: no automatic progress.
    /// </summary>
    public double? ProgressPerMinute { get; set; }

    public EmulatedRestoreJob Clone() => (EmulatedRestoreJob)MemberwiseClone();

    public override string ToString() => $"{RestoreJobId} ({Status})";
}

/// <summary>What a <see cref="FaultRule"/> does to a matching request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Sleep <see cref="FaultRule.LatencyMs"/>, then serve normally.</summary>
    Latency,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with a spec ErrorResponse body (+ Retry-After if set).</summary>
    Status,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> (default 502) with an nginx-style text/html page.</summary>
    HtmlBody,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with no body.</summary>
    EmptyBody,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with a spec ErrorResponse body cut in half.</summary>
    TruncatedJson,
    /// <summary>Answer 200 application/json with broken JSON.</summary>
    MalformedSuccess,
    /// <summary>Serve normally but remove <c>restore_job_id</c> from the (first) job.</summary>
    MissingRequiredField,
    /// <summary>Abort the TCP connection without a response.</summary>
    DropConnection,
    /// <summary>List only: serve the page but make <c>pagination.next</c> repeat the token the request came with.</summary>
    RepeatToken,
    /// <summary>Never answer; wait until the client goes away (or the emulator stops).</summary>
    Hang,
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> with <see cref="FaultRule.Body"/> as given, to replay any body a server could send.</summary>
    CustomBody,
}

/// <summary>A queued fault. Rules are checked in order for each API request; the first that matches fires.</summary>
public sealed class FaultRule
{
    private int? _statusCode;

    public FaultKind Kind { get; set; }

    /// <summary>Null = any API path. Otherwise an ordinal prefix of the raw (still escaped) path, e.g. "/restore-jobs/".</summary>
    public string? PathPrefix { get; set; }

    /// <summary>How many more times the rule fires; -1 = forever; 0 = spent.</summary>
    public int Remaining { get; set; } = 1;

    /// <summary>
    /// How many matching requests to let through untouched before the rule starts firing (e.g. 1 = the second matching
    /// request is the first to fault). Skipped requests do not consume <see cref="Remaining"/>; later rules still get a look.
    /// </summary>
    public int SkipFirst { get; set; }

    /// <summary>Latency: the delay before serving normally.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Status / HtmlBody / EmptyBody / TruncatedJson: the HTTP status. Defaults to 503 (502 for HtmlBody).</summary>
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

    /// <summary>CustomBody: the content type to send; application/json when null.</summary>
    public string? ContentType { get; set; }

    public FaultRule Clone() => (FaultRule)MemberwiseClone();

    public override string ToString() => $"{Kind} {PathPrefix ?? "*"} x{Remaining}" + (SkipFirst > 0 ? $" after {SkipFirst}" : "");
}

/// <summary>One API request as the emulator saw it (admin requests are never logged).</summary>
public sealed class LoggedRequest
{
    public string Method { get; init; } = "";
    /// <summary>The raw path, still escaped, e.g. /restore-jobs/a%2Fb.</summary>
    public string Path { get; init; } = "";
    /// <summary>The raw query string including '?', e.g. ?limit=2&amp;paginationToken=x; empty when none.</summary>
    public string Query { get; init; } = "";
    public string? ApiVersionHeader { get; init; }
    public string? UserAgent { get; init; }
    public bool ApiKeyPresent { get; init; }
    public bool ApiKeyValid { get; init; }
    /// <summary>The status answered; 0 when the connection was dropped or the client went away first.</summary>
    public int StatusCode { get; internal set; }
    /// <summary>The fault that fired for this request, if any.</summary>
    public FaultKind? Fault { get; internal set; }
    /// <summary>Arrival time on the emulator clock.</summary>
    public DateTimeOffset Time { get; init; }
    /// <summary>Arrival time on the wall clock, to measure how long a client waited between requests.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    public override string ToString() => $"{Method} {Path}{Query} -> {StatusCode}";
}
