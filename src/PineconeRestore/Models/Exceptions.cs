using System;
using System.Net;

namespace PineconeRestore
{
    /// <summary>Base of every error this module raises about talking to Pinecone.</summary>
    public abstract class PineconeException : Exception
    {
        protected PineconeException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }

    /// <summary>The API answered with a non-success status. Carries the API's own error code and message.</summary>
    public sealed class PineconeApiException : PineconeException
    {
        public PineconeApiException(int statusCode, string errorCode, string apiMessage, string method, Uri requestUri, TimeSpan? retryAfter = null)
            : base(FormatMessage(statusCode, errorCode, apiMessage))
        {
            StatusCode = statusCode;
            ErrorCode = errorCode;
            ApiMessage = apiMessage;
            Method = method;
            RequestUri = requestUri;
            RetryAfter = retryAfter;
        }

        /// <summary>HTTP status code, e.g. 404.</summary>
        public int StatusCode { get; }

        /// <summary>The spec's error.code (NOT_FOUND, UNAUTHENTICATED, ...), or one derived from the status when the body was not the spec's JSON.</summary>
        public string ErrorCode { get; }

        /// <summary>The API's error.message, as sent.</summary>
        public string ApiMessage { get; }

        public string Method { get; }

        public Uri RequestUri { get; }

        /// <summary>How long the server asked us to wait, when it said so.</summary>
        public TimeSpan? RetryAfter { get; }

        private static string FormatMessage(int statusCode, string errorCode, string apiMessage)
        {
            string reason = Enum.IsDefined(typeof(HttpStatusCode), statusCode) ? " " + (HttpStatusCode)statusCode : string.Empty;
            return $"{apiMessage} ({errorCode}, HTTP {statusCode}{reason})";
        }
    }

    /// <summary>A success status whose body breaks the spec: malformed JSON, a required field missing or of the wrong type.</summary>
    public sealed class PineconeInvalidResponseException : PineconeException
    {
        public PineconeInvalidResponseException(string message, Uri requestUri, Exception? innerException = null)
            : base(message, innerException)
        {
            RequestUri = requestUri;
        }

        public Uri RequestUri { get; }
    }

    /// <summary>
    /// No whole answer: the connection failed, the body was cut off, or the request timed out, after the retries allowed.
    /// </summary>
    public sealed class PineconeConnectionException : PineconeException
    {
        public PineconeConnectionException(string message, Uri requestUri, bool timedOut, Exception? innerException = null, bool neverReachedServer = false)
            : base(message, innerException)
        {
            RequestUri = requestUri;
            TimedOut = timedOut;
            NeverReachedServer = neverReachedServer;
        }

        public Uri RequestUri { get; }

        /// <summary>True when the request ran out of time rather than failing to connect.</summary>
        public bool TimedOut { get; }

        /// <summary>
        /// True when no attempt reached a server (connection refused, a host name that does not resolve): every further
        /// request would fail the same way. False when a server took the request and its answer was lost or cut off,
        /// which says nothing about the next request.
        /// </summary>
        public bool NeverReachedServer { get; }
    }

    /// <summary>Following pages went wrong: the API sent the same pagination token twice in a row.</summary>
    public sealed class PineconePaginationException : PineconeException
    {
        public PineconePaginationException(string message, string token)
            : base(message)
        {
            Token = token;
        }

        public string Token { get; }
    }
}
