using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace PineconeRestore.HelpCompiler;

/// <summary>
/// Writes MAML the way platyPS 0.14's New-ExternalHelp lays it out (same elements, attributes and order), which is
/// what Get-Help reads for a binary module's cmdlets from &lt;culture&gt;/&lt;Assembly&gt;.dll-Help.xml.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument ToDocument(IEnumerable<CommandHelp> commands) =>
        new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
                commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(CommandElement)));

    public static void Write(IEnumerable<CommandHelp> commands, string path)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n" };
        using (XmlWriter writer = XmlWriter.Create(path, settings))
        {
            ToDocument(commands).Save(writer);
        }
    }

    private static XElement CommandElement(CommandHelp c) =>
        new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", c.Name),
                new XElement(Command + "verb", c.Verb),
                new XElement(Command + "noun", c.Noun),
                new XElement(Maml + "description", Paras(c.Synopsis))),
            new XElement(Maml + "description", Paras(c.Description)),
            new XElement(Command + "syntax", c.Syntax.Select(set => SyntaxItem(c, set))),
            new XElement(Command + "parameters", c.Parameters.Select(p => Parameter(p, p.Metadata[0], isSyntax: false))),
            new XElement(Command + "inputTypes", c.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", c.Outputs.Select(t => TypeElement("returnValue", t))),
            new XElement(Maml + "alertSet",
                new XElement(Maml + "alert", Paras(c.Notes))),
            new XElement(Command + "examples", c.Examples.Select(Example)),
            new XElement(Maml + "relatedLinks", Links(c)));

    private static XElement SyntaxItem(CommandHelp c, SyntaxSet set) =>
        new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", c.Name),
            c.ParametersOf(set.Name).Select(p => Parameter(p.Parameter, p.Metadata, isSyntax: true)));

    private static XElement Parameter(ParameterHelp p, ParameterMetadata m, bool isSyntax) =>
        new XElement(Command + "parameter",
            new XAttribute("required", m.Required ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", m.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", m.PipelineInput),
            new XAttribute("position", m.Position),
            new XAttribute("aliases", m.Aliases.Length > 0 ? string.Join(", ", m.Aliases) : "none"),
            new XElement(Maml + "name", p.Name),
            new XElement(Maml + "description", Paras(p.Description)),
            isSyntax && m.AcceptedValues.Length > 0
                ? new XElement(Command + "parameterValueGroup",
                    m.AcceptedValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v)))
                : null,
            // A switch shows no value in the syntax: [-PassThru], not [-PassThru <SwitchParameter>].
            isSyntax && m.IsSwitch
                ? null
                : new XElement(Command + "parameterValue",
                    new XAttribute("required", m.IsSwitch ? "false" : "true"),
                    new XAttribute("variableLength", "false"),
                    m.IsSwitch ? "SwitchParameter" : m.Type),
            new XElement(Dev + "type",
                new XElement(Maml + "name", m.IsSwitch ? "SwitchParameter" : m.Type),
                new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", m.IsSwitch && m.DefaultValue == "None" ? "False" : m.DefaultValue));

    private static XElement TypeElement(string name, TypeHelp t) =>
        new XElement(Command + name,
            new XElement(Dev + "type",
                new XElement(Maml + "name", t.TypeName)),
            new XElement(Maml + "description", Paras(t.Description)));

    private static XElement Example(ExampleHelp e) =>
        new XElement(Command + "example",
            new XElement(Maml + "title", PadTitle(e.Title)),
            new XElement(Dev + "code", string.Join("\n\n", e.Code.Select(b => b.Text))),
            // A trailing empty para puts a blank line between an example's remarks and the next title.
            new XElement(Dev + "remarks", Paras(e.Remarks.Concat(new[] { string.Empty }))));

    private static IEnumerable<XElement> Links(CommandHelp c)
    {
        if (c.OnlineVersion != null)
        {
            yield return Link("Online Version:", c.OnlineVersion);
        }

        foreach (LinkHelp link in c.Links)
        {
            // Get-Help dislikes a uri that is not one; a relative link (another page) keeps only its text.
            yield return Link(link.Text, Uri.TryCreate(link.Uri, UriKind.Absolute, out _) ? link.Uri : string.Empty);
        }
    }

    private static XElement Link(string text, string uri) =>
        new XElement(Maml + "navigationLink",
            new XElement(Maml + "linkText", text),
            new XElement(Maml + "uri", uri));

    private static IEnumerable<XElement> Paras(IEnumerable<string> lines) => lines.Select(l => new XElement(Maml + "para", l));

    /// <summary>platyPS centres example titles in dashes, 64 columns wide, as PowerShell's own help does.</summary>
    public static string PadTitle(string title)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Length >= 62)
        {
            return title;
        }

        string dashes = new string('-', (64 - title.Length - 2) / 2);
        return $"{dashes} {title} {dashes}";
    }
}
