namespace PineconeRestore.Emulator;

/// <summary>Everything the emulator serves and records. Thread-safe; jobs and rules are copied in and out.</summary>
public sealed class EmulatorState
{
    private readonly object _gate = new();
    private readonly bool _seed;
    private readonly List<(EmulatedRestoreJob Job, DateTimeOffset AddedAt)> _jobs = new();
    private readonly List<FaultRule> _faults = new();
    private readonly List<LoggedRequest> _requests = new();

    internal EmulatorState(bool seedSampleJobs)
    {
        _seed = seedSampleJobs;
        Reset();
    }

    public EmulatorClock Clock { get; } = new();

    // ---- jobs -----------------------------------------------------------------------------------------------------

    /// <summary>Appends a copy of the job to the list order. A job with the same id is replaced in place instead.</summary>
    public void AddRestoreJob(EmulatedRestoreJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(job.RestoreJobId);
        var entry = (job.Clone(), Clock.Now);
        lock (_gate)
        {
            var i = _jobs.FindIndex(e => e.Job.RestoreJobId == job.RestoreJobId);
            if (i >= 0) _jobs[i] = entry; else _jobs.Add(entry);
        }
    }

    /// <summary>Copies of the stored jobs, in list order (as added, before any simulated progress).</summary>
    public IReadOnlyList<EmulatedRestoreJob> RestoreJobs
    {
        get { lock (_gate) return _jobs.Select(e => e.Job.Clone()).ToArray(); }
    }

    /// <summary>The jobs exactly as the API serves them at <see cref="EmulatorClock.Now"/> (simulated progress applied).</summary>
    public IReadOnlyList<EmulatedRestoreJob> ServedRestoreJobs
    {
        get
        {
            var now = Clock.Now;
            lock (_gate) return _jobs.Select(e => Served(e.Job, e.AddedAt, now)).ToArray();
        }
    }

    public bool RemoveRestoreJob(string restoreJobId)
    {
        lock (_gate) return _jobs.RemoveAll(e => e.Job.RestoreJobId == restoreJobId) > 0;
    }

    public void ClearRestoreJobs()
    {
        lock (_gate) _jobs.Clear();
    }

    internal EmulatedRestoreJob? FindServed(string restoreJobId)
    {
        var now = Clock.Now;
        lock (_gate)
        {
            foreach (var e in _jobs)
                if (string.Equals(e.Job.RestoreJobId, restoreJobId, StringComparison.Ordinal)) return Served(e.Job, e.AddedAt, now);
        }
        return null;
    }

    internal static EmulatedRestoreJob Served(EmulatedRestoreJob stored, DateTimeOffset addedAt, DateTimeOffset now)
    {
        var job = stored.Clone();
        if (job.ProgressPerMinute is not > 0 || !IsActive(job.Status)) return job;
        var elapsed = now - addedAt;
        if (elapsed <= TimeSpan.Zero) return job;
        var rate = job.ProgressPerMinute.Value;
        var start = job.PercentComplete ?? 0;
        var percent = start + rate * elapsed.TotalMinutes;
        if (percent >= 100)
        {
            var doneAfter = TimeSpan.FromMinutes((100 - start) / rate);
            var done = addedAt + doneAfter;
            job.Status = "Completed";
            job.PercentComplete = 100;
            job.CompletedAt = new DateTimeOffset(done.UtcTicks - done.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        }
        else
        {
            job.PercentComplete = Math.Round(percent, 1);
            if (string.Equals(job.Status, "Pending", StringComparison.OrdinalIgnoreCase) && percent > 0) job.Status = "InProgress";
        }
        return job;
    }

    private static bool IsActive(string? status) =>
        status is not null && (status.Equals("Pending", StringComparison.OrdinalIgnoreCase)
                               || status.Equals("InProgress", StringComparison.OrdinalIgnoreCase)
                               || status.Equals("Running", StringComparison.OrdinalIgnoreCase));

    // ---- reset ----------------------------------------------------------------------------------------------------

    /// <summary>Clock back to <see cref="EmulatorClock.DefaultStart"/>, sample jobs back (if seeding), faults and log cleared.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Clock.Reset();
            _jobs.Clear();
            _faults.Clear();
            _requests.Clear();
            if (_seed)
                foreach (var j in SampleJobs.Create()) _jobs.Add((j, Clock.Now));
        }
    }

    // ---- request log ----------------------------------------------------------------------------------------------

    /// <summary>Every API request (faulted ones included) in arrival order. Admin requests are not logged.</summary>
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

    // ---- faults ---------------------------------------------------------------------------------------------------

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
    internal FaultRule? TakeFault(string rawPath, Route route)
    {
        lock (_gate)
        {
            foreach (var f in _faults)
            {
                if (f.Remaining == 0 || f.Remaining < -1) continue;
                if (f.PathPrefix is not null && !rawPath.StartsWith(f.PathPrefix, StringComparison.Ordinal)) continue;
                // Kinds that only make sense on an answer of a given shape match only such requests.
                if (f.Kind == FaultKind.RepeatToken && route != Route.List) continue;
                if (f.Kind == FaultKind.MissingRequiredField && route is not (Route.List or Route.Describe)) continue;
                if (f.SkipFirst > 0) { f.SkipFirst--; continue; }
                if (f.Remaining > 0) f.Remaining--;
                return f.Clone();
            }
        }
        return null;
    }
}

internal enum Route { Other, List, Describe }
