using System.Net.Http;
using System.Text;
using System.Text.Json.Serialization;
using PineconeRestore.Client;

namespace PineconeRestore.Client.Tests;

/// <summary>
/// The generic reader: a model declared as a wire class plus a map (as backups and indexes are), and the hand-written
/// restore-job model, against bodies right and wrong.
/// </summary>
public sealed class ResponseReaderTests
{
    private static readonly Uri s_uri = new("https://api.pinecone.io/backups");

    private static ApiResponse Response(string body, string? charset = null) => Response(Encoding.UTF8.GetBytes(body), charset);

    private static ApiResponse Response(byte[] body, string? charset = null) => new("GET", s_uri, 200, "application/json", charset, body);

    private static PineconeInvalidResponseException Invalid(Action read) => Assert.Throws<PineconeInvalidResponseException>(read);

    [Fact]
    public void A_wire_model_reads_nested_objects_tags_and_timestamps_in_a_page()
    {
        Page<TestBackup> page = ResponseReader.ReadPage(Response("""
            {"data":[
              {"backup_id":"b1","status":"Ready","dimension":8,"tags":{"team":"search","env":"prod"},"created_at":"2025-02-04T15:30:00+02:30",
               "spec":{"serverless":{"cloud":"aws","region":"us-east-1"}},"future":[1,{"x":2}]},
              {"backup_id":"b2","status":"Initializing","tags":null,"created_at":null,"spec":{"serverless":{"cloud":"gcp","region":"europe-west4"}}}
            ],"pagination":{"next":"tok"}}
            """), TestBackup.Model);

        Assert.Equal("tok", page.Next);
        Assert.Equal(2, page.Items.Count);
        TestBackup first = page.Items[0];
        Assert.Equal(("b1", "Ready", 8, "aws", "us-east-1"), (first.Id, first.Status, first.Dimension, first.Cloud, first.Region));
        Assert.Equal(new DateTime(2025, 2, 4, 13, 0, 0, DateTimeKind.Utc), first.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, first.CreatedAt!.Value.Kind);
        Assert.Equal("prod", first.Tags!["env"]);
        Assert.Null(page.Items[1].Tags);
        Assert.Null(page.Items[1].CreatedAt);
        Assert.Same("Ready", first.Status); // a usual status is one shared string
    }

    [Fact]
    public void A_small_object_and_a_single_model_read_with_One()
    {
        CreatedIndex created = CreatedIndex.Model.One(Response("""{"restore_job_id":"rj","index_id":"ix"}"""));
        TestBackup backup = TestBackup.Model.One(Response("""{"backup_id":"b","status":"Ready","spec":{"serverless":{"cloud":"aws","region":"r"}}}"""));

        Assert.Equal(("rj", "ix"), (created.RestoreJobId, created.IndexId));
        Assert.Equal("b", backup.Id);
    }

    [Fact]
    public void An_unpaged_list_reads_under_its_own_name()
    {
        IReadOnlyList<CreatedIndex> list = ResponseReader.ReadList(Response("""{"indexes":[{"restore_job_id":"a","index_id":"1"},{"restore_job_id":"b","index_id":"2"}]}"""), CreatedIndex.Model, "indexes");

        Assert.Equal(new[] { "a", "b" }, list.Select(i => i.RestoreJobId));
    }

    [Theory]
    [InlineData("""{"data":[{"backup_id":"b","status":"Ready","spec":{"serverless":{"cloud":"aws","region":"r"}}},{"backup_id":"c","status":"Ready","spec":{"serverless":{"region":"r"}}}]}""", "the required field 'spec.serverless.cloud' is missing or null at $.data[1]")]
    [InlineData("""{"data":[{"backup_id":"b","status":"Ready","dimension":"8","spec":{}}]}""", "at $.data[0].dimension")]
    [InlineData("""{"data":[{"backup_id":"b","status":"Ready","tags":{"a":1},"spec":{}}]}""", "at $.data[0].tags.a")]
    [InlineData("""{"data":[{"backup_id":"b","status":"Ready","created_at":"yesterday","spec":{}}]}""", "at $.data[0].created_at: 'yesterday' is not an ISO 8601 timestamp")]
    [InlineData("""{"data":[null]}""", "an item is null at $.data[0]")]
    [InlineData("""{"data":["b1"]}""", "an item is a string, not an object at $.data[0]")]
    [InlineData("""{"data":{}}""", "'data' is an object, not an array")]
    [InlineData("""{"pagination":null}""", "the required field 'data' is missing or null")]
    [InlineData("""{"data":[],"pagination":"next"}""", "'pagination' is a string, not an object")]
    [InlineData("""[]""", "the body is an array, not an object")]
    [InlineData("""{"data":[]} {}""", "not the expected JSON")]
    [InlineData("""{"data":[""", "not the expected JSON")]
    [InlineData(" \r\n", "the body is empty")]
    [InlineData("null", "the body is JSON null")]
    public void A_page_that_breaks_the_model_names_where(string body, string named)
    {
        var error = Invalid(() => ResponseReader.ReadPage(Response(body), TestBackup.Model));

        Assert.Contains(named, error.Message);
        Assert.StartsWith("Pinecone answered GET https://api.pinecone.io/backups with HTTP 200, but ", error.Message);
    }

    [Theory]
    [InlineData("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending","percent_complete":"42"}""", "'percent_complete' is a string, not a number, at $")]
    [InlineData("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending","percent_complete":1e400}""", "'percent_complete' is a number out of range at $")]
    [InlineData("""{"restore_job_id":7,"backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending"}""", "'restore_job_id' is a number, not a string, at $")]
    [InlineData("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":{"s":1}}""", "'status' is an object, not a string, at $")]
    [InlineData("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending","created_at":5}""", "'created_at': a timestamp must be a string, not a number at $")]
    [InlineData("""{"backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending"}""", "the required field 'restore_job_id' is missing or null at $")]
    public void A_restore_job_that_breaks_the_spec_names_the_field(string body, string named)
    {
        var error = Invalid(() => RestoreJobModel.Instance.One(Response(body)));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Deep_nesting_invalid_UTF_8_and_odd_charsets_are_InvalidResponses_not_crashes()
    {
        string deep = """{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending","x":""" + new string('[', 200) + new string(']', 200) + "}";
        byte[] badUtf8 = Encoding.UTF8.GetBytes("""{"restore_job_id":"r?","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending"}""");
        badUtf8[Array.IndexOf(badUtf8, (byte)'?')] = 0xFF;

        Assert.Contains("not the expected JSON", Invalid(() => RestoreJobModel.Instance.One(Response(deep))).Message);
        Assert.Contains("not the expected JSON", Invalid(() => RestoreJobModel.Instance.One(Response(badUtf8))).Message);
        Assert.Contains("charset 'nope'", Invalid(() => RestoreJobModel.Instance.One(Response("{}", "nope"))).Message);
    }

    [Fact]
    public void A_byte_order_mark_and_a_quoted_UTF_8_charset_are_accepted()
    {
        byte[] body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Odd"}""")).ToArray();

        RestoreJob job = RestoreJobModel.Instance.One(Response(body, "\"UTF-8\""));

        Assert.Equal("Odd", job.Status);
    }

    [Theory]
    [InlineData("2025-02-04T13:00:00.000Z", "2025-02-04T13:00:00.0000000Z")]
    [InlineData("2025-02-04T13:00:00", "2025-02-04T13:00:00.0000000Z")]
    [InlineData("2025-02-04T08:00:00.5-05:00", "2025-02-04T13:00:00.5000000Z")]
    [InlineData("2025-02-04 13:00:00Z", "2025-02-04T13:00:00.0000000Z")]
    public void Timestamps_become_UTC_whatever_the_form(string sent, string utc)
    {
        RestoreJob job = RestoreJobModel.Instance.One(Response($$"""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Completed","completed_at":"{{sent}}"}"""));

        Assert.Equal(utc, job.CompletedAt!.Value.ToString("o"));
        Assert.Equal(DateTimeKind.Utc, job.CompletedAt.Value.Kind);
    }

    [Fact]
    public async Task A_response_without_a_body_needs_no_reader()
    {
        await using var server = new LoopbackServer();
        server.Answer(202, "").Answer(202, "whatever", "text/plain; charset=nope");
        var client = new PineconeHttpClient(new ClientSettings(server.BaseUrl, new ApiKey("k"), "tests", TimeSpan.FromSeconds(10), 0));

        await client.SendAsync(new ApiRequest(HttpMethod.Delete, "backups/b"), CancellationToken.None);
        await client.SendAsync(new ApiRequest(HttpMethod.Delete, "backups/b"), CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
    }

    /// <summary>Shaped like C's backup model: what a new model costs with <see cref="WireModel{TWire, T}"/>.</summary>
    private sealed record TestBackup(string Id, string Status, int? Dimension, string Cloud, string Region, DateTime? CreatedAt, IReadOnlyDictionary<string, string>? Tags)
    {
        public static readonly JsonModel<TestBackup> Model = new WireModel<Wire, TestBackup>((w, item) => new TestBackup(
            item.Required(w.BackupId, "backup_id"),
            item.Required(w.Status, "status"),
            w.Dimension,
            item.Required(w.Spec?.Serverless?.Cloud, "spec.serverless.cloud"),
            item.Required(w.Spec?.Serverless?.Region, "spec.serverless.region"),
            w.CreatedAt,
            w.Tags));

        private sealed class Wire
        {
            [JsonPropertyName("backup_id")] public string? BackupId { get; set; }

            [JsonPropertyName("status")][JsonConverter(typeof(KnownStringConverter))] public string? Status { get; set; }

            [JsonPropertyName("dimension")] public int? Dimension { get; set; }

            [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; set; }

            [JsonPropertyName("created_at")] public DateTime? CreatedAt { get; set; }

            [JsonPropertyName("spec")] public SpecWire? Spec { get; set; }
        }

        private sealed class SpecWire
        {
            [JsonPropertyName("serverless")] public ServerlessWire? Serverless { get; set; }
        }

        private sealed class ServerlessWire
        {
            [JsonPropertyName("cloud")] public string? Cloud { get; set; }

            [JsonPropertyName("region")] public string? Region { get; set; }
        }
    }

    private sealed record CreatedIndex(string RestoreJobId, string IndexId)
    {
        public static readonly JsonModel<CreatedIndex> Model = new WireModel<Wire, CreatedIndex>((w, item) =>
            new CreatedIndex(item.Required(w.RestoreJobId, "restore_job_id"), item.Required(w.IndexId, "index_id")));

        private sealed class Wire
        {
            [JsonPropertyName("restore_job_id")] public string? RestoreJobId { get; set; }

            [JsonPropertyName("index_id")] public string? IndexId { get; set; }
        }
    }
}
