using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace PineconeRestore.Client
{
    /// <summary>
    /// The spec's rules for what a request may name, checked before anything is sent: index names
    /// (CreateIndexFromBackupRequest.name) and tags (IndexTags). Each returns null when the value is fine, else why not.
    /// </summary>
    internal static class ResourceRules
    {
        public const int MaxIndexNameLength = 45;
        public const int MaxTagKeyLength = 80;
        public const int MaxTagValueLength = 120;

        private static readonly Regex s_indexName = new Regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant);
        private static readonly Regex s_tagKey = new Regex("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex s_tagValue = new Regex("^[A-Za-z0-9;@_.+ -]*$", RegexOptions.CultureInvariant);

        public static string? IndexNameProblem(string? name)
        {
            if (string.IsNullOrEmpty(name) || name!.Length > MaxIndexNameLength)
            {
                return $"'{name}' is not an index name: it must be 1-{MaxIndexNameLength} characters long (it has {name?.Length ?? 0}).";
            }

            return s_indexName.IsMatch(name)
                ? null
                : $"'{name}' is not an index name: use only lowercase letters, digits and hyphens, with no hyphen at either end.";
        }

        public static string? TagProblem(string key, string? value)
        {
            if (key.Length == 0 || key.Length > MaxTagKeyLength || !s_tagKey.IsMatch(key))
            {
                return $"The tag key '{key}' is not allowed: keys are 1-{MaxTagKeyLength} characters of letters, digits, '_' and '-'.";
            }

            if (value == null)
            {
                return $"The tag '{key}' has no value: give a string (an empty string unsets it).";
            }

            return value.Length > MaxTagValueLength || !s_tagValue.IsMatch(value)
                ? $"The value of the tag '{key}' is not allowed: values are at most {MaxTagValueLength} characters of letters, digits, spaces and ; @ _ - . +"
                : null;
        }

        public static string? TagsProblem(IEnumerable<KeyValuePair<string, string?>> tags)
        {
            foreach (KeyValuePair<string, string?> tag in tags)
            {
                string? problem = TagProblem(tag.Key, tag.Value);
                if (problem != null)
                {
                    return problem;
                }
            }

            return null;
        }
    }
}
