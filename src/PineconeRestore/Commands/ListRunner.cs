using System;
using System.Collections.Generic;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// Lists a collection for a cmdlet: follows every page, writes each item as its page arrives through
    /// <see cref="PagedOutput{T}"/>, asks for a smaller first page when -First needs fewer items, stops requesting
    /// once -First is met, and ends the command on a page that fails (the items already written stay written).
    /// </summary>
    internal static class ListRunner
    {
        /// <param name="cmdlet">The command that writes.</param>
        /// <param name="output">Its -Skip/-First counters.</param>
        /// <param name="pageSize">The -PageSize asked for.</param>
        /// <param name="open">Opens the listing with the page size to send (the same on every page, NOTES.md).</param>
        /// <param name="errorTarget">The error's TargetObject when a page fails.</param>
        public static void Run<T>(PineconeCmdletBase cmdlet, PagedOutput<T> output, int pageSize, Func<int, PageCursor<T>> open, object? errorTarget)
        {
            if (output.FirstReached)
            {
                return;
            }

            // With -First, ask for no more than will be written: -First 3 costs one small page, not 100 items.
            ulong wanted = output.Wanted;
            int size = wanted < (ulong)pageSize ? (int)Math.Max(1UL, wanted) : pageSize;
            PageCursor<T> cursor = open(size);
            while (!cursor.IsComplete && !output.FirstReached)
            {
                IReadOnlyList<T> page;
                try
                {
                    page = cmdlet.Await(ct => cursor.NextPageAsync(ct));
                }
                catch (Exception ex) when (ex is PineconeException || ex is ArgumentException)
                {
                    // The list cannot go on without its next page (ArgumentException: a -PaginationToken no URL can carry).
                    cmdlet.ThrowTerminatingError(ErrorRecords.FromException(ex, errorTarget));
                    return;
                }

                foreach (T item in page)
                {
                    if (output.FirstReached)
                    {
                        return;
                    }

                    output.Write(item);
                }
            }

            output.ListedEverything = cursor.IsComplete;
        }
    }
}
