using System.Diagnostics;

namespace PineconeRestore.Emulator;

/// <summary>
/// Controllable time; every timestamp the emulator makes comes from it. Paused by default (it moves only by
/// <see cref="Advance"/>/<see cref="Set"/>); after <see cref="Run"/> it also moves at a multiple of wall time.
/// </summary>
public sealed class EmulatorClock
{
    /// <summary>Where the clock starts and where <see cref="EmulatorState.Reset"/> puts it back: 2025-06-01T12:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private DateTimeOffset _anchor = DefaultStart; // clock time at _wall
    private readonly Stopwatch _wall = new();      // running: wall time since _anchor was taken
    private double _speed;                          // 0 = paused

    public DateTimeOffset Now { get { lock (_gate) return NowLocked(); } }

    /// <summary>Clock seconds per wall second; 0 while paused.</summary>
    public double Speed { get { lock (_gate) return _speed; } }

    public bool IsRunning => Speed > 0;

    /// <summary>From now on the clock moves <paramref name="speed"/> times as fast as wall time (1 = real time, 60 = a minute per second).</summary>
    public void Run(double speed)
    {
        if (!(speed > 0) || double.IsInfinity(speed)) throw new ArgumentOutOfRangeException(nameof(speed), "Speed must be a positive number.");
        lock (_gate)
        {
            Rebase();
            _speed = speed;
            _wall.Restart();
        }
    }

    /// <summary>Stops the clock where it is; it moves again only by <see cref="Advance"/>, <see cref="Set"/> or <see cref="Run"/>.</summary>
    public void Pause()
    {
        lock (_gate)
        {
            Rebase();
            _speed = 0;
            _wall.Reset();
        }
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate)
        {
            Rebase();
            return _anchor = _anchor.Add(by);
        }
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate)
        {
            Rebase();
            _anchor = now.ToUniversalTime();
        }
    }

    internal void Reset() => Set(DefaultStart);

    private DateTimeOffset NowLocked() =>
        _speed > 0 ? _anchor + TimeSpan.FromTicks((long)(_wall.Elapsed.Ticks * _speed)) : _anchor;

    private void Rebase()
    {
        _anchor = NowLocked();
        if (_speed > 0) _wall.Restart();
    }
}
