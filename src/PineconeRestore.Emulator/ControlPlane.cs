using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PineconeRestore.Emulator;

/// <summary>The control plane's routes (db_control 2025-04): restore jobs, backups, indexes. Ids come from the raw path.</summary>
internal sealed class ControlPlane(EmulatorState state, Paging paging, DataPlaneHosts hosts)
{
    public void Map(IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/restore-jobs");
        jobs.MapGet("", ListRestoreJobsAsync).WithName(Operations.ListRestoreJobs);
        jobs.MapGet("/{job_id}", DescribeRestoreJobAsync).WithName(Operations.DescribeRestoreJob);

        var backups = app.MapGroup("/backups");
        backups.MapGet("", context => ListBackupsAsync(context, null)).WithName(Operations.ListProjectBackups);
        backups.MapGet("/{backup_id}", DescribeBackupAsync).WithName(Operations.DescribeBackup);
        backups.MapDelete("/{backup_id}", DeleteBackupAsync).WithName(Operations.DeleteBackup);
        backups.MapPost("/{backup_id}/create-index", CreateIndexFromBackupAsync).WithName(Operations.CreateIndexFromBackup);

        var indexes = app.MapGroup("/indexes");
        indexes.MapGet("", ListIndexesAsync).WithName(Operations.ListIndexes);
        indexes.MapGet("/{index_name}", DescribeIndexAsync).WithName(Operations.DescribeIndex);
        indexes.MapDelete("/{index_name}", DeleteIndexAsync).WithName(Operations.DeleteIndex);
        indexes.MapGet("/{index_name}/backups", context => ListBackupsAsync(context, RequestInfo.Of(context).Segment(2))).WithName(Operations.ListIndexBackups);
        indexes.MapPost("/{index_name}/backups", CreateBackupAsync).WithName(Operations.CreateBackup);
    }

    // ---- restore jobs -----------------------------------------------------------------------------------------------

    private async Task ListRestoreJobsAsync(HttpContext context)
    {
        var scope = RequestInfo.Of(context).RawPath;
        if (!paging.TryParse(context, scope, out var request, out var error)) { await Http.ErrorAsync(context, error); return; }
        var (page, _) = state.RestoreJobPage(request.Offset, request.Limit);
        await Http.WriteAsync(context, 200, WireJson.List(page, paging.Next(scope, request, page.Length), WireJson.WriteJob));
    }

    private async Task DescribeRestoreJobAsync(HttpContext context)
    {
        var id = RequestInfo.Of(context).Segment(2);
        if (state.FindRestoreJob(id) is { } job) await Http.WriteAsync(context, 200, WireJson.Job(job));
        else await Http.ErrorAsync(context, 404, "NOT_FOUND", $"Restore job {id} not found.");
    }

    // ---- backups ----------------------------------------------------------------------------------------------------

    private async Task ListBackupsAsync(HttpContext context, string? indexName)
    {
        var scope = RequestInfo.Of(context).RawPath;
        if (!paging.TryParse(context, scope, out var request, out var error)) { await Http.ErrorAsync(context, error); return; }
        if (state.BackupPage(indexName, request.Offset, request.Limit) is not { } result)
        {
            await Http.ErrorAsync(context, 404, "NOT_FOUND", $"Index {indexName} not found.");
            return;
        }
        await Http.WriteAsync(context, 200, WireJson.List(result.Page, paging.Next(scope, request, result.Page.Length), WireJson.WriteBackup));
    }

    private async Task DescribeBackupAsync(HttpContext context)
    {
        var id = RequestInfo.Of(context).Segment(2);
        if (state.FindBackup(id) is { } backup) await Http.WriteAsync(context, 200, WireJson.Backup(backup));
        else await Http.ErrorAsync(context, 404, "NOT_FOUND", $"Backup {id} not found.");
    }

    private async Task CreateBackupAsync(HttpContext context)
    {
        var indexName = RequestInfo.Of(context).Segment(2);
        var body = await ReadObjectAsync(context);
        if (body.Error is { } bad) { await Http.ErrorAsync(context, bad); return; }
        if (!TryString(body.Object!, "name", out var name, out var problem) || !TryString(body.Object!, "description", out var description, out problem))
        {
            await Http.ErrorAsync(context, problem!.Value);
            return;
        }
        var backup = state.CreateBackup(indexName, name, description, out var error);
        if (error is { } e) await Http.ErrorAsync(context, e);
        else await Http.WriteAsync(context, 201, WireJson.Backup(backup));
    }

    private async Task DeleteBackupAsync(HttpContext context)
    {
        if (state.DeleteBackup(RequestInfo.Of(context).Segment(2), out var error)) await Http.NoContentAsync(context, 202);
        else await Http.ErrorAsync(context, error!.Value);
    }

    private async Task CreateIndexFromBackupAsync(HttpContext context)
    {
        var info = RequestInfo.Of(context);
        var body = await ReadObjectAsync(context);
        if (body.Error is { } bad) { await Http.ErrorAsync(context, bad); return; }
        var obj = body.Object!;
        if (!obj.ContainsKey("name") || obj["name"] is null)
        {
            await Http.ErrorAsync(context, 422, "UNPROCESSABLE_ENTITY", "Failed to deserialize the JSON body into the target type: missing field `name`");
            return;
        }
        if (!TryString(obj, "name", out var name, out var problem) || !TryString(obj, "deletion_protection", out var protection, out problem)
            || !TryTags(obj, out var tags, out problem))
        {
            await Http.ErrorAsync(context, problem!.Value);
            return;
        }
        if (protection is not (null or "enabled" or "disabled"))
        {
            await Http.ErrorAsync(context, 422, "UNPROCESSABLE_ENTITY",
                $"Failed to deserialize the JSON body into the target type: deletion_protection: unknown variant `{protection}`, expected `disabled` or `enabled`");
            return;
        }
        if (EmulatorState.IndexNameProblem(name!) is { } nameProblem) { await Http.ErrorAsync(context, 400, "INVALID_ARGUMENT", nameProblem); return; }
        if (tags is not null && EmulatorState.TagsProblem(tags) is { } tagProblem) { await Http.ErrorAsync(context, 400, "INVALID_ARGUMENT", tagProblem); return; }

        var (jobId, indexId) = state.CreateIndexFromBackup(info.Segment(2), name!, tags, protection, info.Fault, out var error);
        if (error is { } e) await Http.ErrorAsync(context, e);
        else await Http.WriteAsync(context, 202, WireJson.CreateIndexFromBackupResponse(jobId, indexId));
    }

    // ---- indexes ----------------------------------------------------------------------------------------------------

    private async Task ListIndexesAsync(HttpContext context)
    {
        var served = new List<(EmulatedIndex, string)>();
        foreach (var index in state.Indexes) served.Add((index, await hosts.HostForAsync(index.IndexId)));
        await Http.WriteAsync(context, 200, WireJson.IndexList(served));
    }

    private async Task DescribeIndexAsync(HttpContext context)
    {
        var name = RequestInfo.Of(context).Segment(2);
        if (state.FindIndex(name) is { } index) await Http.WriteAsync(context, 200, WireJson.Index(index, await hosts.HostForAsync(index.IndexId)));
        else await Http.ErrorAsync(context, 404, "NOT_FOUND", $"Index {name} not found.");
    }

    private async Task DeleteIndexAsync(HttpContext context)
    {
        if (state.DeleteIndex(RequestInfo.Of(context).Segment(2), out var error)) await Http.NoContentAsync(context, 202);
        else await Http.ErrorAsync(context, error!.Value);
    }

    // ---- request bodies, read the way the real (axum) server does: bad JSON 400, wrong shape 422 -------------------

    internal static async Task<(JsonObject? Object, ApiError? Error)> ReadObjectAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            return (null, new ApiError(400, "INVALID_ARGUMENT", "Failed to parse the request body as JSON: " + e.Message));
        }
        return node is JsonObject obj
            ? (obj, null)
            : (null, new ApiError(422, "UNPROCESSABLE_ENTITY", $"Failed to deserialize the JSON body into the target type: invalid type: {Kind(node)}, expected an object"));
    }

    private static bool TryString(JsonObject obj, string field, out string? value, out ApiError? error)
    {
        value = null;
        error = null;
        var node = obj[field];
        if (node is null) return true;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        error = new ApiError(422, "UNPROCESSABLE_ENTITY", $"Failed to deserialize the JSON body into the target type: {field}: invalid type: {Kind(node)}, expected a string");
        return false;
    }

    private static bool TryTags(JsonObject obj, out Dictionary<string, string>? tags, out ApiError? error)
    {
        tags = null;
        error = null;
        var node = obj["tags"];
        if (node is null) return true;
        if (node is JsonObject t && t.All(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            tags = t.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
            return true;
        }
        error = new ApiError(422, "UNPROCESSABLE_ENTITY", "Failed to deserialize the JSON body into the target type: tags: invalid type, expected a map of strings");
        return false;
    }

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Array => "sequence",
        JsonValueKind.Object => "map",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "boolean",
    };
}
