using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Commands
{
    /// <summary>The -ThrottleLimit every by-id cmdlet shares.</summary>
    internal static class ByIdRunner
    {
        public const int DefaultThrottleLimit = 4;

        // Pinecone rate-limits per project: more than this in flight only earns 429s.
        public const int MaxThrottleLimit = 32;
    }

    /// <summary>
    /// Runs one API call per id for a cmdlet (describe, delete, ...): up to ThrottleLimit calls in flight at once,
    /// results written in input order, one non-terminating error per failed id in its place, and the command ended
    /// only by an error after which no id could succeed. Only the pipeline thread writes.
    /// </summary>
    /// <remarks>
    /// Read-ahead: <see cref="Add"/> (from ProcessRecord) starts the id's call at once when fewer than ThrottleLimit
    /// are in flight, otherwise first writes the oldest call's result (waiting for it). So at most ThrottleLimit ids
    /// are read ahead of the output; <see cref="Complete"/> (from EndProcessing) writes the rest. A result is written as
    /// soon as every id before it is written, without waiting for the next input.
    /// With -First, no more calls are in flight than results could still be written, so none goes past it. The first
    /// call goes alone: an error that ends the command (UNAUTHENTICATED) then costs one request.
    /// </remarks>
    internal sealed class ByIdRunner<T>
    {
        private readonly PineconeCmdletBase _cmdlet;
        private readonly int _throttleLimit;
        private readonly Func<string, CancellationToken, Task<T>> _call;
        private readonly Action<string, T> _write;
        private readonly Func<ulong> _wanted;
        private readonly Func<string, PineconeException, ErrorRecord>? _error;
        private readonly Queue<(string Id, Task<T> Task)> _inFlight = new Queue<(string, Task<T>)>();

        // Cancels the calls whose results will never be written (the command ended early); Ctrl+C cancels them too.
        private readonly CancellationTokenSource _abandon;

        /// <param name="cmdlet">The command that writes.</param>
        /// <param name="throttleLimit">Calls in flight at most; 1 runs them one after the other.</param>
        /// <param name="call">The API call for one id.</param>
        /// <param name="write">Writes one id's result (on the pipeline thread, in input order).</param>
        /// <param name="wanted">How many results could still be written (-First); null for no limit.</param>
        /// <param name="error">Makes the error record of a failed id (the operation's own advice); null for the usual one.</param>
        public ByIdRunner(
            PineconeCmdletBase cmdlet,
            int throttleLimit,
            Func<string, CancellationToken, Task<T>> call,
            Action<string, T> write,
            Func<ulong>? wanted = null,
            Func<string, PineconeException, ErrorRecord>? error = null)
        {
            _error = error;
            _cmdlet = cmdlet;
            _throttleLimit = Math.Max(1, throttleLimit);
            _call = call;
            _write = write;
            _wanted = wanted ?? (() => ulong.MaxValue);
            _abandon = CancellationTokenSource.CreateLinkedTokenSource(cmdlet.CancelToken);
        }

        // Set once a first call has come back: until then it goes alone, so a wrong key or an unreachable host costs
        // one request, not ThrottleLimit of them.
        private bool _answered;

        /// <summary>Calls allowed in flight: ThrottleLimit, fewer when -First needs fewer results, one until the first answer.</summary>
        private int Capacity => (int)Math.Min(_answered ? (ulong)_throttleLimit : 1UL, _wanted());

        /// <summary>Starts the call for one more id, writing earlier results first as needed.</summary>
        public void Add(string id)
        {
            Guard(() =>
            {
                WriteFinished();
                while (_inFlight.Count > 0 && _inFlight.Count >= Capacity)
                {
                    WriteNext();
                }

                if (Capacity == 0)
                {
                    return; // -First is met: nothing more will be written.
                }

                CancellationToken token = _abandon.Token;
                _inFlight.Enqueue((id, Task.Run(() => _call(id, token), token)));
            });
        }

        /// <summary>Writes every result still to come, in input order.</summary>
        public void Complete()
        {
            Guard(() =>
            {
                while (_inFlight.Count > 0)
                {
                    WriteNext();
                }
            });

            _abandon.Dispose();
        }

        /// <summary>Writes the results that are already in, without waiting.</summary>
        private void WriteFinished()
        {
            while (_inFlight.Count > 0 && _inFlight.Peek().Task.IsCompleted)
            {
                WriteNext();
            }
        }

        private void WriteNext()
        {
            (string id, Task<T> task) = _inFlight.Dequeue();
            _cmdlet.RelayUntil(task);
            _cmdlet.ThrowIfStopped();
            _answered = true;
            T result;
            try
            {
                result = task.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is PineconeException || ex is ArgumentException)
            {
                // ArgumentException: this id cannot be sent at all (a URL past System.Uri's limit): its error, not the command's.
                _cmdlet.WriteItemError(ex, _error != null && ex is PineconeException pinecone ? _error(id, pinecone) : ErrorRecords.FromException(ex, id));
                return;
            }

            _write(id, result);
        }

        /// <summary>
        /// When the command ends early (a terminating error, -ErrorAction Stop, Ctrl+C), cancels the calls in flight
        /// so none goes on in the background, and observes their outcome.
        /// </summary>
        private void Guard(Action action)
        {
            try
            {
                action();
            }
            catch
            {
                _abandon.Cancel();
                foreach ((string _, Task<T> task) in _inFlight)
                {
                    task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                _inFlight.Clear();
                throw;
            }
        }
    }
}
