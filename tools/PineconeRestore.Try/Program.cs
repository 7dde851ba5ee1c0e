// Try the module: dotnet run --project tools/PineconeRestore.Try [-- "<PowerShell command>"]
// Without PINECONE_API_KEY it starts the local emulator with its sample jobs; with it, it talks to Pinecone.
// It runs the command in the repository's pinned pwsh 7.6.9 (.config/dotnet-tools.json, restored here if needed), and
// only where that pwsh cannot start, in the PowerShell 7.6 engine hosted in this process.
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PineconeRestore.Emulator;
using PineconeRestore.Hosting;

string command = args.Length > 0 ? string.Join(' ', args) : "Get-PineconeRestoreJob | Where Status -eq Completed";
string manifest = Path.Combine(FindRepositoryRoot(), "out", "PineconeRestore", "PineconeRestore.psd1");
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"The module is not built: {manifest} is missing. Run: dotnet build PineconeRestore.sln");
    return 2;
}

PineconeEmulator? emulator = null;
string? apiKey = Environment.GetEnvironmentVariable("PINECONE_API_KEY");
string? controllerHost = Environment.GetEnvironmentVariable("PINECONE_CONTROLLER_HOST");
if (string.IsNullOrWhiteSpace(apiKey))
{
    // A minute of emulated time a second: a 5-minute restore or backup finishes in 5 s, so -Wait and drills can be tried.
    emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { ClockSpeed = 60 });
    apiKey = emulator.ApiKey;
    controllerHost = emulator.BaseUrl.ToString();
    Console.WriteLine($"PINECONE_API_KEY is not set: using the local Pinecone emulator at {controllerHost} and its sample jobs (its clock runs at 60x).");
}
else
{
    Console.WriteLine($"Using Pinecone at {controllerHost ?? "https://api.pinecone.io"} with the key in PINECONE_API_KEY.");
}

try
{
    string root = FindRepositoryRoot();
    return PinnedPwshStarts(root)
        ? RunInPwsh(root, manifest, command, emulator)
        : RunInHostedEngine(manifest, command, emulator);
}
finally
{
    if (emulator != null)
    {
        await emulator.DisposeAsync();
    }
}

// The pinned pwsh runs once `dotnet tool restore` has fetched it; restore only when it does not start yet.
static bool PinnedPwshStarts(string root)
{
    if (Dotnet(root, "tool", "run", "pwsh", "--", "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", "exit 0") == 0)
    {
        return true;
    }

    Console.WriteLine("Restoring the repository's pwsh: dotnet tool restore");
    return Dotnet(root, "tool", "restore") == 0
        && Dotnet(root, "tool", "run", "pwsh", "--", "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", "exit 0") == 0;
}

static int Dotnet(string root, params string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (string argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    try
    {
        using Process process = Process.Start(start)!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return -1;
    }
}

static int RunInPwsh(string root, string manifest, string command, PineconeEmulator? emulator)
{
    Console.WriteLine("Running in pwsh 7.6.9 (dotnet tool run pwsh):");
    Console.WriteLine($"PS> {command}");
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = root };
    foreach (string argument in new[] { "tool", "run", "pwsh", "--", "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", $"Import-Module '{manifest}'; {command}" })
    {
        start.ArgumentList.Add(argument);
    }

    if (emulator != null)
    {
        // The emulator's key is a fixed test value, not a secret.
        start.Environment["PINECONE_API_KEY"] = emulator.ApiKey;
        start.Environment["PINECONE_CONTROLLER_HOST"] = emulator.BaseUrl.ToString();
    }

    if (Console.IsOutputRedirected)
    {
        // A file or a CI log: the table without colour escapes (pwsh honours NO_COLOR).
        start.Environment["NO_COLOR"] = "1";
    }

    using Process process = Process.Start(start)!;
    process.WaitForExit();
    return process.ExitCode;
}

static int RunInHostedEngine(string manifest, string command, PineconeEmulator? emulator)
{
    Console.WriteLine("The repository's pwsh could not start: running in the PowerShell 7.6 engine hosted in this process.");
    using Runspace runspace = RunspaceFactory.CreateRunspace(new TextHost(Console.Out, plainText: Console.IsOutputRedirected), InitialSessionState.CreateDefault2());
    runspace.Open();
    using PowerShell ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddCommand("Import-Module").AddParameter("Name", manifest).Invoke();
    if (emulator != null)
    {
        ps.Commands.Clear();
        ps.AddCommand("Connect-Pinecone").AddParameter("ApiKey", emulator.ApiKey).AddParameter("ControllerHost", emulator.BaseUrl.ToString()).Invoke();
    }

    Console.WriteLine($"PS> {command}");
    ps.Commands.Clear();
    ps.AddScript(command);
    // Errors go through Out-Default too, so they print the way a console shows them.
    ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
    ps.AddCommand("Out-Default");
    try
    {
        ps.Invoke();
    }
    catch (RuntimeException ex)
    {
        Console.WriteLine(ex.ErrorRecord.ToString());
        return 1;
    }

    return ps.HadErrors ? 1 : 0;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "PineconeRestore.sln")))
        {
            return directory.FullName;
        }
    }

    throw new DirectoryNotFoundException("PineconeRestore.sln not found above " + AppContext.BaseDirectory);
}
