using System;
using System.Net;
using System.Text.Json;

namespace PineconeRestore.Client
{
    /// <summary>The one place that turns a non-success answer into a <see cref="PineconeApiException"/>.</summary>
    internal static class ApiErrorReader
    {
        public static PineconeApiException Read(int statusCode, string? mediaType, string body, string method, Uri requestUri, TimeSpan? retryAfter)
        {
            if (TryReadSpecError(body, out string? code, out string? message) || TryReadRpcStatus(body, out code, out message))
            {
                return new PineconeApiException(statusCode, code!, message!, method, requestUri, retryAfter);
            }

            // Proxies, load balancers and crashes answer with HTML, nothing, or half a body: still say what happened.
            string what = body.Length == 0
                ? "an empty body"
                : $"a body that is not Pinecone's error JSON ({mediaType ?? "no content type"}, {body.Length} characters)";
            string reason = Enum.IsDefined(typeof(HttpStatusCode), statusCode) ? $" {(HttpStatusCode)statusCode}" : string.Empty;
            return new PineconeApiException(
                statusCode,
                CodeForStatus(statusCode),
                $"Pinecone answered HTTP {statusCode}{reason} with {what}.",
                method,
                requestUri,
                retryAfter);
        }

        /// <summary>The error code to assume when the body does not carry one.</summary>
        public static string CodeForStatus(int statusCode)
        {
            switch (statusCode)
            {
                case 400: return "INVALID_ARGUMENT";
                case 401: return "UNAUTHENTICATED";
                case 403: return "PERMISSION_DENIED";
                case 404: return "NOT_FOUND";
                case 409: return "ALREADY_EXISTS";
                case 412: return "FAILED_PRECONDITION";
                case 422: return "UNPROCESSABLE_ENTITY";
                case 429: return "RESOURCE_EXHAUSTED";
                case 500: return "INTERNAL";
                case 501: return "UNIMPLEMENTED";
                case 502:
                case 503: return "UNAVAILABLE";
                case 504: return "DEADLINE_EXCEEDED";
                default: return "UNKNOWN";
            }
        }

        /// <summary>
        /// The data plane's error shape (db_data rpcStatus, NOTES.md): <c>{"code": 5, "message": "...", "details": []}</c>,
        /// its gRPC code given the control plane's name (5 is NOT_FOUND), so both planes' errors read alike.
        /// </summary>
        private static bool TryReadRpcStatus(string body, out string? code, out string? message)
        {
            code = null;
            message = null;
            if (body.Length == 0)
            {
                return false;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out JsonElement codeElement))
                {
                    return false;
                }

                if (codeElement.ValueKind == JsonValueKind.Number && codeElement.TryGetInt32(out int number) && GrpcCodeName(number) is string name)
                {
                    code = name;
                }
                else if (codeElement.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(codeElement.GetString()))
                {
                    // Lenient: a gateway may spell the code out.
                    code = codeElement.GetString()!.Trim().ToUpperInvariant();
                }
                else
                {
                    return false;
                }

                message = root.TryGetProperty("message", out JsonElement messageElement) && messageElement.ValueKind == JsonValueKind.String
                    ? messageElement.GetString()
                    : null;
                if (string.IsNullOrWhiteSpace(message))
                {
                    message = $"Pinecone answered {code} without a message.";
                }

                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>The name of a gRPC status code (google.rpc.Code), or null for a number outside it.</summary>
        internal static string? GrpcCodeName(int code)
        {
            switch (code)
            {
                case 0: return "OK";
                case 1: return "CANCELLED";
                case 2: return "UNKNOWN";
                case 3: return "INVALID_ARGUMENT";
                case 4: return "DEADLINE_EXCEEDED";
                case 5: return "NOT_FOUND";
                case 6: return "ALREADY_EXISTS";
                case 7: return "PERMISSION_DENIED";
                case 8: return "RESOURCE_EXHAUSTED";
                case 9: return "FAILED_PRECONDITION";
                case 10: return "ABORTED";
                case 11: return "OUT_OF_RANGE";
                case 12: return "UNIMPLEMENTED";
                case 13: return "INTERNAL";
                case 14: return "UNAVAILABLE";
                case 15: return "DATA_LOSS";
                case 16: return "UNAUTHENTICATED";
                default: return null;
            }
        }

        private static bool TryReadSpecError(string body, out string? code, out string? message)
        {
            code = null;
            message = null;
            if (body.Length == 0)
            {
                return false;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out JsonElement error)
                    && error.ValueKind == JsonValueKind.Object
                    && error.TryGetProperty("code", out JsonElement codeElement)
                    && codeElement.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(codeElement.GetString()))
                {
                    code = codeElement.GetString()!.Trim();
                    message = error.TryGetProperty("message", out JsonElement messageElement) && messageElement.ValueKind == JsonValueKind.String
                        ? messageElement.GetString()
                        : null;
                    if (string.IsNullOrWhiteSpace(message))
                    {
                        message = $"Pinecone answered {code} without a message.";
                    }

                    return true;
                }
            }
            catch (JsonException)
            {
            }

            return false;
        }
    }
}
