using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PineconeRestore.Emulator;

/// <summary>
/// The middleware both planes share, in order: capture (raw target, body, request log), routing, faults (rules, then
/// random), the Api-Key check, then the endpoint; unmatched paths and methods get the spec's error bodies.
/// Admin requests (/_emulator/) skip logging, faults and the key check.
/// </summary>
internal sealed class Pipeline
{
    private const int MaxLoggedBody = 1 << 20;
    private readonly EmulatorState _state;
    private readonly string _apiKey;
    private readonly CancellationToken _stopping;
    private readonly Plane _plane;
    private readonly Lazy<string?>? _indexHost;
    private readonly Paging _paging;

    public Pipeline(EmulatorState state, string apiKey, CancellationToken stopping, Plane plane, Lazy<string?>? indexHost, Paging paging)
    {
        (_state, _apiKey, _stopping, _plane, _indexHost, _paging) = (state, apiKey, stopping, plane, indexHost, paging);
    }

    public void Configure(WebApplication app)
    {
        app.Use(CaptureAsync);
        app.UseRouting();
        app.Use(FaultsAsync);
        app.Use(AuthAndRouteAsync);
    }

    public CancellationTokenSource Linked(HttpContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);

    private async Task CaptureAsync(HttpContext context, RequestDelegate next)
    {
        var (rawPath, rawQuery) = Http.RawTarget(context);
        var isAdmin = _plane == Plane.Control && (rawPath == "/_emulator" || rawPath.StartsWith("/_emulator/", StringComparison.Ordinal));
        var info = new RequestInfo { Plane = _plane, RawPath = rawPath, RawQuery = rawQuery, IsAdmin = isAdmin };
        info.AttachTo(context);
        if (isAdmin)
        {
            await next(context);
            return;
        }

        var headers = context.Request.Headers;
        var keyPresent = headers.TryGetValue("Api-Key", out var keyValues) && keyValues.Count > 0;
        var entry = new LoggedRequest
        {
            Method = context.Request.Method,
            Path = rawPath,
            Query = rawQuery,
            ContentType = context.Request.ContentType,
            IndexHost = _indexHost?.Value,
            ApiVersionHeader = headers.TryGetValue("X-Pinecone-API-Version", out var v) ? v.ToString() : null,
            UserAgent = headers.TryGetValue("User-Agent", out var ua) ? ua.ToString() : null,
            HeaderNames = headers.Keys.ToArray(),
            ApiKeyPresent = keyPresent,
            ApiKeyValid = keyPresent && keyValues.Count == 1 && string.Equals(keyValues[0], _apiKey, StringComparison.Ordinal),
            Time = _state.Clock.Now,
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        info.Entry = entry;
        _state.Log(entry);

        var dropped = false;
        try
        {
            // Logged before the body is read, so a request whose client gives up early is still in the log.
            entry.Body = await ReadBodyAsync(context);
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            dropped = true;
            context.Abort(); // never let a cut-short fault turn into an empty 200
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            await Http.ErrorAsync(context, 500, "UNKNOWN", "Internal server error");
        }
        entry.StatusCode = dropped || info.Dropped || context.RequestAborted.IsCancellationRequested ? 0 : context.Response.StatusCode;
    }

    private static async Task<string?> ReadBodyAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        using var ms = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0 && ms.Length < MaxLoggedBody) ms.Write(buffer, 0, n);
        context.Request.Body.Position = 0;
        return ms.Length == 0 ? null : Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    private async Task FaultsAsync(HttpContext context, RequestDelegate next)
    {
        var info = RequestInfo.Of(context);
        if (info.IsAdmin)
        {
            await next(context);
            return;
        }
        var operation = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        var fault = _state.TakeFault(info.RawPath, context.Request.Method, operation);
        if (fault is not null)
        {
            info.Entry!.Fault = fault.Kind;
            await ApplyRuleAsync(context, next, fault, info, operation);
            return;
        }
        if (_state.TakeRandomFault(info.RawPath) is { } random)
        {
            info.Entry!.RandomFault = random.Kind;
            await ApplyRandomAsync(context, next, random.Kind, random.Status, random.Options);
            return;
        }
        await next(context);
    }

    private async Task ApplyRuleAsync(HttpContext context, RequestDelegate next, FaultRule fault, RequestInfo info, string? operation)
    {
        if (!string.IsNullOrEmpty(fault.RetryAfter)
            && fault.Kind is FaultKind.Status or FaultKind.HtmlBody or FaultKind.EmptyBody or FaultKind.TruncatedJson or FaultKind.CustomBody)
            context.Response.Headers.RetryAfter = fault.RetryAfter;
        switch (fault.Kind)
        {
            case FaultKind.Latency:
                if (fault.LatencyMs > 0)
                {
                    using var cts = Linked(context);
                    await Task.Delay(fault.LatencyMs, cts.Token);
                }
                await next(context);
                return;
            case FaultKind.Status:
                await Http.ErrorAsync(context, fault.StatusCode, fault.ErrorCode ?? Http.CodeFor(fault.StatusCode), fault.Message ?? Http.MessageFor(fault.StatusCode));
                return;
            case FaultKind.HtmlBody:
                await Http.WriteAsync(context, fault.StatusCode, WireJson.Utf8(Http.Html(fault.StatusCode)), "text/html");
                return;
            case FaultKind.EmptyBody:
                await Http.NoContentAsync(context, fault.StatusCode);
                return;
            case FaultKind.TruncatedJson:
            {
                var body = WireJson.Error(fault.StatusCode, fault.ErrorCode ?? Http.CodeFor(fault.StatusCode), fault.Message ?? Http.MessageFor(fault.StatusCode));
                await Http.WriteAsync(context, fault.StatusCode, body.AsSpan(0, body.Length / 2).ToArray());
                return;
            }
            case FaultKind.CustomBody:
                await Http.WriteAsync(context, fault.StatusCode, fault.BodyBytes ?? WireJson.Utf8(fault.Body ?? string.Empty), fault.ContentType ?? "application/json");
                return;
            case FaultKind.MalformedSuccess:
                await Http.WriteAsync(context, 200, WireJson.Utf8("{\"data\": [ {\"restore_job_id\": \"x\", "));
                return;
            case FaultKind.DropConnection:
                Drop(context);
                return;
            case FaultKind.Hang:
            {
                using var cts = Linked(context);
                await Task.Delay(Timeout.Infinite, cts.Token);
                return;
            }
            case FaultKind.MissingRequiredField:
                await RewriteAsync(context, next, body => RemoveId(body, Operations.IdField(operation)!));
                return;
            case FaultKind.RepeatToken:
                await RewriteAsync(context, next, body => _paging.RepeatNext(body, info.RawPath, context));
                return;
            case FaultKind.CutBody:
                await CutBodyAsync(context, next);
                return;
            default: // LoseRecords, FailRestore, LagStats: the endpoint acts on them
                info.Fault = fault;
                await next(context);
                return;
        }
    }

    private async Task ApplyRandomAsync(HttpContext context, RequestDelegate next, RandomFaultKind kind, int status, RandomFaultOptions options)
    {
        switch (kind)
        {
            case RandomFaultKind.TooManyRequests:
                await Http.ErrorAsync(context, 429, "RESOURCE_EXHAUSTED", Http.MessageFor(429));
                return;
            case RandomFaultKind.TooManyRequestsRetryAfter:
                context.Response.Headers.RetryAfter = options.RetryAfterSeconds;
                await Http.ErrorAsync(context, 429, "RESOURCE_EXHAUSTED", Http.MessageFor(429));
                return;
            case RandomFaultKind.ServerErrorJson:
                await Http.ErrorAsync(context, status, Http.CodeFor(status), Http.MessageFor(status));
                return;
            case RandomFaultKind.ServerErrorHtml:
                await Http.WriteAsync(context, status, WireJson.Utf8(Http.Html(status)), "text/html");
                return;
            case RandomFaultKind.DropConnection:
                Drop(context);
                return;
            case RandomFaultKind.CutBody:
                await CutBodyAsync(context, next);
                return;
            case RandomFaultKind.Delay:
            {
                using var cts = Linked(context);
                await Task.Delay(options.DelayMs, cts.Token);
                await next(context);
                return;
            }
        }
    }

    /// <summary>Runs the endpoint into a buffer, then sends its headers (full Content-Length) and half its body, and aborts.</summary>
    private static async Task CutBodyAsync(HttpContext context, RequestDelegate next)
    {
        var body = await BufferAsync(context, next);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        // Give the client a moment to read what was sent: an abort right away can reset the connection before the headers arrive.
        await Task.Delay(100, context.RequestAborted);
        Drop(context);
    }

    /// <summary>Aborts the connection; the log records no status for it.</summary>
    private static void Drop(HttpContext context)
    {
        RequestInfo.Of(context).Dropped = true;
        context.Abort();
    }

    private static async Task RewriteAsync(HttpContext context, RequestDelegate next, Func<byte[], byte[]> rewrite)
    {
        var body = await BufferAsync(context, next);
        if (context.Response.StatusCode == 200 && body.Length > 0) body = rewrite(body);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task<byte[]> BufferAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        return buffer.ToArray();
    }

    /// <summary>Removes the id field from the first item of a list (data or indexes) or from a single object.</summary>
    private static byte[] RemoveId(byte[] body, string field)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        var target = (root["data"] ?? root["indexes"]) is JsonArray { Count: > 0 } items ? items[0]!.AsObject() : root;
        target.Remove(field);
        return Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    private async Task AuthAndRouteAsync(HttpContext context, RequestDelegate next)
    {
        var info = RequestInfo.Of(context);
        if (!info.IsAdmin && !info.Entry!.ApiKeyValid)
        {
            var message = info.Entry.ApiKeyPresent ? "Invalid API key." : "Missing API key. Provide it in the Api-Key header.";
            await Http.ErrorAsync(context, 401, "UNAUTHENTICATED", message);
            return;
        }

        var endpoint = context.GetEndpoint();
        var what = info.IsAdmin ? "emulator admin endpoint" : "resource";
        if (endpoint is null)
        {
            await Http.ErrorAsync(context, 404, "NOT_FOUND", info.IsAdmin
                ? $"No emulator admin endpoint {context.Request.Method} {info.RawPath}."
                : $"Resource {info.RawPath} not found.");
            return;
        }
        // A path that exists with another method: routing picks its 405 endpoint, which writes no body of its own.
        if (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>() is null && endpoint.DisplayName?.StartsWith("405", StringComparison.Ordinal) == true)
        {
            await Http.ErrorAsync(context, 405, "UNIMPLEMENTED", $"Method {context.Request.Method} is not allowed on {what} {info.RawPath}.");
            return;
        }
        await next(context);
    }
}
