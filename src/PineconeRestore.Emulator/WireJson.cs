using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PineconeRestore.Emulator;

/// <summary>Writes the spec's wire shapes byte-exactly (snake_case, ISO-8601 UTC with milliseconds).</summary>
internal static class WireJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>camelCase, enums as strings: the admin endpoints' shapes.</summary>
    public static readonly JsonSerializerOptions Admin = CreateAdminOptions();

    private static JsonSerializerOptions CreateAdminOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        o.Converters.Add(new JsonStringEnumConverter());
        return o;
    }

    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>{"error":{"code":...,"message":...},"status":N}</summary>
    public static byte[] Error(int status, string code, string message) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteNumber("status", status);
        w.WriteEndObject();
    });

    public static byte[] Job(EmulatedRestoreJob job, bool omitId) => Write(w => WriteJob(w, job, omitId));

    /// <summary>{"data":[...],"pagination":{"next":"..."}} or "pagination": null on the last page.</summary>
    public static byte[] List(IReadOnlyList<EmulatedRestoreJob> jobs, string? next, bool omitFirstId) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("data");
        for (var i = 0; i < jobs.Count; i++) WriteJob(w, jobs[i], omitFirstId && i == 0);
        w.WriteEndArray();
        if (next is null)
        {
            w.WriteNull("pagination");
        }
        else
        {
            w.WriteStartObject("pagination");
            w.WriteString("next", next);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    });

    private static void WriteJob(Utf8JsonWriter w, EmulatedRestoreJob j, bool omitId)
    {
        w.WriteStartObject();
        if (!omitId) w.WriteString("restore_job_id", j.RestoreJobId);
        w.WriteString("backup_id", j.BackupId);
        w.WriteString("target_index_name", j.TargetIndexName);
        w.WriteString("target_index_id", j.TargetIndexId);
        w.WriteString("status", j.Status);
        if (j.CreatedAt is { } created) w.WriteString("created_at", Timestamp(created)); else w.WriteNull("created_at");
        if (j.CompletedAt is { } completed) w.WriteString("completed_at", Timestamp(completed));
        if (j.PercentComplete is { } percent) w.WriteNumber("percent_complete", percent);
        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, WriterOptions)) write(w);
        return ms.ToArray();
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
