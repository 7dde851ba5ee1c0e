using System;
using System.Management.Automation;
using System.Security;

namespace PineconeRestore.Commands
{
    /// <summary>Lets -ApiKey take a SecureString or a plain string; an empty key fails at binding, before any request.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case SecureString secure when secure.Length > 0:
                    return secure;
                case string text when !string.IsNullOrWhiteSpace(text):
                    return ToSecureString(text);
                case SecureString _:
                case string _:
                    throw new ArgumentTransformationMetadataException("The API key is empty.");
                default:
                    // Never echo the value: it may be the key in some other wrapper.
                    throw new ArgumentTransformationMetadataException(
                        $"An API key must be a string or a SecureString, not {value?.GetType().FullName ?? "null"}.");
            }
        }

        internal static SecureString ToSecureString(string text)
        {
            var converted = new SecureString();
            foreach (char c in text.Trim())
            {
                converted.AppendChar(c);
            }

            converted.MakeReadOnly();
            return converted;
        }
    }
}
