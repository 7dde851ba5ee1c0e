using System;

namespace PineconeRestore
{
    /// <summary>Where the API key of a connection came from.</summary>
    public enum ApiKeySource
    {
        None,
        Parameter,
        Session,
        Environment,
    }

    /// <summary>The connection a command uses. It never holds the API key itself, so it is safe to print.</summary>
    public sealed class PineconeConnection
    {
        public PineconeConnection(Uri controllerHost, ApiKeySource apiKeySource, int timeoutSec, int maxRetries)
        {
            ControllerUri = controllerHost;
            ApiKeySource = apiKeySource;
            TimeoutSec = timeoutSec;
            MaxRetries = maxRetries;
        }

        /// <summary>
        /// The controller's URL as text, the form -ControllerHost takes: a System.Uri would print as 22 properties
        /// when a user looks at $connection.ControllerHost.
        /// </summary>
        public string ControllerHost => ControllerUri.AbsoluteUri;

        public ApiKeySource ApiKeySource { get; }

        public int TimeoutSec { get; }

        public int MaxRetries { get; }

        /// <summary>The parsed URL, for the client.</summary>
        internal Uri ControllerUri { get; }

        public override string ToString() => ControllerHost;
    }
}
