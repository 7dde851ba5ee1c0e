using System;

namespace PineconeRestore.Client
{
    /// <summary>Decides whether and when to try a request again.</summary>
    internal sealed class RetryPolicy
    {
        [ThreadStatic]
        private static Random? t_random;

        private readonly ClientSettings _settings;

        public RetryPolicy(ClientSettings settings)
        {
            _settings = settings;
        }

        /// <summary>Statuses that say "try again later" rather than "this request is wrong".</summary>
        public static bool IsTransientStatus(int statusCode) =>
            statusCode == 429 || statusCode == 500 || statusCode == 502 || statusCode == 503 || statusCode == 504;

        /// <summary>
        /// A request that is not retry-safe (a POST) is repeated only on 429, where the server turned it away before
        /// acting on it; a 5xx may come after the work was done.
        /// </summary>
        public bool ShouldRetryStatus(ApiRequest request, int statusCode, int retriesSoFar) =>
            retriesSoFar < _settings.MaxRetries
            && IsTransientStatus(statusCode)
            && (request.RetrySafe || statusCode == 429);

        /// <summary>A connection failure is retried when the request is safe to repeat or provably never left.</summary>
        public bool ShouldRetryConnectionFailure(ApiRequest request, bool neverReachedServer, int retriesSoFar) =>
            retriesSoFar < _settings.MaxRetries && (request.RetrySafe || neverReachedServer);

        /// <summary>Exponential backoff with jitter, unless the server said how long to wait; capped either way.</summary>
        public TimeSpan Delay(int retriesSoFar, TimeSpan? retryAfter)
        {
            TimeSpan delay;
            if (retryAfter.HasValue)
            {
                delay = retryAfter.Value < TimeSpan.Zero ? TimeSpan.Zero : retryAfter.Value;
            }
            else
            {
                double exponential = _settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, retriesSoFar);
                // "Equal jitter": half fixed, half random, so that many clients do not retry in step.
                Random random = t_random ??= new Random();
                delay = TimeSpan.FromMilliseconds((exponential / 2) + (random.NextDouble() * exponential / 2));
            }

            return delay > _settings.RetryMaxDelay ? _settings.RetryMaxDelay : delay;
        }
    }
}
