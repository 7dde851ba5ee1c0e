using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PineconeRestore.Emulator;

namespace PineconeRestore.Tests.Infrastructure;

/// <summary>
/// A PowerShell 7.6 session in this process with the staged module imported: runs script text the way a user types
/// it and keeps everything each stream received.
/// </summary>
public sealed class PsSession : IDisposable
{
    private readonly Runspace _runspace;

    public PsSession(bool importModule = true)
    {
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        if (importModule)
        {
            PsResult import = Run($"Import-Module '{Repo.Manifest}' -ErrorAction Stop");
            if (import.Terminating != null || import.Errors.Count > 0)
            {
                throw new InvalidOperationException("Import-Module failed: " + import.Terminating?.ToString() + string.Join("; ", import.Errors));
            }
        }
    }

    public Runspace Runspace => _runspace;

    /// <summary>Connect-Pinecone to the emulator with its key; retries and timeout as given.</summary>
    public void Connect(PineconeEmulator emulator, int maxRetries = 3, int timeoutSec = 30)
    {
        PsResult result = Run(
            "Connect-Pinecone -ApiKey $key -ControllerHost $url -MaxRetries $retries -TimeoutSec $timeout",
            ("key", emulator.ApiKey), ("url", emulator.BaseUrl.ToString()), ("retries", maxRetries), ("timeout", timeoutSec));
        if (result.Terminating != null || result.Errors.Count > 0)
        {
            throw new InvalidOperationException("Connect-Pinecone failed: " + result.Terminating?.ToString() + string.Join("; ", result.Errors));
        }
    }

    /// <summary>
    /// Runs the script; the first terminating error stops it, as it would stop a user's script run with its errors
    /// caught, and lands in <see cref="PsResult.Terminating"/>. Non-terminating errors stay on the Error stream.
    /// </summary>
    public PsResult Run(string script, params (string Name, object? Value)[] variables) =>
        Execute(script, variables, ps => ps.Invoke());

    /// <summary>
    /// <see cref="Run"/> with a liveness bound: a script still running after <paramref name="bound"/> is stopped and
    /// the test fails saying it hung. Generous bounds only; this is not a timing assertion.
    /// </summary>
    public PsResult RunWithin(TimeSpan bound, string script, params (string Name, object? Value)[] variables) =>
        Execute(script, variables, ps =>
        {
            IAsyncResult invocation = ps.BeginInvoke();
            if (!invocation.AsyncWaitHandle.WaitOne(bound))
            {
                ps.Stop();
                throw new Xunit.Sdk.XunitException($"Still running after {bound.TotalSeconds:0} s (hung?): {script}");
            }

            return ps.EndInvoke(invocation);
        });

    private PsResult Execute(string script, (string Name, object? Value)[] variables, Func<PowerShell, IEnumerable<PSObject>> invoke)
    {
        _runspace.SessionStateProxy.SetVariable(TerminatingVariable, null);
        string wrapped = $"try {{\n{script}\n}}\ncatch {{ ${TerminatingVariable} = $_ }}";
        using PowerShell ps = CreatePowerShell(wrapped, variables);
        var result = new PsResult(ps);
        try
        {
            result.Output.AddRange(invoke(ps));
        }
        catch (RuntimeException ex)
        {
            result.Terminating = ex.ErrorRecord;
        }

        result.Terminating ??= _runspace.SessionStateProxy.GetVariable(TerminatingVariable) as ErrorRecord
            ?? (_runspace.SessionStateProxy.GetVariable(TerminatingVariable) as PSObject)?.BaseObject as ErrorRecord;
        result.Collect();
        return result;
    }

    private const string TerminatingVariable = "__PsSessionTerminatingError";

    /// <summary>A PowerShell ready to run the script in this session, for tests that Stop() it.</summary>
    public PowerShell CreatePowerShell(string script, params (string Name, object? Value)[] variables)
    {
        foreach ((string name, object? value) in variables)
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        return ps;
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What one script run wrote on each stream, and the terminating error if there was one.</summary>
public sealed class PsResult
{
    private readonly PowerShell _ps;

    public PsResult(PowerShell ps)
    {
        _ps = ps;
    }

    public List<PSObject> Output { get; } = new();

    public List<ErrorRecord> Errors { get; } = new();

    public List<string> Verbose { get; } = new();

    public List<string> Warning { get; } = new();

    public List<string> Debug { get; } = new();

    public List<string> Information { get; } = new();

    public List<ProgressRecord> Progress { get; } = new();

    public ErrorRecord? Terminating { get; set; }

    /// <summary>The terminating error's record, or fails the test when the run did not terminate.</summary>
    public ErrorRecord TerminatingRecord => Terminating ?? throw new Xunit.Sdk.XunitException("Expected a terminating error; the command finished.");

    

    public void Collect()
    {
        Errors.AddRange(_ps.Streams.Error);
        Verbose.AddRange(_ps.Streams.Verbose.Select(v => v.Message));
        Warning.AddRange(_ps.Streams.Warning.Select(w => w.Message));
        Debug.AddRange(_ps.Streams.Debug.Select(d => d.Message));
        Information.AddRange(_ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty));
        Progress.AddRange(_ps.Streams.Progress);
    }

    /// <summary>Every text a user could see or log: all streams, every error and exception (with inner ones).</summary>
    public IEnumerable<string> AllText()
    {
        foreach (PSObject o in Output)
        {
            yield return o.ToString();
            foreach (PSPropertyInfo property in o.Properties)
            {
                object? value = null;
                try
                {
                    value = property.Value;
                }
                catch (GetValueException)
                {
                }

                yield return value?.ToString() ?? string.Empty;
            }
        }

        foreach (string text in Verbose.Concat(Warning).Concat(Debug).Concat(Information))
        {
            yield return text;
        }

        foreach (ProgressRecord progress in Progress)
        {
            yield return progress.ToString();
        }

        IEnumerable<ErrorRecord> records = Terminating != null ? Errors.Append(Terminating) : Errors;
        foreach (ErrorRecord record in records)
        {
            yield return record.ToString();
            yield return record.FullyQualifiedErrorId;
            yield return record.CategoryInfo.ToString();
            yield return record.ErrorDetails?.Message ?? string.Empty;
            yield return record.ErrorDetails?.RecommendedAction ?? string.Empty;
            yield return record.TargetObject?.ToString() ?? string.Empty;
            for (Exception? e = record.Exception; e != null; e = e.InnerException)
            {
                yield return e.ToString();
            }
        }
    }
}
