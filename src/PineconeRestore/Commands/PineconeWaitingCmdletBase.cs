using System;
using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Declares -PollingIntervalSeconds and -Timeout once for every cmdlet that waits (Wait-, New- and Restore- -Wait).</summary>
    public abstract class PineconeWaitingCmdletBase : PineconeCmdletBase
    {
        /// <summary>Seconds between two polls of one item; fractions allowed.</summary>
        [Parameter]
        [ValidateRange(0.1, 86400.0)]
        public double PollingIntervalSeconds { get; set; } = WaitOptions.DefaultPollingInterval.TotalSeconds;

        /// <summary>The most seconds to wait, in all; unset waits as long as it takes.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Timeout { get; set; }

        internal WaitOptions WaitOptions => new WaitOptions
        {
            PollingInterval = TimeSpan.FromSeconds(PollingIntervalSeconds),
            Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null,
        };
    }
}
