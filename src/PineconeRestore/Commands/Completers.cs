using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// Tab completion from the API for every completer of the module: one request (one page), a short timeout, no
    /// retries, and never an error at the prompt: anything that goes wrong completes nothing.
    /// </summary>
    internal static class ApiCompletion
    {
        /// <summary>How long a completion may wait for the API, someone being at the prompt.</summary>
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

        private static readonly Regex s_bareWord = new Regex(@"^[A-Za-z0-9_\-.]+$", RegexOptions.CultureInvariant);

        /// <param name="fakeBoundParameters">What the command line already binds (-ApiKey, -ControllerHost).</param>
        /// <param name="wordToComplete">What was typed, perhaps with an opening quote.</param>
        /// <param name="fetch">The one request.</param>
        /// <param name="id">The text to complete to.</param>
        /// <param name="toolTip">What the completion menu shows beside it.</param>
        public static IEnumerable<CompletionResult> Complete<T>(
            IDictionary? fakeBoundParameters,
            string? wordToComplete,
            Func<PineconeHttpClient, CancellationToken, Task<IReadOnlyList<T>>> fetch,
            Func<T, string> id,
            Func<T, string> toolTip)
        {
            try
            {
                ClientSettings? settings = ConnectionResolver.ForCompletion(fakeBoundParameters, Timeout);
                if (settings == null)
                {
                    return Array.Empty<CompletionResult>();
                }

                var client = new PineconeHttpClient(settings);
                using var cancellation = new CancellationTokenSource(Timeout);
                Task<IReadOnlyList<T>> task = Task.Run(() => fetch(client, cancellation.Token));
                if (!task.Wait(Timeout + TimeSpan.FromMilliseconds(250)))
                {
                    cancellation.Cancel();
                    task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    return Array.Empty<CompletionResult>();
                }

                // A word typed with an opening quote arrives closed: '7a becomes '7a'.
                string prefix = (wordToComplete ?? string.Empty).Trim().Trim('\'', '"');
                return task.Result
                    .Select(item => (Item: item, Id: id(item)))
                    .Where(x => !string.IsNullOrEmpty(x.Id) && x.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Select(x => new CompletionResult(Quote(x.Id), x.Id, CompletionResultType.ParameterValue, toolTip(x.Item)))
                    .ToList();
            }
            catch (Exception)
            {
                // A completion that fails must not print an error while someone types.
                return Array.Empty<CompletionResult>();
            }
        }

        private static string Quote(string text) =>
            s_bareWord.IsMatch(text) ? text : "'" + CodeGeneration.EscapeSingleQuotedStringContent(text) + "'";
    }

    /// <summary>Completes -RestoreJobId from the first page of the connection's restore jobs.</summary>
    public sealed class RestoreJobIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ApiCompletion.Complete(
                fakeBoundParameters,
                wordToComplete,
                async (client, ct) => (await new RestoreJobsApi(client).ListPageAsync(RestoreJobsApi.MaxPageSize, null, ct).ConfigureAwait(false)).Items,
                job => job.RestoreJobId,
                job => $"{job.Status}: restore into index {job.TargetIndexName}" + (job.CreatedAt.HasValue ? $", started {job.CreatedAt.Value:yyyy-MM-dd HH:mm} UTC" : string.Empty));
    }

    /// <summary>Completes -BackupId from the first page of the connection's backups.</summary>
    public sealed class BackupIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ApiCompletion.Complete(
                fakeBoundParameters,
                wordToComplete,
                async (client, ct) => (await new BackupsApi(client).ListPageAsync(null, BackupsApi.MaxPageSize, null, ct).ConfigureAwait(false)).Items,
                backup => backup.BackupId,
                backup => $"{backup.Status}: " + (backup.Name == null ? string.Empty : backup.Name + ", ") + $"of index {backup.SourceIndexName}"
                    + (backup.CreatedAt.HasValue ? $", taken {backup.CreatedAt.Value:yyyy-MM-dd HH:mm} UTC" : string.Empty));
    }

    /// <summary>Completes an existing index's name from GET /indexes.</summary>
    public sealed class IndexNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ApiCompletion.Complete(
                fakeBoundParameters,
                wordToComplete,
                (client, ct) => new IndexesApi(client).ListAsync(ct),
                index => index.Name,
                index => $"{index.State}: {index.Metric}" + (index.Dimension.HasValue ? $", {index.Dimension} dimensions" : string.Empty)
                    + (index.Cloud == null ? string.Empty : $", {index.Cloud} {index.Region}"));
    }
}
