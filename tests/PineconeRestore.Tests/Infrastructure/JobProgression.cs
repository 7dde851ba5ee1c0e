using PineconeRestore.Emulator;

namespace PineconeRestore.Tests.Infrastructure;

/// <summary>
/// Moves jobs on as they are polled: replaces a job once its describe has been requested a number of times, so
/// tests control the order jobs finish in without a clock.
/// </summary>
public sealed class JobProgression : IDisposable
{
    private readonly EmulatorState _state;
    private readonly List<(string Id, int Polls, EmulatedRestoreJob Next)> _steps = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public JobProgression(EmulatorState state)
    {
        _state = state;
        _loop = Task.Run(RunAsync);
    }

    public void After(string id, int polls, EmulatedRestoreJob next)
    {
        lock (_steps) _steps.Add((id, polls, next));
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var counts = _state.Requests.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Count());
            lock (_steps)
            {
                for (int i = _steps.Count - 1; i >= 0; i--)
                {
                    (string id, int polls, EmulatedRestoreJob next) = _steps[i];
                    if (counts.GetValueOrDefault("/restore-jobs/" + id) >= polls)
                    {
                        _state.AddRestoreJob(next);
                        _steps.RemoveAt(i);
                    }
                }
            }

            try { await Task.Delay(2, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
