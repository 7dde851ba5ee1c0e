using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PineconeRestore.Emulator;

/// <summary>Writes the spec's wire shapes byte-exactly (snake_case, ISO-8601 UTC with milliseconds). Null optional fields are omitted.</summary>
internal static class WireJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>camelCase, enums as strings, unknown properties refused: the admin endpoints' shapes.</summary>
    public static readonly JsonSerializerOptions Admin = CreateAdminOptions();

    private static JsonSerializerOptions CreateAdminOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        o.Converters.Add(new JsonStringEnumConverter());
        return o;
    }

    /// <summary>ISO-8601 UTC with milliseconds (yyyy-MM-ddTHH:mm:ss.fffZ), written as UTF-8 digits without a format
    /// string: a page of 100 jobs writes 200 of them, and the format-string path was a tenth of the emulator's time per page.</summary>
    private static void WriteTimestamp(Utf8JsonWriter w, string name, DateTimeOffset t)
    {
        var u = t.UtcDateTime;
        Span<byte> b = stackalloc byte[24];
        Digits(b[..4], u.Year);
        b[4] = (byte)'-';
        Digits(b.Slice(5, 2), u.Month);
        b[7] = (byte)'-';
        Digits(b.Slice(8, 2), u.Day);
        b[10] = (byte)'T';
        Digits(b.Slice(11, 2), u.Hour);
        b[13] = (byte)':';
        Digits(b.Slice(14, 2), u.Minute);
        b[16] = (byte)':';
        Digits(b.Slice(17, 2), u.Second);
        b[19] = (byte)'.';
        Digits(b.Slice(20, 3), u.Millisecond);
        b[23] = (byte)'Z';
        w.WriteString(name, b);
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

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

    public static byte[] Error(ApiError e) => Error(e.Status, e.Code, e.Message);

    /// <summary>The data plane's rpcStatus: {"code":&lt;gRPC code&gt;,"message":...,"details":[]}.</summary>
    public static byte[] RpcStatus(int grpcCode, string message) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("code", grpcCode);
        w.WriteString("message", message);
        w.WriteStartArray("details");
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] Job(EmulatedRestoreJob job) => Write(w => WriteJob(w, job));

    public static byte[] Backup(EmulatedBackup backup) => Write(w => WriteBackup(w, backup));

    public static byte[] Index(EmulatedIndex index, string host) => Write(w => WriteIndex(w, index, host));

    public static byte[] IndexList(IReadOnlyList<(EmulatedIndex Index, string Host)> indexes) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("indexes");
        foreach (var (index, host) in indexes) WriteIndex(w, index, host);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] CreateIndexFromBackupResponse(string restoreJobId, string indexId) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("restore_job_id", restoreJobId);
        w.WriteString("index_id", indexId);
        w.WriteEndObject();
    });

    /// <summary>IndexDescription: namespaces.{name}.vectorCount, dimension, indexFullness, totalVectorCount, metric, vectorType.</summary>
    public static byte[] IndexStats(EmulatedIndex index, IReadOnlyDictionary<string, long> namespaces) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("namespaces");
        foreach (var (name, count) in namespaces)
        {
            w.WriteStartObject(name);
            w.WriteNumber("vectorCount", count);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        if (index.Dimension is { } d) w.WriteNumber("dimension", d);
        w.WriteNumber("indexFullness", 0);
        w.WriteNumber("totalVectorCount", namespaces.Values.Sum());
        w.WriteString("metric", index.Metric);
        w.WriteString("vectorType", index.VectorType);
        w.WriteEndObject();
    });

    /// <summary>{"data":[...],"pagination":{"next":"..."}} or "pagination": null on the last page.</summary>
    public static byte[] List<T>(IReadOnlyList<T> items, string? next, Action<Utf8JsonWriter, T> writeItem) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var item in items) writeItem(w, item);
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

    public static void WriteJob(Utf8JsonWriter w, EmulatedRestoreJob j)
    {
        w.WriteStartObject();
        w.WriteString("restore_job_id", j.RestoreJobId);
        w.WriteString("backup_id", j.BackupId);
        w.WriteString("target_index_name", j.TargetIndexName);
        w.WriteString("target_index_id", j.TargetIndexId);
        w.WriteString("status", j.Status);
        if (j.CreatedAt is { } created) WriteTimestamp(w, "created_at", created); else w.WriteNull("created_at");
        if (j.CompletedAt is { } completed) WriteTimestamp(w, "completed_at", completed);
        if (j.PercentComplete is { } percent) w.WriteNumber("percent_complete", percent);
        w.WriteEndObject();
    }

    public static void WriteBackup(Utf8JsonWriter w, EmulatedBackup b)
    {
        w.WriteStartObject();
        w.WriteString("backup_id", b.BackupId);
        w.WriteString("source_index_name", b.SourceIndexName);
        w.WriteString("source_index_id", b.SourceIndexId);
        if (b.Name is not null) w.WriteString("name", b.Name);
        if (b.Description is not null) w.WriteString("description", b.Description);
        w.WriteString("status", b.Status);
        w.WriteString("cloud", b.Cloud);
        w.WriteString("region", b.Region);
        if (b.Dimension is { } d) w.WriteNumber("dimension", d);
        if (b.Metric is not null) w.WriteString("metric", b.Metric);
        if (b.RecordCount is { } r) w.WriteNumber("record_count", r);
        if (b.NamespaceCount is { } n) w.WriteNumber("namespace_count", n);
        if (b.SizeBytes is { } s) w.WriteNumber("size_bytes", s);
        if (b.Tags is not null) WriteTags(w, b.Tags);
        if (b.CreatedAt is { } c) WriteTimestamp(w, "created_at", c);
        w.WriteEndObject();
    }

    private static void WriteIndex(Utf8JsonWriter w, EmulatedIndex i, string host)
    {
        w.WriteStartObject();
        w.WriteString("name", i.Name);
        if (i.Dimension is { } d) w.WriteNumber("dimension", d);
        w.WriteString("metric", i.Metric);
        w.WriteString("host", host);
        w.WriteString("deletion_protection", i.DeletionProtection);
        if (i.Tags is not null) WriteTags(w, i.Tags);
        w.WriteStartObject("spec");
        w.WriteStartObject("serverless");
        w.WriteString("cloud", i.Cloud);
        w.WriteString("region", i.Region);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("status");
        w.WriteBoolean("ready", EmulatorState.IsReady(i.State));
        w.WriteString("state", i.State);
        w.WriteEndObject();
        w.WriteString("vector_type", i.VectorType);
        w.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter w, Dictionary<string, string> tags)
    {
        w.WriteStartObject("tags");
        foreach (var (k, v) in tags) w.WriteString(k, v);
        w.WriteEndObject();
    }

    // One buffer and writer per thread, reused: a page is written once into a buffer that has already grown to page
    // size and copied out once, instead of a MemoryStream doubling its way up and a writer flushing into it.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(32 * 1024);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        w.Reset(buffer);
        try
        {
            write(w);
            w.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            w.Reset(); // a write that threw leaves nothing half-written for the next one
        }
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
