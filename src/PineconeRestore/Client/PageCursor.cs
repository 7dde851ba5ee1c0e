using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>
    /// Walks a paginated list one page at a time, so the caller can write each page before asking for the next and
    /// stop early. Ends when a page has no next token; refuses a token it has already seen.
    /// </summary>
    internal sealed class PageCursor<T>
    {
        private readonly Func<string?, CancellationToken, Task<Page<T>>> _fetchPage;
        private readonly HashSet<string> _seenTokens = new HashSet<string>(StringComparer.Ordinal);
        private string? _next;

        public PageCursor(Func<string?, CancellationToken, Task<Page<T>>> fetchPage, string? startToken = null)
        {
            _fetchPage = fetchPage;
            _next = string.IsNullOrEmpty(startToken) ? null : startToken;
            if (_next != null)
            {
                _seenTokens.Add(_next);
            }
        }

        public bool IsComplete { get; private set; }

        public int PagesFetched { get; private set; }

        public async Task<IReadOnlyList<T>> NextPageAsync(CancellationToken cancellationToken)
        {
            if (IsComplete)
            {
                throw new InvalidOperationException("The list has no more pages.");
            }

            Page<T> page = await _fetchPage(_next, cancellationToken).ConfigureAwait(false);
            PagesFetched++;
            if (page.Next == null)
            {
                IsComplete = true;
            }
            else if (!_seenTokens.Add(page.Next))
            {
                // Following it would loop forever.
                IsComplete = true;
                throw new PineconePaginationException(
                    $"Pinecone sent the pagination token '{page.Next}' a second time (after {PagesFetched} pages); stopping instead of looping forever.",
                    page.Next);
            }

            _next = page.Next;
            return page.Items;
        }
    }
}
