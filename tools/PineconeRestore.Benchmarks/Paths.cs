using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace PineconeRestore.Benchmarks;

/// <summary>Where everything the benchmark runs lives, found and checked before any case starts.</summary>
public sealed class Paths
{
    public string Root { get; }
    public string Manifest => Path.Combine(Root, "out", "PineconeRestore", "PineconeRestore.psd1");
    public string ModuleDll => Path.Combine(Root, "out", "PineconeRestore", "PineconeRestore.dll");
    public string Script => Path.Combine(Root, "tools", "PineconeRestore.Benchmarks", "bench.ps1");
    public string NodeFolder => Path.Combine(Root, "tools", "PineconeRestore.Benchmarks", "node");
    public string Docs => Path.Combine(Root, "docs");
    public string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
    /// <summary>The pinned PowerShell tool's pwsh.dll, run with `dotnet pwsh.dll` as its own shim does.</summary>
    public string PwshDll { get; private set; } = "";
    public string PwshVersion { get; private set; } = "";
    /// <summary>This program's own executable, re-invoked for the raw child.</summary>
    public string Self { get; } = Environment.ProcessPath!;
    public string ModuleConfiguration { get; private set; } = "";

    private Paths(string root) => Root = root;

    public static Paths Find()
    {
        string? root = null;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "PineconeRestore.sln"))) { root = d.FullName; break; }
        root ??= typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value
            ?? throw new BenchmarkSetupException("PineconeRestore.sln not found above " + AppContext.BaseDirectory);
        var paths = new Paths(root);
        paths.CheckModule();
        paths.FindPwsh();
        return paths;
    }

    private void CheckModule()
    {
        // dotnet run -c Release builds the module first (ProjectReference without its assembly) and stages it.
        if (!File.Exists(Manifest) || !File.Exists(ModuleDll))
            throw new BenchmarkSetupException($"The staged module is missing at {Manifest}. Build it: dotnet build PineconeRestore.sln -c Release");
        ModuleConfiguration = ReadConfiguration(ModuleDll);
        if (!string.Equals(ModuleConfiguration, "Release", StringComparison.OrdinalIgnoreCase))
            throw new BenchmarkSetupException($"The staged module {ModuleDll} is a {ModuleConfiguration} build; figures need Release: dotnet build PineconeRestore.sln -c Release (or run this program with -c Release).");
    }

    private static string ReadConfiguration(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        foreach (var handle in md.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = md.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var ctor = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            var type = md.GetTypeReference((TypeReferenceHandle)ctor.Parent);
            if (md.GetString(type.Name) != "AssemblyConfigurationAttribute") continue;
            var blob = md.GetBlobReader(attribute.Value);
            blob.ReadUInt16(); // prolog
            return blob.ReadSerializedString() ?? "";
        }
        return "unknown";
    }

    private void FindPwsh()
    {
        var manifest = Path.Combine(Root, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest)) throw new BenchmarkSetupException("No .config/dotnet-tools.json: the pinned pwsh is missing.");
        using (var doc = JsonDocument.Parse(File.ReadAllText(manifest)))
            PwshVersion = doc.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var any = Path.Combine(packages, "powershell", PwshVersion, "tools", "net10.0", "any");
        PwshDll = Path.Combine(any, OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
        if (!File.Exists(PwshDll))
        {
            Child.Run(Dotnet, new[] { "tool", "restore" }, new Dictionary<string, string?>(), Root);
            if (!File.Exists(PwshDll)) throw new BenchmarkSetupException($"pwsh {PwshVersion} not found at {PwshDll} after dotnet tool restore.");
        }
    }
}
