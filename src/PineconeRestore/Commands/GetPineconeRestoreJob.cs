using System;
using System.Collections.Generic;
using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Lists the project's restore jobs, or describes the ones named.</summary>
    [Cmdlet(VerbsCommon.Get, "PineconeRestoreJob", DefaultParameterSetName = ListParameterSet, SupportsPaging = true)]
    [OutputType(typeof(RestoreJob))]
    public sealed class GetPineconeRestoreJobCommand : PineconeCmdletBase
    {
        private const string ListParameterSet = "List";
        private const string IdParameterSet = "Id";

        private RestoreJobsApi? _api;
        private ulong _skipped;
        private ulong _written;
        private bool _listedEverything;

        /// <summary>Ids of the restore jobs to describe.</summary>
        [Parameter(ParameterSetName = IdParameterSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "JobId")]
        [ValidateNotNullOrEmpty]
        [ValidatePathSegment]
        public string[] RestoreJobId { get; set; } = Array.Empty<string>();

        /// <summary>Jobs asked for per request (the API's limit).</summary>
        [Parameter(ParameterSetName = ListParameterSet)]
        [Alias("Limit")]
        [ValidateRange(1, RestoreJobsApi.MaxPageSize)]
        public int PageSize { get; set; } = RestoreJobsApi.MaxPageSize;

        /// <summary>Start listing at this page, from an earlier list's next token.</summary>
        [Parameter(ParameterSetName = ListParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? PaginationToken { get; set; }

        private bool FirstReached => _written >= PagingParameters.First;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _api = new RestoreJobsApi(Client);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ListParameterSet)
            {
                ListAll();
                return;
            }

            foreach (string id in RestoreJobId)
            {
                if (FirstReached)
                {
                    return;
                }

                RestoreJob job;
                try
                {
                    job = Await(ct => _api!.DescribeAsync(id, ct));
                }
                catch (PineconeException ex)
                {
                    WriteItemError(ex, id);
                    continue;
                }

                Write(job);
            }
        }

        protected override void EndProcessing()
        {
            if (PagingParameters.IncludeTotalCount && ParameterSetName == ListParameterSet)
            {
                // The API gives no total; it is exact only when every page was read.
                WriteObject(_listedEverything
                    ? PagingParameters.NewTotalCount(_skipped + _written, 1.0)
                    : PagingParameters.NewTotalCount(0, 0.0));
            }
        }

        private void ListAll()
        {
            // With -First, ask for no more than will be written: -First 3 costs one small page, not 100 jobs.
            ulong wanted = PagingParameters.First == ulong.MaxValue ? ulong.MaxValue : PagingParameters.First + PagingParameters.Skip;
            int pageSize = wanted < (ulong)PageSize ? (int)Math.Max(1UL, wanted) : PageSize;
            PageCursor<RestoreJob> cursor = _api!.List(pageSize, PaginationToken);
            while (!cursor.IsComplete && !FirstReached)
            {
                IReadOnlyList<RestoreJob> page;
                try
                {
                    page = Await(ct => cursor.NextPageAsync(ct));
                }
                catch (PineconeException ex)
                {
                    // The jobs already written stay written; the list cannot go on without its next page.
                    ThrowTerminatingError(ErrorRecords.FromException(ex, PaginationToken));
                    return;
                }

                foreach (RestoreJob job in page)
                {
                    if (FirstReached)
                    {
                        return;
                    }

                    Write(job);
                }
            }

            _listedEverything = cursor.IsComplete;
        }

        private void Write(RestoreJob job)
        {
            if (_skipped < PagingParameters.Skip)
            {
                _skipped++;
                return;
            }

            WriteObject(job);
            _written++;
        }
    }
}
