using System;

namespace PineconeRestore.Client
{
    /// <summary>
    /// Holds the API key so that it cannot leak by accident: ToString, debuggers and serializers see a placeholder;
    /// only the request builder reads the value.
    /// </summary>
    internal sealed class ApiKey
    {
        private readonly string _value;

        public ApiKey(string value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("An API key cannot be empty.", nameof(value));
            }

            _value = value.Trim();
        }

        internal string Reveal() => _value;

        public override string ToString() => "<redacted>";
    }
}
