using System.Globalization;
using System.Text.RegularExpressions;

namespace PineconeRestore.Emulator;

/// <summary>
/// Everything the emulator serves and records: restore jobs, backups and indexes (each its own table, all on one clock),
/// settings, fault rules, random faults and the request log. Thread-safe; items are copied in and out.
/// </summary>
public sealed partial class EmulatorState
{
    private readonly object _gate = new();
    private readonly EmulatorOptions _options;
    private readonly OrderedTable<EmulatedRestoreJob> _jobs = new();
    private readonly OrderedTable<EmulatedBackup> _backups = new();
    private readonly OrderedTable<EmulatedIndex> _indexes = new();
    private readonly List<FaultRule> _faults = new();
    private readonly List<LoggedRequest> _requests = new();
    private RandomFaults? _random;

    internal EmulatorState(EmulatorOptions options)
    {
        _options = options;
        Reset();
        if (options.ClockSpeed is { } speed) Clock.Run(speed);
    }

    public EmulatorClock Clock { get; } = new();

    // ---- settings (start from EmulatorOptions; Reset puts them back) ------------------------------------------------

    /// <inheritdoc cref="EmulatorOptions.ReportPercentComplete"/>
    public bool ReportPercentComplete { get; set; }

    /// <inheritdoc cref="EmulatorOptions.BackupReadyAfter"/>
    public TimeSpan BackupReadyAfter { get; set; }

    /// <inheritdoc cref="EmulatorOptions.RestoreCompleteAfter"/>
    public TimeSpan RestoreCompleteAfter { get; set; }

    /// <inheritdoc cref="EmulatorOptions.IndexReadyAfter"/>
    public TimeSpan IndexReadyAfter { get; set; }

    /// <inheritdoc cref="EmulatorOptions.BackupQuota"/>
    public int? BackupQuota { get; set; }

    // ---- restore jobs -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Adds a copy of the job at the end of the list order (or at the front, which shifts every later offset, as rows
    /// created between page requests do on the real server). A job with the same id is replaced in place instead.
    /// Its timed progress (<see cref="EmulatedRestoreJob.CompleteAfter"/>) counts from now.
    /// </summary>
    public void AddRestoreJob(EmulatedRestoreJob job, bool atFront = false)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(job.RestoreJobId);
        var now = Clock.Now;
        lock (_gate) _jobs.Put(job.RestoreJobId, job.Clone(), now, atFront);
    }

    /// <summary>Copies of the stored jobs, in list order (as added, before any simulated progress).</summary>
    public IReadOnlyList<EmulatedRestoreJob> RestoreJobs
    {
        get { lock (_gate) return _jobs.All((j, _) => j.Clone()); }
    }

    /// <summary>The jobs exactly as the API serves them at <see cref="EmulatorClock.Now"/> (simulated progress applied).</summary>
    public IReadOnlyList<EmulatedRestoreJob> ServedRestoreJobs
    {
        get
        {
            var now = Clock.Now;
            lock (_gate) return _jobs.All((j, added) => ServedJob(j, added, now));
        }
    }

    /// <summary>The job as describe serves it now, or null.</summary>
    public EmulatedRestoreJob? FindRestoreJob(string restoreJobId)
    {
        var now = Clock.Now;
        lock (_gate) return _jobs.Find(restoreJobId, (j, added) => ServedJob(j, added, now));
    }

    public bool RemoveRestoreJob(string restoreJobId)
    {
        lock (_gate) return _jobs.Remove(restoreJobId);
    }

    public void ClearRestoreJobs()
    {
        lock (_gate) _jobs.Clear();
    }

    internal (EmulatedRestoreJob[] Page, int Total) RestoreJobPage(int offset, int limit)
    {
        var now = Clock.Now;
        lock (_gate) return (_jobs.Page(offset, limit, (j, added) => ServedJob(j, added, now)), _jobs.Count);
    }

    private EmulatedRestoreJob ServedJob(EmulatedRestoreJob stored, DateTimeOffset addedAt, DateTimeOffset now)
    {
        var job = stored.Clone();
        if (job.CompleteAfter is { } after)
        {
            var elapsed = now - addedAt;
            if (elapsed < after)
            {
                job.Status = "Pending"; // today's backend has no in-progress value (NOTES.md)
                job.CompletedAt = null;
                job.PercentComplete = ReportPercentComplete
                    ? Math.Round(100 * Math.Max(0, elapsed.Ticks) / (double)after.Ticks, 1)
                    : null;
            }
            else
            {
                job.Status = job.FinalStatus;
                job.CompletedAt = TruncateToMs(addedAt + after);
                job.PercentComplete = string.Equals(job.FinalStatus, "Completed", StringComparison.OrdinalIgnoreCase) ? 100 : null;
            }
            return job;
        }

        if (job.ProgressPerMinute is not > 0 || !IsRunning(job.Status)) return job;
        var sinceAdded = now - addedAt;
        if (sinceAdded <= TimeSpan.Zero) return job;
        var rate = job.ProgressPerMinute.Value;
        var start = job.PercentComplete ?? 0;
        var percent = start + rate * sinceAdded.TotalMinutes;
        if (percent >= 100)
        {
            job.Status = "Completed";
            job.PercentComplete = 100;
            job.CompletedAt = TruncateToMs(addedAt + TimeSpan.FromMinutes((100 - start) / rate));
        }
        else
        {
            job.PercentComplete = Math.Round(percent, 1);
            if (string.Equals(job.Status, "Pending", StringComparison.OrdinalIgnoreCase) && percent > 0) job.Status = "InProgress";
        }
        return job;
    }

    private static DateTimeOffset TruncateToMs(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>NOTES.md: anything that is not Completed, Failed or Cancelled/Canceled is still running.</summary>
    internal static bool IsRunning(string? status) =>
        status is null || !(status.Equals("Completed", StringComparison.OrdinalIgnoreCase)
                            || status.Equals("Failed", StringComparison.OrdinalIgnoreCase)
                            || status.Equals("Cancelled", StringComparison.OrdinalIgnoreCase)
                            || status.Equals("Canceled", StringComparison.OrdinalIgnoreCase));

    // ---- backups ----------------------------------------------------------------------------------------------------

    /// <summary>Adds a copy at the end of the list order (an existing id is replaced in place); its ReadyAfter counts from now.</summary>
    public void AddBackup(EmulatedBackup backup, bool atFront = false)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentException.ThrowIfNullOrEmpty(backup.BackupId);
        var now = Clock.Now;
        lock (_gate) _backups.Put(backup.BackupId, backup.Clone(), now, atFront);
    }

    /// <summary>The backups as the API serves them now (status moved on by the clock), in list order.</summary>
    public IReadOnlyList<EmulatedBackup> Backups
    {
        get
        {
            var now = Clock.Now;
            lock (_gate) return _backups.All((b, added) => ServedBackup(b, added, now));
        }
    }

    /// <summary>The backup as describe serves it now, or null.</summary>
    public EmulatedBackup? FindBackup(string backupId)
    {
        var now = Clock.Now;
        lock (_gate) return _backups.Find(backupId, (b, added) => ServedBackup(b, added, now));
    }

    public bool RemoveBackup(string backupId)
    {
        lock (_gate) return _backups.Remove(backupId);
    }

    public void ClearBackups()
    {
        lock (_gate) _backups.Clear();
    }

    /// <summary>Null when <paramref name="indexName"/> names no index (NOTES.md: a 404, not an empty list).</summary>
    internal (EmulatedBackup[] Page, int Total)? BackupPage(string? indexName, int offset, int limit)
    {
        var now = Clock.Now;
        lock (_gate)
        {
            if (indexName is not null && !_indexes.TryGet(indexName, out _, out _)) return null;
            if (indexName is null) return (_backups.Page(offset, limit, (b, added) => ServedBackup(b, added, now)), _backups.Count);
            var matching = _backups.InOrder().Where(e => e.Item.SourceIndexName == indexName).ToArray();
            return (matching.Skip(offset).Take(limit).Select(e => ServedBackup(e.Item, e.AddedAt, now)).ToArray(), matching.Length);
        }
    }

    private static EmulatedBackup ServedBackup(EmulatedBackup stored, DateTimeOffset addedAt, DateTimeOffset now)
    {
        var b = stored.Clone();
        if (b.ReadyAfter is { } after) b.Status = now - addedAt < after ? "Initializing" : b.FinalStatus;
        return b;
    }

    // ---- indexes ----------------------------------------------------------------------------------------------------

    /// <summary>Adds a copy (an existing name is replaced in place); an empty <see cref="EmulatedIndex.IndexId"/> gets a new id.</summary>
    public void AddIndex(EmulatedIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentException.ThrowIfNullOrEmpty(index.Name);
        var copy = index.Clone();
        if (string.IsNullOrEmpty(copy.IndexId)) copy.IndexId = Guid.NewGuid().ToString();
        var now = Clock.Now;
        lock (_gate) _indexes.Put(copy.Name, copy, now);
    }

    /// <summary>The indexes as the API serves them now (Initializing until ReadyAfter has passed), in list order.</summary>
    public IReadOnlyList<EmulatedIndex> Indexes
    {
        get
        {
            var now = Clock.Now;
            lock (_gate) return _indexes.All((i, added) => ServedIndex(i, added, now));
        }
    }

    public EmulatedIndex? FindIndex(string name)
    {
        var now = Clock.Now;
        lock (_gate) return _indexes.Find(name, (i, added) => ServedIndex(i, added, now));
    }

    internal EmulatedIndex? FindIndexById(string indexId)
    {
        var now = Clock.Now;
        lock (_gate)
            foreach (var (i, added) in _indexes.InOrder())
                if (i.IndexId == indexId) return ServedIndex(i, added, now);
        return null;
    }

    public bool RemoveIndex(string name)
    {
        lock (_gate) return _indexes.Remove(name);
    }

    public void ClearIndexes()
    {
        lock (_gate) _indexes.Clear();
    }

    private static EmulatedIndex ServedIndex(EmulatedIndex stored, DateTimeOffset addedAt, DateTimeOffset now)
    {
        var i = stored.Clone();
        if (i.ReadyAfter is { } after && now - addedAt < after) i.State = "Initializing";
        return i;
    }

    internal static bool IsReady(string state) =>
        state is "Ready" or "ScalingUp" or "ScalingDown" or "ScalingUpPodSize" or "ScalingDownPodSize";

    // ---- operations that change things (the API's POST and DELETE) --------------------------------------------------

    internal EmulatedBackup CreateBackup(string indexName, string? name, string? description, out ApiError? error)
    {
        var now = Clock.Now;
        lock (_gate)
        {
            if (!_indexes.TryGet(indexName, out var index, out _))
            {
                error = new ApiError(404, "NOT_FOUND", $"Index {indexName} not found.");
                return null!;
            }
            if (BackupQuota is { } quota && _backups.Count >= quota)
            {
                error = new ApiError(403, "FORBIDDEN", "Increase your quota or upgrade to create more backups.");
                return null!;
            }
            var backup = new EmulatedBackup
            {
                BackupId = Guid.NewGuid().ToString(),
                SourceIndexName = index.Name,
                SourceIndexId = index.IndexId,
                Name = name,
                Description = description,
                Status = "Initializing",
                Cloud = index.Cloud,
                Region = index.Region,
                Dimension = index.Dimension,
                Metric = index.Metric,
                RecordCount = index.RecordCount,
                NamespaceCount = index.Namespaces.Count,
                SizeBytes = index.RecordCount * 4L * (index.Dimension ?? 1) + 1024,
                Tags = index.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(index.Tags),
                CreatedAt = now,
                ReadyAfter = BackupReadyAfter,
                Namespaces = new Dictionary<string, long>(index.Namespaces),
            };
            _backups.Put(backup.BackupId, backup, now);
            error = null;
            return ServedBackup(backup, now, now);
        }
    }

    internal bool DeleteBackup(string backupId, out ApiError? error)
    {
        var now = Clock.Now;
        lock (_gate)
        {
            if (!_backups.TryGet(backupId, out _, out _))
            {
                error = new ApiError(404, "NOT_FOUND", $"Backup {backupId} not found.");
                return false;
            }
            var pending = _jobs.InOrder().Where(e => e.Item.BackupId == backupId && IsRunning(ServedJob(e.Item, e.AddedAt, now).Status))
                .Select(e => "'" + e.Item.RestoreJobId + "'").ToArray();
            if (pending.Length > 0)
            {
                error = new ApiError(412, "FAILED_PRECONDITION",
                    $"Unable to delete backup. There are pending restore jobs for this backup: [{string.Join(", ", pending)}]");
                return false;
            }
            _backups.Remove(backupId);
            error = null;
            return true;
        }
    }

    internal (string RestoreJobId, string IndexId) CreateIndexFromBackup(string backupId, string name,
        Dictionary<string, string>? tags, string? deletionProtection, FaultRule? fault, out ApiError? error)
    {
        var now = Clock.Now;
        lock (_gate)
        {
            if (!_backups.TryGet(backupId, out var stored, out var added))
            {
                error = new ApiError(404, "NOT_FOUND", $"Backup {backupId} not found.");
                return default;
            }
            var backup = ServedBackup(stored, added, now);
            if (!string.Equals(backup.Status, "Ready", StringComparison.OrdinalIgnoreCase))
            {
                error = new ApiError(412, "FAILED_PRECONDITION",
                    $"Unable to create an index from backup {backupId}: the backup is not completed (status {backup.Status}).");
                return default;
            }
            if (_indexes.TryGet(name, out _, out _))
            {
                error = new ApiError(409, "ALREADY_EXISTS", "Resource already exists.");
                return default;
            }

            var namespaces = RestoredNamespaces(backup);
            if (fault?.Kind == FaultKind.LoseRecords)
                RemoveRecords(namespaces, fault.Records ?? Math.Max(1, namespaces.Values.Sum() / 10));
            var failed = fault?.Kind == FaultKind.FailRestore;
            var index = new EmulatedIndex
            {
                Name = name,
                IndexId = Guid.NewGuid().ToString(),
                Dimension = backup.Dimension,
                Metric = backup.Metric ?? "cosine",
                DeletionProtection = deletionProtection ?? "disabled", // from the request only (NOTES.md)
                Tags = tags ?? (backup.Tags is null ? null : new Dictionary<string, string>(backup.Tags)),
                Cloud = backup.Cloud,
                Region = backup.Region,
                Namespaces = namespaces,
                State = failed ? "InitializationFailed" : "Ready",
                ReadyAfter = RestoreCompleteAfter + (failed ? TimeSpan.Zero : IndexReadyAfter),
            };
            var job = new EmulatedRestoreJob
            {
                RestoreJobId = Guid.NewGuid().ToString(),
                BackupId = backupId,
                TargetIndexName = name,
                TargetIndexId = index.IndexId,
                Status = "Pending",
                CreatedAt = now,
                CompleteAfter = RestoreCompleteAfter,
                FinalStatus = failed ? fault!.FinalStatus ?? "Failed" : "Completed",
            };
            _indexes.Put(index.Name, index, now);
            _jobs.Put(job.RestoreJobId, job, now);
            error = null;
            return (job.RestoreJobId, index.IndexId);
        }
    }

    internal bool DeleteIndex(string name, out ApiError? error)
    {
        lock (_gate)
        {
            if (!_indexes.TryGet(name, out var index, out _))
            {
                error = new ApiError(404, "NOT_FOUND", $"Index {name} not found.");
                return false;
            }
            if (string.Equals(index.DeletionProtection, "enabled", StringComparison.OrdinalIgnoreCase))
            {
                error = new ApiError(403, "FORBIDDEN", "Deletion protection is enabled for this index. Disable deletion protection before retrying.");
                return false;
            }
            _indexes.Remove(name);
            error = null;
            return true;
        }
    }

    /// <summary>The backup's own per-namespace counts, or its record count split over its namespace count.</summary>
    private static Dictionary<string, long> RestoredNamespaces(EmulatedBackup b)
    {
        if (b.Namespaces is not null) return new Dictionary<string, long>(b.Namespaces);
        var records = b.RecordCount ?? 0;
        var count = b.NamespaceCount ?? (records > 0 ? 1 : 0);
        var result = new Dictionary<string, long>();
        for (var i = 0; i < count; i++)
            result[i == 0 ? "" : "ns-" + i.ToString(CultureInfo.InvariantCulture)] = records / count + (i == 0 ? records % count : 0);
        return result;
    }

    /// <summary>Takes records away from the last namespaces first (never below zero).</summary>
    internal static void RemoveRecords(Dictionary<string, long> namespaces, long records)
    {
        foreach (var key in namespaces.Keys.Reverse().ToArray())
        {
            if (records <= 0) break;
            var take = Math.Min(records, namespaces[key]);
            namespaces[key] -= take;
            records -= take;
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex IndexNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TagKeyPattern();

    [GeneratedRegex("^[A-Za-z0-9;@_.+ -]*$")]
    private static partial Regex TagValuePattern();

    /// <summary>The spec's rules for a resource name (CreateIndexFromBackupRequest.name); null when valid.</summary>
    internal static string? IndexNameProblem(string name) =>
        name.Length is < 1 or > 45
            ? "Resource name must be 1-45 characters long, start and end with an alphanumeric character, and consist only of lower case alphanumeric characters or '-'."
            : IndexNamePattern().IsMatch(name) ? null
            : "Index name must contain only lowercase alphanumeric characters or hyphens, and must not begin or end with a hyphen.";

    /// <summary>The spec's IndexTags rules; null when valid.</summary>
    internal static string? TagsProblem(Dictionary<string, string> tags)
    {
        foreach (var (key, value) in tags)
        {
            if (key.Length > 80 || !TagKeyPattern().IsMatch(key))
                return $"Invalid tag key '{key}': keys must be 80 characters or less and contain only alphanumeric characters, '_' or '-'.";
            if (value.Length > 120 || !TagValuePattern().IsMatch(value))
                return $"Invalid value for tag '{key}': values must be 120 characters or less and contain only alphanumeric characters, ';', '@', '_', '-', '.', '+' or ' '.";
        }
        return null;
    }

    // ---- reset ------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Clock back to <see cref="EmulatorClock.DefaultStart"/> (a running clock keeps running from there), sample data back
    /// (if seeding), settings back to the start options, faults, random faults and the log cleared.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            Clock.Reset();
            ReportPercentComplete = _options.ReportPercentComplete;
            BackupReadyAfter = _options.BackupReadyAfter;
            RestoreCompleteAfter = _options.RestoreCompleteAfter;
            IndexReadyAfter = _options.IndexReadyAfter;
            BackupQuota = _options.BackupQuota;
            _jobs.Clear();
            _backups.Clear();
            _indexes.Clear();
            _faults.Clear();
            _requests.Clear();
            _random = null;
            if (!_options.SeedSampleJobs) return;
            var now = Clock.Now;
            foreach (var j in SampleJobs.Create()) _jobs.Put(j.RestoreJobId, j, now);
            foreach (var b in SampleData.Backups()) _backups.Put(b.BackupId, b, now);
            foreach (var i in SampleData.Indexes()) _indexes.Put(i.Name, i, now);
        }
    }

    // ---- request log ------------------------------------------------------------------------------------------------

    /// <summary>Every API request of both planes (faulted ones included) in arrival order. Admin requests are not logged.</summary>
    public IReadOnlyList<LoggedRequest> Requests
    {
        get { lock (_gate) return _requests.ToArray(); }
    }

    public void ClearRequests()
    {
        lock (_gate) _requests.Clear();
    }

    internal void Log(LoggedRequest request)
    {
        lock (_gate) _requests.Add(request);
    }

    // ---- fault rules ------------------------------------------------------------------------------------------------

    /// <summary>Queues a copy of the rule (checked after the rules already queued).</summary>
    public void AddFault(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate) _faults.Add(rule.Clone());
    }

    /// <summary>Copies of the queued rules with their current <see cref="FaultRule.Remaining"/>.</summary>
    public IReadOnlyList<FaultRule> Faults
    {
        get { lock (_gate) return _faults.Select(f => f.Clone()).ToArray(); }
    }

    public void ClearFaults()
    {
        lock (_gate) _faults.Clear();
    }

    /// <summary>Finds the first live rule that matches the request, consumes one use of it and returns a copy.</summary>
    internal FaultRule? TakeFault(string rawPath, string method, string? operation)
    {
        lock (_gate)
        {
            foreach (var f in _faults)
            {
                if (f.Remaining == 0 || f.Remaining < -1) continue;
                if (f.PathPrefix is not null && !rawPath.StartsWith(f.PathPrefix, StringComparison.Ordinal)) continue;
                if (f.Method is not null && !string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
                if (!Operations.Accepts(f.Kind, operation)) continue;
                if (f.SkipFirst > 0) { f.SkipFirst--; continue; }
                if (f.Remaining > 0) f.Remaining--;
                return f.Clone();
            }
        }
        return null;
    }

    // ---- random faults ----------------------------------------------------------------------------------------------

    /// <summary>Starts the seeded random fault mode afresh (counts back to zero).</summary>
    public void SetRandomFaults(RandomFaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Rate is < 0 or > 1 || double.IsNaN(options.Rate)) throw new ArgumentOutOfRangeException(nameof(options), "Rate must be between 0 and 1.");
        lock (_gate) _random = new RandomFaults(options);
    }

    public void ClearRandomFaults()
    {
        lock (_gate) _random = null;
    }

    /// <summary>A copy of the current random fault options, or null when the mode is off.</summary>
    public RandomFaultOptions? RandomFaultOptions
    {
        get { lock (_gate) return _random?.Options.Clone(); }
    }

    /// <summary>How many faults of each kind the random mode has injected since it was set (empty when off).</summary>
    public IReadOnlyDictionary<RandomFaultKind, int> RandomFaultCounts
    {
        get { lock (_gate) return _random is null ? new Dictionary<RandomFaultKind, int>() : new Dictionary<RandomFaultKind, int>(_random.Counts); }
    }

    internal (RandomFaultKind Kind, int Status, RandomFaultOptions Options)? TakeRandomFault(string rawPath)
    {
        lock (_gate)
        {
            if (_random?.Next(rawPath) is not { } hit) return null;
            return (hit.Kind, hit.Status, _random.Options);
        }
    }
}

/// <summary>An API error answer: the spec's ErrorResponse on the control plane, rpcStatus on the data plane.</summary>
internal readonly record struct ApiError(int Status, string Code, string Message);
