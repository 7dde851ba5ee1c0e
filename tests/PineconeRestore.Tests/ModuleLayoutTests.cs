using System.Diagnostics;
using System.Management.Automation;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PineconeRestore.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PineconeRestore.Tests;

/// <summary>The staged module folder: what it holds, what the DLL references, and that it imports as shipped.</summary>
public sealed class ModuleLayoutTests
{
    // What Windows PowerShell 5.1 needs beside the module: System.Text.Json 8 and its chain.
    private static readonly string[] WindowsPowerShellChain =
    {
        "Microsoft.Bcl.AsyncInterfaces", "System.Buffers", "System.Memory", "System.Numerics.Vectors",
        "System.Runtime.CompilerServices.Unsafe", "System.Text.Encodings.Web", "System.Text.Json", "System.Threading.Tasks.Extensions",
    };

    // Assemblies .NET Framework 4.7.2 itself provides to a netstandard2.0 library.
    private static readonly string[] FrameworkProvided = { "netstandard", "mscorlib", "System", "System.Core", "System.Management.Automation" };

    private readonly ITestOutputHelper _output;

    public ModuleLayoutTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static string ModuleDll => Path.Combine(Repo.ModuleFolder, "PineconeRestore.dll");

    [Fact]
    public void The_staged_folder_holds_manifest_dll_format_file_and_the_51_dependency_chain()
    {
        Assert.True(File.Exists(Repo.Manifest));
        Assert.True(File.Exists(ModuleDll));
        Assert.True(File.Exists(Path.Combine(Repo.ModuleFolder, "PineconeRestore.format.ps1xml")));
        string[] shipped = Directory.GetFiles(Path.Combine(Repo.ModuleFolder, "dependencies"), "*.dll").Select(Path.GetFileNameWithoutExtension).Order().ToArray()!;
        Assert.Equal(WindowsPowerShellChain.Order(), shipped);
    }

    [Fact]
    public void The_cmdlet_dll_references_no_framework_assembly_newer_than_8_0()
    {
        IReadOnlyList<(string Name, Version Version)> references = References(ModuleDll);

        Assert.Contains(references, r => r.Name == "System.Text.Json" && r.Version == new Version(8, 0, 0, 0));
        Assert.All(references, r => Assert.True(r.Version <= new Version(8, 0, 0, 0), $"{r.Name} {r.Version}"));
    }

    [Fact]
    public void Every_reference_of_the_module_and_its_dependencies_is_shipped_or_in_the_framework()
    {
        string dependencies = Path.Combine(Repo.ModuleFolder, "dependencies");
        var available = new HashSet<string>(WindowsPowerShellChain.Concat(FrameworkProvided).Append("PineconeRestore"));
        foreach (string dll in Directory.GetFiles(dependencies, "*.dll").Append(ModuleDll))
        {
            foreach ((string name, Version version) in References(dll))
            {
                Assert.True(available.Contains(name), $"{Path.GetFileName(dll)} needs {name} {version}, which Windows PowerShell 5.1 would not find");
            }
        }
    }

    [Fact]
    public void The_manifest_is_valid_and_its_version_is_the_assemblys()
    {
        using var ps = new PsSession(importModule: false);

        PsResult result = ps.Run("$m = Test-ModuleManifest $path; $m.Version.ToString(); $m.RootModule; $m.CompatiblePSEditions -join ','", ("path", Repo.Manifest));

        Assert.Empty(result.Errors);
        string version = (string)result.Output[0].BaseObject;
        Assert.Equal(version + ".0", AssemblyVersion(ModuleDll).ToString());
        Assert.Equal("PineconeRestore.dll", result.Output[1].BaseObject);
        Assert.Equal("Desktop,Core", result.Output[2].BaseObject);
    }

    [Fact]
    public void CmdletsToExport_lists_exactly_the_cmdlets_the_dll_defines()
    {
        using var ps = new PsSession();

        PsResult result = ps.Run(@"
            [string[]] $exported = (Get-Module PineconeRestore).ExportedCmdlets.Keys
            [string[]] $defined = [PineconeRestore.RestoreJob].Assembly.GetExportedTypes() |
                ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
                ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName }
            [array]::Sort($exported); [array]::Sort($defined)  # Sort-Object is not in the hosted engine
            ($exported -join ',')
            ($defined -join ',')");

        Assert.Empty(result.Errors);
        Assert.Equal(result.Output[1].BaseObject, result.Output[0].BaseObject);
        Assert.Contains("Get-PineconeRestoreJob", (string)result.Output[0].BaseObject);
    }

    [Fact]
    public void The_engine_runs_the_staged_dll_and_System_Text_Json_from_the_runtime()
    {
        using var ps = new PsSession();

        PsResult result = ps.Run("(Get-Command Get-PineconeRestoreJob).DLL; [System.Text.Json.JsonSerializer].Assembly.Location; (Get-Command Get-PineconeRestoreJob).OutputType.Name");

        Assert.Equal(Path.GetFullPath(ModuleDll), Path.GetFullPath((string)result.Output[0].BaseObject));
        Assert.DoesNotContain(Repo.ModuleFolder, (string)result.Output[1].BaseObject);
        Assert.Equal("PineconeRestore.RestoreJob", result.Output[2].BaseObject);
    }

    [Fact]
    public void The_module_imports_into_a_new_runspace_again_and_again_and_the_time_is_printed()
    {
        foreach (string when in new[] { "first in this process", "again, in a new runspace" })
        {
            using var ps = new PsSession(importModule: false);
            ps.Run("Get-Command Import-Module | Out-Null"); // the engine itself warmed up, so only the import is timed
            var stopwatch = Stopwatch.StartNew();
            PsResult result = ps.Run("Import-Module $path -ErrorAction Stop -PassThru", ("path", Repo.Manifest));
            stopwatch.Stop();

            // A figure, not an assertion: what is asserted is that the import really loaded the module's cmdlets.
            _output.WriteLine($"Import-Module PineconeRestore ({when}): {stopwatch.ElapsedMilliseconds} ms");
            Assert.Null(result.Terminating);
            PSObject module = Assert.Single(result.Output);
            Assert.Equal("PineconeRestore", module.Prop("Name"));
            Assert.Contains("Get-PineconeRestoreJob", ((System.Collections.IDictionary)module.Prop("ExportedCmdlets")!).Keys.Cast<string>());
        }
    }

    private static IReadOnlyList<(string Name, Version Version)> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(h => metadata.GetAssemblyReference(h))
            .Select(r => (metadata.GetString(r.Name), r.Version))
            .ToList();
    }

    private static Version AssemblyVersion(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        return pe.GetMetadataReader().GetAssemblyDefinition().Version;
    }
}
