using System;
using System.Net;

namespace PineconeRestore.Client
{
    /// <summary>Parses and vets a controller URL before any request can carry the API key to it.</summary>
    internal static class ControllerHost
    {
        public static readonly Uri Default = new Uri("https://api.pinecone.io/");

        /// <summary>
        /// Returns the URL with a trailing slash, or throws <see cref="ArgumentException"/> saying what is wrong. No
        /// message ever shows user info (a password may sit there); every other part is shown as given.
        /// </summary>
        public static Uri Parse(string value)
        {
            string text = value?.Trim() ?? string.Empty;
            if (text.Length == 0)
            {
                throw new InvalidControllerHostException("The controller URL is empty: give an absolute http(s) URL such as https://api.pinecone.io.");
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || string.IsNullOrEmpty(uri.Host))
            {
                throw new InvalidControllerHostException($"'{WithoutUserInfo(text)}' is not a controller URL: give an absolute http(s) URL such as https://api.pinecone.io.");
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new InvalidControllerHostException(
                    $"The controller URL '{Shown(uri)}' must not carry a user name or password (the part before '@', not shown here): Pinecone takes only the API key, and a URL is too easily logged.");
            }

            if (!string.IsNullOrEmpty(uri.Query))
            {
                throw new InvalidControllerHostException(
                    $"The controller URL '{Shown(uri)}' must not carry a query ('{uri.Query}'): give the base URL only, such as https://api.pinecone.io.");
            }

            if (!string.IsNullOrEmpty(uri.Fragment))
            {
                throw new InvalidControllerHostException(
                    $"The controller URL '{Shown(uri)}' must not carry a fragment ('{uri.Fragment}'): give the base URL only, such as https://api.pinecone.io.");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            {
                throw new InsecureControllerHostException(
                    $"Refusing plain http to '{uri.Host}': the API key would cross the network in clear text. Use https, or http only for a loopback host (localhost, 127.0.0.0/8, ::1).");
            }

            string left = uri.GetLeftPart(UriPartial.Path);
            return new Uri(left.EndsWith("/", StringComparison.Ordinal) ? left : left + "/");
        }

        /// <summary>
        /// The text with anything between "scheme://" and its last '@' replaced, for text that may not even parse as a
        /// URL: "ftp://u:secret@h/" becomes "ftp://&lt;user info hidden&gt;@h/". The last '@', not the authority's: a
        /// password typed with an unescaped '/', '?' or '#' ("https://u:pa/ss@h") still has its '@' after them. A
        /// controller URL has no '@' elsewhere, so hiding too much can only cost a path, never show a password.
        /// </summary>
        public static string WithoutUserInfo(string text)
        {
            int scheme = text.IndexOf("://", StringComparison.Ordinal);
            int start = scheme < 0 ? 0 : scheme + 3;
            int at = text.LastIndexOf('@');
            return at < start ? text : text.Substring(0, start) + "<user info hidden>" + text.Substring(at);
        }

        // Scheme, host, port, path, query and fragment as given: everything but the user info.
        private static string Shown(Uri uri) =>
            uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);

        public static bool IsLoopback(Uri uri)
        {
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            return IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address);
        }
    }

    /// <summary>A controller URL that is not an absolute http(s) URL, or carries a query, fragment or user info. Its message never shows user info.</summary>
    internal class InvalidControllerHostException : ArgumentException
    {
        public InvalidControllerHostException(string message)
            : base(message)
        {
        }
    }

    /// <summary>A plain-http controller URL for a host that is not loopback.</summary>
    internal sealed class InsecureControllerHostException : InvalidControllerHostException
    {
        public InsecureControllerHostException(string message)
            : base(message)
        {
        }
    }
}
