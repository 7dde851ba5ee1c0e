using System.Globalization;

namespace PineconeRestore.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length > 0 && args[0] == RawChildSwitch)
            return await RawChild.RunAsync(args.Skip(1).ToArray());

        var options = Options.Parse(args);
        try
        {
            await using var bench = await Bench.StartAsync(options, "dotnet run -c Release --project tools/PineconeRestore.Benchmarks" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""));
            var result = await bench.RunAsync();
            Report.Write(result, options, bench.Paths);
            return 0;
        }
        catch (BenchmarkSetupException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }

    /// <summary>Hidden: the program re-invoked as the raw HttpClient loop, in a process of its own.</summary>
    public const string RawChildSwitch = "--raw-child";
}

public sealed class BenchmarkSetupException(string message) : Exception(message);
