using System.Runtime.InteropServices;
using PineconeRestore.Emulator;

// dotnet run --project src/PineconeRestore.Emulator -- [--port N] [--api-key KEY] [--no-seed] [--exit-on-stdin-close]
var options = new EmulatorOptions();
var exitOnStdinClose = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var port) && port is >= 0 and <= 65535:
            options.Port = port;
            i++;
            break;
        case "--api-key" when i + 1 < args.Length && args[i + 1].Length > 0:
            options.ApiKey = args[++i];
            break;
        case "--no-seed":
            options.SeedSampleJobs = false;
            break;
        case "--exit-on-stdin-close":
            exitOnStdinClose = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
            Console.Error.WriteLine("Usage: PineconeRestore.Emulator [--port N] [--api-key KEY] [--no-seed] [--exit-on-stdin-close]");
            return 2;
    }
}

var exit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) => { e.Cancel = true; exit.TrySetResult(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; exit.TrySetResult(); });

await using var emulator = await PineconeEmulator.StartAsync(options);
Console.Out.WriteLine($"Pinecone emulator listening on {emulator.BaseUrl} (api key: {emulator.ApiKey})");
Console.Out.Flush();

if (exitOnStdinClose)
{
    _ = Task.Run(async () =>
    {
        var buffer = new char[256];
        try { while (await Console.In.ReadAsync(buffer, 0, buffer.Length) > 0) { } }
        catch (IOException) { }
        exit.TrySetResult();
    });
}

await exit.Task;
await emulator.StopAsync();
return 0;
