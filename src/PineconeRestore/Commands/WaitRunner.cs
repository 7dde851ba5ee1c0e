using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// What a cmdlet tells the shared wait about one kind of thing: the client's <see cref="WaitTarget{T}"/> (how to
    /// poll it, when it has finished), how to show it in progress, and how to write it once finished. One subclass per
    /// kind: restore jobs (<see cref="RestoreJobWaiting"/>), backups, indexes.
    /// </summary>
    internal abstract class WaitSubject<T>
        where T : class
    {
        public abstract WaitTarget<T> Target { get; }

        /// <summary>The progress status of a polled item: its status and what it is about.</summary>
        public abstract string Describe(T item);

        /// <summary>The item's own progress out of 100, only when the API sent one: no made-up percentages.</summary>
        public virtual double? PercentComplete(T item) => null;

        /// <summary>The status to name in a timeout error.</summary>
        public abstract string StatusOf(T item);

        /// <summary>Writes a finished item: the object, and a non-terminating error when it ended badly.</summary>
        public abstract void WriteFinished(PineconeCmdletBase cmdlet, T item);

        /// <summary>The RecommendedAction of a WaitTimeout error for this id.</summary>
        public abstract string TimeoutAction(string id);

        /// <summary>
        /// Writes the error of an item that failed or timed out. A command that waits as one step of its own (the
        /// restore drill) keeps it instead, to end with one error of its own.
        /// </summary>
        public virtual void WriteError(PineconeCmdletBase cmdlet, ErrorRecord record) => cmdlet.WriteError(record);

        /// <summary>Ends the command on an error no poll can get past (UNAUTHENTICATED); the drill keeps it instead.</summary>
        public virtual void WriteFatal(PineconeCmdletBase cmdlet, ErrorRecord record) => cmdlet.ThrowTerminatingError(record);
    }

    /// <summary>
    /// Runs a <see cref="WaitLoop{T}"/> for a cmdlet and writes what happens on the pipeline thread: one progress bar per
    /// item (its own ActivityId, under a parent bar when there are several), finished items as they finish (in
    /// finishing order), an error per item that failed or timed out, notes on the Verbose stream, and a Completed
    /// record for every bar it opened, however the wait ends (Ctrl+C excepted: nothing can be written then).
    /// </summary>
    internal sealed class WaitRunner<T>
        where T : class
    {
        private const int ParentActivityId = 0;

        private readonly PineconeCmdletBase _cmdlet;
        private readonly WaitSubject<T> _subject;
        private readonly HashSet<int> _openBars = new HashSet<int>();
        private readonly int _outerActivityId;

        /// <param name="cmdlet">The command that writes.</param>
        /// <param name="subject">What is waited for.</param>
        /// <param name="outerActivityId">
        /// The progress activity of a command for which this wait is one step (the restore drill): a single item's bar
        /// sits under it. Its id must not be one of the wait's own (0 for the summary, 1 and up per item); -1 for none.
        /// </param>
        public WaitRunner(PineconeCmdletBase cmdlet, WaitSubject<T> subject, int outerActivityId = -1)
        {
            _cmdlet = cmdlet;
            _subject = subject;
            _outerActivityId = outerActivityId;
        }

        public void Run(IReadOnlyList<WaitItem<T>> items, WaitOptions options)
        {
            if (items.Count == 0)
            {
                return;
            }

            WaitTarget<T> target = _subject.Target;
            bool several = items.Count > 1;
            int finished = 0;
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_cmdlet.CancelToken);
            var loop = new WaitLoop<T>(target, options, items);
            try
            {
                loop.Start(cancel.Token);
                WriteParent(items.Count, finished, TimeSpan.Zero);
                for (int i = 0; i < items.Count; i++)
                {
                    T? known = items[i].Known;
                    WriteBar(i, items[i].Id, known == null ? "Waiting for the first answer" : _subject.Describe(known), TimeSpan.Zero, known, several);
                }

                for (WaitEvent<T>? e = _cmdlet.Await(ct => loop.NextEventAsync(ct)); e != null; e = _cmdlet.Await(ct => loop.NextEventAsync(ct)))
                {
                    object errorTarget = (object?)e.Item ?? e.Id;
                    switch (e.Kind)
                    {
                        case WaitEventKind.Polled:
                            WriteBar(e.Index, e.Id, _subject.Describe(e.Item!), e.Elapsed, e.Item, several);
                            break;
                        case WaitEventKind.Note:
                            _cmdlet.WriteVerbose(e.Message);
                            break;
                        case WaitEventKind.Finished:
                            CompleteBar(e.Index + 1);
                            _subject.WriteFinished(_cmdlet, e.Item!);
                            break;
                        case WaitEventKind.Failed:
                            CompleteBar(e.Index + 1);
                            _subject.WriteError(_cmdlet, e.Error is PineconeApiException notFound && notFound.StatusCode == 404 && e.Item != null
                                ? ErrorRecords.NotFoundAfterSeen(notFound, target.Noun, e.Id, options.NotFoundRetries + 1, errorTarget)
                                : ErrorRecords.FromException(e.Error!, errorTarget));
                            break;
                        case WaitEventKind.TimedOut:
                            CompleteBar(e.Index + 1);
                            _subject.WriteError(_cmdlet, ErrorRecords.WaitTimeout(target.Noun, e.Id, errorTarget, options.Timeout ?? e.Elapsed,
                                e.Item == null ? null : _subject.StatusOf(e.Item), _subject.TimeoutAction(e.Id)));
                            break;
                        case WaitEventKind.Fatal:
                            CompleteOpenBars();
                            _subject.WriteFatal(_cmdlet, ErrorRecords.FromException(e.Error!, errorTarget));
                            break;
                    }

                    if (e.Kind == WaitEventKind.Finished || e.Kind == WaitEventKind.Failed || e.Kind == WaitEventKind.TimedOut)
                    {
                        WriteParent(items.Count, ++finished, e.Elapsed);
                    }
                }
            }
            finally
            {
                // Also when a write threw (-ErrorAction Stop on a failed item): no poll goes on, no bar stays behind.
                cancel.Cancel();
                if (!_cmdlet.Stopping)
                {
                    CompleteOpenBars();
                }
            }
        }

        private void WriteParent(int count, int finished, TimeSpan elapsed)
        {
            if (count > 1)
            {
                Write(new ProgressRecord(ParentActivityId, $"Waiting for {count} {_subject.Target.PluralNoun}", $"{finished} of {count} finished; waited {Format(elapsed)}"));
            }
        }

        private void WriteBar(int index, string id, string status, TimeSpan elapsed, T? item, bool several)
        {
            double? percent = item == null ? null : _subject.PercentComplete(item);
            Write(new ProgressRecord(index + 1, $"Waiting for {_subject.Target.Noun} {id}", $"{status}; waited {Format(elapsed)}")
            {
                ParentActivityId = several ? ParentActivityId : _outerActivityId,
                PercentComplete = percent.HasValue ? (int)Math.Round(Math.Max(0, Math.Min(100, percent.Value))) : -1,
            });
        }

        private void Write(ProgressRecord record)
        {
            _cmdlet.WriteProgress(record);
            _openBars.Add(record.ActivityId);
        }

        private void CompleteBar(int activityId)
        {
            if (_openBars.Remove(activityId))
            {
                _cmdlet.WriteProgress(new ProgressRecord(activityId, "Waiting", "Done")
                {
                    ParentActivityId = activityId == ParentActivityId ? -1 : _openBars.Contains(ParentActivityId) ? ParentActivityId : _outerActivityId,
                    RecordType = ProgressRecordType.Completed,
                });
            }
        }

        private void CompleteOpenBars()
        {
            // Children first, the parent last.
            foreach (int id in new List<int>(_openBars))
            {
                if (id != ParentActivityId)
                {
                    CompleteBar(id);
                }
            }

            CompleteBar(ParentActivityId);
        }

        private static string Format(TimeSpan elapsed)
        {
            if (elapsed.TotalHours >= 1)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0}h {1:00}m {2:00}s", (int)elapsed.TotalHours, elapsed.Minutes, elapsed.Seconds);
            }

            return elapsed.TotalMinutes >= 1
                ? string.Format(CultureInfo.InvariantCulture, "{0}m {1:00}s", (int)elapsed.TotalMinutes, elapsed.Seconds)
                : string.Format(CultureInfo.InvariantCulture, "{0}s", (int)elapsed.TotalSeconds);
        }
    }
}
