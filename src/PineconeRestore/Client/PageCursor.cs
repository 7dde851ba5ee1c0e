using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>
    /// Walks a paginated list one page at a time, so the caller can write each page before asking for the next and
    /// stop early. Ends when a page has no next token; refuses a token it has already seen. Given a key, it skips an
    /// item the previous page (or the same page) already had: offset pagination repeats rows when items are added
    /// between requests (NOTES.md). Memory stays bounded by a page: only the previous page's keys are kept.
    /// </summary>
    internal sealed class PageCursor<T>
    {
        private readonly Func<string?, CancellationToken, Task<Page<T>>> _fetchPage;
        private readonly Func<T, string>? _keyOf;
        private readonly IRequestLog _log;
        private readonly HashSet<string> _seenTokens = new HashSet<string>(StringComparer.Ordinal);
        private HashSet<string>? _previousKeys;
        private HashSet<string>? _currentKeys;
        private string? _next;

        public PageCursor(
            Func<string?, CancellationToken, Task<Page<T>>> fetchPage,
            string? startToken = null,
            Func<T, string>? keyOf = null,
            IRequestLog? log = null)
        {
            _fetchPage = fetchPage;
            _keyOf = keyOf;
            _log = log ?? NullRequestLog.Instance;
            _next = string.IsNullOrEmpty(startToken) ? null : startToken;
            if (_next != null)
            {
                _seenTokens.Add(_next);
            }
        }

        public bool IsComplete { get; private set; }

        public int PagesFetched { get; private set; }

        /// <summary>Items skipped so far because the previous page already had them.</summary>
        public long DuplicatesSkipped { get; private set; }

        public async Task<IReadOnlyList<T>> NextPageAsync(CancellationToken cancellationToken)
        {
            if (IsComplete)
            {
                throw new InvalidOperationException("The list has no more pages.");
            }

            // A failed fetch changes nothing here: the caller may ask for the same page again, whole.
            Page<T> page = await _fetchPage(_next, cancellationToken).ConfigureAwait(false);
            PagesFetched++;
            IReadOnlyList<T> items = _keyOf == null ? page.Items : SkipRepeats(page.Items);
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
            return items;
        }

        private IReadOnlyList<T> SkipRepeats(IReadOnlyList<T> items)
        {
            HashSet<string> previous = _previousKeys ??= new HashSet<string>(StringComparer.Ordinal);
            HashSet<string> current = _currentKeys ??= new HashSet<string>(StringComparer.Ordinal);
            current.Clear();
            List<T>? kept = null;
            for (int i = 0; i < items.Count; i++)
            {
                string key = _keyOf!(items[i]);
                bool repeated = previous.Contains(key);
                repeated |= !current.Add(key);
                if (repeated && kept == null)
                {
                    // Only a page with a repeat is copied; the usual page goes out as read.
                    kept = new List<T>(items.Count);
                    for (int j = 0; j < i; j++)
                    {
                        kept.Add(items[j]);
                    }
                }

                if (!repeated)
                {
                    kept?.Add(items[i]);
                }
            }

            // The next page is compared with this one only.
            _previousKeys = current;
            _currentKeys = previous;
            if (kept == null)
            {
                return items;
            }

            int skipped = items.Count - kept.Count;
            DuplicatesSkipped += skipped;
            _log.Write(string.Format(
                CultureInfo.InvariantCulture,
                "Skipped {0} item(s) of page {1} already listed (rows shift between requests under offset pagination); {2} skipped so far.",
                skipped,
                PagesFetched,
                DuplicatesSkipped));
            return kept;
        }
    }
}
