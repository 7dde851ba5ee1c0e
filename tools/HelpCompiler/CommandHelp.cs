using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace PineconeRestore.HelpCompiler;

/// <summary>One cmdlet's help, read from a platyPS schema 2.0.0 markdown page.</summary>
public sealed class CommandHelp
{
    public const string AllParameterSets = "(All)";

    public static readonly string[] RequiredSections =
    {
        "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS",
    };

    public static readonly string[] YamlKeys =
    {
        "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters",
    };

    private static readonly string[] OptionalYamlKeys = { "Accepted values", "Applicable" };
    private static readonly Regex PipelineInputPattern = new Regex(@"^(False|True \((ByValue|ByPropertyName|ByPropertyName, ByValue|ByValue, ByPropertyName)\))$", RegexOptions.IgnoreCase | RegexOptions.Compiled);
    private static readonly Regex LinkLine = new Regex(@"^(?:[-*+]\s+)?\[([^\]]+)\]\(([^)\s]*)\)\s*$", RegexOptions.Compiled);

    public string Name { get; private set; } = string.Empty;

    public string SourcePath { get; private set; } = string.Empty;

    public string ExternalHelpFile { get; private set; } = string.Empty;

    public string? OnlineVersion { get; private set; }

    public IReadOnlyList<string> Synopsis { get; private set; } = Array.Empty<string>();

    public IReadOnlyList<string> Description { get; private set; } = Array.Empty<string>();

    /// <summary>Parameter sets in SYNTAX order, the default first when marked "(Default)".</summary>
    public List<SyntaxSet> Syntax { get; } = new List<SyntaxSet>();

    public List<ExampleHelp> Examples { get; } = new List<ExampleHelp>();

    public List<ParameterHelp> Parameters { get; } = new List<ParameterHelp>();

    public bool SupportsCommonParameters { get; private set; }

    public List<TypeHelp> Inputs { get; } = new List<TypeHelp>();

    public List<TypeHelp> Outputs { get; } = new List<TypeHelp>();

    public IReadOnlyList<string> Notes { get; private set; } = Array.Empty<string>();

    public List<LinkHelp> Links { get; } = new List<LinkHelp>();

    public string Verb => Name.Split('-')[0];

    public string Noun => Name.Substring(Math.Min(Verb.Length + 1, Name.Length));

    /// <summary>Parameter set names, "(All)" expanded; a command with one set of parameters has "__AllParameterSets".</summary>
    public IEnumerable<string> SetNames => Syntax.Select(s => s.Name);

    public static CommandHelp Load(string path) => Parse(MarkdownDocument.Load(path));

    public static CommandHelp Parse(MarkdownDocument doc)
    {
        var help = new CommandHelp { SourcePath = doc.Path };
        string path = doc.Path;

        if (doc.Metadata.Count == 0)
        {
            throw new HelpSchemaException(path, 1, "front matter", "missing: a platyPS page starts with a '---' block holding 'external help file:' and 'schema: 2.0.0'.");
        }

        if (!doc.Metadata.TryGetValue("schema", out string? schema) || schema != "2.0.0")
        {
            throw new HelpSchemaException(path, 1, "front matter", $"'schema: 2.0.0' is required (found '{schema ?? "<none>"}').");
        }

        if (!doc.Metadata.TryGetValue("external help file", out string? helpFile) || string.IsNullOrWhiteSpace(helpFile) || !helpFile.EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase))
        {
            throw new HelpSchemaException(path, 1, "front matter", "'external help file:' must name the MAML file, e.g. PineconeRestore.dll-Help.xml.");
        }

        help.ExternalHelpFile = helpFile;
        help.OnlineVersion = doc.Metadata.TryGetValue("online version", out string? online) && !string.IsNullOrWhiteSpace(online) ? online : null;

        var cursor = new Cursor(doc);
        MarkdownBlock? title = cursor.Next();
        if (title == null || title.Kind != MarkdownBlockKind.Heading || title.Level != 1)
        {
            throw new HelpSchemaException(path, title?.Line ?? 1, "title", "the page must start with '# <Command-Name>'.");
        }

        help.Name = title.Text.Trim();
        string expectedName = System.IO.Path.GetFileNameWithoutExtension(path);
        if (!string.Equals(help.Name, expectedName, StringComparison.OrdinalIgnoreCase))
        {
            throw new HelpSchemaException(path, title.Line, "title", $"the title '# {help.Name}' does not match the file name '{expectedName}.md'.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        MarkdownBlock? block;
        while ((block = cursor.Next()) != null)
        {
            if (block.Kind != MarkdownBlockKind.Heading || block.Level != 2)
            {
                throw new HelpSchemaException(path, block.Line, help.Name, $"expected a '## SECTION' heading, found {Describe(block)}.");
            }

            string section = block.Text.Trim().ToUpperInvariant();
            if (!RequiredSections.Contains(section))
            {
                throw new HelpSchemaException(path, block.Line, section, $"unknown section '## {block.Text}'; platyPS knows {string.Join(", ", RequiredSections)}.");
            }

            if (!seen.Add(section))
            {
                throw new HelpSchemaException(path, block.Line, section, "the section appears twice.");
            }

            switch (section)
            {
                case "SYNOPSIS":
                    help.Synopsis = RequiredText(cursor, path, block, section);
                    break;
                case "DESCRIPTION":
                    help.Description = RequiredText(cursor, path, block, section);
                    break;
                case "NOTES":
                    help.Notes = OptionalText(cursor, path, section);
                    break;
                case "SYNTAX":
                    ParseSyntax(help, cursor, path, block);
                    break;
                case "EXAMPLES":
                    ParseExamples(help, cursor, path, block);
                    break;
                case "PARAMETERS":
                    ParseParameters(help, cursor, path, block);
                    break;
                case "INPUTS":
                    ParseTypes(help.Inputs, cursor, path, section);
                    break;
                case "OUTPUTS":
                    ParseTypes(help.Outputs, cursor, path, section);
                    break;
                case "RELATED LINKS":
                    ParseLinks(help, cursor, path);
                    break;
            }
        }

        foreach (string required in RequiredSections)
        {
            if (!seen.Contains(required))
            {
                throw new HelpSchemaException(path, title.Line, required, $"the required section '## {required}' is missing.");
            }
        }

        CheckParameterSets(help, path);
        return help;
    }

    private static IReadOnlyList<string> RequiredText(Cursor cursor, string path, MarkdownBlock heading, string section)
    {
        IReadOnlyList<string> text = OptionalText(cursor, path, section);
        if (text.Count == 0)
        {
            throw new HelpSchemaException(path, heading.Line, section, "the section is empty.");
        }

        return text;
    }

    private static IReadOnlyList<string> OptionalText(Cursor cursor, string path, string section)
    {
        var lines = new List<string>();
        MarkdownBlock? block;
        while ((block = cursor.Peek()) != null && block.Kind != MarkdownBlockKind.Heading)
        {
            cursor.Next();
            if (block.Kind == MarkdownBlockKind.Code)
            {
                throw new HelpSchemaException(path, block.Line, section, "a code block does not belong in this section (code goes in EXAMPLES).");
            }

            if (lines.Count > 0)
            {
                lines.Add(string.Empty);
            }

            lines.AddRange(block.Lines);
            CheckPlaceholder(path, block, section);
        }

        return HelpText.ToLines(lines);
    }

    private static void CheckPlaceholder(string path, MarkdownBlock block, string section)
    {
        if (HelpText.HasPlaceholder(block.Text))
        {
            throw new HelpSchemaException(path, block.Line, section, "still holds a platyPS '{{ ... }}' placeholder.");
        }
    }

    private static void ParseSyntax(CommandHelp help, Cursor cursor, string path, MarkdownBlock heading)
    {
        MarkdownBlock? block;
        while ((block = cursor.Peek()) != null && !(block.Kind == MarkdownBlockKind.Heading && block.Level <= 2))
        {
            cursor.Next();
            if (block.Kind != MarkdownBlockKind.Heading || block.Level != 3)
            {
                throw new HelpSchemaException(path, block.Line, "SYNTAX", $"expected '### <ParameterSetName>' (add ' (Default)' to the default set), found {Describe(block)}.");
            }

            string name = block.Text.Trim();
            bool isDefault = name.EndsWith("(Default)", StringComparison.Ordinal);
            if (isDefault)
            {
                name = name.Substring(0, name.Length - "(Default)".Length).Trim();
            }

            MarkdownBlock? code = cursor.Next();
            if (code == null || code.Kind != MarkdownBlockKind.Code)
            {
                throw new HelpSchemaException(path, block.Line, "SYNTAX", $"parameter set '{name}' needs one code block with the syntax as Get-Command -Syntax prints it.");
            }

            if (!code.Text.TrimStart().StartsWith(help.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new HelpSchemaException(path, code.Line, "SYNTAX", $"the syntax of '{name}' must start with the command name {help.Name}.");
            }

            if (help.Syntax.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpSchemaException(path, block.Line, "SYNTAX", $"parameter set '{name}' appears twice.");
            }

            help.Syntax.Add(new SyntaxSet(name, isDefault, code.Text, block.Line));
        }

        if (help.Syntax.Count == 0)
        {
            throw new HelpSchemaException(path, heading.Line, "SYNTAX", "no parameter set: write '### <SetName>' and a code block for each (### __AllParameterSets when there is one).");
        }

        if (help.Syntax.Count(s => s.IsDefault) > 1)
        {
            throw new HelpSchemaException(path, heading.Line, "SYNTAX", "more than one parameter set is marked (Default).");
        }

        // The default set comes first in Get-Help, as in Get-Command -Syntax.
        SyntaxSet? first = help.Syntax.FirstOrDefault(s => s.IsDefault);
        if (first != null)
        {
            help.Syntax.Remove(first);
            help.Syntax.Insert(0, first);
        }
    }

    private static void ParseExamples(CommandHelp help, Cursor cursor, string path, MarkdownBlock heading)
    {
        MarkdownBlock? block;
        while ((block = cursor.Peek()) != null && !(block.Kind == MarkdownBlockKind.Heading && block.Level <= 2))
        {
            cursor.Next();
            if (block.Kind != MarkdownBlockKind.Heading || block.Level != 3)
            {
                throw new HelpSchemaException(path, block.Line, "EXAMPLES", $"expected '### Example N: title', found {Describe(block)}.");
            }

            var example = new ExampleHelp(block.Text.Trim(), block.Line);
            string where = $"EXAMPLES > {example.Title}";
            var intro = new List<string>();
            var remarks = new List<string>();
            MarkdownBlock? part;
            while ((part = cursor.Peek()) != null && part.Kind != MarkdownBlockKind.Heading)
            {
                cursor.Next();
                CheckPlaceholder(path, part, where);
                if (part.Kind == MarkdownBlockKind.Code)
                {
                    if (remarks.Count > 0)
                    {
                        throw new HelpSchemaException(path, part.Line, where, "text between two code blocks: put the code blocks together, then the explanation.");
                    }

                    example.Code.Add(new CodeBlock(part.Language ?? string.Empty, part.Text, part.Line));
                }
                else
                {
                    List<string> target = example.Code.Count == 0 ? intro : remarks;
                    if (target.Count > 0)
                    {
                        target.Add(string.Empty);
                    }

                    target.AddRange(part.Lines);
                }
            }

            if (example.Code.Count == 0)
            {
                throw new HelpSchemaException(path, block.Line, where, "the example has no code block.");
            }

            // platyPS 0.14 drops text written before the code; keep it, ahead of the remarks.
            var all = new List<string>(intro);
            if (intro.Count > 0 && remarks.Count > 0)
            {
                all.Add(string.Empty);
            }

            all.AddRange(remarks);
            example.Remarks = HelpText.ToLines(all);
            if (example.Remarks.Count == 0)
            {
                throw new HelpSchemaException(path, block.Line, where, "the example has no explanation: say what it does after the code.");
            }

            help.Examples.Add(example);
        }

        if (help.Examples.Count == 0)
        {
            throw new HelpSchemaException(path, heading.Line, "EXAMPLES", "no example: write at least one '### Example 1: ...' with a code block.");
        }
    }

    private static void ParseParameters(CommandHelp help, Cursor cursor, string path, MarkdownBlock heading)
    {
        MarkdownBlock? block;
        while ((block = cursor.Peek()) != null && !(block.Kind == MarkdownBlockKind.Heading && block.Level <= 2))
        {
            cursor.Next();
            if (block.Kind != MarkdownBlockKind.Heading || block.Level != 3)
            {
                throw new HelpSchemaException(path, block.Line, "PARAMETERS", $"expected '### -ParameterName', found {Describe(block)}.");
            }

            string title = block.Text.Trim();
            if (string.Equals(title, "CommonParameters", StringComparison.OrdinalIgnoreCase))
            {
                help.SupportsCommonParameters = true;
                while ((block = cursor.Peek()) != null && block.Kind != MarkdownBlockKind.Heading)
                {
                    cursor.Next();
                }

                continue;
            }

            if (!title.StartsWith("-", StringComparison.Ordinal) || title.Length < 2 || title.Contains(' '))
            {
                throw new HelpSchemaException(path, block.Line, "PARAMETERS", $"a parameter heading is '### -Name' (or '### CommonParameters'), found '### {title}'.");
            }

            var parameter = new ParameterHelp(title.Substring(1), block.Line);
            string where = $"PARAMETERS > -{parameter.Name}";
            if (help.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpSchemaException(path, block.Line, where, "the parameter is documented twice.");
            }

            var description = new List<string>();
            MarkdownBlock? part;
            while ((part = cursor.Peek()) != null && part.Kind != MarkdownBlockKind.Heading)
            {
                cursor.Next();
                CheckPlaceholder(path, part, where);
                if (part.Kind == MarkdownBlockKind.Code && string.Equals(part.Language, "yaml", StringComparison.OrdinalIgnoreCase))
                {
                    parameter.Metadata.Add(ParseYaml(part, path, where));
                }
                else if (parameter.Metadata.Count > 0)
                {
                    throw new HelpSchemaException(path, part.Line, where, "text after the yaml block: the description goes between the heading and the yaml.");
                }
                else
                {
                    if (description.Count > 0)
                    {
                        description.Add(string.Empty);
                    }

                    description.AddRange(part.Kind == MarkdownBlockKind.Code ? part.Lines.Select(l => "    " + l) : part.Lines);
                }
            }

            parameter.Description = HelpText.ToLines(description);
            if (parameter.Metadata.Count == 0)
            {
                throw new HelpSchemaException(path, block.Line, where, "the parameter has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters).");
            }

            if (parameter.Description.Count == 0)
            {
                throw new HelpSchemaException(path, block.Line, where, "the parameter has no description.");
            }

            help.Parameters.Add(parameter);
        }

        if (!help.SupportsCommonParameters)
        {
            throw new HelpSchemaException(path, heading.Line, "PARAMETERS", "'### CommonParameters' is missing: every cmdlet supports them.");
        }
    }

    private static ParameterMetadata ParseYaml(MarkdownBlock block, string path, string where)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < block.Lines.Count; i++)
        {
            string line = block.Lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':');
            string key = colon > 0 ? line.Substring(0, colon).Trim() : string.Empty;
            if (colon <= 0)
            {
                throw new HelpSchemaException(path, block.Line + 1 + i, where, $"yaml: expected 'Key: value', found '{line}'.");
            }

            if (!YamlKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && !OptionalYamlKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new HelpSchemaException(path, block.Line + 1 + i, where, $"yaml: unknown key '{key}'.");
            }

            if (pairs.ContainsKey(key))
            {
                throw new HelpSchemaException(path, block.Line + 1 + i, where, $"yaml: '{key}' appears twice.");
            }

            pairs[key] = line.Substring(colon + 1).Trim();
        }

        foreach (string key in YamlKeys)
        {
            if (!pairs.ContainsKey(key))
            {
                throw new HelpSchemaException(path, block.Line, where, $"yaml: '{key}:' is missing.");
            }
        }

        string Value(string key) => pairs[key];

        if (Value("Type").Length == 0)
        {
            throw new HelpSchemaException(path, block.Line, where, "yaml: 'Type:' is empty.");
        }

        bool ParseBool(string key)
        {
            string v = Value(key);
            if (string.Equals(v, "true", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(v, "false", StringComparison.OrdinalIgnoreCase)) return false;
            throw new HelpSchemaException(path, block.Line, where, $"yaml: '{key}:' must be True or False, found '{v}'.");
        }

        string position = Value("Position");
        if (!string.Equals(position, "Named", StringComparison.OrdinalIgnoreCase) && !int.TryParse(position, out _))
        {
            throw new HelpSchemaException(path, block.Line, where, $"yaml: 'Position:' must be a number or Named, found '{position}'.");
        }

        string pipeline = Value("Accept pipeline input");
        if (!PipelineInputPattern.IsMatch(pipeline))
        {
            throw new HelpSchemaException(path, block.Line, where, $"yaml: 'Accept pipeline input:' must be False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue); found '{pipeline}'.");
        }

        string[] sets = HelpText.SplitList(Value("Parameter Sets"));
        if (sets.Length == 0)
        {
            throw new HelpSchemaException(path, block.Line, where, "yaml: 'Parameter Sets:' is empty (write (All) for every set).");
        }

        string aliases = Value("Aliases");
        return new ParameterMetadata(
            type: Value("Type"),
            parameterSets: sets,
            aliases: string.Equals(aliases, "None", StringComparison.OrdinalIgnoreCase) ? Array.Empty<string>() : HelpText.SplitList(aliases),
            required: ParseBool("Required"),
            position: string.Equals(position, "Named", StringComparison.OrdinalIgnoreCase) ? "named" : position,
            defaultValue: Value("Default value").Length == 0 ? "None" : Value("Default value"),
            pipelineInput: pipeline.StartsWith("t", StringComparison.OrdinalIgnoreCase) ? "True" + pipeline.Substring(4) : "False",
            globbing: ParseBool("Accept wildcard characters"),
            acceptedValues: pairs.TryGetValue("Accepted values", out string? accepted) ? HelpText.SplitList(accepted) : Array.Empty<string>(),
            line: block.Line);
    }

    private static void ParseTypes(List<TypeHelp> target, Cursor cursor, string path, string section)
    {
        MarkdownBlock? block;
        while ((block = cursor.Peek()) != null && !(block.Kind == MarkdownBlockKind.Heading && block.Level <= 2))
        {
            cursor.Next();
            if (block.Kind != MarkdownBlockKind.Heading || block.Level != 3)
            {
                throw new HelpSchemaException(path, block.Line, section, $"expected '### <TypeName>', found {Describe(block)}.");
            }

            target.Add(new TypeHelp(block.Text.Trim(), OptionalText(cursor, path, $"{section} > {block.Text.Trim()}")));
        }

        if (target.Count == 0)
        {
            throw new HelpSchemaException(path, block?.Line ?? 1, section, "no type: write '### <TypeName>' (### None when there is none) and what it is.");
        }
    }

    private static void ParseLinks(CommandHelp help, Cursor cursor, string path)
    {
        MarkdownBlock? block;
        while ((block = cursor.Peek()) != null && block.Kind != MarkdownBlockKind.Heading)
        {
            cursor.Next();
            if (block.Kind != MarkdownBlockKind.Text)
            {
                throw new HelpSchemaException(path, block.Line, "RELATED LINKS", "only [text](url) lines belong here.");
            }

            for (int i = 0; i < block.Lines.Count; i++)
            {
                string line = block.Lines[i].Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                Match m = LinkLine.Match(line);
                if (!m.Success)
                {
                    throw new HelpSchemaException(path, block.Line + i, "RELATED LINKS", $"expected one '[text](url)' per line, found '{line}'.");
                }

                help.Links.Add(new LinkHelp(m.Groups[1].Value, m.Groups[2].Value));
            }
        }
    }

    private static readonly Regex SyntaxParameter = new Regex(@"(?<=[\s\[])-(\w+)", RegexOptions.Compiled);

    private static void CheckParameterSets(CommandHelp help, string path)
    {
        var known = new HashSet<string>(help.SetNames, StringComparer.OrdinalIgnoreCase);
        foreach (ParameterHelp parameter in help.Parameters)
        {
            foreach (ParameterMetadata metadata in parameter.Metadata)
            {
                foreach (string set in metadata.ParameterSets)
                {
                    if (set != AllParameterSets && !known.Contains(set))
                    {
                        throw new HelpSchemaException(path, metadata.Line, $"PARAMETERS > -{parameter.Name}", $"yaml: parameter set '{set}' is not one of SYNTAX's ({string.Join(", ", help.SetNames)}).");
                    }
                }
            }
        }

        // Each SYNTAX block must name exactly the parameters the yaml puts in its set; its order is the order
        // Get-Help shows (the order Get-Command -Syntax prints).
        foreach (SyntaxSet set in help.Syntax)
        {
            var written = SyntaxParameter.Matches(set.Text).Cast<Match>().Select(m => m.Groups[1].Value).ToList();
            var documented = help.ParametersFor(set.Name).Select(p => p.Parameter.Name).ToList();
            string[] missing = documented.Except(written, StringComparer.OrdinalIgnoreCase).ToArray();
            string[] extra = written.Except(documented, StringComparer.OrdinalIgnoreCase).ToArray();
            if (missing.Length > 0 || extra.Length > 0)
            {
                throw new HelpSchemaException(path, set.Line, $"SYNTAX > {set.Name}",
                    $"the syntax and the PARAMETERS yaml disagree: in the yaml only: {List(missing)}; in the syntax only: {List(extra)}.");
            }

            set.ParameterOrder = written;
            if (!set.Text.Contains("[<CommonParameters>]") && help.SupportsCommonParameters)
            {
                throw new HelpSchemaException(path, set.Line, $"SYNTAX > {set.Name}", "the syntax must end with [<CommonParameters>], as Get-Command -Syntax prints it.");
            }
        }
    }

    private static string List(string[] names) => names.Length == 0 ? "none" : string.Join(", ", names.Select(n => "-" + n));

    private static string Describe(MarkdownBlock block) => block.Kind switch
    {
        MarkdownBlockKind.Heading => $"'{new string('#', block.Level)} {block.Text}'",
        MarkdownBlockKind.Code => "a code block",
        _ => $"text '{Truncate(block.Lines[0])}'",
    };

    private static string Truncate(string s) => s.Length > 40 ? s.Substring(0, 40) + "..." : s;

    /// <summary>Parameters of one set, in the order its SYNTAX block lists them.</summary>
    public IEnumerable<(ParameterHelp Parameter, ParameterMetadata Metadata)> ParametersOf(string setName)
    {
        SyntaxSet set = Syntax.First(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase));
        return ParametersFor(setName).OrderBy(p => set.ParameterOrder.FindIndex(n => string.Equals(n, p.Parameter.Name, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Parameters of one set (named in its yaml, or in (All)), in the order documented.</summary>
    public IEnumerable<(ParameterHelp Parameter, ParameterMetadata Metadata)> ParametersFor(string setName)
    {
        var list = new List<(ParameterHelp, ParameterMetadata)>();
        foreach (ParameterHelp parameter in Parameters)
        {
            ParameterMetadata? match = parameter.Metadata.FirstOrDefault(m => m.ParameterSets.Contains(setName, StringComparer.OrdinalIgnoreCase))
                ?? parameter.Metadata.FirstOrDefault(m => m.ParameterSets.Contains(AllParameterSets));
            if (match != null)
            {
                list.Add((parameter, match));
            }
        }

        return list;
    }

    private sealed class Cursor
    {
        private readonly IReadOnlyList<MarkdownBlock> _blocks;
        private int _index;

        public Cursor(MarkdownDocument doc) => _blocks = doc.Blocks;

        public MarkdownBlock? Peek() => _index < _blocks.Count ? _blocks[_index] : null;

        public MarkdownBlock? Next() => _index < _blocks.Count ? _blocks[_index++] : null;
    }
}

public sealed class SyntaxSet
{
    public SyntaxSet(string name, bool isDefault, string text, int line)
    {
        Name = name;
        IsDefault = isDefault;
        Text = text;
        Line = line;
    }

    public string Name { get; }

    public bool IsDefault { get; }

    /// <summary>The syntax as written in the page (Get-Help builds its own from the parameters).</summary>
    public string Text { get; }

    public int Line { get; }

    /// <summary>Parameter names as the syntax text lists them.</summary>
    public List<string> ParameterOrder { get; set; } = new List<string>();
}

public sealed class ExampleHelp
{
    public ExampleHelp(string title, int line)
    {
        Title = title;
        Line = line;
    }

    public string Title { get; }

    public int Line { get; }

    public List<CodeBlock> Code { get; } = new List<CodeBlock>();

    public IReadOnlyList<string> Remarks { get; set; } = Array.Empty<string>();
}

public sealed class CodeBlock
{
    public CodeBlock(string language, string text, int line)
    {
        Language = language;
        Text = text;
        Line = line;
    }

    public string Language { get; }

    public string Text { get; }

    public int Line { get; }
}

public sealed class ParameterHelp
{
    public ParameterHelp(string name, int line)
    {
        Name = name;
        Line = line;
    }

    public string Name { get; }

    public int Line { get; }

    public IReadOnlyList<string> Description { get; set; } = Array.Empty<string>();

    /// <summary>One entry per yaml block; several when the parameter differs between sets (mandatory in one, say).</summary>
    public List<ParameterMetadata> Metadata { get; } = new List<ParameterMetadata>();
}

public sealed class ParameterMetadata
{
    public ParameterMetadata(string type, string[] parameterSets, string[] aliases, bool required, string position, string defaultValue, string pipelineInput, bool globbing, string[] acceptedValues, int line)
    {
        Type = type;
        ParameterSets = parameterSets;
        Aliases = aliases;
        Required = required;
        Position = position;
        DefaultValue = defaultValue;
        PipelineInput = pipelineInput;
        Globbing = globbing;
        AcceptedValues = acceptedValues;
        Line = line;
    }

    public string Type { get; }

    public string[] ParameterSets { get; }

    public string[] Aliases { get; }

    public bool Required { get; }

    /// <summary>"named" or a 0-based position.</summary>
    public string Position { get; }

    public string DefaultValue { get; }

    /// <summary>"False", or "True (ByValue)", "True (ByPropertyName)", "True (ByPropertyName, ByValue)".</summary>
    public string PipelineInput { get; }

    public bool Globbing { get; }

    public string[] AcceptedValues { get; }

    public int Line { get; }

    public bool IsSwitch => Type == "SwitchParameter" || Type == "System.Management.Automation.SwitchParameter";
}

public sealed class TypeHelp
{
    public TypeHelp(string typeName, IReadOnlyList<string> description)
    {
        TypeName = typeName;
        Description = description;
    }

    public string TypeName { get; }

    public IReadOnlyList<string> Description { get; }
}

public sealed class LinkHelp
{
    public LinkHelp(string text, string uri)
    {
        Text = text;
        Uri = uri;
    }

    public string Text { get; }

    public string Uri { get; }
}
