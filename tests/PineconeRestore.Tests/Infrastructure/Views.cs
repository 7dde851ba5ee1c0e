using System.Management.Automation;

namespace PineconeRestore.Tests.Infrastructure;

/// <summary>
/// A restore job as a script sees it, read through its PowerShell properties. The tests never compile against the
/// module's DLL: they see its objects only through the engine, as a user does.
/// </summary>
public sealed record JobView(
    string RestoreJobId,
    string BackupId,
    string TargetIndexName,
    string TargetIndexId,
    string Status,
    DateTime? CreatedAt,
    DateTime? CompletedAt,
    double? PercentComplete)
{
    public static JobView From(PSObject o)
    {
        Assert.Equal("PineconeRestore.RestoreJob", o.TypeNames[0]);
        return new JobView(
            (string)o.Prop("RestoreJobId")!,
            (string)o.Prop("BackupId")!,
            (string)o.Prop("TargetIndexName")!,
            (string)o.Prop("TargetIndexId")!,
            (string)o.Prop("Status")!,
            (DateTime?)o.Prop("CreatedAt"),
            (DateTime?)o.Prop("CompletedAt"),
            (double?)o.Prop("PercentComplete"));
    }
}

public static class PropertyExtensions
{
    /// <summary>A property's value as PowerShell reads it ($x.Name).</summary>
    public static object? Prop(this object o, string name) =>
        PSObject.AsPSObject(o).Properties[name]?.Value ?? (PSObject.AsPSObject(o).Properties[name] == null ? throw new Xunit.Sdk.XunitException($"{o.GetType().FullName} has no property {name}") : null);

    public static IReadOnlyList<JobView> Jobs(this PsResult result) => result.Output.Select(JobView.From).ToList();

    public static IReadOnlyList<string> JobIds(this PsResult result) => result.Jobs().Select(j => j.RestoreJobId).ToList();

    /// <summary>Asserts the exception is the module's PineconeApiException and returns it for its properties.</summary>
    public static Exception AssertApiException(this ErrorRecord record)
    {
        Assert.Equal("PineconeRestore.PineconeApiException", record.Exception.GetType().FullName);
        return record.Exception;
    }
}
