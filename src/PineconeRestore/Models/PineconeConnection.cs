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
            ControllerHost = controllerHost;
            ApiKeySource = apiKeySource;
            TimeoutSec = timeoutSec;
            MaxRetries = maxRetries;
        }

        public Uri ControllerHost { get; }

        public ApiKeySource ApiKeySource { get; }

        public int TimeoutSec { get; }

        public int MaxRetries { get; }

        public override string ToString() => ControllerHost.ToString();
    }
}
