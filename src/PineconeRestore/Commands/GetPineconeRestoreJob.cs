using System;
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
        private PagedOutput<RestoreJob>? _output;
        private ByIdRunner<RestoreJob>? _describe;

        /// <summary>Ids of the restore jobs to describe.</summary>
        [Parameter(ParameterSetName = IdParameterSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "JobId")]
        [ValidateNotNullOrEmpty]
        [ValidatePathSegment]
        [ArgumentCompleter(typeof(RestoreJobIdCompleter))]
        public string[] RestoreJobId { get; set; } = Array.Empty<string>();

        /// <summary>Describes sent at once; 1 sends them one after the other.</summary>
        [Parameter(ParameterSetName = IdParameterSet)]
        [ValidateRange(1, ByIdRunner.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = ByIdRunner.DefaultThrottleLimit;

        /// <summary>Jobs asked for per request (the API's limit).</summary>
        [Parameter(ParameterSetName = ListParameterSet)]
        [Alias("Limit")]
        [ValidateRange(1, RestoreJobsApi.MaxPageSize)]
        public int PageSize { get; set; } = RestoreJobsApi.MaxPageSize;

        /// <summary>Start listing at this page, from an earlier list's next token.</summary>
        [Parameter(ParameterSetName = ListParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? PaginationToken { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _api = new RestoreJobsApi(Client);
            _output = new PagedOutput<RestoreJob>(this);
            _describe = new ByIdRunner<RestoreJob>(this, ThrottleLimit, _api.DescribeAsync, (_, job) => _output.Write(job), () => _output.Wanted);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ListParameterSet)
            {
                ListRunner.Run(this, _output!, PageSize, size => _api!.List(size, PaginationToken), PaginationToken);
                return;
            }

            foreach (string id in RestoreJobId)
            {
                _describe!.Add(id);
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ListParameterSet)
            {
                _output!.WriteTotalCount();
                return;
            }

            _describe!.Complete();
        }
    }
}
