using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace PineconeRestore.HelpCompiler;

/// <summary>
/// Renders an about_ markdown page as the plain text Get-Help reads from about_*.help.txt, following platyPS 0.14's
/// TextRenderer: the first heading becomes TOPIC, the second (## about_Name) the indented topic name, level-1
/// headings upper case at the margin, level-2 headings as written, deeper ones indented upper case; text and code
/// indented four spaces, text wrapped at 80 columns.
/// </summary>
public static class AboutTopicWriter
{
    public const int Width = 80;
    private const string Indent = "    ";
    private static readonly string[] RequiredSections = { "SHORT DESCRIPTION", "LONG DESCRIPTION" };

    public static string Render(MarkdownDocument doc)
    {
        string path = doc.Path;
        string expected = Path.GetFileNameWithoutExtension(path);
        IReadOnlyList<MarkdownBlock> blocks = doc.Blocks;
        if (blocks.Count < 2 || blocks[0].Kind != MarkdownBlockKind.Heading || blocks[0].Level != 1)
        {
            throw new HelpSchemaException(path, blocks.Count > 0 ? blocks[0].Line : 1, "title", $"an about topic starts with '# {expected}'.");
        }

        if (blocks[1].Kind != MarkdownBlockKind.Heading || blocks[1].Level != 2 || !string.Equals(blocks[1].Text.Trim(), expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new HelpSchemaException(path, blocks[1].Line, "title", $"the second line of an about topic is '## {expected}' (platyPS finds about topics by it).");
        }

        foreach (string section in RequiredSections)
        {
            MarkdownBlock? heading = blocks.FirstOrDefault(b => b.Kind == MarkdownBlockKind.Heading && b.Level == 1 && string.Equals(b.Text.Trim(), section, StringComparison.OrdinalIgnoreCase));
            if (heading == null)
            {
                throw new HelpSchemaException(path, blocks[0].Line, section, $"the required section '# {section}' is missing.");
            }

            int index = blocks.ToList().IndexOf(heading);
            if (index + 1 >= blocks.Count || blocks[index + 1].Kind == MarkdownBlockKind.Heading)
            {
                throw new HelpSchemaException(path, heading.Line, section, "the section is empty.");
            }
        }

        var sb = new StringBuilder();
        for (int i = 0; i < blocks.Count; i++)
        {
            MarkdownBlock block = blocks[i];
            if (HelpText.HasPlaceholder(block.Text))
            {
                throw new HelpSchemaException(path, block.Line, "about", "still holds a platyPS '{{ ... }}' placeholder.");
            }

            switch (block.Kind)
            {
                case MarkdownBlockKind.Heading when i == 0:
                    sb.Append("TOPIC\n");
                    break;
                case MarkdownBlockKind.Heading when i == 1:
                    sb.Append(Indent).Append(block.Text.Trim().ToLowerInvariant()).Append("\n\n");
                    break;
                case MarkdownBlockKind.Heading when block.Level == 1:
                    sb.Append(block.Text.Trim().ToUpperInvariant()).Append('\n');
                    break;
                case MarkdownBlockKind.Heading when block.Level == 2:
                    sb.Append(block.Text.Trim()).Append('\n');
                    break;
                case MarkdownBlockKind.Heading:
                    sb.Append(Indent).Append(block.Text.Trim().ToUpperInvariant()).Append('\n');
                    break;
                case MarkdownBlockKind.Code:
                    foreach (string line in block.Lines)
                    {
                        sb.Append(line.Length == 0 ? string.Empty : Indent + line).Append('\n');
                    }

                    sb.Append('\n');
                    break;
                default:
                    foreach (string line in HelpText.ToLines(block.Lines))
                    {
                        if (line.Length == 0)
                        {
                            sb.Append('\n');
                            continue;
                        }

                        foreach (string wrapped in HelpText.Wrap(line, Width, Indent))
                        {
                            sb.Append(wrapped).Append('\n');
                        }
                    }

                    sb.Append('\n');
                    break;
            }
        }

        return sb.ToString().TrimEnd('\n') + "\n";
    }
}
