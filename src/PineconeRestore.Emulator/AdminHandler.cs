using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace PineconeRestore.Emulator;

/// <summary>
/// /_emulator/ endpoints for out-of-process control (no Api-Key, never logged, never faulted). JSON is camelCase, enums
/// as strings:
/// POST reset; GET|POST|DELETE faults; GET|DELETE requests; GET|POST|DELETE jobs, DELETE jobs/{id};
/// GET clock, POST clock/advance?seconds=N, POST clock/set?time=ISO.
/// </summary>
internal static class AdminHandler
{
    public static async Task HandleAsync(HttpContext context, EmulatorState state, string rawPath)
    {
        var method = context.Request.Method.ToUpperInvariant();
        var path = rawPath.TrimEnd('/');
        try
        {
            switch (method, path)
            {
                case ("POST", "/_emulator/reset"):
                    state.Reset();
                    await Ok(context, new { ok = true, now = state.Clock.Now });
                    return;

                case ("GET", "/_emulator/faults"):
                    await Ok(context, state.Faults);
                    return;
                case ("POST", "/_emulator/faults"):
                {
                    var rule = await Read<FaultRule>(context);
                    if (rule is null) { await Bad(context, "Body must be a FaultRule object."); return; }
                    state.AddFault(rule);
                    await Ok(context, rule, 201);
                    return;
                }
                case ("DELETE", "/_emulator/faults"):
                    state.ClearFaults();
                    context.Response.StatusCode = 204;
                    return;

                case ("GET", "/_emulator/requests"):
                    await Ok(context, state.Requests);
                    return;
                case ("DELETE", "/_emulator/requests"):
                    state.ClearRequests();
                    context.Response.StatusCode = 204;
                    return;

                case ("GET", "/_emulator/jobs"):
                    await Ok(context, state.RestoreJobs);
                    return;
                case ("POST", "/_emulator/jobs"):
                {
                    var job = await Read<EmulatedRestoreJob>(context);
                    if (job is null || string.IsNullOrEmpty(job.RestoreJobId)) { await Bad(context, "Body must be a job with a restoreJobId."); return; }
                    state.AddRestoreJob(job);
                    await Ok(context, job, 201);
                    return;
                }
                case ("DELETE", "/_emulator/jobs"):
                    state.ClearRestoreJobs();
                    context.Response.StatusCode = 204;
                    return;

                case ("GET", "/_emulator/clock"):
                    await Ok(context, new { now = state.Clock.Now });
                    return;
                case ("POST", "/_emulator/clock/advance"):
                {
                    if (!double.TryParse(context.Request.Query["seconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    { await Bad(context, "Query parameter seconds must be a number."); return; }
                    await Ok(context, new { now = state.Clock.Advance(TimeSpan.FromSeconds(seconds)) });
                    return;
                }
                case ("POST", "/_emulator/clock/set"):
                {
                    if (!DateTimeOffset.TryParse(context.Request.Query["time"], CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                    { await Bad(context, "Query parameter time must be an ISO-8601 timestamp."); return; }
                    state.Clock.Set(time);
                    await Ok(context, new { now = state.Clock.Now });
                    return;
                }
            }

            if (method == "DELETE" && path.StartsWith("/_emulator/jobs/", StringComparison.Ordinal))
            {
                var id = Uri.UnescapeDataString(path.Substring("/_emulator/jobs/".Length));
                context.Response.StatusCode = state.RemoveRestoreJob(id) ? 204 : 404;
                return;
            }

            await ApiHandler.WriteAsync(context, 404, WireJson.Error(404, "NOT_FOUND", $"No emulator admin endpoint {method} {path}."));
        }
        catch (JsonException e)
        {
            await Bad(context, "Invalid JSON: " + e.Message);
        }
    }

    private static async Task<T?> Read<T>(HttpContext context) where T : class =>
        await JsonSerializer.DeserializeAsync<T>(context.Request.Body, WireJson.Admin, context.RequestAborted);

    private static async Task Ok<T>(HttpContext context, T value, int status = 200) =>
        await ApiHandler.WriteAsync(context, status, JsonSerializer.SerializeToUtf8Bytes(value, WireJson.Admin));

    private static Task Bad(HttpContext context, string message) =>
        ApiHandler.WriteAsync(context, 400, WireJson.Error(400, "INVALID_ARGUMENT", message));
}
