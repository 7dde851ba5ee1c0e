using System;
using System.Net;

namespace PineconeRestore.Client
{
    /// <summary>Parses and vets a controller URL before any request can carry the API key to it.</summary>
    internal static class ControllerHost
    {
        public static readonly Uri Default = new Uri("https://api.pinecone.io/");

        /// <summary>Returns the URL with a trailing slash, or throws <see cref="ArgumentException"/> saying what is wrong.</summary>
        public static Uri Parse(string value)
        {
            if (string.IsNullOrWhiteSpace(value)
                || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || string.IsNullOrEmpty(uri.Host))
            {
                throw new InvalidControllerHostException($"'{value}' is not a controller URL: give an absolute http(s) URL such as https://api.pinecone.io.");
            }

            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new InvalidControllerHostException($"The controller URL '{uri.GetLeftPart(UriPartial.Path)}' must not carry a query, a fragment or user info.");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            {
                throw new InsecureControllerHostException(
                    $"Refusing plain http to '{uri.Host}': the API key would cross the network in clear text. Use https, or http only for a loopback host (localhost, 127.0.0.0/8, ::1).");
            }

            string text = uri.GetLeftPart(UriPartial.Path);
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
        }

        public static bool IsLoopback(Uri uri)
        {
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            return IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address);
        }
    }

    /// <summary>A controller URL that is not an absolute http(s) URL, or carries a query, fragment or user info.</summary>
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
