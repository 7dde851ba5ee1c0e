using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Security;

namespace PineconeRestore.Commands
{
    /// <summary>What Connect-Pinecone set for one PowerShell session (runspace). Disconnect-Pinecone clears it.</summary>
    internal sealed class SessionDefaults
    {
        // Keyed by runspace so that parallel runspaces in one process never share a key, and released with them.
        private static readonly ConditionalWeakTable<Runspace, SessionDefaults> s_byRunspace = new ConditionalWeakTable<Runspace, SessionDefaults>();

        public SessionDefaults(SecureString? apiKey, Uri? controllerHost, int timeoutSec, int maxRetries)
        {
            ApiKey = apiKey;
            ControllerHost = controllerHost;
            TimeoutSec = timeoutSec;
            MaxRetries = maxRetries;
        }

        public SecureString? ApiKey { get; }

        public Uri? ControllerHost { get; }

        public int TimeoutSec { get; }

        public int MaxRetries { get; }

        public static SessionDefaults? Current
        {
            get
            {
                Runspace? runspace = Runspace.DefaultRunspace;
                return runspace != null && s_byRunspace.TryGetValue(runspace, out SessionDefaults? defaults) ? defaults : null;
            }
        }

        public static void Set(SessionDefaults defaults)
        {
            Runspace runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("No PowerShell runspace on this thread.");
            s_byRunspace.Remove(runspace);
            s_byRunspace.Add(runspace, defaults);
        }

        public static bool Clear()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            return runspace != null && s_byRunspace.Remove(runspace);
        }
    }
}
