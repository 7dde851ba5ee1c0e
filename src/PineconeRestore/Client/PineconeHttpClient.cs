using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>A successful answer: status and body text.</summary>
    internal readonly struct ApiResponse
    {
        public ApiResponse(string method, Uri requestUri, int statusCode, string body)
        {
            Method = method;
            RequestUri = requestUri;
            StatusCode = statusCode;
            Body = body;
        }

        public string Method { get; }

        public int StatusCode { get; }

        public string Body { get; }

        public Uri RequestUri { get; }
    }

    /// <summary>
    /// Sends any request to the control plane with the API key, version and user agent headers, a per-attempt
    /// timeout and retries; returns the body of a 2xx answer and throws a <see cref="PineconeException"/> otherwise.
    /// </summary>
    internal sealed class PineconeHttpClient
    {
        // One HttpClient for the process: it is thread-safe and keeps connections alive across commands and runspaces.
        // Its own timeout is off; each attempt gets a token with the connection's timeout instead.
        private static readonly HttpClient s_http = CreateHttpClient();

        private readonly ClientSettings _settings;
        private readonly IRequestLog _log;
        private readonly RetryPolicy _retryPolicy;

        public PineconeHttpClient(ClientSettings settings, IRequestLog? log = null)
        {
            _settings = settings;
            _log = log ?? NullRequestLog.Instance;
            _retryPolicy = new RetryPolicy(settings);
        }

        public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
        {
            Uri uri = request.BuildUri(_settings.ControllerHost);
            string method = request.Method.Method;
            for (int retries = 0; ; retries++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stopwatch = Stopwatch.StartNew();
                HttpResponseMessage response;
                string body;
                using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    attempt.CancelAfter(_settings.Timeout);
                    try
                    {
                        using HttpRequestMessage message = BuildMessage(request, uri);
                        // ResponseContentRead buffers the body under the same token, so a stalled body times out too.
                        response = await s_http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attempt.Token).ConfigureAwait(false);
                        body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Not the caller's Ctrl+C: our own timeout. Not retried: the server may still be working on it.
                        _log.Write($"{method} {uri} timed out after {Seconds(_settings.Timeout, "0.#")} s");
                        throw new PineconeConnectionException(
                            $"{method} {uri} got no answer within {Seconds(_settings.Timeout, "0.#")} s (Connect-Pinecone -TimeoutSec sets the limit).",
                            uri,
                            timedOut: true);
                    }
                    catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        string reason = Describe(ex);
                        if (_retryPolicy.ShouldRetryConnectionFailure(request, NeverReachedServer(ex), retries))
                        {
                            TimeSpan wait = _retryPolicy.Delay(retries, null);
                            _log.Write($"Retry {retries + 1} of {_settings.MaxRetries} for {method} {uri} in {Seconds(wait, "0.0#")} s: {reason}");
                            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        throw new PineconeConnectionException($"{method} {uri} failed: {reason}", uri, timedOut: false, ex);
                    }
                }

                using (response)
                {
                    int status = (int)response.StatusCode;
                    _log.Write($"{method} {uri} -> {status} {response.ReasonPhrase} in {stopwatch.ElapsedMilliseconds} ms");
                    if (status >= 200 && status < 300)
                    {
                        return new ApiResponse(method, uri, status, body);
                    }

                    TimeSpan? retryAfter = ReadRetryAfter(response.Headers.RetryAfter);
                    // A proxy or a misbehaving server may echo the request's headers: the key must not reach a message.
                    body = body.Replace(_settings.ApiKey.Reveal(), "<redacted>");
                    PineconeApiException error = ApiErrorReader.Read(status, response.Content.Headers.ContentType?.MediaType, body, method, uri, retryAfter);
                    if (_retryPolicy.ShouldRetryStatus(request, status, retries))
                    {
                        TimeSpan wait = _retryPolicy.Delay(retries, retryAfter);
                        string hint = retryAfter.HasValue ? " as Retry-After asked" : string.Empty;
                        _log.Write($"Retry {retries + 1} of {_settings.MaxRetries} for {method} {uri} in {Seconds(wait, "0.0#")} s{hint}: HTTP {status} {error.ErrorCode}");
                        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    throw error;
                }
            }
        }

        private HttpRequestMessage BuildMessage(ApiRequest request, Uri uri)
        {
            var message = new HttpRequestMessage(request.Method, uri);
            message.Headers.TryAddWithoutValidation("Api-Key", _settings.ApiKey.Reveal());
            message.Headers.TryAddWithoutValidation("X-Pinecone-API-Version", ClientSettings.ApiVersion);
            message.Headers.TryAddWithoutValidation("User-Agent", _settings.UserAgent);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (request.JsonBody != null)
            {
                message.Content = new StringContent(request.JsonBody, Encoding.UTF8, "application/json");
            }

            return message;
        }

        private static TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? header)
        {
            if (header == null)
            {
                return null;
            }

            if (header.Delta.HasValue)
            {
                return header.Delta.Value;
            }

            if (header.Date.HasValue)
            {
                TimeSpan until = header.Date.Value - DateTimeOffset.UtcNow;
                return until > TimeSpan.Zero ? until : TimeSpan.Zero;
            }

            return null;
        }

        /// <summary>True when the failure proves the request never reached a server (refused, unresolvable host).</summary>
        private static bool NeverReachedServer(Exception exception)
        {
            for (Exception? inner = exception; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socket
                    && (socket.SocketErrorCode == SocketError.ConnectionRefused || socket.SocketErrorCode == SocketError.HostNotFound))
                {
                    return true;
                }
            }

            return false;
        }

        // Messages read the same in every culture ("1.5 s", never "1,5 s"): scripts and logs parse them.
        private static string Seconds(TimeSpan span, string format) => span.TotalSeconds.ToString(format, CultureInfo.InvariantCulture);

        private static string Describe(Exception exception)
        {
            // The innermost message names the cause ("Connection refused", "The response ended prematurely").
            Exception inner = exception;
            while (inner.InnerException != null)
            {
                inner = inner.InnerException;
            }

            // .NET often repeats the inner reason in the outer message ("Connection refused (127.0.0.1:9)"): say it once.
            return ReferenceEquals(inner, exception) || exception.Message.Contains(inner.Message) ? exception.Message : $"{exception.Message} ({inner.Message})";
        }

        private static HttpClient CreateHttpClient()
        {
            var handler = new HttpClientHandler
            {
                // A redirect would replay the Api-Key header to wherever it points; Pinecone does not redirect.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            return new HttpClient(handler, disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
                MaxResponseContentBufferSize = 64 * 1024 * 1024,
            };
        }
    }
}
