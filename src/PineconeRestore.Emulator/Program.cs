using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using PineconeRestore.Emulator;

// dotnet run --project src/PineconeRestore.Emulator -- [--port N] [--api-key KEY] [--no-seed] [--clock-speed N] [--exit-on-stdin-close]
const string Usage = "Usage: PineconeRestore.Emulator [--port N] [--api-key KEY] [--no-seed] [--clock-speed N] [--exit-on-stdin-close]";
var options = new EmulatorOptions();
var exitOnStdinClose = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535:
            options.Port = port;
            i++;
            break;
        case "--api-key" when i + 1 < args.Length && args[i + 1].Length > 0:
            options.ApiKey = args[++i];
            break;
        case "--no-seed":
            options.SeedSampleJobs = false;
            break;
        case "--clock-speed" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) && speed > 0 && double.IsFinite(speed):
            options.ClockSpeed = speed;
            i++;
            break;
        case "--exit-on-stdin-close":
            exitOnStdinClose = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

var exit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) => { e.Cancel = true; exit.TrySetResult(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; exit.TrySetResult(); });

PineconeEmulator emulator;
try
{
    emulator = await PineconeEmulator.StartAsync(options);
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or SocketException)
{
    Console.Error.WriteLine($"Port {options.Port} on 127.0.0.1 is already in use: choose another with --port N, or --port 0 for a free one.");
    return 1;
}
await using var running = emulator;
Console.Out.WriteLine($"Pinecone emulator listening on {emulator.BaseUrl} (api key: {emulator.ApiKey})"
    + (options.ClockSpeed is { } s ? $", clock running at {s.ToString(CultureInfo.InvariantCulture)}x" : ""));
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
