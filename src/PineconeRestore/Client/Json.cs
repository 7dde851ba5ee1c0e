using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PineconeRestore.Client
{
    /// <summary>Wire shapes of the 2025-04 spec. Everything is nullable here; <see cref="ResponseReader"/> enforces the spec.</summary>
    internal sealed class RestoreJobJson
    {
        [JsonPropertyName("restore_job_id")]
        public string? RestoreJobId { get; set; }

        [JsonPropertyName("backup_id")]
        public string? BackupId { get; set; }

        [JsonPropertyName("target_index_name")]
        public string? TargetIndexName { get; set; }

        [JsonPropertyName("target_index_id")]
        public string? TargetIndexId { get; set; }

        [JsonPropertyName("status")]
        public string? Status { get; set; }

        [JsonPropertyName("created_at")]
        public string? CreatedAt { get; set; }

        [JsonPropertyName("completed_at")]
        public string? CompletedAt { get; set; }

        [JsonPropertyName("percent_complete")]
        public double? PercentComplete { get; set; }
    }

    internal sealed class PaginationJson
    {
        [JsonPropertyName("next")]
        public string? Next { get; set; }
    }

    internal sealed class ListJson<T>
    {
        [JsonPropertyName("data")]
        public List<T>? Data { get; set; }

        [JsonPropertyName("pagination")]
        public PaginationJson? Pagination { get; set; }
    }

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

    /// <summary>Reads 2xx bodies into models: lenient where real servers differ from the spec (NOTES.md), strict elsewhere.</summary>
    internal static class ResponseReader
    {
        private static readonly JsonSerializerOptions s_options = new JsonSerializerOptions
        {
            // Unknown fields are ignored by default; numbers stay numbers (no "42" strings).
            PropertyNameCaseInsensitive = false,
        };

        public static RestoreJob ReadRestoreJob(ApiResponse response)
        {
            RestoreJobJson json = Deserialize<RestoreJobJson>(response);
            return ToRestoreJob(json, response, "$");
        }

        public static Page<RestoreJob> ReadRestoreJobPage(ApiResponse response)
        {
            ListJson<RestoreJobJson> json = Deserialize<ListJson<RestoreJobJson>>(response);
            if (json.Data == null)
            {
                throw Invalid(response, "the required field 'data' is missing or null");
            }

            var jobs = new List<RestoreJob>(json.Data.Count);
            for (int i = 0; i < json.Data.Count; i++)
            {
                RestoreJobJson? item = json.Data[i];
                string path = $"$.data[{i}]";
                jobs.Add(item == null ? throw Invalid(response, $"{path} is null") : ToRestoreJob(item, response, path));
            }

            // The spec marks next required, yet its own examples send "pagination": null: null, absent and empty all end.
            string? next = string.IsNullOrEmpty(json.Pagination?.Next) ? null : json.Pagination!.Next;
            return new Page<RestoreJob>(jobs, next);
        }

        private static T Deserialize<T>(ApiResponse response)
            where T : class
        {
            if (string.IsNullOrWhiteSpace(response.Body))
            {
                throw Invalid(response, "the body is empty");
            }

            try
            {
                return JsonSerializer.Deserialize<T>(response.Body, s_options) ?? throw Invalid(response, "the body is JSON null");
            }
            catch (JsonException ex)
            {
                throw Invalid(response, $"the body is not the expected JSON: {ex.Message.TrimEnd('.')}", ex);
            }
        }

        private static RestoreJob ToRestoreJob(RestoreJobJson json, ApiResponse response, string path)
        {
            return new RestoreJob(
                Required(json.RestoreJobId, "restore_job_id", response, path),
                Required(json.BackupId, "backup_id", response, path),
                Required(json.TargetIndexName, "target_index_name", response, path),
                Required(json.TargetIndexId, "target_index_id", response, path),
                Required(json.Status, "status", response, path),
                // created_at is required by the spec, but servers send null (NOTES.md): accept it.
                Timestamp(json.CreatedAt, "created_at", response, path),
                Timestamp(json.CompletedAt, "completed_at", response, path),
                json.PercentComplete);
        }

        private static string Required(string? value, string field, ApiResponse response, string path)
        {
            if (value == null)
            {
                throw Invalid(response, $"the required field '{field}' is missing or null at {path}");
            }

            return value;
        }

        /// <summary>Parses ISO 8601 with or without fractional seconds, with Z or an offset, to a UTC DateTime.</summary>
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

        private static DateTime? Timestamp(string? value, string field, ApiResponse response, string path)
        {
            try
            {
                return ParseTimestamp(value);
            }
            catch (FormatException ex)
            {
                throw Invalid(response, $"'{field}' at {path}: {ex.Message}", ex);
            }
        }

        private static PineconeInvalidResponseException Invalid(ApiResponse response, string what, Exception? inner = null) =>
            new PineconeInvalidResponseException($"Pinecone answered {response.Method} {response.RequestUri} with HTTP {response.StatusCode}, but {what}.", response.RequestUri, inner);
    }
}
