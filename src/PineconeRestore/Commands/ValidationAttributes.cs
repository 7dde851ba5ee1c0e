using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Refuses an index name the API would refuse (ResourceRules): at binding, before any request.</summary>
    public sealed class ValidateIndexNameAttribute : ValidateEnumeratedArgumentsAttribute
    {
        protected override void ValidateElement(object element)
        {
            string? problem = ResourceRules.IndexNameProblem(element as string ?? element?.ToString());
            if (problem != null)
            {
                throw new ValidationMetadataException(problem);
            }
        }
    }

    /// <summary>Refuses tags outside the spec's IndexTags limits: at binding, before any request.</summary>
    public sealed class ValidateTagsAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string? problem = TagParameter.Problem(arguments);
            if (problem != null)
            {
                throw new ValidationMetadataException(problem);
            }
        }
    }

    /// <summary>A -Tag hashtable as the request's tags: keys and values as invariant strings.</summary>
    internal static class TagParameter
    {
        public static IReadOnlyDictionary<string, string>? ToDictionary(Hashtable? table)
        {
            if (table == null)
            {
                return null;
            }

            var tags = new SortedDictionary<string, string>(System.StringComparer.Ordinal);
            foreach (KeyValuePair<string, string?> tag in Read(table))
            {
                tags[tag.Key] = tag.Value!;
            }

            return tags;
        }

        internal static string? Problem(object? arguments)
        {
            if (!(Unwrap(arguments) is IDictionary table))
            {
                return null; // binding has already refused anything that is not a hashtable
            }

            foreach (DictionaryEntry entry in table)
            {
                object? value = Unwrap(entry.Value);
                if (value is IEnumerable && !(value is string))
                {
                    return $"The tag '{entry.Key}' has a list or table as its value: a tag's value is one string.";
                }
            }

            return ResourceRules.TagsProblem(Read(table));
        }

        private static IEnumerable<KeyValuePair<string, string?>> Read(IDictionary table)
        {
            foreach (DictionaryEntry entry in table)
            {
                yield return new KeyValuePair<string, string?>(AsString(entry.Key) ?? string.Empty, AsString(entry.Value));
            }
        }

        private static string? AsString(object? value)
        {
            value = Unwrap(value);
            return value == null ? null : (string)LanguagePrimitives.ConvertTo(value, typeof(string), CultureInfo.InvariantCulture);
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
