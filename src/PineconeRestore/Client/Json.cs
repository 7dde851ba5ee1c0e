using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PineconeRestore.Client
{
    /// <summary>One page of a list: its items and the token of the next page, null on the last.</summary>
    internal sealed class Page<T>
    {
        public Page(IReadOnlyList<T> items, string? next)
        {
            Items = items;
            Next = next;
        }

        public IReadOnlyList<T> Items { get; }

        public string? Next { get; }
    }

    /// <summary>
    /// Reads one model from a JSON object. <see cref="ResponseReader"/> hands it a reader positioned on the object's
    /// StartObject; <see cref="Read"/> must leave it on the matching EndObject.
    /// </summary>
    internal abstract class JsonModel<T>
    {
        protected JsonModel()
        {
            // Made once per model, so passing them to PineconeHttpClient.SendAsync allocates nothing per call.
            One = response => ResponseReader.ReadObject(response, this);
            Page = response => ResponseReader.ReadPage(response, this);
        }

        /// <summary>Reads a body that is one such object.</summary>
        public Func<ApiResponse, T> One { get; }

        /// <summary>Reads a body that is a page: <c>{"data": [...], "pagination": {"next": ...}}</c>.</summary>
        public Func<ApiResponse, Page<T>> Page { get; }

        /// <summary>
        /// Reads the object. Check required fields with <see cref="JsonItem.Required{TValue}"/>; throw
        /// <see cref="JsonItem.Invalid"/> for anything else wrong. JsonException, InvalidOperationException and
        /// FormatException (a wrong token type) also become an InvalidResponse naming the item.
        /// </summary>
        public abstract T Read(ref Utf8JsonReader reader, JsonItem item);
    }

    /// <summary>
    /// A model read by System.Text.Json into a wire class (every field nullable, <c>[JsonPropertyName]</c> on each),
    /// then checked and mapped to the public model: the usual way to add a model.
    /// </summary>
    internal sealed class WireModel<TWire, T> : JsonModel<T>
        where TWire : class
    {
        private readonly Func<TWire, JsonItem, T> _map;

        public WireModel(Func<TWire, JsonItem, T> map)
        {
            _map = map;
        }

        public override T Read(ref Utf8JsonReader reader, JsonItem item)
        {
            // On a StartObject the serializer never returns null.
            TWire wire = JsonSerializer.Deserialize<TWire>(ref reader, ResponseReader.Options)!;
            return _map(wire, item);
        }
    }

    /// <summary>Where a model sits in the body. Builds its JSON path only when something is wrong with it.</summary>
    internal readonly struct JsonItem
    {
        private readonly string? _array;
        private readonly int _index;

        internal JsonItem(string? array, int index)
        {
            _array = array;
            _index = index;
        }

        /// <summary>The body itself, for a response that is one object.</summary>
        public static JsonItem Root => default;

        /// <summary>"$" or "$.data[7]".</summary>
        public string Path => _array == null ? "$" : "$." + _array + "[" + _index.ToString(CultureInfo.InvariantCulture) + "]";

        /// <summary>Returns the value, or throws an InvalidResponse naming the field when it is missing or null.</summary>
        /// <param name="value">The wire class's field.</param>
        /// <param name="field">The wire name, dotted for nested fields: "status.state".</param>
        public TValue Required<TValue>(TValue? value, string field)
            where TValue : class =>
            value ?? throw Invalid($"the required field '{field}' is missing or null");

        /// <summary>The same, for numbers, booleans and timestamps.</summary>
        public TValue RequiredValue<TValue>(TValue? value, string field)
            where TValue : struct =>
            value ?? throw Invalid($"the required field '{field}' is missing or null");

        /// <summary>An InvalidResponse saying <paramref name="what"/> went wrong at this item.</summary>
        public Exception Invalid(string what) => new InvalidBodyException($"{what} at {Path}");
    }

    /// <summary>What a model found wrong; <see cref="ResponseReader"/> turns it into a PineconeInvalidResponseException.</summary>
    internal sealed class InvalidBodyException : Exception
    {
        public InvalidBodyException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }

    /// <summary>
    /// Reads 2xx bodies, straight from the UTF-8 bytes, into models: lenient where real servers differ from the spec
    /// (NOTES.md), strict elsewhere. Every failure is a <see cref="PineconeInvalidResponseException"/>.
    /// </summary>
    internal static class ResponseReader
    {
        /// <summary>Options for wire classes: unknown fields ignored, numbers stay numbers, timestamps lenient.</summary>
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = false,
            Converters = { new TimestampConverter() },
        };

        private static readonly byte[] s_data = Encoding.UTF8.GetBytes("data");
        private static readonly byte[] s_pagination = Encoding.UTF8.GetBytes("pagination");
        private static readonly byte[] s_next = Encoding.UTF8.GetBytes("next");

        /// <summary>A body that is one object.</summary>
        public static T ReadObject<T>(ApiResponse response, JsonModel<T> model)
        {
            try
            {
                var reader = Start(response);
                T value = ReadItem(ref reader, model, JsonItem.Root);
                End(ref reader);
                return value;
            }
            catch (Exception ex) when (IsBodyFailure(ex))
            {
                throw Wrap(response, ex);
            }
        }

        /// <summary>A page: <c>{"data": [...], "pagination": {"next": "..."}}</c>. Null, absent or empty next: last page.</summary>
        public static Page<T> ReadPage<T>(ApiResponse response, JsonModel<T> model)
        {
            List<T> items = ReadCollection(response, model, "data", s_data, out string? next);
            return new Page<T>(items, next);
        }

        /// <summary>An object whose <paramref name="arrayProperty"/> holds every item, unpaged (e.g. <c>{"indexes": [...]}</c>).</summary>
        public static IReadOnlyList<T> ReadList<T>(ApiResponse response, JsonModel<T> model, string arrayProperty) =>
            ReadCollection(response, model, arrayProperty, Encoding.UTF8.GetBytes(arrayProperty), out _);

        /// <summary>
        /// Parses ISO 8601 with or without fractional seconds, with Z or an offset (none means UTC), to a UTC DateTime;
        /// null for null or blank.
        /// </summary>
        internal static DateTime? ParseTimestamp(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out DateTimeOffset parsed))
            {
                return parsed.UtcDateTime;
            }

            throw new FormatException($"'{value}' is not an ISO 8601 timestamp");
        }

        /// <summary>Reads the string token under the reader as a timestamp, without allocating in the usual case.</summary>
        internal static DateTime? ReadTimestamp(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"a timestamp must be a string, not {Describe(reader.TokenType)}");
            }

            if (reader.TryGetDateTime(out DateTime value))
            {
                switch (value.Kind)
                {
                    case DateTimeKind.Utc:
                        return value;
                    case DateTimeKind.Unspecified:
                        // No offset: Pinecone's timestamps are UTC.
                        return DateTime.SpecifyKind(value, DateTimeKind.Utc);
                    default:
                        // An explicit offset: read it as such, not through the local time zone.
                        return reader.TryGetDateTimeOffset(out DateTimeOffset withOffset) ? withOffset.UtcDateTime : value.ToUniversalTime();
                }
            }

            // Forms the fast path does not take (a space for 'T', blanks): the lenient parser.
            try
            {
                return ParseTimestamp(reader.GetString());
            }
            catch (FormatException ex)
            {
                throw new JsonException(ex.Message, ex);
            }
        }

        private static List<T> ReadCollection<T>(ApiResponse response, JsonModel<T> model, string arrayName, byte[] arrayUtf8, out string? next)
        {
            try
            {
                var reader = Start(response);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new InvalidBodyException($"the body is {Describe(reader.TokenType)}, not an object");
                }

                List<T>? items = null;
                next = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals(arrayUtf8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            // About 300 bytes a restore job: one right-sized array instead of doubling from 4.
                            items = new List<T>(Math.Min((response.Body.Length / 256) + 1, 1024));
                            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            {
                                items.Add(ReadItem(ref reader, model, new JsonItem(arrayName, items.Count)));
                            }
                        }
                        else if (reader.TokenType != JsonTokenType.Null)
                        {
                            throw new InvalidBodyException($"'{arrayName}' is {Describe(reader.TokenType)}, not an array");
                        }
                    }
                    else if (reader.ValueTextEquals(s_pagination))
                    {
                        next = ReadNext(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                End(ref reader);
                return items ?? throw new InvalidBodyException($"the required field '{arrayName}' is missing or null");
            }
            catch (Exception ex) when (IsBodyFailure(ex))
            {
                throw Wrap(response, ex);
            }
        }

        private static string? ReadNext(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                // The spec marks next required, yet its own examples send "pagination": null.
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidBodyException($"'pagination' is {Describe(reader.TokenType)}, not an object");
            }

            string? next = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(s_next))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        next = reader.GetString();
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        throw new InvalidBodyException($"'pagination.next' is {Describe(reader.TokenType)}, not a string");
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Null, absent and empty all mean the last page.
            return string.IsNullOrEmpty(next) ? null : next;
        }

        private static T ReadItem<T>(ref Utf8JsonReader reader, JsonModel<T> model, JsonItem item)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw item.Invalid(reader.TokenType == JsonTokenType.Null ? "an item is null" : $"an item is {Describe(reader.TokenType)}, not an object");
            }

            try
            {
                return model.Read(ref reader, item);
            }
            catch (JsonException ex)
            {
                // The serializer's path is relative to the item: "$.created_at" becomes "$.data[3].created_at".
                string where = ex.Path == null ? item.Path : item.Path + ex.Path.Substring(1);
                throw new InvalidBodyException($"the body is not the expected JSON at {where}: {WithoutPosition(ex.Message)}", ex);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is FormatException || ex is OverflowException)
            {
                throw new InvalidBodyException($"the body is not the expected JSON at {item.Path}: {ex.Message}", ex);
            }
        }

        /// <summary>
        /// True for a charset this reader can honour: none (JSON's default), UTF-8 in any spelling, or US-ASCII (a
        /// subset of it). RFC 8259 requires UTF-8 between systems, so a body labelled otherwise is either not
        /// Pinecone's (a proxy's page) or would be misread: ids that come out changed are worse than an error.
        /// </summary>
        internal static bool IsReadableCharset(string? charset)
        {
            if (charset == null)
            {
                return true;
            }

            string name = charset.Trim().Trim('"', '\'').Trim();
            return name.Length == 0
                || string.Equals(name, "utf-8", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, "utf8", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, "us-ascii", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, "ascii", StringComparison.OrdinalIgnoreCase);
        }

        private static Utf8JsonReader Start(ApiResponse response)
        {
            if (!IsReadableCharset(response.Charset))
            {
                throw new InvalidBodyException($"its Content-Type names the charset '{response.Charset}', and Pinecone's JSON is UTF-8 (RFC 8259): the body was not read");
            }

            ReadOnlySpan<byte> body = response.Body.Span;
            // A UTF-8 byte order mark is legal before JSON text; the reader does not skip it itself.
            if (body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF)
            {
                body = body.Slice(3);
            }

            if (IsBlank(body))
            {
                // The reader would call it malformed; it is simply missing.
                throw new InvalidBodyException("the body is empty");
            }

            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            reader.Read();

            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new InvalidBodyException("the body is JSON null");
            }

            return reader;
        }

        private static bool IsBlank(ReadOnlySpan<byte> body)
        {
            foreach (byte b in body)
            {
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
                {
                    return false;
                }
            }

            return true;
        }

        private static void End(ref Utf8JsonReader reader)
        {
            // Anything after the value is malformed JSON; Read throws on it.
            if (reader.Read())
            {
                throw new InvalidBodyException($"the body goes on after its JSON value ({Describe(reader.TokenType)})");
            }
        }

        private static bool IsBodyFailure(Exception ex) =>
            ex is InvalidBodyException || ex is JsonException || ex is InvalidOperationException || ex is FormatException
            || ex is OverflowException || ex is ArgumentException || ex is DecoderFallbackException;

        private static PineconeInvalidResponseException Wrap(ApiResponse response, Exception ex) =>
            ex is InvalidBodyException
                ? response.Invalid(ex.Message, ex.InnerException)
                : response.Invalid(
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "the body ({0}, {1} bytes) is not the expected JSON: {2}",
                        response.MediaType ?? "no content type",
                        response.Body.Length,
                        WithoutPosition(ex.Message)),
                    ex);

        // "... Path: $.x | LineNumber: 0 | BytePositionInLine: 7." adds nothing the path we give does not say.
        private static string WithoutPosition(string message)
        {
            int at = message.IndexOf(" Path: ", StringComparison.Ordinal);
            if (at < 0)
            {
                at = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
            }

            // Our sentence ends with its own full stop: "...: 'x' is invalid.." reads as a typo.
            return (at < 0 ? message : message.Substring(0, at)).TrimEnd('.', ' ');
        }

        private static string Describe(JsonTokenType token)
        {
            switch (token)
            {
                case JsonTokenType.StartObject: return "an object";
                case JsonTokenType.StartArray: return "an array";
                case JsonTokenType.String: return "a string";
                case JsonTokenType.Number: return "a number";
                case JsonTokenType.True:
                case JsonTokenType.False: return "a boolean";
                case JsonTokenType.Null: return "null";
                default: return token.ToString();
            }
        }
    }

    /// <summary>Timestamps for wire classes: <c>DateTime?</c> fields read by <see cref="ResponseReader.ReadTimestamp"/>.</summary>
    internal sealed class TimestampConverter : JsonConverter<DateTime?>
    {
        public override bool HandleNull => true;

        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ResponseReader.ReadTimestamp(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Wire classes are only read.");
    }

    /// <summary>
    /// A string field with a few usual values (a status): those come back as one shared string each instead of a
    /// new one per item; anything else is read as sent.
    /// </summary>
    internal sealed class KnownStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonFields.KnownString(ref reader);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Wire classes are only read.");
    }

    /// <summary>
    /// Field readers for a hand-written <see cref="JsonModel{T}"/> (the hot path: restore jobs). Each takes the reader
    /// on a property name, reads its value, and names the field when the value has the wrong type.
    /// </summary>
    internal static class JsonFields
    {
        private static readonly string[] s_known =
        {
            "Pending", "Completed", "Failed", "Cancelled", "Canceled", "InProgress", "Running",
            "Initializing", "Ready", "InitializationFailed", "Terminating", "ScalingUp", "ScalingDown",
            "enabled", "disabled",
        };

        private static readonly byte[][] s_knownUtf8 = Names(s_known);

        /// <summary>UTF-8 copies of a model's wire names, for <see cref="Match"/>.</summary>
        public static byte[][] Names(params string[] names) => Array.ConvertAll(names, Encoding.UTF8.GetBytes);

        /// <summary>The index in <paramref name="names"/> of the property name under the reader, or -1.</summary>
        public static int Match(ref Utf8JsonReader reader, byte[][] names)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>A string or null.</summary>
        public static string? String(ref Utf8JsonReader reader, JsonItem item, string field)
        {
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String: return reader.GetString();
                case JsonTokenType.Null: return null;
                default: throw WrongType(ref reader, item, field, "a string");
            }
        }

        /// <summary>A string or null; the usual values (statuses) as shared strings.</summary>
        public static string? KnownString(ref Utf8JsonReader reader, JsonItem item, string field)
        {
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String: return KnownString(ref reader);
                case JsonTokenType.Null: return null;
                default: throw WrongType(ref reader, item, field, "a string");
            }
        }

        /// <summary>A number (as a double) or null.</summary>
        public static double? Number(ref Utf8JsonReader reader, JsonItem item, string field)
        {
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    // .NET Core reads 1e400 as infinity, .NET Framework refuses it: neither is a value.
                    return reader.TryGetDouble(out double value) && !double.IsInfinity(value) && !double.IsNaN(value)
                        ? value
                        : throw item.Invalid($"'{field}' is a number out of range");
                case JsonTokenType.Null: return null;
                default: throw WrongType(ref reader, item, field, "a number");
            }
        }

        /// <summary>An ISO 8601 timestamp as UTC, or null.</summary>
        public static DateTime? Timestamp(ref Utf8JsonReader reader, JsonItem item, string field)
        {
            reader.Read();
            try
            {
                return ResponseReader.ReadTimestamp(ref reader);
            }
            catch (JsonException ex)
            {
                throw item.Invalid($"'{field}': {ex.Message}");
            }
        }

        /// <summary>Skips the value of a property this model does not know: new fields are ignored.</summary>
        public static void Skip(ref Utf8JsonReader reader)
        {
            reader.Read();
            reader.Skip();
        }

        internal static string? KnownString(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
            {
                ReadOnlySpan<byte> value = reader.ValueSpan;
                for (int i = 0; i < s_knownUtf8.Length; i++)
                {
                    if (value.SequenceEqual(s_knownUtf8[i]))
                    {
                        return s_known[i];
                    }
                }
            }

            // Throws for a non-string token, which the reader reports with the field's path.
            return reader.GetString();
        }

        private static Exception WrongType(ref Utf8JsonReader reader, JsonItem item, string field, string expected)
        {
            string actual = reader.TokenType == JsonTokenType.StartObject ? "an object"
                : reader.TokenType == JsonTokenType.StartArray ? "an array"
                : reader.TokenType == JsonTokenType.Number ? "a number"
                : reader.TokenType == JsonTokenType.String ? "a string"
                : "a boolean";
            return item.Invalid($"'{field}' is {actual}, not {expected},");
        }
    }
}
