using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// Base of every cmdlet that calls the API: declares -ApiKey and -ControllerHost, resolves the connection once,
    /// runs client calls with a token that Ctrl+C cancels, and relays the client's log to the Verbose stream from
    /// the pipeline thread (the only thread allowed to write).
    /// </summary>
    public abstract class PineconeCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private readonly BlockingCollection<string?> _verbose = new BlockingCollection<string?>();
        private PineconeHttpClient? _client;
        private bool _relayVerbose;

        /// <summary>The API key: a SecureString, or a plain string turned into one.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? ApiKey { get; set; }

        /// <summary>The control-plane URL, e.g. https://api.pinecone.io.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ControllerHost { get; set; }

        protected internal CancellationToken CancelToken => _cancellation.Token;

        internal PineconeHttpClient Client => _client ?? throw new InvalidOperationException("BeginProcessing has not run.");

        protected override void BeginProcessing()
        {
            ClientSettings? settings;
            try
            {
                settings = ConnectionResolver.Resolve(this, ApiKey, ControllerHost);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.FromException(ex, ConnectionResolver.ControllerHostShown(ControllerHost)));
                return;
            }

            if (settings == null)
            {
                ThrowTerminatingError(ErrorRecords.ApiKeyMissing());
                return;
            }

            // With Verbose off nothing would be shown, so the client gets no log at all: no message is formatted, and
            // a wait is a plain wait instead of a relay the pool thread has to signal with every answer.
            _relayVerbose = VerboseShown();
            _client = new PineconeHttpClient(settings, _relayVerbose ? new VerboseLog(_verbose) : null);
        }

        /// <summary>Whether WriteVerbose would show anything: -Verbose (or -Verbose:$false), else $VerbosePreference.</summary>
        private bool VerboseShown()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? bound))
            {
                return bound is SwitchParameter flag ? flag.IsPresent : LanguagePrimitives.IsTrue(bound);
            }

            object? preference = GetVariableValue("VerbosePreference");
            return !LanguagePrimitives.TryConvertTo(preference, out ActionPreference value)
                || (value != ActionPreference.SilentlyContinue && value != ActionPreference.Ignore);
        }

        protected override void StopProcessing() => _cancellation.Cancel();

        /// <summary>
        /// Runs a client call to completion while writing its log messages here as they come.
        /// Ctrl+C cancels the call and stops the pipeline.
        /// </summary>
        protected internal T Await<T>(Func<CancellationToken, Task<T>> operation)
        {
            try
            {
                // Started here rather than through Task.Run: no thread hop before the first real wait. Without a
                // synchronization context, every continuation runs on the pool while this thread relays the log.
                Task<T> task;
                SynchronizationContext? context = SynchronizationContext.Current;
                SynchronizationContext.SetSynchronizationContext(null);
                try
                {
                    task = operation(CancelToken);
                }
                finally
                {
                    SynchronizationContext.SetSynchronizationContext(context);
                }

                RelayUntil(task);
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Blocks the pipeline thread until the task has ended, writing the client's log messages (of this and of
        /// any other call running meanwhile) to the Verbose stream as they come. Does not observe the task's result.
        /// </summary>
        internal void RelayUntil(Task task)
        {
            if (!_relayVerbose)
            {
                WaitQuietly(task);
                return;
            }

            // The null is this wait's own end mark: each wait adds exactly one and reads up to it.
            task.ContinueWith(_ => Post(_verbose, null), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            for (string? message = _verbose.Take(); message != null; message = _verbose.Take())
            {
                WriteVerbose(message);
            }
        }

        private static void WaitQuietly(Task task)
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
                // Observed by the caller, from the task itself.
            }
        }

        /// <summary>Throws <see cref="PipelineStoppedException"/> once Ctrl+C was pressed, so nothing more is written.</summary>
        internal void ThrowIfStopped()
        {
            if (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Writes the error and goes on, or ends the command when no later item could succeed either.</summary>
        protected internal void WriteItemError(Exception exception, object? target) =>
            WriteItemError(exception, ErrorRecords.FromException(exception, target));

        /// <summary>The same, with a record the command made for the exception (its own RecommendedAction).</summary>
        protected internal void WriteItemError(Exception exception, ErrorRecord record)
        {
            if (ErrorRecords.EndsTheCommand(exception))
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }

        public void Dispose()
        {
            _cancellation.Dispose();
            _verbose.Dispose();
            GC.SuppressFinalize(this);
        }

        private sealed class VerboseLog : IRequestLog
        {
            private readonly BlockingCollection<string?> _queue;

            public VerboseLog(BlockingCollection<string?> queue)
            {
                _queue = queue;
            }

            public void Write(string message) => Post(_queue, message);
        }

        // A call abandoned by -First or Ctrl+C may still log after the command has ended and disposed its queue.
        private static void Post(BlockingCollection<string?> queue, string? message)
        {
            try
            {
                queue.Add(message);
            }
            catch (ObjectDisposedException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
