using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;

namespace PineconeRestore.Client
{
    /// <summary>One call to the control plane: method, path, query and an optional JSON body.</summary>
    internal sealed class ApiRequest
    {
        private readonly List<KeyValuePair<string, string>> _query = new List<KeyValuePair<string, string>>();

        public ApiRequest(HttpMethod method, string path, string? jsonBody = null, bool? retrySafe = null)
        {
            Method = method;
            Path = path;
            JsonBody = jsonBody;
            // GET, HEAD, PUT and DELETE may be repeated without changing the outcome; a POST creates something and may
            // only be retried when the server cannot have acted on it (see PineconeHttpClient).
            RetrySafe = retrySafe ?? (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete);
        }

        public HttpMethod Method { get; }

        /// <summary>Path relative to the controller URL, each segment already escaped (see <see cref="ApiPath"/>).</summary>
        public string Path { get; }

        public string? JsonBody { get; }

        /// <summary>True when sending the request twice cannot do harm.</summary>
        public bool RetrySafe { get; }

        /// <summary>
        /// Set by the client when an attempt reached the server and its outcome is unknown (a 5xx, an answer lost or cut
        /// off): a later attempt's 404 on a DELETE then means that attempt already deleted it.
        /// </summary>
        public bool EarlierAttemptMayHaveActed { get; private set; }

        internal void NoteAttemptMayHaveActed() => EarlierAttemptMayHaveActed = true;

        public ApiRequest WithQuery(string name, string? value)
        {
            if (value != null)
            {
                _query.Add(new KeyValuePair<string, string>(name, value));
            }

            return this;
        }

        public Uri BuildUri(Uri controllerHost)
        {
            var text = new StringBuilder(Path);
            char separator = '?';
            foreach (KeyValuePair<string, string> pair in _query)
            {
                text.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }

            return new Uri(controllerHost, text.ToString());
        }
    }

    /// <summary>Builds request paths from fixed segments and caller-supplied ids.</summary>
    internal static class ApiPath
    {
        /// <summary>
        /// Joins segments, escaping each id so that '/', '?', '#' or '..' in it can never reach another endpoint.
        /// </summary>
        public static string Join(string collection, string id)
        {
            return collection + "/" + EscapeSegment(id);
        }

        public static string EscapeSegment(string segment)
        {
            if (IsDotSegment(segment))
            {
                // System.Uri collapses "." and ".." even when escaped as %2E, so such an id would name another path.
                throw new ArgumentException($"'{segment}' cannot be sent as an id: it is a relative path segment.", nameof(segment));
            }

            return Uri.EscapeDataString(segment);
        }

        public static bool IsDotSegment(string segment) => segment == "." || segment == "..";
    }
}
