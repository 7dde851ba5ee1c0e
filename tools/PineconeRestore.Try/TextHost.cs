using System.Globalization;
using System.Text.RegularExpressions;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace PineconeRestore.Hosting;

/// <summary>
/// A minimal PowerShell host that writes what Out-Default renders (tables, errors, verbose) to a TextWriter, so the
/// in-process engine prints like a console. Non-interactive: prompts fail instead of waiting.
/// </summary>
public sealed class TextHost : PSHost
{
    private readonly TextHostUserInterface _ui;

    /// <param name="writer">Where the text goes.</param>
    /// <param name="plainText">Strip colour escapes, for a file or a pipe.</param>
    /// <param name="width">The width tables are laid out for.</param>
    public TextHost(TextWriter writer, bool plainText, int width = 120)
    {
        _ui = new TextHostUserInterface(writer, plainText, width);
    }

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "PineconeRestore.TextHost";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new Version(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class TextHostUserInterface : PSHostUserInterface
    {
        private static readonly Regex s_escapes = new Regex(@"\x1b\[[0-9;]*[A-Za-z]", RegexOptions.Compiled);

        private readonly TextWriter _writer;
        private readonly bool _plainText;
        private readonly TextRawUserInterface _raw;

        public TextHostUserInterface(TextWriter writer, bool plainText, int width)
        {
            _writer = writer;
            _plainText = plainText;
            _raw = new TextRawUserInterface(width);
        }

        public override PSHostRawUserInterface RawUI => _raw;

        public override bool SupportsVirtualTerminal => !_plainText;

        public override void Write(string value) => _writer.Write(Clean(value));

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _writer.Write(Clean(value));

        public override void WriteLine(string value) => _writer.WriteLine(Clean(value));

        public override void WriteErrorLine(string value) => _writer.WriteLine(Clean(value));

        public override void WriteDebugLine(string message) => _writer.WriteLine("DEBUG: " + Clean(message));

        public override void WriteVerboseLine(string message) => _writer.WriteLine("VERBOSE: " + Clean(message));

        public override void WriteWarningLine(string message) => _writer.WriteLine("WARNING: " + Clean(message));

        private string Clean(string value) => _plainText ? s_escapes.Replace(value, string.Empty) : value;

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("This host does not prompt.");

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("This host does not prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("This host does not prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("This host does not prompt.");

        public override string ReadLine() => throw new NotSupportedException("This host does not read input.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("This host does not read input.");
    }

    private sealed class TextRawUserInterface : PSHostRawUserInterface
    {
        private readonly int _width;

        public TextRawUserInterface(int width)
        {
            _width = width;
        }

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Size BufferSize { get => new Size(_width, 9999); set { } }

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new Size(_width, 100);

        public override Size MaxWindowSize => new Size(_width, 100);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get => new Size(_width, 100); set { } }

        public override string WindowTitle { get; set; } = string.Empty;

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
    }
}
