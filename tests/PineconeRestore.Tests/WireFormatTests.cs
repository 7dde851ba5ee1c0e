using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>
/// Bodies the way real servers send them (NOTES.md), replayed byte for byte: lenient where the spec and the server
/// disagree, strict where a body breaks the spec.
/// </summary>
public sealed class WireFormatTests : EmulatorTestBase
{
    protected override int? ConnectWithMaxRetries => 0;

    private void Answer(string body, int status = 200) =>
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.CustomBody, StatusCode = status, Body = body, Remaining = -1 });

    [Fact]
    public void The_specs_own_list_example_with_pagination_null_reads_as_one_page()
    {
        Answer("""
            {"data":[{"backup_id":"670e8400-e29b-41d4-a716-446655440000","completed_at":"2024-03-15T10:35:00.000Z","created_at":"2024-03-15T10:30:00.000Z",
            "percent_complete":100,"restore_job_id":"670e8400-e29b-41d4-a716-446655440001","status":"Completed","target_index_id":"idx_456","target_index_name":"my-index"}],
            "pagination":null}
            """);

        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        JobView job = Assert.Single(result.Jobs());
        Assert.Equal(new JobView("670e8400-e29b-41d4-a716-446655440001", "670e8400-e29b-41d4-a716-446655440000", "my-index", "idx_456", "Completed",
            new DateTime(2024, 3, 15, 10, 30, 0, DateTimeKind.Utc), new DateTime(2024, 3, 15, 10, 35, 0, DateTimeKind.Utc), 100.0), job);
        Assert.Single(Emulator.State.Requests);
    }

    [Theory]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"data":[],"pagination":null}""")]
    [InlineData("""{"data":[],"pagination":{}}""")]
    [InlineData("""{"data":[],"pagination":{"next":null}}""")]
    [InlineData("""{"data":[],"pagination":{"next":""}}""")]
    public void Every_way_of_saying_last_page_ends_the_list(string body)
    {
        Answer(body);

        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Single(Emulator.State.Requests);
    }

    [Theory]
    [InlineData("2025-02-04T13:00:00.000Z", "2025-02-04T13:00:00.0000000Z")]
    [InlineData("2025-02-04T13:00:00Z", "2025-02-04T13:00:00.0000000Z")]
    [InlineData("2025-02-04T13:00:00.123456Z", "2025-02-04T13:00:00.1234560Z")]
    [InlineData("2025-02-04T15:30:00+02:30", "2025-02-04T13:00:00.0000000Z")]
    [InlineData("2025-02-04T08:00:00.5-05:00", "2025-02-04T13:00:00.5000000Z")]
    public void Timestamps_with_or_without_fractions_and_with_Z_or_an_offset_become_UTC(string sent, string expectedUtc)
    {
        Answer($$"""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Completed","created_at":"{{sent}}","completed_at":"{{sent}}"}""");

        PsResult result = Ps.Run("$j = Get-PineconeRestoreJob 'r'; $j.CreatedAt.ToString('o'); $j.CreatedAt.Kind.ToString(); $j.CompletedAt.ToString('o')");

        Assert.Equal(new object[] { expectedUtc, "Utc", expectedUtc }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_missing_optional_ones_are_null()
    {
        Answer("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending","created_at":null,"future_field":{"a":[1,2]},"region":"us-east-1"}""");

        PsResult result = Ps.Run("Get-PineconeRestoreJob 'r'");

        Assert.Empty(result.Errors);
        JobView job = Assert.Single(result.Jobs());
        Assert.Equal("Pending", job.Status);
        Assert.Null(job.CreatedAt);
        Assert.Null(job.CompletedAt);
        Assert.Null(job.PercentComplete);
    }

    [Fact]
    public void A_status_the_spec_does_not_list_is_kept_as_sent()
    {
        Answer("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Paused","created_at":"2025-01-01T00:00:00Z","percent_complete":42.2}""");

        PsResult result = Ps.Run("Get-PineconeRestoreJob 'r' | Where Status -eq paused");

        JobView job = Assert.Single(result.Jobs());
        Assert.Equal("Paused", job.Status);
        Assert.Equal(42.2, job.PercentComplete);
    }

    [Theory]
    [InlineData("""{"backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending"}""", "restore_job_id")]
    [InlineData("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":null}""", "status")]
    [InlineData("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending","created_at":"yesterday"}""", "created_at")]
    [InlineData("""{"restore_job_id":"r","backup_id":"b","target_index_name":"i","target_index_id":"x","status":"Pending","percent_complete":"42"}""", "percent_complete")]
    [InlineData("""{"restore_job_id":"r",""", "not the expected JSON")]
    [InlineData("", "empty")]
    [InlineData("null", "JSON null")]
    public void A_success_that_breaks_the_spec_is_InvalidResponse_naming_what(string body, string named)
    {
        Answer(body);

        PsResult result = Ps.Run("Get-PineconeRestoreJob 'r'");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("InvalidResponse" + CommandFqid, error.FullyQualifiedErrorId);
        Assert.Contains(named, error.Exception.Message);
    }

    [Fact]
    public void A_list_without_data_is_InvalidResponse()
    {
        Answer("""{"pagination":null}""");

        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        Assert.Equal("InvalidResponse" + CommandFqid, result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Contains("'data'", result.TerminatingRecord.Exception.Message);
    }

    [Fact]
    public void An_error_body_with_details_and_extra_fields_still_gives_code_and_message()
    {
        Answer("""{"error":{"code":"FAILED_PRECONDITION","message":"Backup is not ready.","details":{"backup":"b"}},"status":412,"trace":"abc"}""", 412);

        PsResult result = Ps.Run("Get-PineconeRestoreJob 'r'");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("FAILED_PRECONDITION" + CommandFqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal("Backup is not ready.", error.Exception.Prop("ApiMessage"));
    }
}
