using System.Reflection;

namespace PineconeRestore.Tests.Infrastructure;

/// <summary>Paths of the repository and of the staged module the tests import.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string ModuleFolder => Path.Combine(Root, "out", "PineconeRestore");

    public static string Manifest => Path.Combine(ModuleFolder, "PineconeRestore.psd1");

    public static string Docs => Path.Combine(Root, "docs", "en-US");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PineconeRestore.sln")))
            {
                return directory.FullName;
            }
        }

        string? fromBuild = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return fromBuild ?? throw new DirectoryNotFoundException("PineconeRestore.sln not found above " + AppContext.BaseDirectory);
    }
}
