using System.Diagnostics;
using System.Management.Automation;

namespace PineconeRestore.Tests.Infrastructure;

/// <summary>Ctrl+C as a host sends it: PowerShell.Stop() on a running command.</summary>
public static class Stopping
{
    /// <summary>Stops the invocation and asserts it ended stopped, within a second (a liveness bound on Stop itself).</summary>
    public static void AssertStopsWithinASecond(PowerShell ps, IAsyncResult invocation)
    {
        var stopwatch = Stopwatch.StartNew();
        ps.Stop();
        stopwatch.Stop();

        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed}");
    }
}
