using System.Reflection;

namespace PineconeRestore.Tests.Infrastructure;

/// <summary>
/// Test-only switches inside the staged module, reached by reflection: the tests load the module as users do and never
/// compile against it. Process-wide, so only tests of the serial collection use them, and they put the value back.
/// </summary>
public static class ModuleInternals
{
    /// <summary>The loaded PineconeRestore.dll (import the module in a session first).</summary>
    public static Assembly Module =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "PineconeRestore")
        ?? throw new InvalidOperationException("PineconeRestore is not loaded: import the module in a session first.");

    /// <summary>
    /// Sets ClientSettings.RetryBaseDelayForTests, the backoff base of every client created while the scope lives: the
    /// backoff still runs (jitter, doubling, Retry-After), only its unit is shorter.
    /// </summary>
    public static IDisposable RetryBaseDelay(TimeSpan delay)
    {
        PropertyInfo property = Module.GetType("PineconeRestore.Client.ClientSettings", throwOnError: true)!
            .GetProperty("RetryBaseDelayForTests", BindingFlags.Static | BindingFlags.NonPublic)
            ?? throw new MissingMemberException("ClientSettings.RetryBaseDelayForTests");
        object? before = property.GetValue(null);
        property.SetValue(null, (TimeSpan?)delay);
        return new Restore(() => property.SetValue(null, before));
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
