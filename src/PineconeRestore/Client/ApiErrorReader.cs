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
            if (TryReadError(body, out string? code, out string? message))
            {
                // The code leads the FullyQualifiedErrorId that scripts match on: a body's "a,b" or a 5,000-character
                // string must not make one up, so anything not shaped like a code gives way to the status's.
                return new PineconeApiException(statusCode, IsCode(code!) ? code! : CodeForStatus(statusCode), message!, method, requestUri, retryAfter);
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

        /// <summary>The shape of the spec's codes (NOT_FOUND, RESOURCE_EXHAUSTED): letters, digits and '_', at most 64.</summary>
        internal static bool IsCode(string code)
        {
            if (code.Length == 0 || code.Length > 64 || !IsAsciiLetter(code[0]))
            {
                return false;
            }

            foreach (char c in code)
            {
                if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAsciiLetter(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

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

        /// <summary>
        /// Reads either plane's error JSON: the control plane's <c>{"error": {"code": "NOT_FOUND", "message": ...}}</c>,
        /// or the data plane's rpcStatus <c>{"code": 5, "message": ..., "details": []}</c> (NOTES.md), whose gRPC code is
        /// given the control plane's name (5 is NOT_FOUND) so that both planes' errors read alike.
        /// </summary>
        private static bool TryReadError(string body, out string? code, out string? message)
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
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                JsonElement holder = root;
                if (root.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object)
                {
                    holder = error;
                    code = SpecCode(error);
                }
                else
                {
                    code = RpcStatusCode(root);
                }

                if (code == null)
                {
                    return false;
                }

                message = holder.TryGetProperty("message", out JsonElement messageElement) && messageElement.ValueKind == JsonValueKind.String
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

        private static string? SpecCode(JsonElement error) =>
            error.TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(code.GetString())
                ? code.GetString()!.Trim()
                : null;

        private static string? RpcStatusCode(JsonElement root)
        {
            if (!root.TryGetProperty("code", out JsonElement code))
            {
                return null;
            }

            if (code.ValueKind == JsonValueKind.Number)
            {
                return code.TryGetInt32(out int number) ? GrpcCodeName(number) : null;
            }

            // Lenient: a gateway may spell the code out.
            return code.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(code.GetString())
                ? code.GetString()!.Trim().ToUpperInvariant()
                : null;
        }
    }
}
