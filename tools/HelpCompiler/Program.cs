using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace PineconeRestore.HelpCompiler;

/// <summary>
/// PineconeRestore.HelpCompiler &lt;docs folder&gt; &lt;output folder&gt;: every about_*.md becomes
/// about_*.help.txt, every other *.md a command in the MAML file its 'external help file:' names.
/// Exit code 0 on success, 1 on malformed markdown (MSBuild-style message naming file, line and section), 2 on usage.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Compiler.Run(args);
}

/// <summary>The compiler's entry points, callable from tests.</summary>
public static class Compiler
{
    /// <summary>What Main does: compiles, prints what was written or the error, returns the exit code.</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: PineconeRestore.HelpCompiler <docs folder> <output folder>");
            return 2;
        }

        try
        {
            var watch = Stopwatch.StartNew();
            IReadOnlyList<string> written = Compile(args[0], args[1]);
            Console.WriteLine($"HelpCompiler: wrote {string.Join(", ", written.Select(Path.GetFileName))} to {Path.GetFullPath(args[1])} in {watch.ElapsedMilliseconds} ms");
            return 0;
        }
        catch (HelpSchemaException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"HelpCompiler: error HELP002: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Compiles the folder; returns the files written. Throws <see cref="HelpSchemaException"/> on malformed markdown.</summary>
    public static IReadOnlyList<string> Compile(string docsFolder, string outputFolder)
    {
        if (!Directory.Exists(docsFolder))
        {
            throw new HelpSchemaException(docsFolder, 0, "docs", "the docs folder does not exist.");
        }

        string[] files = Directory.GetFiles(docsFolder, "*.md").OrderBy(f => f, StringComparer.OrdinalIgnoreCase).ToArray();
        if (files.Length == 0)
        {
            throw new HelpSchemaException(docsFolder, 0, "docs", "no markdown page to compile.");
        }

        // Parse everything before writing anything, so that a bad page leaves no half-updated output.
        var commands = new List<CommandHelp>();
        var abouts = new List<(string Name, string Text)>();
        foreach (string file in files)
        {
            MarkdownDocument doc = MarkdownDocument.Load(file);
            string name = Path.GetFileNameWithoutExtension(file);
            if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                abouts.Add((name, AboutTopicWriter.Render(doc)));
            }
            else
            {
                commands.Add(CommandHelp.Parse(doc));
            }
        }

        Directory.CreateDirectory(outputFolder);
        var written = new List<string>();
        foreach (IGrouping<string, CommandHelp> group in commands.GroupBy(c => c.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
        {
            string path = Path.Combine(outputFolder, group.Key);
            MamlWriter.Write(group, path);
            written.Add(path);
        }

        foreach ((string name, string text) in abouts)
        {
            string path = Path.Combine(outputFolder, name + ".help.txt");
            File.WriteAllText(path, text);
            written.Add(path);
        }

        return written;
    }
}
