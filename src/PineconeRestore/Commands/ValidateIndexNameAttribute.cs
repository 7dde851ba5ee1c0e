using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PineconeRestore.Commands
{
    /// <summary>The spec's index-name rule, checked at binding so a bad name fails before any request.</summary>
    public sealed class ValidateIndexNameAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private static readonly Regex s_name = new Regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant);

        protected override void ValidateElement(object element)
        {
            string text = element as string ?? string.Empty;
            if (text.Length < 1 || text.Length > Client.RestoreDrill.MaxIndexNameLength || !s_name.IsMatch(text))
            {
                throw new ValidationMetadataException(
                    $"'{text}' is not an index name: 1 to 45 characters, lowercase letters, digits and hyphens, with no hyphen at either end.");
            }
        }
    }
}
