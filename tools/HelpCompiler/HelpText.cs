using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PineconeRestore.HelpCompiler;

/// <summary>
/// Turns markdown prose into the plain lines Get-Help prints. Like platyPS 0.14, links become "text (url)" and bold
/// markers go; code spans keep their backticks. Unlike platyPS, a paragraph hard-wrapped over several lines is
/// unwrapped into one line (list items and indented continuation lines excepted), so the source may wrap freely.
/// </summary>
public static class HelpText
{
    private static readonly Regex ListItem = new Regex(@"^\s*([-*+]|\d+[.)])\s+", RegexOptions.Compiled);
    private static readonly Regex Link = new Regex(@"\[([^\]]+)\]\(([^)\s]*)\)", RegexOptions.Compiled);
    private static readonly Regex Bold = new Regex(@"\*\*(.+?)\*\*|(?<![\w$])__(.+?)__(?!\w)", RegexOptions.Compiled);

    /// <summary>
    /// One string per output line: each paragraph (or list item) on one line, paragraphs separated by an empty
    /// string, the way platyPS' one maml:para per markdown line renders a blank line between paragraphs.
    /// </summary>
    public static IReadOnlyList<string> ToLines(IEnumerable<string> markdownLines)
    {
        var result = new List<string>();
        StringBuilder? current = null;

        void Flush()
        {
            if (current != null)
            {
                result.Add(Inline(current.ToString()));
                current = null;
            }
        }

        foreach (string raw in markdownLines)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                Flush();
                if (result.Count > 0 && result[result.Count - 1].Length != 0)
                {
                    result.Add(string.Empty);
                }

                continue;
            }

            bool hardBreak = raw.EndsWith("  ", StringComparison.Ordinal);
            string line = raw.Trim();
            if (current == null || ListItem.IsMatch(raw))
            {
                Flush();
                current = new StringBuilder(line);
            }
            else
            {
                current.Append(' ').Append(line);
            }

            if (hardBreak)
            {
                Flush();
            }
        }

        Flush();
        while (result.Count > 0 && result[result.Count - 1].Length == 0)
        {
            result.RemoveAt(result.Count - 1);
        }

        return result;
    }

    /// <summary>Paragraph text as Get-Help shows it: <see cref="ToLines"/> joined with \n.</summary>
    public static string ToText(IEnumerable<string> markdownLines) => string.Join("\n", ToLines(markdownLines));

    /// <summary>Flattens inline markup outside code spans.</summary>
    public static string Inline(string text)
    {
        var sb = new StringBuilder();
        string[] parts = text.Split('`');
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('`');
            }

            // Odd parts are inside a code span, unless the last backtick is unmatched.
            bool inCode = i % 2 == 1 && (parts.Length % 2 == 1);
            sb.Append(inCode ? parts[i] : FlattenPlain(parts[i]));
        }

        return sb.ToString();
    }

    private static string FlattenPlain(string text)
    {
        text = Link.Replace(text, m => string.IsNullOrEmpty(m.Groups[2].Value) ? m.Groups[1].Value : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
        text = Bold.Replace(text, m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
        return text;
    }

    /// <summary>Wraps one line at <paramref name="width"/> columns, each output line prefixed with <paramref name="indent"/>.</summary>
    public static IEnumerable<string> Wrap(string line, int width, string indent)
    {
        // A list item's continuation lines hang under its text.
        Match item = ListItem.Match(line);
        string hang = item.Success ? indent + new string(' ', item.Length) : indent;
        var current = new StringBuilder(indent);
        bool empty = true;
        foreach (string word in line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && current.Length + 1 + word.Length > width)
            {
                yield return current.ToString();
                current = new StringBuilder(hang);
                empty = true;
            }

            if (!empty)
            {
                current.Append(' ');
            }

            current.Append(word);
            empty = false;
        }

        yield return empty ? string.Empty : current.ToString();
    }

    public static bool HasPlaceholder(string text) => text.Contains("{{") && text.Contains("}}");

    public static string[] SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value) ? Array.Empty<string>() : value!.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
}
