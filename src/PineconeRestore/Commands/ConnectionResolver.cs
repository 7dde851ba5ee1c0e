using System;
using System.Collections;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// Works out which key, controller URL, timeout and retry count a command uses:
    /// the command's parameters, then Connect-Pinecone's session defaults, then the environment, then the defaults.
    /// </summary>
    internal static class ConnectionResolver
    {
        public const string ApiKeyVariable = "PINECONE_API_KEY";
        public const string ControllerHostVariable = "PINECONE_CONTROLLER_HOST";

        private static string? s_userAgent;

        /// <summary>The effective connection, without the key. Throws <see cref="ArgumentException"/> for a bad URL.</summary>
        public static PineconeConnection Describe(SecureString? apiKeyParameter, string? controllerHostParameter, out ApiKey? apiKey)
        {
            SessionDefaults? session = SessionDefaults.Current;

            ApiKeySource source = ApiKeySource.None;
            apiKey = null;
            if (apiKeyParameter != null)
            {
                apiKey = new ApiKey(Reveal(apiKeyParameter));
                source = ApiKeySource.Parameter;
            }
            else if (session?.ApiKey != null)
            {
                apiKey = new ApiKey(Reveal(session.ApiKey));
                source = ApiKeySource.Session;
            }
            else
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(ApiKeyVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    apiKey = new ApiKey(fromEnvironment!);
                    source = ApiKeySource.Environment;
                }
            }

            Uri host;
            if (!string.IsNullOrWhiteSpace(controllerHostParameter))
            {
                host = ControllerHost.Parse(controllerHostParameter!);
            }
            else if (session?.ControllerHost != null)
            {
                host = session.ControllerHost;
            }
            else
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(ControllerHostVariable);
                host = string.IsNullOrWhiteSpace(fromEnvironment) ? ControllerHost.Default : ControllerHost.Parse(fromEnvironment!);
            }

            return new PineconeConnection(
                host,
                source,
                session?.TimeoutSec ?? ClientSettings.DefaultTimeoutSec,
                session?.MaxRetries ?? ClientSettings.DefaultMaxRetries);
        }

        /// <summary>
        /// The controller URL a bad-URL error is about, as its TargetObject: the parameter if given, else
        /// $env:PINECONE_CONTROLLER_HOST; user info (a password may sit there) hidden either way.
        /// </summary>
        public static string? ControllerHostShown(string? controllerHostParameter)
        {
            string? text = !string.IsNullOrWhiteSpace(controllerHostParameter) ? controllerHostParameter : Environment.GetEnvironmentVariable(ControllerHostVariable);
            return text == null ? null : ControllerHost.WithoutUserInfo(text);
        }

        /// <summary>The settings a client needs; null key means none was found anywhere.</summary>
        public static ClientSettings? Resolve(PSCmdlet cmdlet, SecureString? apiKeyParameter, string? controllerHostParameter)
        {
            PineconeConnection connection = Describe(apiKeyParameter, controllerHostParameter, out ApiKey? apiKey);
            if (apiKey == null)
            {
                return null;
            }

            return new ClientSettings(
                connection.ControllerUri,
                apiKey,
                UserAgent(cmdlet),
                TimeSpan.FromSeconds(connection.TimeoutSec),
                connection.MaxRetries);
        }

        /// <summary>
        /// The settings for a tab completion: the -ApiKey and -ControllerHost already typed (when given as literals or
        /// variables), else the session's; a short timeout and no retries, since someone waits at the prompt. Null when
        /// there is no key or the URL is bad.
        /// </summary>
        public static ClientSettings? ForCompletion(IDictionary? fakeBoundParameters, TimeSpan timeout)
        {
            SecureString? apiKey = null;
            object? key = Unwrap(fakeBoundParameters?["ApiKey"]);
            if (key is SecureString secure && secure.Length > 0)
            {
                apiKey = secure;
            }
            else if (key is string text && !string.IsNullOrWhiteSpace(text))
            {
                apiKey = SecureStringTransformationAttribute.ToSecureString(text);
            }

            string? host = Unwrap(fakeBoundParameters?["ControllerHost"]) as string;
            try
            {
                PineconeConnection connection = Describe(apiKey, host, out ApiKey? resolvedKey);
                return resolvedKey == null ? null : new ClientSettings(connection.ControllerUri, resolvedKey, s_userAgent ?? DefaultUserAgent, timeout, maxRetries: 0);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static string DefaultUserAgent => $"PineconeRestore/{ModuleVersion.ToString(3)}";

        private static Version ModuleVersion => typeof(ConnectionResolver).Assembly.GetName().Version ?? new Version(0, 0, 0);

        public static string Reveal(SecureString secure)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>"PineconeRestore/0.1.0 (PowerShell 7.6.0; Core)": the module, its version and the PowerShell version.</summary>
        private static string UserAgent(PSCmdlet cmdlet)
        {
            if (s_userAgent == null)
            {
                string psVersion = "unknown";
                string edition = "Desktop";
                if (cmdlet.SessionState.PSVariable.GetValue("PSVersionTable") is Hashtable table)
                {
                    psVersion = table["PSVersion"]?.ToString() ?? psVersion;
                    edition = table["PSEdition"]?.ToString() ?? edition;
                }

                s_userAgent = $"{DefaultUserAgent} (PowerShell {psVersion}; {edition})";
            }

            return s_userAgent;
        }
    }
}
