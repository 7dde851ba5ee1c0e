using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PineconeRestore.Emulator;

/// <summary>
/// /_emulator/ endpoints for out-of-process control (no Api-Key, never logged, never faulted); documented in
/// docs/emulator.md. JSON is camelCase with enums as strings; an unknown property or a bad value is a 400 that says why.
/// </summary>
internal sealed class Admin(EmulatorState state, DataPlaneHosts hosts)
{
    public void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/_emulator");
        admin.MapPost("/reset", context => { state.Reset(); return Ok(context, new { ok = true, now = state.Clock.Now }); });

        admin.MapGet("/faults", context => Ok(context, state.Faults));
        admin.MapPost("/faults", AddFaultsAsync);
        admin.MapDelete("/faults", context => { state.ClearFaults(); return NoContent(context); });

        admin.MapGet("/random-faults", context => Ok(context, RandomFaultsView()));
        admin.MapPost("/random-faults", SetRandomFaultsAsync);
        admin.MapDelete("/random-faults", context => { state.ClearRandomFaults(); return NoContent(context); });

        admin.MapGet("/requests", context => Ok(context, state.Requests));
        admin.MapDelete("/requests", context => { state.ClearRequests(); return NoContent(context); });

        admin.MapGet("/jobs", context => Ok(context, state.RestoreJobs));
        admin.MapGet("/jobs/served", context => Ok(context, state.ServedRestoreJobs));
        admin.MapPost("/jobs", context => AddAsync<EmulatedRestoreJob>(context, j => string.IsNullOrEmpty(j.RestoreJobId) ? "restoreJobId is required." : null,
            (j, front) => state.AddRestoreJob(j, front)));
        admin.MapDelete("/jobs", context => { state.ClearRestoreJobs(); return NoContent(context); });
        admin.MapDelete("/jobs/{id}", context => Removed(context, state.RemoveRestoreJob(RequestInfo.Of(context).Segment(3))));

        admin.MapGet("/backups", context => Ok(context, state.Backups));
        admin.MapPost("/backups", context => AddAsync<EmulatedBackup>(context,
            b => string.IsNullOrEmpty(b.BackupId) ? "backupId is required." : string.IsNullOrEmpty(b.SourceIndexName) ? "sourceIndexName is required." : null,
            (b, front) => state.AddBackup(b, front)));
        admin.MapDelete("/backups", context => { state.ClearBackups(); return NoContent(context); });
        admin.MapDelete("/backups/{id}", context => Removed(context, state.RemoveBackup(RequestInfo.Of(context).Segment(3))));

        admin.MapGet("/indexes", context => Ok(context, state.Indexes));
        admin.MapPost("/indexes", context => AddAsync<EmulatedIndex>(context,
            i => string.IsNullOrEmpty(i.Name) ? "name is required." : i.DeletionProtection is not ("enabled" or "disabled") ? "deletionProtection must be enabled or disabled." : null,
            (i, _) => state.AddIndex(i)));
        admin.MapDelete("/indexes", context => { state.ClearIndexes(); return NoContent(context); });
        admin.MapDelete("/indexes/{name}", context => Removed(context, state.RemoveIndex(RequestInfo.Of(context).Segment(3))));
        admin.MapGet("/indexes/{name}/host", IndexHostAsync);

        admin.MapGet("/settings", context => Ok(context, Settings()));
        admin.MapPost("/settings", SetSettingsAsync);

        admin.MapGet("/clock", context => Ok(context, Clock()));
        admin.MapPost("/clock/advance", context => Number(context, "seconds", out var s) is { } bad ? bad
            : Ok(context, Clock(state.Clock.Advance(TimeSpan.FromSeconds(s)))));
        admin.MapPost("/clock/set", context =>
        {
            if (!DateTimeOffset.TryParse(context.Request.Query["time"], CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                return Bad(context, "Query parameter time must be an ISO-8601 timestamp.");
            state.Clock.Set(time);
            return Ok(context, Clock());
        });
        admin.MapPost("/clock/run", context =>
        {
            if (Number(context, "speed", out var speed) is { } bad) return bad;
            if (!(speed > 0)) return Bad(context, "Query parameter speed must be a positive number (clock seconds per wall second).");
            state.Clock.Run(speed);
            return Ok(context, Clock());
        });
        admin.MapPost("/clock/pause", context => { state.Clock.Pause(); return Ok(context, Clock()); });
    }

    private object Clock(DateTimeOffset? now = null) => new { now = now ?? state.Clock.Now, running = state.Clock.IsRunning, speed = state.Clock.Speed };

    private object Settings() => new
    {
        reportPercentComplete = state.ReportPercentComplete,
        backupReadyAfterSeconds = state.BackupReadyAfter.TotalSeconds,
        restoreCompleteAfterSeconds = state.RestoreCompleteAfter.TotalSeconds,
        indexReadyAfterSeconds = state.IndexReadyAfter.TotalSeconds,
        backupQuota = state.BackupQuota,
    };

    private object RandomFaultsView() => new
    {
        enabled = state.RandomFaultOptions is not null,
        options = state.RandomFaultOptions,
        counts = state.RandomFaultCounts.ToDictionary(p => p.Key.ToString(), p => p.Value),
    };

    private async Task IndexHostAsync(HttpContext context)
    {
        var name = RequestInfo.Of(context).Segment(3);
        if (state.FindIndex(name) is not { } index) { await Http.ErrorAsync(context, 404, "NOT_FOUND", $"Index {name} not found."); return; }
        await Ok(context, new { name, host = await hosts.HostForAsync(index.IndexId) });
    }

    // ---- faults -----------------------------------------------------------------------------------------------------

    /// <summary>One rule or an array of rules; all are checked before any is queued.</summary>
    private async Task AddFaultsAsync(HttpContext context)
    {
        if (await ReadNodeAsync(context) is not { } node) return;
        var items = node is JsonArray array ? array.ToList() : new List<JsonNode?> { node };
        var rules = new List<FaultRule>();
        foreach (var item in items)
        {
            if (FaultProblem(item, out var rule) is { } problem) { await Bad(context, (items.Count > 1 ? $"Fault {rules.Count + 1}: " : "") + problem); return; }
            rules.Add(rule!);
        }
        foreach (var rule in rules) state.AddFault(rule);
        await Ok<object>(context, node is JsonArray ? rules : rules[0], 201);
    }

    private static readonly string KindList = string.Join(", ", Enum.GetNames<FaultKind>());

    internal static string? FaultProblem(JsonNode? node, out FaultRule? rule)
    {
        rule = null;
        if (node is not JsonObject obj) return "A fault must be a JSON object with at least a kind, e.g. {\"kind\":\"Status\",\"statusCode\":503}.";
        var kindNode = obj.FirstOrDefault(p => string.Equals(p.Key, "kind", StringComparison.OrdinalIgnoreCase)).Value;
        if (kindNode is null) return $"A fault needs a kind: one of {KindList}.";
        var kindText = kindNode.GetValueKind() == JsonValueKind.String ? kindNode.GetValue<string>() : kindNode.ToJsonString();
        if (int.TryParse(kindText, out _) || !Enum.TryParse<FaultKind>(kindText, ignoreCase: true, out _))
            return $"Unknown fault kind '{kindText}': expected one of {KindList}.";
        try
        {
            rule = obj.Deserialize<FaultRule>(WireJson.Admin)!;
        }
        catch (JsonException e)
        {
            return "Invalid fault: " + e.Message;
        }
        if (rule.Remaining < -1) return "remaining must be -1 (forever) or a count of 0 or more.";
        if (rule.SkipFirst < 0) return "skipFirst must be 0 or more.";
        if (rule.LatencyMs < 0) return "latencyMs must be 0 or more.";
        if (rule.StatusCode is < 100 or > 599) return "statusCode must be an HTTP status between 100 and 599.";
        if (rule.Records is < 0) return "records must be 0 or more.";
        if (rule.Method is { } m && (m.Length == 0 || !m.All(char.IsAsciiLetter))) return $"method '{m}' is not an HTTP method name.";
        if (rule.PathPrefix is { } p && !p.StartsWith('/')) return "pathPrefix must start with '/', e.g. /restore-jobs/.";
        return null;
    }

    private async Task SetRandomFaultsAsync(HttpContext context)
    {
        if (await ReadNodeAsync(context) is not { } node) return;
        RandomFaultOptions options;
        try
        {
            options = node.Deserialize<RandomFaultOptions>(WireJson.Admin)!;
        }
        catch (JsonException e)
        {
            await Bad(context, "Invalid random fault options: " + e.Message);
            return;
        }
        if (options is null || options.Rate is < 0 or > 1 || double.IsNaN(options.Rate)) { await Bad(context, "rate must be between 0 and 1."); return; }
        if (options.DelayMs < 0) { await Bad(context, "delayMs must be 0 or more."); return; }
        state.SetRandomFaults(options);
        await Ok(context, RandomFaultsView(), 201);
    }

    // ---- settings ---------------------------------------------------------------------------------------------------

    private async Task SetSettingsAsync(HttpContext context)
    {
        if (await ReadNodeAsync(context) is not JsonObject obj) { await Bad(context, "Settings must be a JSON object."); return; }
        try
        {
            foreach (var (key, value) in obj)
            {
                switch (key.ToLowerInvariant())
                {
                    case "reportpercentcomplete": state.ReportPercentComplete = value!.GetValue<bool>(); break;
                    case "backupreadyafterseconds": state.BackupReadyAfter = Seconds(key, value); break;
                    case "restorecompleteafterseconds": state.RestoreCompleteAfter = Seconds(key, value); break;
                    case "indexreadyafterseconds": state.IndexReadyAfter = Seconds(key, value); break;
                    case "backupquota":
                        var quota = value?.GetValue<int>();
                        if (quota < 0) throw new ArgumentException("backupQuota must be 0 or more, or null for no limit.");
                        state.BackupQuota = quota;
                        break;
                    default:
                        throw new ArgumentException($"Unknown setting '{key}': expected reportPercentComplete, backupReadyAfterSeconds, restoreCompleteAfterSeconds, indexReadyAfterSeconds or backupQuota.");
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NullReferenceException)
        {
            await Bad(context, e is ArgumentException ? e.Message : "Invalid settings: " + e.Message);
            return;
        }
        await Ok(context, Settings());
    }

    private static TimeSpan Seconds(string key, JsonNode? value)
    {
        var s = value!.GetValue<double>();
        if (s < 0 || double.IsNaN(s)) throw new ArgumentException($"{key} must be 0 or more.");
        return TimeSpan.FromSeconds(s);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /// <summary>One item or an array; <c>?atFront=true</c> adds at the front of the list order.</summary>
    private static async Task AddAsync<T>(HttpContext context, Func<T, string?> problem, Action<T, bool> add) where T : class
    {
        if (await ReadNodeAsync(context) is not { } node) return;
        var atFront = string.Equals(context.Request.Query["atFront"], "true", StringComparison.OrdinalIgnoreCase);
        List<T> items;
        try
        {
            items = node is JsonArray ? node.Deserialize<List<T>>(WireJson.Admin)! : new List<T> { node.Deserialize<T>(WireJson.Admin)! };
        }
        catch (JsonException e)
        {
            await Bad(context, $"Invalid {typeof(T).Name}: " + e.Message);
            return;
        }
        foreach (var item in items)
        {
            var p = item is null ? "null is not an item." : problem(item);
            if (p is not null) { await Bad(context, p); return; }
        }
        foreach (var item in atFront ? Enumerable.Reverse(items) : items) add(item, atFront);
        await Ok<object>(context, node is JsonArray ? items : items[0], 201);
    }

    private static async Task<JsonNode?> ReadNodeAsync(HttpContext context)
    {
        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (node is null) await Bad(context, "The body must be JSON, not null.");
            return node;
        }
        catch (JsonException e)
        {
            await Bad(context, "The body is not valid JSON: " + e.Message);
            return null;
        }
    }

    private static Task? Number(HttpContext context, string name, out double value) =>
        double.TryParse(context.Request.Query[name], NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)
            ? null
            : Bad(context, $"Query parameter {name} must be a number.");

    private static Task Removed(HttpContext context, bool removed) =>
        removed ? NoContent(context) : Http.ErrorAsync(context, 404, "NOT_FOUND", $"Nothing to delete at {RequestInfo.Of(context).RawPath}.");

    private static Task NoContent(HttpContext context) => Http.NoContentAsync(context, 204);

    private static Task Ok<T>(HttpContext context, T value, int status = 200) =>
        Http.WriteAsync(context, status, JsonSerializer.SerializeToUtf8Bytes(value, WireJson.Admin));

    private static Task Bad(HttpContext context, string message) => Http.ErrorAsync(context, 400, "INVALID_ARGUMENT", message);
}
