using System;

namespace PineconeRestore.Client
{
    /// <summary>Everything one client needs to reach the control plane. Immutable.</summary>
    internal sealed class ClientSettings
    {
        public const string ApiVersion = "2025-04";
        public const int DefaultTimeoutSec = 30;
        public const int DefaultMaxRetries = 3;

        /// <summary>
        /// The largest body read: a page of 100 restore jobs is about 30 KB and a full index list a few hundred KB, so
        /// 4 MiB leaves a hundredfold margin while a runaway or hostile answer cannot fill memory.
        /// </summary>
        public const int DefaultMaxResponseBytes = 4 * 1024 * 1024;

        public ClientSettings(Uri controllerHost, ApiKey apiKey, string userAgent, TimeSpan timeout, int maxRetries)
        {
            ControllerHost = controllerHost;
            ApiKey = apiKey;
            UserAgent = userAgent;
            Timeout = timeout;
            MaxRetries = maxRetries;
        }

        /// <summary>
        /// The same key, version, timeout and retries for another base URL: an index's own data-plane host.
        /// </summary>
        public ClientSettings ForHost(Uri host) => new ClientSettings(host, ApiKey, UserAgent, Timeout, MaxRetries)
        {
            RetryBaseDelay = RetryBaseDelay,
            RetryMaxDelay = RetryMaxDelay,
            MaxResponseBytes = MaxResponseBytes,
        };

        /// <summary>Base URL, always ending with a slash.</summary>
        public Uri ControllerHost { get; }

        public ApiKey ApiKey { get; }

        public string UserAgent { get; }

        /// <summary>Time allowed for one attempt of one request.</summary>
        public TimeSpan Timeout { get; }

        public int MaxRetries { get; }

        /// <summary>The backoff's base delay: 0.5 s, 1 s, 2 s, ... (each with jitter) between attempts.</summary>
        public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromMilliseconds(500);

        /// <summary>
        /// TEST ONLY. When set, the backoff base of every client created from now on, in this process. The engine tests
        /// set it by reflection (they load the staged module and never compile against it) so that a fault campaign of
        /// thousands of retries takes seconds while the backoff itself stays in place. Deliberately not a parameter or
        /// an environment variable: nothing a user can type, and nothing an ops script could set to hammer the API.
        /// </summary>
        internal static TimeSpan? RetryBaseDelayForTests { get; set; }

        /// <summary>Base delay of the exponential backoff; tests of the policy shorten it.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = RetryBaseDelayForTests ?? DefaultRetryBaseDelay;

        /// <summary>The longest wait between attempts, whatever Retry-After asks.</summary>
        public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>A 2xx body longer than this is refused, and reading stops there; tests of the cap lower it.</summary>
        public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;
    }
}
