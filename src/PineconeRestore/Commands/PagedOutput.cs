using System.Management.Automation;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// What -Skip, -First and -IncludeTotalCount mean for one command's output, listed or described: one place that
    /// counts, so every Get- cmdlet pages alike. Also fine for a cmdlet without SupportsPaging (no limits then).
    /// </summary>
    internal sealed class PagedOutput<T>
    {
        private readonly PSCmdlet _cmdlet;
        private readonly PagingParameters? _paging;
        private ulong _skipped;
        private ulong _written;

        public PagedOutput(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
            _paging = cmdlet.PagingParameters;
        }

        public ulong First => _paging?.First ?? ulong.MaxValue;

        public ulong Skip => _paging?.Skip ?? 0;

        public bool FirstReached => _written >= First;

        /// <summary>
        /// How many more items could still be used: those left to skip plus those left to write. A command asks the
        /// API for no more than this, so -First 3 costs three describes or one page of three.
        /// </summary>
        public ulong Wanted
        {
            get
            {
                if (First == ulong.MaxValue)
                {
                    return ulong.MaxValue;
                }

                ulong toWrite = First - _written;
                ulong toSkip = Skip - _skipped;
                return toWrite > ulong.MaxValue - toSkip ? ulong.MaxValue : toWrite + toSkip;
            }
        }

        /// <summary>Set by the list runner when the last page was read, so the total count is exact.</summary>
        public bool ListedEverything { get; set; }

        /// <summary>Writes the item unless -Skip still leaves it out; never writes past -First.</summary>
        public void Write(T item)
        {
            if (_skipped < Skip)
            {
                _skipped++;
                return;
            }

            if (FirstReached)
            {
                return;
            }

            _cmdlet.WriteObject(item);
            _written++;
        }

        /// <summary>-IncludeTotalCount: the API gives no total, so it is exact only when every page was read.</summary>
        public void WriteTotalCount()
        {
            if (_paging?.IncludeTotalCount == true)
            {
                _cmdlet.WriteObject(ListedEverything
                    ? _paging.NewTotalCount(_skipped + _written, 1.0)
                    : _paging.NewTotalCount(0, 0.0));
            }
        }
    }
}
