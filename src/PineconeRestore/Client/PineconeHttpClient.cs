using System;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>
    /// A successful answer as the reader passed to <see cref="PineconeHttpClient.SendAsync{T}"/> sees it. The body
    /// lives in a pooled buffer: valid only during that call, never to be kept.
    /// </summary>
    internal readonly struct ApiResponse
    {
        public ApiResponse(string method, Uri requestUri, int statusCode, string? mediaType, string? charset, ReadOnlyMemory<byte> body)
        {
            Method = method;
            RequestUri = requestUri;
            StatusCode = statusCode;
            MediaType = mediaType;
            Charset = charset;
            Body = body;
        }

        public string Method { get; }

        public Uri RequestUri { get; }

        public int StatusCode { get; }

        /// <summary>The Content-Type's media type ("application/json"), null when none was sent.</summary>
        public string? MediaType { get; }

        /// <summary>The Content-Type's charset parameter as sent, null when none.</summary>
        public string? Charset { get; }

        /// <summary>The body's bytes, as received.</summary>
        public ReadOnlyMemory<byte> Body { get; }

        /// <summary>The body decoded as UTF-8, for tests and messages (the readers never need it).</summary>
        public string Text => MemoryMarshal.TryGetArray(Body, out ArraySegment<byte> segment)
            ? Encoding.UTF8.GetString(segment.Array!, segment.Offset, segment.Count)
            : Encoding.UTF8.GetString(Body.ToArray());

        /// <summary>An InvalidResponse error for this answer: "Pinecone answered GET ... with HTTP 200, but {what}."</summary>
        public PineconeInvalidResponseException Invalid(string what, Exception? innerException = null) =>
            new PineconeInvalidResponseException(
                string.Format(CultureInfo.InvariantCulture, "Pinecone answered {0} {1} with HTTP {2}, but {3}.", Method, RequestUri.AbsoluteUri, StatusCode, what),
                RequestUri,
                innerException);
    }

    /// <summary>
    /// Sends any request to the control plane with the API key, version and user agent headers, a per-attempt
    /// timeout and retries; hands the body of a 2xx answer to a reader and throws a <see cref="PineconeException"/>
    /// otherwise.
    /// </summary>
    internal sealed class PineconeHttpClient
    {
        /// <summary>An error body is only read for its message; beyond this it is cut, not refused.</summary>
        internal const int MaxErrorBodyBytes = 64 * 1024;

        // One HttpClient for the process: it is thread-safe and keeps connections alive across commands and runspaces.
        // Its own timeout is off; each attempt gets a token with the connection's timeout instead.
        private static readonly HttpClient s_http = new HttpClient(CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        private static readonly Func<ApiResponse, bool> s_ignoreBody = _ => true;
        private static readonly Action<object?> s_disposeResponse = response => ((HttpResponseMessage)response!).Dispose();

        private readonly ClientSettings _settings;
        private readonly IRequestLog _log;
        private readonly RetryPolicy _retryPolicy;

        public PineconeHttpClient(ClientSettings settings, IRequestLog? log = null)
        {
            _settings = settings;
            _log = log ?? NullRequestLog.Instance;
            _retryPolicy = new RetryPolicy(settings);
        }

        /// <summary>A client for another host (an index's data plane) with this one's settings, headers and log.</summary>
        public PineconeHttpClient ForHost(Uri host) => new PineconeHttpClient(_settings.ForHost(host), _log);

        /// <summary>The control-plane URL this client sends to; an index host is vetted against it.</summary>
        internal Uri BaseUrl => _settings.ControllerHost;

        /// <summary>Where this client tells what it does; paging writes there too.</summary>
        internal IRequestLog Log => _log;

        /// <summary>Sends the request; a 2xx answer's body, if any, is not read as JSON (DELETE answers 202 with none).</summary>
        public Task SendAsync(ApiRequest request, CancellationToken cancellationToken) => SendAsync(request, s_ignoreBody, cancellationToken);

        /// <summary>
        /// Sends the request and returns what <paramref name="read"/> makes of the 2xx answer, e.g.
        /// <c>SomeModel.One</c> or <c>SomeModel.Page</c> (<see cref="JsonModel{T}"/>). The body is read whole, up to
        /// <see cref="ClientSettings.MaxResponseBytes"/>, under the attempt's timeout, then parsed from its UTF-8 bytes;
        /// a GET whose body was cut off is sent again. Anything <paramref name="read"/> throws that is not a
        /// <see cref="PineconeException"/> becomes a <see cref="PineconeInvalidResponseException"/>.
        /// </summary>
        public async Task<T> SendAsync<T>(ApiRequest request, Func<ApiResponse, T> read, CancellationToken cancellationToken)
        {
            Uri uri = BuildUri(request);
            string method = request.Method.Method;
            bool reachedServer = false;
            for (int retries = 0; ; retries++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string why;
                TimeSpan? retryAfter = null;
                using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    attempt.CancelAfter(_settings.Timeout);
                    try
                    {
                        return await AttemptAsync(request, uri, read, attempt.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Not the caller's Ctrl+C: our own timeout. The server may still be working on it, so only a
                        // request that is safe to repeat (a GET, a DELETE) is sent again; a POST never twice.
                        reachedServer = true;
                        string seconds = _settings.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                        why = $"no answer within {seconds} s";
                        if (!_retryPolicy.ShouldRetryConnectionFailure(request, neverReachedServer: false, retries))
                        {
                            _log.Write($"{method} {uri.AbsoluteUri} timed out after {seconds} s");
                            throw new PineconeConnectionException(
                                $"{method} {uri.AbsoluteUri} got no answer within {seconds} s (Connect-Pinecone -TimeoutSec sets the limit).",
                                uri,
                                timedOut: true);
                        }
                    }
                    catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        bool neverReached = NeverReachedServer(ex);
                        reachedServer |= !neverReached;
                        if (!neverReached)
                        {
                            request.NoteAttemptMayHaveActed();
                        }
                        why = Describe(ex);
                        if (!_retryPolicy.ShouldRetryConnectionFailure(request, neverReached, retries))
                        {
                            throw new PineconeConnectionException($"{method} {uri.AbsoluteUri} failed: {why}", uri, timedOut: false, ex, neverReachedServer: !reachedServer);
                        }
                    }
                    catch (BodyCutException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The server took the request: a GET is asked again whole, a POST never twice.
                        reachedServer = true;
                        request.NoteAttemptMayHaveActed();
                        why = string.Format(CultureInfo.InvariantCulture, "the answer was cut off after {0} bytes ({1})", ex.BytesRead, Describe(ex.InnerException!));
                        if (!_retryPolicy.ShouldRetryConnectionFailure(request, neverReachedServer: false, retries))
                        {
                            throw new PineconeConnectionException($"{method} {uri.AbsoluteUri} failed: {why}", uri, timedOut: false, ex.InnerException);
                        }
                    }
                    catch (PineconeApiException ex)
                    {
                        reachedServer = true;
                        if (ex.StatusCode >= 500)
                        {
                            request.NoteAttemptMayHaveActed();
                        }

                        if (!_retryPolicy.ShouldRetryStatus(request, ex.StatusCode, retries))
                        {
                            throw;
                        }

                        retryAfter = ex.RetryAfter;
                        why = "HTTP " + ex.StatusCode.ToString(CultureInfo.InvariantCulture) + " " + ex.ErrorCode;
                    }
                }

                TimeSpan wait = _retryPolicy.Delay(retries, retryAfter);
                _log.Write(string.Format(
                    CultureInfo.InvariantCulture,
                    "Retry {0} of {1} for {2} {3} in {4:0.0#} s{5}: {6}",
                    retries + 1,
                    _settings.MaxRetries,
                    method,
                    uri.AbsoluteUri,
                    wait.TotalSeconds,
                    retryAfter.HasValue ? " as Retry-After asked" : string.Empty,
                    why));
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<T> AttemptAsync<T>(ApiRequest request, Uri uri, Func<ApiResponse, T> read, CancellationToken token)
        {
            var stopwatch = Stopwatch.StartNew();
            HttpResponseMessage response;
            using (HttpRequestMessage message = BuildMessage(request, uri))
            {
                // Headers only: the body is read below, under the same token, so a stalled body times out too.
                response = await s_http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }

            // Disposed on every path; on cancellation too, since not every platform's body stream heeds the token.
            using (response)
            using (token.Register(s_disposeResponse, response))
            {
                int status = (int)response.StatusCode;
                string method = request.Method.Method;
                _log.Write(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} in {4} ms", method, uri.AbsoluteUri, status, response.ReasonPhrase, stopwatch.ElapsedMilliseconds));
                MediaTypeHeaderValue? contentType = response.Content?.Headers.ContentType;
                if (status >= 200 && status < 300)
                {
                    Body body = await ReadBodyAsync(response.Content, _settings.MaxResponseBytes, keepPartial: false, token).ConfigureAwait(false);
                    var answer = new ApiResponse(method, uri, status, contentType?.MediaType, contentType?.CharSet, new ReadOnlyMemory<byte>(body.Array, 0, body.Length));
                    try
                    {
                        if (body.TooLarge)
                        {
                            throw answer.Invalid(string.Format(
                                CultureInfo.InvariantCulture,
                                "the body is larger than {0} bytes, far more than any Pinecone answer; reading stopped there",
                                _settings.MaxResponseBytes));
                        }

                        return read(answer);
                    }
                    catch (PineconeInvalidResponseException ex) when (ex.Message.IndexOf(_settings.ApiKey.Reveal(), StringComparison.Ordinal) >= 0)
                    {
                        // A body that echoes the request's headers must not carry the key into a message.
                        throw new PineconeInvalidResponseException(ex.Message.Replace(_settings.ApiKey.Reveal(), "<redacted>"), uri);
                    }
                    catch (Exception ex) when (!(ex is PineconeException) && !(ex is OperationCanceledException))
                    {
                        throw answer.Invalid("reading the body failed: " + ex.Message.Replace(_settings.ApiKey.Reveal(), "<redacted>"), ex);
                    }
                    finally
                    {
                        body.Return();
                    }
                }

                TimeSpan? retryAfter = ReadRetryAfter(response.Headers.RetryAfter);
                Body errorBody = await ReadBodyAsync(response.Content, MaxErrorBodyBytes, keepPartial: true, token).ConfigureAwait(false);
                string text;
                try
                {
                    // Only for the message: whatever the charset says, undecodable bytes become U+FFFD rather than fail.
                    text = Encoding.UTF8.GetString(errorBody.Array ?? Array.Empty<byte>(), 0, errorBody.Length);
                }
                finally
                {
                    errorBody.Return();
                }

                // A proxy or a misbehaving server may echo the request's headers: the key must not reach a message.
                text = text.Replace(_settings.ApiKey.Reveal(), "<redacted>");
                throw ApiErrorReader.Read(status, contentType?.MediaType, text, method, uri, retryAfter);
            }
        }

        /// <summary>
        /// Reads the body into a pooled buffer, counting bytes as they come (a chunked answer has no length to check
        /// first) and stopping one byte past <paramref name="cap"/>.
        /// </summary>
        private static async Task<Body> ReadBodyAsync(HttpContent? content, int cap, bool keepPartial, CancellationToken token)
        {
            if (content == null)
            {
                return default;
            }

            long? declared = content.Headers.ContentLength;
            if (declared > cap && !keepPartial)
            {
                return new Body(null, 0, tooLarge: true);
            }

            int limit = cap + 1;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(declared.HasValue ? (int)Math.Min(declared.Value + 1, limit) : Math.Min(16 * 1024, limit));
            int total = 0;
            try
            {
                using (Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    while (total < limit)
                    {
                        if (total == buffer.Length)
                        {
                            byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, limit));
                            Buffer.BlockCopy(buffer, 0, larger, 0, total);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }

                        int read = await stream.ReadAsync(buffer, total, Math.Min(buffer.Length, limit) - total, token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        total += read;
                    }
                }
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                if (token.IsCancellationRequested)
                {
                    // The response was disposed under the read by the timeout or Ctrl+C: say which, not "disposed".
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new OperationCanceledException(token);
                }

                if (!keepPartial)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new BodyCutException(total, ex);
                }
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }

            return total > cap
                ? new Body(buffer, keepPartial ? cap : 0, tooLarge: true)
                : new Body(buffer, total, tooLarge: false);
        }

        /// <summary>
        /// The longest URL sent. Kestrel, nginx and most proxies refuse request lines past 8 KB, and System.Uri on .NET
        /// Framework refuses 65,519 characters; Pinecone's ids are 36 to 45 characters and its tokens a few hundred. So
        /// a longer URL is bad input, refused before sending, the same way on Windows PowerShell and PowerShell 7.
        /// </summary>
        internal const int MaxUriLength = 8000;

        private Uri BuildUri(ApiRequest request)
        {
            Uri uri;
            try
            {
                uri = request.BuildUri(_settings.ControllerHost);
            }
            catch (UriFormatException ex)
            {
                throw new ArgumentException("The request cannot be sent: " + ex.Message, ex);
            }

            if (uri.AbsoluteUri.Length > MaxUriLength)
            {
                throw new ArgumentException(string.Format(
                    CultureInfo.InvariantCulture,
                    "The request cannot be sent: its URL would be {0:N0} characters long, more than the {1:N0} servers and proxies accept; no Pinecone id or pagination token is that long.",
                    uri.AbsoluteUri.Length,
                    MaxUriLength));
            }

            return uri;
        }

        private HttpRequestMessage BuildMessage(ApiRequest request, Uri uri)
        {
            var message = new HttpRequestMessage(request.Method, uri);
            message.Headers.TryAddWithoutValidation("Api-Key", _settings.ApiKey.Reveal());
            message.Headers.TryAddWithoutValidation("X-Pinecone-API-Version", ClientSettings.ApiVersion);
            message.Headers.TryAddWithoutValidation("User-Agent", _settings.UserAgent);
            message.Headers.TryAddWithoutValidation("Accept", "application/json");
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
                if (inner is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                            return true;
                    }
                }
            }

            return false;
        }

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

        /// <summary>
        /// The handler's defaults are kept on purpose: the system proxy (UseProxy, Proxy null) and the platform's
        /// certificate validation (no callback); a unit test holds them.
        /// </summary>
        internal static HttpClientHandler CreateHandler()
        {
            var handler = new HttpClientHandler
            {
                // A redirect would replay the Api-Key header to wherever it points; Pinecone does not redirect.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            try
            {
                RaiseConnectionLimit(handler);
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException || ex is NotImplementedException || ex is MissingMethodException)
            {
                // .NET Framework before 4.7.1 lacks the property (MissingMethodException when the call is compiled):
                // keep its default rather than fail to load.
            }

            return handler;
        }

        /// <summary>
        /// Windows PowerShell 5.1 (.NET Framework) allows 2 connections per server by default, which would run
        /// -ThrottleLimit 4 two at a time; .NET Core allows any number. The same explicit limit everywhere: twice the
        /// highest -ThrottleLimit, so two commands at full throttle do not queue behind each other, while Pinecone's
        /// per-project rate limit (429) stops anything beyond long before this would.
        /// </summary>
        internal const int ConnectionsPerServer = 64;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RaiseConnectionLimit(HttpClientHandler handler) => handler.MaxConnectionsPerServer = ConnectionsPerServer;

        /// <summary>A body in a pooled buffer; <see cref="Return"/> gives the buffer back.</summary>
        private readonly struct Body
        {
            public Body(byte[]? array, int length, bool tooLarge)
            {
                Array = array;
                Length = length;
                TooLarge = tooLarge;
            }

            public byte[]? Array { get; }

            public int Length { get; }

            public bool TooLarge { get; }

            public void Return()
            {
                if (Array != null)
                {
                    ArrayPool<byte>.Shared.Return(Array);
                }
            }
        }

        /// <summary>The connection failed after part of a 2xx body arrived.</summary>
        private sealed class BodyCutException : Exception
        {
            public BodyCutException(long bytesRead, Exception innerException)
                : base("The answer was cut off.", innerException)
            {
                BytesRead = bytesRead;
            }

            public long BytesRead { get; }
        }
    }
}
