using System.Xml.Linq;
using PineconeRestore.HelpCompiler;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// The help compiler on its own: the MAML and about text it makes from docs/en-US, and the build errors it gives for
/// malformed markdown. No PowerShell engine involved (HelpTests checks what Get-Help makes of the output).
/// </summary>
public sealed class HelpCompilerTests : IDisposable
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private readonly string _temp = Directory.CreateTempSubdirectory("helpcompiler-").FullName;

    private static string DocsFolder => Path.Combine(Repo.Root, "docs", "en-US");

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void CompilesTheDocsIntoMamlAndAboutText()
    {
        IReadOnlyList<string> written = Compiler.Compile(DocsFolder, _temp);

        Assert.Contains(written, p => Path.GetFileName(p) == "PineconeRestore.dll-Help.xml");
        Assert.Contains(written, p => Path.GetFileName(p) == "about_PineconeRestore.help.txt");
    }

    [Fact]
    public void MamlHasPlatyPSLayoutForEveryCommand()
    {
        Compiler.Compile(DocsFolder, _temp);
        XDocument doc = XDocument.Load(Path.Combine(_temp, "PineconeRestore.dll-Help.xml"));

        Assert.Equal("helpItems", doc.Root!.Name.LocalName);
        Assert.Equal("maml", (string?)doc.Root.Attribute("schema"));
        XElement[] commands = doc.Root.Elements(Command + "command").ToArray();
        // One command per cmdlet page, in file-name order.
        string[] pages = Directory.GetFiles(DocsFolder, "*.md").Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.StartsWith("about_", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Contains("Wait-PineconeRestoreJob", pages);
        Assert.Equal(pages, commands.Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value));

        foreach (XElement command in commands)
        {
            string[] order = command.Elements().Select(e => e.Name.LocalName).ToArray();
            Assert.Equal(new[] { "details", "description", "syntax", "parameters", "inputTypes", "returnValues", "alertSet", "examples", "relatedLinks" }, order);
            XElement details = command.Element(Command + "details")!;
            Assert.NotEmpty(details.Element(Command + "verb")!.Value);
            Assert.NotEmpty(details.Element(Command + "noun")!.Value);
            Assert.NotEmpty(details.Element(Maml + "description")!.Elements(Maml + "para"));
            Assert.NotEmpty(command.Element(Maml + "description")!.Elements(Maml + "para"));
            Assert.NotEmpty(command.Element(Command + "syntax")!.Elements(Command + "syntaxItem"));
            Assert.True(command.Element(Command + "examples")!.Elements(Command + "example").Count() >= 2);
            foreach (XElement example in command.Descendants(Command + "example"))
            {
                Assert.Contains("Example", example.Element(Maml + "title")!.Value);
                Assert.NotEmpty(example.Element(Dev + "code")!.Value);
                Assert.NotEmpty(example.Element(Dev + "remarks")!.Elements(Maml + "para"));
            }

            Assert.NotEmpty(command.Element(Maml + "alertSet")!.Element(Maml + "alert")!.Elements(Maml + "para"));
        }
    }

    [Fact]
    public void GetPineconeRestoreJobParametersCarryTheirMetadata()
    {
        Compiler.Compile(DocsFolder, _temp);
        XElement command = XDocument.Load(Path.Combine(_temp, "PineconeRestore.dll-Help.xml")).Root!
            .Elements(Command + "command").Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == "Get-PineconeRestoreJob");

        XElement id = command.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "RestoreJobId");
        Assert.Equal("true", (string?)id.Attribute("required"));
        Assert.Equal("0", (string?)id.Attribute("position"));
        Assert.Equal("True (ByPropertyName, ByValue)", (string?)id.Attribute("pipelineInput"));
        Assert.Equal("false", (string?)id.Attribute("globbing"));
        Assert.Equal("Id, JobId", (string?)id.Attribute("aliases"));
        Assert.Equal("String[]", id.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("None", id.Element(Dev + "defaultValue")!.Value);
        Assert.NotEmpty(id.Element(Maml + "description")!.Elements(Maml + "para"));

        XElement pageSize = command.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "PageSize");
        Assert.Equal("named", (string?)pageSize.Attribute("position"));
        Assert.Equal("Limit", (string?)pageSize.Attribute("aliases"));
        Assert.Equal("100", pageSize.Element(Dev + "defaultValue")!.Value);

        // One syntax item per set, the default (List) first, parameters in Get-Command -Syntax order.
        XElement[] items = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToArray();
        Assert.Equal(2, items.Length);
        Assert.Equal(
            new[] { "PageSize", "PaginationToken", "ApiKey", "ControllerHost", "IncludeTotalCount", "Skip", "First" },
            items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        Assert.Equal(
            new[] { "RestoreJobId", "ThrottleLimit", "ApiKey", "ControllerHost", "IncludeTotalCount", "Skip", "First" },
            items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));

        // A switch shows no value in the syntax, but keeps its type in the parameter list.
        XElement includeTotal = items[0].Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "IncludeTotalCount");
        Assert.Null(includeTotal.Element(Command + "parameterValue"));
        Assert.Equal("False", includeTotal.Element(Dev + "defaultValue")!.Value);
    }

    [Fact]
    public void AboutTopicIsPlatyPSText()
    {
        Compiler.Compile(DocsFolder, _temp);
        string[] lines = File.ReadAllLines(Path.Combine(_temp, "about_PineconeRestore.help.txt"));

        Assert.Equal("TOPIC", lines[0]);
        Assert.Equal("    about_pineconerestore", lines[1]);
        Assert.Contains("SHORT DESCRIPTION", lines);
        Assert.Contains("LONG DESCRIPTION", lines);
        // Prose is wrapped at 80 columns; code is left as written.
        var code = new HashSet<string>(MarkdownDocument.Load(Path.Combine(DocsFolder, "about_PineconeRestore.md")).Blocks
            .Where(b => b.Kind == MarkdownBlockKind.Code).SelectMany(b => b.Lines).Select(l => "    " + l));
        Assert.All(lines.Where(l => !code.Contains(l)), l => Assert.True(l.Length <= 80, $"line over 80 columns: {l}"));
        Assert.DoesNotContain(lines, l => l.StartsWith('#'));
    }

    [Fact]
    public void InlineMarkupIsFlattenedOutsideCodeSpans()
    {
        Assert.Equal("see about_X (https://example.org/x) now", HelpText.Inline("see [about_X](https://example.org/x) **now**"));
        Assert.Equal("`$_.Exception.ErrorCode` and `**kept**`", HelpText.Inline("`$_.Exception.ErrorCode` and `**kept**`"));
        Assert.Equal(new[] { "one two", "", "- a", "- b" }, HelpText.ToLines(new[] { "one", "two", "", "- a", "- b" }));
    }

    public static TheoryData<string, string, string, string> Malformed => new()
    {
        // name of the case, text to replace, replacement, what the message must say
        { "unknown section", "## NOTES\n", "## NOTE_GONE\n", "[NOTE_GONE] unknown section" },
        { "required section absent", "## INPUTS\n\n### None\nYou cannot pipe objects to this cmdlet.\n\n", "", "[INPUTS] the required section '## INPUTS' is missing" },
        { "parameter without yaml", "```yaml\nType: Int32\nParameter Sets: (All)\nAliases:\n\nRequired: False\nPosition: Named\nDefault value: 3\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n", "", "[PARAMETERS > -MaxRetries] the parameter has no ```yaml block" },
        { "yaml key missing", "Default value: 30\n", "", "[PARAMETERS > -TimeoutSec] yaml: 'Default value:' is missing" },
        { "unknown yaml key", "Default value: 30\n", "Default value: 30\nColour: blue\n", "[PARAMETERS > -TimeoutSec] yaml: unknown key 'Colour'" },
        { "bad position", "Position: 0\n", "Position: first\n", "'Position:' must be a number or Named" },
        { "bad pipeline input", "Default value: 30\nAccept pipeline input: False", "Default value: 30\nAccept pipeline input: Sometimes", "[PARAMETERS > -TimeoutSec] yaml: 'Accept pipeline input:'" },
        { "empty synopsis", "Sets the API key, controller URL, timeout and retries that PineconeRestore commands use in this session.\n", "", "[SYNOPSIS] the section is empty" },
        { "unclosed fence", "## RELATED LINKS\n", "## RELATED LINKS\n```\n", "never closed" },
        { "syntax drift", " [-PassThru] [<CommonParameters>]", " [<CommonParameters>]", "[SYNTAX > __AllParameterSets] the syntax and the PARAMETERS yaml disagree: in the yaml only: -PassThru" },
        { "example without code", "```powershell\nDisconnect-Pinecone -Verbose\n```\n", "", "has no code block" },
        { "placeholder", "## NOTES\n", "## NOTES\n{{ Fill in the Notes }}\n", "placeholder" },
        { "bad link", "[Disconnect-Pinecone](Disconnect-Pinecone.md)", "Disconnect-Pinecone", "[RELATED LINKS] expected one '[text](url)' per line" },
        { "title mismatch", "# Connect-Pinecone\n", "# Connect-Pine\n", "[title] the title '# Connect-Pine' does not match" },
        { "no front matter", "schema: 2.0.0\n", "schema: 1.0.0\n", "[front matter] 'schema: 2.0.0' is required" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedMarkdownFailsNamingFileAndSection(string @case, string find, string replace, string expected)
    {
        string docs = CopyDocs();
        string page = Path.Combine(docs, @case.Contains("example") ? "Disconnect-Pinecone.md" : "Connect-Pinecone.md");
        string text = File.ReadAllText(page).Replace("\r\n", "\n");
        Assert.Contains(find, text);
        File.WriteAllText(page, ReplaceFirst(text, find, replace));

        HelpSchemaException ex = Assert.Throws<HelpSchemaException>(() => Compiler.Compile(docs, Path.Combine(_temp, "out")));

        Assert.Contains(expected, ex.Message);
        Assert.StartsWith(page + "(", ex.Message);
        Assert.Contains("error HELP001", ex.Message);
        Assert.False(File.Exists(Path.Combine(_temp, "out", "PineconeRestore.dll-Help.xml")), "nothing is written when a page is malformed");
    }

    [Fact]
    public void UnknownParameterSetFails()
    {
        string docs = CopyDocs();
        string page = Path.Combine(docs, "Get-PineconeRestoreJob.md");
        File.WriteAllText(page, File.ReadAllText(page).Replace("Parameter Sets: List\nAliases: Limit", "Parameter Sets: Lsit\nAliases: Limit"));

        HelpSchemaException ex = Assert.Throws<HelpSchemaException>(() => Compiler.Compile(docs, Path.Combine(_temp, "out")));

        Assert.Contains("[PARAMETERS > -PageSize] yaml: parameter set 'Lsit' is not one of SYNTAX's (List, Id)", ex.Message);
    }

    [Fact]
    public void MainExitsNonZeroWithTheMessageOnStandardError()
    {
        string docs = CopyDocs();
        string page = Path.Combine(docs, "Disconnect-Pinecone.md");
        File.WriteAllText(page, File.ReadAllText(page).Replace("## OUTPUTS", "## OUTPUT"));
        TextWriter original = Console.Error;
        var error = new StringWriter();
        int code;
        Console.SetError(error);
        try
        {
            code = Compiler.Run(new[] { docs, Path.Combine(_temp, "out") });
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, code);
        Assert.Contains("Disconnect-Pinecone.md(", error.ToString());
        Assert.Contains("[OUTPUT] unknown section '## OUTPUT'", error.ToString());
        Assert.Equal(2, Compiler.Run(Array.Empty<string>()));
    }

    private string CopyDocs()
    {
        string target = Path.Combine(_temp, "docs");
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(DocsFolder, "*.md"))
        {
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), File.ReadAllText(file).Replace("\r\n", "\n"));
        }

        return target;
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        int index = text.IndexOf(find, StringComparison.Ordinal);
        return text.Substring(0, index) + replace + text.Substring(index + find.Length);
    }
}
