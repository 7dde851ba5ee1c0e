using System.Collections.Generic;
using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// One wait as a step of a longer command (the restore drill): the shared <see cref="WaitRunner{T}"/> with its poll
    /// loop and progress bar, but what it finds is kept for the command, not written: the finished item, or the error
    /// the wait would have written (a failure, a timeout, an error no poll can get past).
    /// </summary>
    internal sealed class WaitStep<T> : WaitSubject<T>
        where T : class
    {
        private readonly WaitSubject<T> _inner;

        private WaitStep(WaitSubject<T> inner)
        {
            _inner = inner;
        }

        public override WaitTarget<T> Target => _inner.Target;

        /// <summary>The item once it finished, however it ended.</summary>
        public T? Finished { get; private set; }

        /// <summary>Why the wait ended without a finished item.</summary>
        public ErrorRecord? Error { get; private set; }

        /// <summary>Waits for one item, its bar under <paramref name="outerActivityId"/>.</summary>
        public static WaitStep<T> Run(PineconeCmdletBase cmdlet, WaitSubject<T> subject, string id, WaitOptions options, int outerActivityId)
        {
            var step = new WaitStep<T>(subject);
            new WaitRunner<T>(cmdlet, step, outerActivityId).Run(new List<WaitItem<T>> { new WaitItem<T>(id) }, options);
            return step;
        }

        public override string Describe(T item) => _inner.Describe(item);

        public override double? PercentComplete(T item) => _inner.PercentComplete(item);

        public override string StatusOf(T item) => _inner.StatusOf(item);

        public override string TimeoutAction(string id) => _inner.TimeoutAction(id);

        public override void WriteFinished(PineconeCmdletBase cmdlet, T item) => Finished = item;

        public override void WriteError(PineconeCmdletBase cmdlet, ErrorRecord record) => Error ??= record;

        public override void WriteFatal(PineconeCmdletBase cmdlet, ErrorRecord record) => Error ??= record;
    }
}
