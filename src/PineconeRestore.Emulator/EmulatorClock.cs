namespace PineconeRestore.Emulator;

/// <summary>Controllable time. It never moves by itself; every timestamp the emulator makes comes from it.</summary>
public sealed class EmulatorClock
{
    /// <summary>Where the clock starts and where <see cref="EmulatorState.Reset"/> puts it back: 2025-06-01T12:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private DateTimeOffset _now = DefaultStart;

    public DateTimeOffset Now { get { lock (_gate) return _now; } }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate) return _now = _now.Add(by);
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate) _now = now.ToUniversalTime();
    }

    internal void Reset() => Set(DefaultStart);
}
