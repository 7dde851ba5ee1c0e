using System.Management.Automation;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;

namespace PineconeRestore.Tests;

/// <summary>Get-PineconeRestoreJob without ids: every job, pages followed, as a user pipes it.</summary>
public sealed class ListRestoreJobTests : EmulatorTestBase
{

    private List<LoggedRequest> ListRequests() => Emulator.State.Requests.Where(r => r.Path == "/restore-jobs").ToList();

    [Fact]
    public void Lists_every_job_as_typed_objects_in_the_APIs_order()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.All(result.Output, o => Assert.Equal("PineconeRestore.RestoreJob", o.TypeNames[0]));
        Assert.Equal(Emulator.State.RestoreJobs.Select(j => j.RestoreJobId), result.JobIds());
    }

    [Fact]
    public void Where_Status_eq_Completed_keeps_the_completed_jobs()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob | Where Status -eq Completed");

        var expected = Emulator.State.RestoreJobs.Where(j => j.Status == "Completed").Select(j => j.RestoreJobId).ToList();
        Assert.True(expected.Count >= 2, "the emulator seeds several completed jobs");
        Assert.Equal(expected, result.JobIds());
    }

    [Fact]
    public void Every_property_matches_what_the_API_sent()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        var byId = result.Jobs().ToDictionary(j => j.RestoreJobId);
        foreach (EmulatedRestoreJob expected in Emulator.State.RestoreJobs)
        {
            JobView actual = byId[expected.RestoreJobId];
            Assert.Equal(expected.BackupId, actual.BackupId);
            Assert.Equal(expected.TargetIndexName, actual.TargetIndexName);
            Assert.Equal(expected.TargetIndexId, actual.TargetIndexId);
            Assert.Equal(expected.Status, actual.Status);
            Assert.Equal(expected.CreatedAt?.UtcDateTime, actual.CreatedAt);
            Assert.Equal(expected.CompletedAt?.UtcDateTime, actual.CompletedAt);
            Assert.Equal(expected.PercentComplete, actual.PercentComplete);
            if (actual.CreatedAt != null)
            {
                Assert.Equal(DateTimeKind.Utc, actual.CreatedAt.Value.Kind);
            }
        }

        Assert.Contains(result.Jobs(), j => j.CreatedAt == null);
    }

    [Fact]
    public void Dates_are_datetimes_and_nulls_are_null_in_PowerShell()
    {
        PsResult result = Ps.Run(@"
            $jobs = Get-PineconeRestoreJob
            ($jobs | Where-Object { $null -ne $_.CreatedAt } | ForEach-Object { $_.CreatedAt -is [datetime] }) -notcontains $false
            @($jobs | Where-Object { $null -eq $_.CreatedAt }).Count
            @($jobs | Where-Object { $_.Status -eq 'Pending' -and $null -eq $_.CompletedAt }).Count -gt 0
            ($jobs | Where-Object PercentComplete -ge 100 | ForEach-Object { $_.PercentComplete -is [double] }) -notcontains $false");

        Assert.Empty(result.Errors);
        Assert.Equal(new object[] { true, 1, true, true }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void Follows_every_page_and_sends_the_page_size_as_limit()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -PageSize 5");

        Assert.Equal(Emulator.State.RestoreJobs.Count, result.Output.Count);
        List<LoggedRequest> requests = ListRequests();
        Assert.Equal((int)Math.Ceiling(Emulator.State.RestoreJobs.Count / 5.0), requests.Count);
        Assert.All(requests, r => Assert.Contains("limit=5", r.Query));
        Assert.DoesNotContain("paginationToken", requests[0].Query);
        Assert.All(requests.Skip(1), r => Assert.Contains("paginationToken=", r.Query));
    }

    [Fact]
    public void Sends_limit_100_by_default_because_spec_and_server_disagree()
    {
        Ps.Run("Get-PineconeRestoreJob");

        LoggedRequest request = Assert.Single(ListRequests());
        Assert.Equal("?limit=100", request.Query);
    }

    [Fact]
    public void Limit_is_an_alias_of_PageSize()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -Limit 7");

        // Without the alias the command fails to bind and sends nothing: check that it ran and what it sent.
        Assert.Null(result.Terminating);
        Assert.Equal(Emulator.State.RestoreJobs.Count, result.Output.Count);
        Assert.Equal("?limit=7", ListRequests()[0].Query);
    }

    [Fact]
    public void First_stops_requesting_pages_once_it_has_enough()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -PageSize 2 -First 3");

        Assert.Equal(Emulator.State.RestoreJobs.Take(3).Select(j => j.RestoreJobId), result.JobIds());
        Assert.Equal(2, ListRequests().Count);
    }

    [Fact]
    public void A_small_First_asks_for_a_small_page()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -First 3 -Skip 1");

        Assert.Equal(Emulator.State.RestoreJobs.Skip(1).Take(3).Select(j => j.RestoreJobId), result.JobIds());
        Assert.Equal("?limit=4", Assert.Single(ListRequests()).Query);
    }

    [Fact]
    public void First_0_writes_nothing_and_sends_nothing()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -First 0");

        Assert.Empty(result.Output);
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void Skip_and_First_page_through_the_list()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -PageSize 4 -Skip 5 -First 2");

        Assert.Equal(Emulator.State.RestoreJobs.Skip(5).Take(2).Select(j => j.RestoreJobId), result.JobIds());
        Assert.Equal(2, ListRequests().Count);
    }

    [Fact]
    public void IncludeTotalCount_reports_the_exact_count_when_every_page_was_read()
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob -IncludeTotalCount -PageSize 5");

        PSObject total = result.Output.Last();
        Assert.Equal((double)1.0, total.Properties["Accuracy"]?.Value);
        Assert.Equal((ulong)Emulator.State.RestoreJobs.Count, total.BaseObject);
    }

    [Fact]
    public async Task PaginationToken_starts_from_a_page_an_earlier_call_returned()
    {
        // The second page's token comes from the API itself, as a script would get it.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("Api-Key", Emulator.ApiKey);
        string firstPage = await http.GetStringAsync(new Uri(Emulator.BaseUrl, "restore-jobs?limit=4"));
        string token = System.Text.Json.JsonDocument.Parse(firstPage).RootElement.GetProperty("pagination").GetProperty("next").GetString()!;
        Emulator.State.ClearRequests();

        PsResult result = Ps.Run("Get-PineconeRestoreJob -PaginationToken $token -PageSize 4", ("token", token));

        Assert.Equal(Emulator.State.RestoreJobs.Skip(4).Select(j => j.RestoreJobId), result.JobIds());
        Assert.Contains("paginationToken=" + Uri.EscapeDataString(token), ListRequests()[0].Query);
    }

    [Fact]
    public void An_empty_project_lists_nothing_without_error()
    {
        Emulator.State.ClearRestoreJobs();

        PsResult result = Ps.Run("Get-PineconeRestoreJob");

        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        Assert.Null(result.Terminating);
    }

    [Fact]
    public void A_repeated_token_ends_the_list_with_an_error_after_the_jobs_already_written()
    {
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.RepeatToken, PathPrefix = "/restore-jobs", Remaining = -1 });

        PsResult result = Ps.Run("$jobs = [System.Collections.Generic.List[object]]::new(); try { Get-PineconeRestoreJob -PageSize 3 | ForEach-Object { $jobs.Add($_) } } catch { $caught = $_ }; $jobs.Count; $caught");

        Assert.True((int)result.Output[0].BaseObject >= 3, "the first page's jobs were written before the error");
        var record = (ErrorRecord)result.Output[1].BaseObject;
        Assert.StartsWith("RepeatedPaginationToken,", record.FullyQualifiedErrorId);
        Assert.Contains("a second time", record.Exception.Message);
        Assert.True(ListRequests().Count <= 3, "no endless loop");
    }

    [Theory]
    [InlineData("-PageSize 0")]
    [InlineData("-PageSize 101")]
    [InlineData("-PaginationToken ''")]
    public void Bad_arguments_fail_validation_before_any_request(string arguments)
    {
        PsResult result = Ps.Run("Get-PineconeRestoreJob " + arguments);

        Assert.IsType<ParameterBindingException>(result.TerminatingRecord.Exception, exactMatch: false);
        Assert.StartsWith("ParameterArgumentValidationError", result.TerminatingRecord.FullyQualifiedErrorId);
        Assert.Empty(Emulator.State.Requests);
    }

    [Fact]
    public void A_failure_while_listing_terminates_after_the_jobs_already_written()
    {
        // Page 1 is fine, page 2 fails with the spec's error body.
        Emulator.State.AddFault(new FaultRule { Kind = FaultKind.Status, PathPrefix = "/restore-jobs", StatusCode = 400, ErrorCode = "INVALID_ARGUMENT", Message = "Bad token." , Remaining = 1, SkipFirst = 1 });

        PsResult result = Ps.Run("$seen = 0; try { Get-PineconeRestoreJob -PageSize 5 | ForEach-Object { $seen++ } } catch { $caught = $_ }; $seen; $caught");

        Assert.Equal(5, result.Output[0].BaseObject);
        var record = (ErrorRecord)result.Output[1].BaseObject;
        Assert.Equal("INVALID_ARGUMENT,PineconeRestore.Commands.GetPineconeRestoreJobCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Contains("Bad token.", record.ToString());
    }
}
