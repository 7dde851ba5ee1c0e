using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PineconeRestore.Benchmarks;

/// <summary>PowerShell 7.6.9 hosted in this process (System.Management.Automation from NuGet), running bench.ps1 as real pwsh does.</summary>
public static class HostedEngine
{
    public static ChildOutput Run(string scriptPath, IDictionary<string, object> parameters)
    {
        // A fresh runspace per call, so each measurement imports the staged module from scratch, as a new pwsh does.
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(File.ReadAllText(scriptPath)).AddParameters((System.Collections.IDictionary)parameters);
        var lines = ps.Invoke().Select(o => o?.ToString() ?? "").ToArray();
        if (ps.HadErrors)
            throw new InvalidOperationException("Hosted engine: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        var output = new ChildOutput { Stdout = string.Join('\n', lines) };
        Child.Parse(output.Stdout, output);
        return output;
    }
}
