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

    /// <summary>
    /// Today's backend (NOTES.md): clock time after the job was added at which it ends. Until then it is served as
    /// <c>Pending</c> without percent_complete (or with a climbing one under
    /// <see cref="EmulatorOptions.ReportPercentComplete"/>); from then on as <see cref="FinalStatus"/> with completed_at,
    /// and percent_complete 100 only for Completed. Null: served as stored.
    /// </summary>
    public TimeSpan? CompleteAfter { get; set; }

    /// <summary>What a job with <see cref="CompleteAfter"/> ends as: Completed (default), Failed or Cancelled.</summary>
    public string FinalStatus { get; set; } = "Completed";

    public EmulatedRestoreJob Clone() => (EmulatedRestoreJob)MemberwiseClone();

    public override string ToString() => $"{RestoreJobId} ({Status})";
}

/// <summary>A backup as the emulator stores it. Serialized on the wire as the spec's BackupModel; null fields are omitted.</summary>
public sealed class EmulatedBackup
{
    public string BackupId { get; set; } = "";
    public string SourceIndexName { get; set; } = "";
    public string SourceIndexId { get; set; } = "";
    public string? Name { get; set; }
    public string? Description { get; set; }
    /// <summary>Initializing, Ready, InitializationFailed (NOTES.md), or anything else.</summary>
    public string Status { get; set; } = "Ready";
    public string Cloud { get; set; } = "aws";
    public string Region { get; set; } = "us-east-1";
    public int? Dimension { get; set; }
    public string? Metric { get; set; }
    /// <summary>Null: omitted (a count the backup does not report).</summary>
    public long? RecordCount { get; set; }
    /// <summary>Null: omitted.</summary>
    public int? NamespaceCount { get; set; }
    public long? SizeBytes { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Clock time after the backup was added during which it is served as Initializing; then <see cref="FinalStatus"/>. Null: <see cref="Status"/> as stored.</summary>
    public TimeSpan? ReadyAfter { get; set; }

    /// <summary>What a backup with <see cref="ReadyAfter"/> becomes: Ready (default) or InitializationFailed.</summary>
    public string FinalStatus { get; set; } = "Ready";

    /// <summary>
    /// Records per namespace that a restore recreates (not on the wire, and not checked against the counts above). Null:
    /// <see cref="RecordCount"/> split over <see cref="NamespaceCount"/> namespaces ("" first, then ns-1, ns-2, ...).
    /// </summary>
    public Dictionary<string, long>? Namespaces { get; set; }

    public EmulatedBackup Clone()
    {
        var copy = (EmulatedBackup)MemberwiseClone();
        copy.Tags = Tags is null ? null : new Dictionary<string, string>(Tags);
        copy.Namespaces = Namespaces is null ? null : new Dictionary<string, long>(Namespaces);
        return copy;
    }

    public override string ToString() => $"{BackupId} ({Status}, {SourceIndexName})";
}

/// <summary>An index as the emulator stores it. Served as the spec's IndexModel (serverless spec, dense vectors).</summary>
public sealed class EmulatedIndex
{
    public string Name { get; set; } = "";
    /// <summary>The index id (source_index_id of its backups, target_index_id of a restore). Made up when empty.</summary>
    public string IndexId { get; set; } = "";
    public int? Dimension { get; set; } = 1536;
    public string Metric { get; set; } = "cosine";
    /// <summary>"enabled" or "disabled".</summary>
    public string DeletionProtection { get; set; } = "disabled";
    public Dictionary<string, string>? Tags { get; set; }
    public string Cloud { get; set; } = "aws";
    public string Region { get; set; } = "us-east-1";
    public string VectorType { get; set; } = "dense";
    /// <summary>Records per namespace, as describe_index_stats reports them ("" is the default namespace).</summary>
    public Dictionary<string, long> Namespaces { get; set; } = new();
    /// <summary>status.state once ready (Ready, InitializationFailed, Terminating, ...).</summary>
    public string State { get; set; } = "Ready";
    /// <summary>Clock time after the index was added during which it is served as Initializing (ready false). Null: <see cref="State"/> at once.</summary>
    public TimeSpan? ReadyAfter { get; set; }

    [JsonIgnore]
    public long RecordCount => Namespaces.Values.Sum();

    public EmulatedIndex Clone()
    {
        var copy = (EmulatedIndex)MemberwiseClone();
        copy.Tags = Tags is null ? null : new Dictionary<string, string>(Tags);
        copy.Namespaces = new Dictionary<string, long>(Namespaces);
        return copy;
    }

    public override string ToString() => $"{Name} ({State})";
}

/// <summary>One API request as the emulator saw it (admin requests are never logged).</summary>
public sealed class LoggedRequest
{
    public string Method { get; init; } = "";
    /// <summary>The raw path, still escaped, e.g. /restore-jobs/a%2Fb.</summary>
    public string Path { get; init; } = "";
    /// <summary>The raw query string including '?', e.g. ?limit=2&amp;paginationToken=x; empty when none.</summary>
    public string Query { get; init; } = "";
    /// <summary>The request body as received (UTF-8 text); null when there was none.</summary>
    public string? Body { get; internal set; }
    /// <summary>The Content-Type header as received; null when there was none.</summary>
    public string? ContentType { get; init; }
    /// <summary>Null for the control plane; the index's host ("127.0.0.1:port") for a data-plane request.</summary>
    public string? IndexHost { get; init; }
    public string? ApiVersionHeader { get; init; }
    public string? UserAgent { get; init; }
    /// <summary>The names of every request header as received, to show that nothing was added to or split from them.</summary>
    public IReadOnlyList<string> HeaderNames { get; init; } = Array.Empty<string>();
    public bool ApiKeyPresent { get; init; }
    public bool ApiKeyValid { get; init; }
    /// <summary>The status answered; 0 when the connection was dropped or the client went away first.</summary>
    public int StatusCode { get; internal set; }
    /// <summary>The fault rule that fired for this request, if any.</summary>
    public FaultKind? Fault { get; internal set; }
    /// <summary>The random fault that fired for this request, if any.</summary>
    public RandomFaultKind? RandomFault { get; internal set; }
    /// <summary>Arrival time on the emulator clock.</summary>
    public DateTimeOffset Time { get; init; }
    /// <summary>Arrival time on the wall clock, to measure how long a client waited between requests.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    public override string ToString() => $"{Method} {IndexHost}{Path}{Query} -> {StatusCode}";
}
