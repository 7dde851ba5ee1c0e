using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using PineconeRestore.Emulator;
using PineconeRestore.HelpCompiler;
using PineconeRestore.Hosting;
using Xunit.Abstractions;
using ParameterMetadata = System.Management.Automation.ParameterMetadata;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// The help tests run alone: the Connect-Pinecone example reads $env:PINECONE_API_KEY, which these tests may set for
/// the length of one example, and no other test should see that.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HelpCollection : ICollectionFixture<HelpEmulatorFixture>
{
    public const string Name = "Help";
}

/// <summary>
/// One in-process emulator for every example. Its running sample jobs finish once described, as real restores do
/// sooner or later, so an example that waits for them ends.
/// </summary>
public sealed class HelpEmulatorFixture : IAsyncLifetime
{
    private static readonly string[] FinishedStatuses = { "Completed", "Failed", "Cancelled", "Canceled" };

    private JobProgression? _progression;

    public PineconeEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Backups and restores made by the examples are ready at once, so an example that waits for one ends.
        Emulator = await PineconeEmulator.StartAsync(new EmulatorOptions { BackupReadyAfter = TimeSpan.Zero, RestoreCompleteAfter = TimeSpan.Zero });
        _progression = new JobProgression(Emulator.State);
        foreach (EmulatedRestoreJob job in Emulator.State.RestoreJobs.Where(j => !FinishedStatuses.Contains(j.Status, StringComparer.OrdinalIgnoreCase)))
        {
            EmulatedRestoreJob done = job.Clone();
            done.Status = "Completed";
            done.PercentComplete = 100;
            done.CompletedAt = Emulator.State.Clock.Now;
            done.ProgressPerMinute = null;
            _progression.After(job.RestoreJobId, 1, done);
        }
    }

    public async Task DisposeAsync()
    {
        _progression?.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>
/// "Get-Help that answers": what the real PowerShell 7.6 engine makes of the staged module's help, checked against
/// the markdown in docs/en-US and against the cmdlets' own metadata; and every example run as written.
/// </summary>
[Collection(HelpCollection.Name)]
public sealed class HelpTests
{
    /// <summary>
    /// Commands an example may use although the hosted engine (System.Management.Automation alone, without the
    /// Microsoft.PowerShell.Utility module) lacks them. Each is replaced, for the example's run, by a function that
    /// passes its pipeline input through; every entry must say why that keeps the example honest.
    /// </summary>
    private static readonly Dictionary<string, string> PassthroughStubs = new(StringComparer.OrdinalIgnoreCase)
    {
        // Format-Table only lays objects out for the screen: it neither filters nor changes them, so the example's
        // commands, requests and errors are the same with a passthrough in its place.
        ["Format-Table"] = "Format-Table only formats what it receives for display",
    };

    private const string ApiKeyVariable = "PINECONE_API_KEY";

    private readonly PineconeEmulator _emulator;
    private readonly ITestOutputHelper _output;

    public HelpTests(HelpEmulatorFixture fixture, ITestOutputHelper output)
    {
        _emulator = fixture.Emulator;
        _output = output;
    }

    [Fact]
    public void EveryExportedCmdletHasTheWrittenHelp()
    {
        using Runspace runspace = OpenRunspace();
        var problems = new List<string>();
        string[] cmdlets = ExportedCmdlets(runspace);
        Assert.NotEmpty(cmdlets);

        foreach (string name in cmdlets)
        {
            string page = Path.Combine(Repo.Docs, name + ".md");
            if (!File.Exists(page))
            {
                problems.Add($"{name}: no docs/en-US/{name}.md");
                continue;
            }

            CommandHelp written = CommandHelp.Load(page);
            PSObject help = Invoke(runspace, "Get-Help -Name $args[0] -Full", name).Single();

            string synopsis = Normalize(Property(help, "Synopsis")?.ToString());
            if (synopsis != Normalize(string.Join(" ", written.Synopsis)))
            {
                problems.Add($"{name}: Get-Help's synopsis is '{synopsis}', not the page's");
            }

            string description = Normalize(string.Join(" ", Items(Property(help, "description")).Select(p => Property(p, "Text"))));
            if (description != Normalize(string.Join(" ", written.Description)))
            {
                problems.Add($"{name}: Get-Help's description is '{Truncate(description)}', not the page's");
            }

            int examples = Items(Property(Property(help, "examples"), "example")).Count();
            if (examples < 2)
            {
                problems.Add($"{name}: Get-Help shows {examples} example(s); at least 2 are needed");
            }

            var documented = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (PSObject parameter in Items(Property(Property(help, "parameters"), "parameter")))
            {
                string parameterName = Property(parameter, "name")?.ToString() ?? "?";
                documented.Add(parameterName);
                string text = Normalize(string.Join(" ", Items(Property(parameter, "description")).Select(p => Property(p, "Text"))));
                if (text.Length == 0)
                {
                    problems.Add($"{name} -{parameterName}: Get-Help shows no description");
                }
            }

            foreach (string parameterName in OwnParameters(Command(runspace, name)).Select(p => p.Name))
            {
                if (!documented.Contains(parameterName))
                {
                    problems.Add($"{name} -{parameterName}: missing from Get-Help's parameters");
                }
            }
        }

        Assert.True(problems.Count == 0, "Help that does not answer:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void ParameterMetadataMatchesTheMarkdownBothWays()
    {
        using Runspace runspace = OpenRunspace();
        var problems = new List<string>();
        foreach (string name in ExportedCmdlets(runspace))
        {
            CmdletInfo cmdlet = Command(runspace, name);
            string[] sets = cmdlet.ParameterSets.Select(s => s.Name).ToArray();
            var actual = new SortedSet<string>(StringComparer.Ordinal);
            foreach (ParameterMetadata parameter in OwnParameters(cmdlet))
            {
                foreach (KeyValuePair<string, ParameterSetMetadata> pair in parameter.ParameterSets)
                {
                    ParameterSetMetadata m = pair.Value;
                    string pipeline = (m.ValueFromPipeline, m.ValueFromPipelineByPropertyName) switch
                    {
                        (true, true) => "True (ByPropertyName, ByValue)",
                        (true, false) => "True (ByValue)",
                        (false, true) => "True (ByPropertyName)",
                        _ => "False",
                    };
                    string position = m.Position == int.MinValue ? "Named" : m.Position.ToString();
                    foreach (string set in pair.Key == ParameterAttribute.AllParameterSets ? sets : new[] { pair.Key })
                    {
                        actual.Add(Describe(parameter.Name, set, parameter.ParameterType.Name, m.IsMandatory, position, pipeline, parameter.Aliases));
                    }
                }
            }

            CommandHelp written = CommandHelp.Load(Path.Combine(Repo.Docs, name + ".md"));
            var documented = new SortedSet<string>(StringComparer.Ordinal);
            foreach (ParameterHelp parameter in written.Parameters)
            {
                foreach (HelpCompiler.ParameterMetadata m in parameter.Metadata)
                {
                    IEnumerable<string> inSets = m.ParameterSets.Contains(CommandHelp.AllParameterSets) ? written.SetNames : m.ParameterSets;
                    foreach (string set in inSets)
                    {
                        string position = m.Position == "named" ? "Named" : m.Position;
                        documented.Add(Describe(parameter.Name, set, m.Type, m.Required, position, m.PipelineInput, m.Aliases));
                    }
                }
            }

            problems.AddRange(actual.Except(documented).Select(a => $"{name}: the cmdlet has   {a}"));
            problems.AddRange(documented.Except(actual).Select(d => $"{name}: the markdown has {d}"));

            string[] writtenSets = written.SetNames.ToArray();
            if (!writtenSets.OrderBy(s => s).SequenceEqual(sets.OrderBy(s => s), StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{name}: parameter sets are {string.Join(", ", sets)} but SYNTAX has {string.Join(", ", writtenSets)}");
            }
        }

        Assert.True(problems.Count == 0, "Parameter drift between the cmdlets and docs/en-US:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void SyntaxBlocksAreWhatGetCommandPrints()
    {
        using Runspace runspace = OpenRunspace();
        var problems = new List<string>();
        foreach (string name in ExportedCmdlets(runspace))
        {
            CmdletInfo cmdlet = Command(runspace, name);
            CommandHelp written = CommandHelp.Load(Path.Combine(Repo.Docs, name + ".md"));
            foreach (CommandParameterSetInfo set in cmdlet.ParameterSets)
            {
                SyntaxSet? block = written.Syntax.FirstOrDefault(s => string.Equals(s.Name, set.Name, StringComparison.OrdinalIgnoreCase));
                string expected = Normalize(name + " " + set);
                if (block == null)
                {
                    problems.Add($"{name}: SYNTAX has no '### {set.Name}'; Get-Command prints: {expected}");
                }
                else if (Normalize(block.Text) != expected)
                {
                    problems.Add($"{name} ({set.Name}): SYNTAX says\n    {Normalize(block.Text)}\n  Get-Command prints\n    {expected}");
                }

                if (cmdlet.ParameterSets.Count > 1 && set.IsDefault != (block?.IsDefault ?? false))
                {
                    problems.Add($"{name}: '### {set.Name}' must {(set.IsDefault ? string.Empty : "not ")}be marked (Default)");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void AboutTopicIsFound()
    {
        using Runspace runspace = OpenRunspace();
        string text = string.Join("\n", Invoke(runspace, "Get-Help about_PineconeRestore").Select(o => o.ToString()));

        Assert.Contains("about_pineconerestore", text);
        Assert.Contains("SHORT DESCRIPTION", text);
        Assert.Contains("PINECONE_API_KEY", text);
        Assert.Contains("NOT_FOUND", text);
        Assert.Contains("emulator", text);
    }

    [Fact]
    public void GetHelpExamplesRendersInTheEngine()
    {
        var text = new StringWriter();
        using Runspace runspace = OpenRunspace(new TextHost(text, plainText: true, width: 120));
        Invoke(runspace, "Get-Help Get-PineconeRestoreJob -Examples | Out-Default");
        _output.WriteLine(text.ToString());

        Assert.Contains("Example 1: List every restore job", text.ToString());
        Assert.Contains("Get-PineconeRestoreJob | Where-Object Status -eq Completed", text.ToString());
        Assert.Contains("$_.Exception.ErrorCode -eq 'NOT_FOUND'", text.ToString());
    }

    public static IEnumerable<object[]> Examples()
    {
        foreach (string page in Directory.GetFiles(Repo.Docs, "*.md").Where(p => !Path.GetFileName(p).StartsWith("about_", StringComparison.OrdinalIgnoreCase)).OrderBy(p => p))
        {
            foreach (ExampleHelp example in CommandHelp.Load(page).Examples)
            {
                yield return new object[] { Path.GetFileName(page), example.Title };
            }
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleRunsAsWrittenAgainstTheEmulator(string page, string title)
    {
        ExampleHelp example = CommandHelp.Load(Path.Combine(Repo.Docs, page)).Examples.Single(e => e.Title == title);
        string script = string.Join("\n\n", example.Code.Where(c => c.Language.Length == 0 || c.Language.Equals("powershell", StringComparison.OrdinalIgnoreCase)).Select(c => c.Text));
        Assert.False(string.IsNullOrWhiteSpace(script), $"{page} '{title}' has no PowerShell code block");

        ScriptBlockAst ast = Parser.ParseInput(script, out _, out ParseError[] parseErrors);
        Assert.True(parseErrors.Length == 0, $"{page} '{title}' does not parse: {string.Join("; ", parseErrors.Select(e => e.Message))}");

        using Runspace runspace = OpenRunspace();
        Invoke(runspace, "Connect-Pinecone -ApiKey $args[0] -ControllerHost $args[1]", _emulator.ApiKey, _emulator.BaseUrl.ToString());
        // Waits poll faster than their 10 s default here; what an example does and writes stays the same.
        Invoke(runspace, "foreach ($c in 'Wait-PineconeRestoreJob', 'New-PineconeBackup', 'Restore-PineconeBackup', 'Test-PineconeBackup') { $global:PSDefaultParameterValues[\"${c}:PollingIntervalSeconds\"] = 0.1 }");

        var missing = new List<string>();
        foreach (string command in ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>()
                     .Select(c => c.GetCommandName()).Where(n => n != null).Distinct(StringComparer.OrdinalIgnoreCase)!)
        {
            if (Invoke(runspace, "Get-Command -Name $args[0] -ErrorAction SilentlyContinue", command).Count > 0)
            {
                continue;
            }

            if (!PassthroughStubs.TryGetValue(command, out string? why))
            {
                missing.Add(command);
                continue;
            }

            Invoke(runspace, $"function global:{command} {{ [CmdletBinding(PositionalBinding = $false)] param([Parameter(ValueFromPipeline)] $InputObject, [Parameter(ValueFromRemainingArguments)] $Rest) process {{ $InputObject }} }}");
            _output.WriteLine($"{page} '{title}': {command} is not in the hosted engine; ran with a passthrough stub in its place ({why}).");
        }

        Assert.True(missing.Count == 0, $"{page} '{title}' uses {string.Join(", ", missing)}, which the hosted PowerShell engine does not have. Use core cmdlets, or add the command to {nameof(PassthroughStubs)} with the reason a passthrough keeps the example honest.");

        // The Connect-Pinecone example reads the key from the environment: give it the emulator's key when there is
        // none (never overwrite a real one; Connect-Pinecone sends no request, so any key runs the example).
        bool setKey = script.Contains("$env:" + ApiKeyVariable, StringComparison.OrdinalIgnoreCase) && Environment.GetEnvironmentVariable(ApiKeyVariable) == null;
        if (setKey)
        {
            Environment.SetEnvironmentVariable(ApiKeyVariable, _emulator.ApiKey);
        }

        try
        {
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            List<PSObject> results;
            try
            {
                results = ps.Invoke().ToList();
            }
            catch (RuntimeException ex)
            {
                throw new Xunit.Sdk.XunitException($"{page} '{title}' stopped with a terminating error: {ex.ErrorRecord?.FullyQualifiedErrorId}: {ex.Message}");
            }

            // The error stream, and HadErrors, not $Error: PowerShell records in $Error (and sets HadErrors for) even
            // the errors a try/catch handles, and the error-handling example exists to handle one. So an example
            // with a try statement must only leave the error stream empty; any other must not have had an error.
            Assert.True(ps.Streams.Error.Count == 0, $"{page} '{title}' wrote errors: {string.Join("; ", ps.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e))}");
            bool handlesErrors = ast.Find(a => a is TryStatementAst, searchNestedScriptBlocks: true) != null;
            Assert.True(handlesErrors || !ps.HadErrors, $"{page} '{title}' had errors");
            _output.WriteLine($"{page} '{title}': {results.Count} object(s): {string.Join(", ", results.Take(5).Select(r => r?.ToString()))}");
        }
        finally
        {
            if (setKey)
            {
                Environment.SetEnvironmentVariable(ApiKeyVariable, null);
            }
        }
    }

    private static Runspace OpenRunspace(PSHost? host = null)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        Runspace runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        Invoke(runspace, "Import-Module -Name $args[0] -ErrorAction Stop", Repo.Manifest);
        return runspace;
    }

    private static List<PSObject> Invoke(Runspace runspace, string script, params object[] args)
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        foreach (object arg in args)
        {
            ps.AddArgument(arg);
        }

        List<PSObject> results = ps.Invoke().ToList();
        if (ps.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException($"'{script}' failed: {string.Join("; ", ps.Streams.Error)}");
        }

        return results;
    }

    private static string[] ExportedCmdlets(Runspace runspace) =>
        Invoke(runspace, "(Get-Module PineconeRestore).ExportedCmdlets.Keys").Select(o => o.ToString()).OrderBy(n => n).ToArray();

    private static CmdletInfo Command(Runspace runspace, string name) =>
        (CmdletInfo)Invoke(runspace, "Get-Command -Name $args[0] -CommandType Cmdlet", name).Single().BaseObject;

    /// <summary>
    /// The cmdlet's parameters less the common ones. Those of SupportsPaging stay, and so do -WhatIf and -Confirm of
    /// SupportsShouldProcess: platyPS documents them as parameters, since they are what a user of a changing cmdlet reads.
    /// </summary>
    private static IEnumerable<ParameterMetadata> OwnParameters(CmdletInfo cmdlet) =>
        cmdlet.Parameters.Values.Where(p => !PSCmdlet.CommonParameters.Contains(p.Name)
                                            && (!PSCmdlet.OptionalCommonParameters.Contains(p.Name) || p.Name == "WhatIf" || p.Name == "Confirm"));

    private static string Describe(string name, string set, string type, bool required, string position, string pipeline, IEnumerable<string> aliases) =>
        $"-{name} in {set}: Type {type}; Required {required}; Position {position}; Pipeline {pipeline}; Aliases {string.Join(",", aliases.OrderBy(a => a, StringComparer.OrdinalIgnoreCase))}";

    private static object? Property(object? target, string name) =>
        target is PSObject o ? o.Properties[name]?.Value : target == null ? null : PSObject.AsPSObject(target).Properties[name]?.Value;

    private static IEnumerable<PSObject> Items(object? value)
    {
        if (value == null)
        {
            yield break;
        }

        IEnumerable? items = LanguagePrimitives.GetEnumerable(value is PSObject p ? p.BaseObject : value);
        if (items == null)
        {
            yield return PSObject.AsPSObject(value);
            yield break;
        }

        foreach (object? item in items)
        {
            if (item != null)
            {
                yield return PSObject.AsPSObject(item);
            }
        }
    }

    private static string Normalize(string? text) => Regex.Replace(text ?? string.Empty, @"\s+", " ").Trim();

    private static string Truncate(string text) => text.Length > 120 ? text.Substring(0, 120) + "..." : text;
}
