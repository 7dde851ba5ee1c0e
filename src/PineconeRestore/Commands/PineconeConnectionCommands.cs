using System;
using System.Management.Automation;
using System.Security;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Sets the key, controller URL, timeout and retries the session's commands use. Sends no request.</summary>
    [Cmdlet(VerbsCommunications.Connect, "Pinecone")]
    [OutputType(typeof(PineconeConnection))]
    public sealed class ConnectPineconeCommand : PSCmdlet
    {
        [Parameter(Position = 0)]
        [SecureStringTransformation]
        public SecureString? ApiKey { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ControllerHost { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = ClientSettings.DefaultTimeoutSec;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = ClientSettings.DefaultMaxRetries;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            Uri? host = null;
            PineconeConnection connection;
            try
            {
                if (ControllerHost != null)
                {
                    host = Client.ControllerHost.Parse(ControllerHost);
                }

                SessionDefaults.Set(new SessionDefaults(ApiKey, host, TimeoutSec, MaxRetries));
                // What the session's commands will use, including a PINECONE_CONTROLLER_HOST that may itself be wrong.
                connection = ConnectionResolver.Describe(null, null, out _);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.FromException(ex, ConnectionResolver.ControllerHostShown(ControllerHost)));
                return;
            }

            WriteVerbose($"Commands in this session will use {connection.ControllerHost} with the API key from {connection.ApiKeySource}, {connection.TimeoutSec} s per request and {connection.MaxRetries} retries.");
            if (PassThru)
            {
                WriteObject(connection);
            }
        }
    }

    /// <summary>Forgets what Connect-Pinecone set; commands fall back to parameters and environment variables.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Pinecone")]
    [OutputType(typeof(void))]
    public sealed class DisconnectPineconeCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            WriteVerbose(SessionDefaults.Clear()
                ? "Cleared the Pinecone connection of this session."
                : "This session had no Pinecone connection to clear.");
        }
    }
}
