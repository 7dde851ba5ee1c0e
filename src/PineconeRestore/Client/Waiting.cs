using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>What a wait polls: how to read one item by id, and when an item has finished.</summary>
    internal sealed class WaitTarget<T>
        where T : class
    {
        public WaitTarget(string noun, string pluralNoun, Func<string, CancellationToken, Task<T>> poll, Func<T, bool> isFinished)
        {
            Noun = noun;
            PluralNoun = pluralNoun;
            Poll = poll;
            IsFinished = isFinished;
        }

        /// <summary>"restore job", "backup", "index": for messages.</summary>
        public string Noun { get; }

        public string PluralNoun { get; }

        public Func<string, CancellationToken, Task<T>> Poll { get; }

        public Func<T, bool> IsFinished { get; }
    }

    /// <summary>One thing to wait for: its id and, when the caller already has it (piped in, just created), the item.</summary>
    internal sealed class WaitItem<T>
        where T : class
    {
        public WaitItem(string id, T? known = null)
        {
            Id = id;
            Known = known;
        }

        public string Id { get; }

        /// <summary>The item as the caller last saw it; non-null also means the API has shown it (a 404 then may be transient).</summary>
        public T? Known { get; }
    }

    internal sealed class WaitOptions
    {
        public static readonly TimeSpan DefaultPollingInterval = TimeSpan.FromSeconds(10);

        /// <summary>Time from the start of one poll of an item to the start of its next.</summary>
        public TimeSpan PollingInterval { get; set; } = DefaultPollingInterval;

        /// <summary>The most the whole wait may take; null waits as long as it takes.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>
        /// How many more polls an item that was seen gets after answering 404 before the 404 counts: today's backend
        /// answers 404 while its restore-job store is unreachable (NOTES.md).
        /// </summary>
        public int NotFoundRetries { get; set; } = 3;

        /// <summary>Polls in flight at once, however many items are waited for.</summary>
        public int MaxConcurrentPolls { get; set; } = 4;
    }

    internal enum WaitEventKind
    {
        /// <summary>An item was polled and is still running: <see cref="WaitEvent{T}.Item"/> is its state.</summary>
        Polled,

        /// <summary>An item has finished (however it ended): <see cref="WaitEvent{T}.Item"/> is its final state.</summary>
        Finished,

        /// <summary>An item cannot be waited for (never found, gone, a request it can never make): <see cref="WaitEvent{T}.Error"/>.</summary>
        Failed,

        /// <summary>The timeout passed before the item finished; <see cref="WaitEvent{T}.Item"/> is its last state, if any.</summary>
        TimedOut,

        /// <summary>Something worth telling that changes nothing yet (a poll to try again): <see cref="WaitEvent{T}.Message"/>.</summary>
        Note,

        /// <summary>A failure that every further poll would meet too (UNAUTHENTICATED): the wait ends after it.</summary>
        Fatal,
    }

    /// <summary>One thing that happened in a wait, in the order it happened.</summary>
    internal sealed class WaitEvent<T>
        where T : class
    {
        public WaitEvent(WaitEventKind kind, int index, string id, T? item, TimeSpan elapsed, Exception? error = null, string? message = null)
        {
            Kind = kind;
            Index = index;
            Id = id;
            Item = item;
            Elapsed = elapsed;
            Error = error;
            Message = message;
        }

        public WaitEventKind Kind { get; }

        /// <summary>The item's position in the list waited for.</summary>
        public int Index { get; }

        public string Id { get; }

        /// <summary>The item's latest state: polled now, or the last one seen (the caller's own before any poll).</summary>
        public T? Item { get; }

        /// <summary>Time since the wait started.</summary>
        public TimeSpan Elapsed { get; }

        public Exception? Error { get; }

        public string? Message { get; }
    }

    /// <summary>What a failed poll means for a wait that may last hours.</summary>
    internal enum PollFailure
    {
        /// <summary>429, 5xx, a timeout, a dropped or refused connection: poll again at the next interval.</summary>
        Transient,

        /// <summary>404: the item is not there (or, if seen before, perhaps only for now).</summary>
        NotFound,

        /// <summary>UNAUTHENTICATED, PERMISSION_DENIED: no poll of any item can succeed; the wait ends.</summary>
        Fatal,

        /// <summary>Anything else (400, a body that breaks the spec): this item cannot be waited for.</summary>
        Permanent,
    }

    internal static class PollFailures
    {
        public static PollFailure Classify(Exception exception)
        {
            switch (exception)
            {
                case PineconeApiException api when api.StatusCode == 401 || api.StatusCode == 403
                                                   || api.ErrorCode == "UNAUTHENTICATED" || api.ErrorCode == "PERMISSION_DENIED":
                    return PollFailure.Fatal;
                case PineconeApiException api when api.StatusCode == 404:
                    return PollFailure.NotFound;
                case PineconeApiException api when RetryPolicy.IsTransientStatus(api.StatusCode):
                    return PollFailure.Transient;
                case PineconeConnectionException _:
                    return PollFailure.Transient;
                default:
                    return PollFailure.Permanent;
            }
        }
    }

    /// <summary>
    /// Waits for many items at once in one loop: polls each every interval (at most a few polls in flight), and
    /// reports, in the order they happen, each poll, each finish, each failure and, when the timeout passes, each item
    /// still running. No PowerShell here: a cmdlet reads the events with <see cref="NextEventAsync"/> and writes them.
    /// The timeout also cuts short a sleep, a hanging poll and a Retry-After wait; cancelling the token given to
    /// <see cref="Start"/> (Ctrl+C) ends everything at once.
    /// </summary>
    internal sealed class WaitLoop<T>
        where T : class
    {
        private readonly WaitTarget<T> _target;
        private readonly WaitOptions _options;
        private readonly IReadOnlyList<WaitItem<T>> _items;
        private readonly ConcurrentQueue<WaitEvent<T>?> _events = new ConcurrentQueue<WaitEvent<T>?>();
        private readonly SemaphoreSlim _eventCount = new SemaphoreSlim(0);
        private readonly SemaphoreSlim _pollSlots;
        private readonly Stopwatch _elapsed = new Stopwatch();
        private CancellationTokenSource? _stopAll;
        private int _fatalSeen;
        private bool _ended;

        public WaitLoop(WaitTarget<T> target, WaitOptions options, IReadOnlyList<WaitItem<T>> items)
        {
            _target = target;
            _options = options;
            _items = items;
            _pollSlots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentPolls));
        }

        /// <summary>The task of the whole loop; it never faults (failures are events).</summary>
        public Task Completion { get; private set; } = Task.CompletedTask;

        public void Start(CancellationToken cancellationToken)
        {
            _elapsed.Start();
            Completion = Task.Run(() => RunAsync(cancellationToken));
        }

        /// <summary>The next event, or null once the wait has ended (every item finished, failed or timed out).</summary>
        public async Task<WaitEvent<T>?> NextEventAsync(CancellationToken cancellationToken)
        {
            if (_ended)
            {
                return null;
            }

            await _eventCount.WaitAsync(cancellationToken).ConfigureAwait(false);
            _events.TryDequeue(out WaitEvent<T>? next);
            _ended = next == null;
            return next;
        }

        private void Report(WaitEventKind kind, int index, string id, T? item, Exception? error = null, string? message = null)
        {
            _events.Enqueue(new WaitEvent<T>(kind, index, id, item, _elapsed.Elapsed, error, message));
            _eventCount.Release();
        }

        private async Task RunAsync(CancellationToken cancellationToken)
        {
            using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _stopAll = stopAll;
            if (_options.Timeout is TimeSpan timeout)
            {
                stopAll.CancelAfter(timeout);
            }

            var states = _items.Select((item, index) => new ItemState(index, item)).ToArray();
            try
            {
                await Task.WhenAll(states.Select(s => WaitForAsync(s, stopAll.Token))).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // WaitForAsync ends on cancellation without throwing; anything else is a bug, not a reason to hang.
            }

            if (_fatalSeen == 0 && !cancellationToken.IsCancellationRequested)
            {
                foreach (ItemState state in states.Where(s => !s.Done))
                {
                    Report(WaitEventKind.TimedOut, state.Index, state.Id, state.Last);
                }
            }

            _events.Enqueue(null);
            _eventCount.Release();
        }

        private async Task WaitForAsync(ItemState state, CancellationToken token)
        {
            TimeSpan due = TimeSpan.Zero;
            while (true)
            {
                TimeSpan sleep = due - _elapsed.Elapsed;
                T item;
                try
                {
                    if (sleep > TimeSpan.Zero)
                    {
                        await Task.Delay(sleep, token).ConfigureAwait(false);
                    }

                    await _pollSlots.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        due = _elapsed.Elapsed + _options.PollingInterval;
                        item = await _target.Poll(state.Id, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        _pollSlots.Release();
                    }
                }
                catch (Exception) when (token.IsCancellationRequested)
                {
                    return; // timed out, stopped, or another item met a fatal error: whatever the poll threw then
                }
                catch (Exception ex)
                {
                    if (!OnFailure(state, ex, ref due))
                    {
                        state.Done = true;
                        return;
                    }

                    continue;
                }

                if (Volatile.Read(ref _fatalSeen) != 0)
                {
                    return; // a poll that came back after another item's fatal error: the wait has already ended
                }

                state.Last = item;
                state.Seen = true;
                state.NotFoundPolls = 0;
                if (_target.IsFinished(item))
                {
                    state.Done = true;
                    Report(WaitEventKind.Finished, state.Index, state.Id, item);
                    return;
                }

                Report(WaitEventKind.Polled, state.Index, state.Id, item);
            }
        }

        /// <summary>Reports the failure; true when the item is polled again (at <paramref name="due"/>).</summary>
        private bool OnFailure(ItemState state, Exception ex, ref TimeSpan due)
        {
            string interval = FormatSeconds(_options.PollingInterval);
            switch (PollFailures.Classify(ex))
            {
                case PollFailure.Fatal:
                    if (Interlocked.Exchange(ref _fatalSeen, 1) == 0)
                    {
                        Report(WaitEventKind.Fatal, state.Index, state.Id, state.Last, ex);
                        _stopAll?.Cancel();
                    }

                    return false;

                case PollFailure.NotFound when state.Seen && state.NotFoundPolls < _options.NotFoundRetries:
                    state.NotFoundPolls++;
                    Report(WaitEventKind.Note, state.Index, state.Id, state.Last, ex,
                        $"{Capitalized(_target.Noun)} {state.Id} answered 404 NOT_FOUND, but it was seen before and Pinecone answers 404 while its store is unreachable: polling again in {interval} ({state.NotFoundPolls} of {_options.NotFoundRetries}).");
                    return true;

                case PollFailure.Transient:
                    if (ex is PineconeApiException api && api.RetryAfter is TimeSpan retryAfter && _elapsed.Elapsed + retryAfter > due)
                    {
                        due = _elapsed.Elapsed + retryAfter;
                        interval = FormatSeconds(retryAfter) + " as Retry-After asked";
                    }

                    Report(WaitEventKind.Note, state.Index, state.Id, state.Last, ex,
                        $"Polling {_target.Noun} {state.Id} failed, trying again in {interval}: {ex.Message}");
                    return true;

                default:
                    // Never found, gone for good, or a request that cannot succeed: this item's wait is over.
                    Report(WaitEventKind.Failed, state.Index, state.Id, state.Last, ex);
                    return false;
            }
        }

        private static string FormatSeconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        private static string Capitalized(string noun) => noun.Length == 0 ? noun : char.ToUpperInvariant(noun[0]) + noun.Substring(1);

        private sealed class ItemState
        {
            public ItemState(int index, WaitItem<T> item)
            {
                Index = index;
                Id = item.Id;
                Last = item.Known;
                Seen = item.Known != null;
            }

            public int Index { get; }

            public string Id { get; }

            public T? Last { get; set; }

            public bool Seen { get; set; }

            public int NotFoundPolls { get; set; }

            public bool Done { get; set; }
        }
    }
}
