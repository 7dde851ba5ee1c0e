using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace PineconeRestore.HelpCompiler;

/// <summary>A markdown file cut into the only blocks the platyPS schema knows: headings, fenced code and text.</summary>
public sealed class MarkdownDocument
{
    private static readonly Regex HeadingPattern = new Regex(@"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", RegexOptions.Compiled);
    private static readonly Regex FencePattern = new Regex(@"^(```+|~~~+)[ \t]*([\w+-]*)[ \t]*$", RegexOptions.Compiled);

    private MarkdownDocument(string path, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<MarkdownBlock> blocks)
    {
        Path = path;
        Metadata = metadata;
        Blocks = blocks;
    }

    public string Path { get; }

    /// <summary>The front matter's "key: value" pairs (case-insensitive keys); empty when there is none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyList<MarkdownBlock> Blocks { get; }

    public static MarkdownDocument Load(string path) => Parse(File.ReadAllText(path), path);

    public static MarkdownDocument Parse(string text, string path)
    {
        string[] lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var blocks = new List<MarkdownBlock>();
        int i = 0;

        // Front matter: "---" on the first line, simple "key: value" pairs, "---".
        if (lines.Length > 0 && lines[0].TrimEnd() == "---")
        {
            int end = Array.FindIndex(lines, 1, l => l.TrimEnd() == "---");
            if (end < 0)
            {
                throw new HelpSchemaException(path, 1, "front matter", "the '---' block at the top is never closed.");
            }

            for (int j = 1; j < end; j++)
            {
                if (string.IsNullOrWhiteSpace(lines[j]))
                {
                    continue;
                }

                int colon = lines[j].IndexOf(':');
                if (colon <= 0)
                {
                    throw new HelpSchemaException(path, j + 1, "front matter", $"expected 'key: value', found '{lines[j].Trim()}'.");
                }

                metadata[lines[j].Substring(0, colon).Trim()] = lines[j].Substring(colon + 1).Trim();
            }

            i = end + 1;
        }

        var text_ = new List<string>();
        int textStart = 0;

        void FlushText()
        {
            int first = text_.FindIndex(l => !string.IsNullOrWhiteSpace(l));
            int last = text_.FindLastIndex(l => !string.IsNullOrWhiteSpace(l));
            if (first >= 0)
            {
                blocks.Add(new MarkdownBlock(MarkdownBlockKind.Text, textStart + first, null, text_.GetRange(first, last - first + 1)));
            }

            text_.Clear();
        }

        for (; i < lines.Length; i++)
        {
            string line = lines[i];
            Match fence = FencePattern.Match(line);
            if (fence.Success)
            {
                FlushText();
                int start = i;
                string marker = fence.Groups[1].Value;
                var body = new List<string>();
                for (i++; i < lines.Length && !lines[i].TrimEnd().StartsWith(marker, StringComparison.Ordinal); i++)
                {
                    body.Add(lines[i].TrimEnd());
                }

                if (i >= lines.Length)
                {
                    throw new HelpSchemaException(path, start + 1, "code block", $"the code block opened with {marker} is never closed.");
                }

                blocks.Add(new MarkdownBlock(MarkdownBlockKind.Code, start + 1, fence.Groups[2].Value, body));
                continue;
            }

            Match heading = HeadingPattern.Match(line);
            if (heading.Success)
            {
                FlushText();
                blocks.Add(new MarkdownBlock(MarkdownBlockKind.Heading, i + 1, null, new[] { heading.Groups[2].Value }, heading.Groups[1].Value.Length));
                continue;
            }

            if (text_.Count == 0)
            {
                textStart = i + 1;
            }

            text_.Add(line.TrimEnd());
        }

        FlushText();
        return new MarkdownDocument(path, metadata, blocks);
    }
}

public enum MarkdownBlockKind
{
    Heading,
    Text,
    Code,
}

public sealed class MarkdownBlock
{
    public MarkdownBlock(MarkdownBlockKind kind, int line, string? language, IReadOnlyList<string> lines, int level = 0)
    {
        Kind = kind;
        Line = line;
        Language = language;
        Lines = lines;
        Level = level;
    }

    public MarkdownBlockKind Kind { get; }

    /// <summary>1-based line of the block's first line in the file.</summary>
    public int Line { get; }

    /// <summary>Heading level 1..6; 0 for other blocks.</summary>
    public int Level { get; }

    /// <summary>A code block's info string ("powershell", "yaml", ""); null for other blocks.</summary>
    public string? Language { get; }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>A heading's text, or the block's lines joined with \n.</summary>
    public string Text => Kind == MarkdownBlockKind.Heading ? Lines[0] : string.Join("\n", Lines);

    public override string ToString() => $"{Kind}@{Line}: {Text}";
}

/// <summary>Malformed help markdown. The message names the file, line and section, MSBuild-style.</summary>
public sealed class HelpSchemaException : Exception
{
    public HelpSchemaException(string path, int line, string section, string problem)
        : base($"{path}({line}): error HELP001: [{section}] {problem}")
    {
        FilePath = path;
        LineNumber = line;
        Section = section;
        Problem = problem;
    }

    public string FilePath { get; }

    public int LineNumber { get; }

    public string Section { get; }

    public string Problem { get; }
}
