using System;
using System.Collections.Generic;
using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Waits for restore jobs to finish, all in one poll loop, and writes each as it finishes.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "PineconeRestoreJob")]
    [OutputType(typeof(RestoreJob))]
    public sealed class WaitPineconeRestoreJobCommand : PineconeWaitingCmdletBase
    {
        private readonly List<WaitItem<RestoreJob>> _items = new List<WaitItem<RestoreJob>>();
        private readonly HashSet<string> _ids = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Ids of the restore jobs to wait for.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "JobId")]
        [RestoreJobInput]
        [ValidateNotNullOrEmpty]
        [ValidatePathSegment]
        [ArgumentCompleter(typeof(RestoreJobIdCompleter))]
        public string[] RestoreJobId { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            // The wait starts once the input has ended, so every job is waited for in the same loop.
            foreach (string id in RestoreJobId)
            {
                RestoreJob? piped = RestoreJobInputAttribute.TakeSeen(id);
                if (_ids.Add(id))
                {
                    _items.Add(new WaitItem<RestoreJob>(id, piped));
                }
            }
        }

        protected override void EndProcessing()
        {
            RestoreJobInputAttribute.Forget();
            new WaitRunner<RestoreJob>(this, new RestoreJobWaiting(new RestoreJobsApi(Client))).Run(_items, WaitOptions);
        }
    }
}
