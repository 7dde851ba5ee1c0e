using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace PineconeRestore.Emulator;

/// <summary>The whole HTTP surface: the spec's two restore-job operations, faults, the request log and /_emulator/ admin.</summary>
internal sealed class ApiHandler
{
    private const string ListPath = "/restore-jobs";
    private const string DescribePrefix = "/restore-jobs/";
    private const string AdminPrefix = "/_emulator/";
    private const int DefaultLimit = 10; // the spec's default (NOTES.md: real servers may use 100)

    private readonly EmulatorState _state;
    private readonly string _apiKey;
    private readonly CancellationToken _stopping;
    private readonly string _salt = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    public ApiHandler(EmulatorState state, string apiKey, CancellationToken stopping)
    {
        _state = state;
        _apiKey = apiKey;
        _stopping = stopping;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var (rawPath, rawQuery) = RawTarget(context);
        if (rawPath.StartsWith(AdminPrefix, StringComparison.Ordinal) || rawPath == "/_emulator")
        {
            await AdminHandler.HandleAsync(context, _state, rawPath);
            return;
        }

        var headers = context.Request.Headers;
        var keyPresent = headers.TryGetValue("Api-Key", out var keyValues) && keyValues.Count > 0;
        var entry = new LoggedRequest
        {
            Method = context.Request.Method,
            Path = rawPath,
            Query = rawQuery,
            ApiVersionHeader = headers.TryGetValue("X-Pinecone-API-Version", out var v) ? v.ToString() : null,
            UserAgent = headers.TryGetValue("User-Agent", out var ua) ? ua.ToString() : null,
            ApiKeyPresent = keyPresent,
            ApiKeyValid = keyPresent && keyValues.Count == 1 && string.Equals(keyValues[0], _apiKey, StringComparison.Ordinal),
            Time = _state.Clock.Now,
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        _state.Log(entry);

        var dropped = false;
        try
        {
            dropped = await ServeAsync(context, entry, rawPath);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            dropped = true;
            context.Abort(); // never let a cut-short fault turn into an empty 200
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, 500, WireJson.Error(500, "UNKNOWN", "Internal server error"));
        }
        entry.StatusCode = dropped || context.RequestAborted.IsCancellationRequested ? 0 : context.Response.StatusCode;
    }

    /// <summary>Returns true when no response was (or will be) delivered.</summary>
    private async Task<bool> ServeAsync(HttpContext context, LoggedRequest entry, string rawPath)
    {
        var route = rawPath == ListPath ? Route.List
            : rawPath.StartsWith(DescribePrefix, StringComparison.Ordinal) && rawPath.Length > DescribePrefix.Length
              && rawPath.IndexOf('/', DescribePrefix.Length) < 0 ? Route.Describe
            : Route.Other;

        var fault = _state.TakeFault(rawPath, route);
        entry.Fault = fault?.Kind;
        if (fault is not null)
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
                    break;
                case FaultKind.Status:
                    await WriteAsync(context, fault.StatusCode, WireJson.Error(fault.StatusCode,
                        fault.ErrorCode ?? CodeFor(fault.StatusCode), fault.Message ?? MessageFor(fault.StatusCode)));
                    return false;
                case FaultKind.HtmlBody:
                    await WriteAsync(context, fault.StatusCode, WireJson.Utf8(Html(fault.StatusCode)), "text/html");
                    return false;
                case FaultKind.EmptyBody:
                    context.Response.StatusCode = fault.StatusCode;
                    context.Response.ContentLength = 0;
                    return false;
                case FaultKind.TruncatedJson:
                {
                    var body = WireJson.Error(fault.StatusCode, fault.ErrorCode ?? CodeFor(fault.StatusCode), fault.Message ?? MessageFor(fault.StatusCode));
                    await WriteAsync(context, fault.StatusCode, body.AsSpan(0, body.Length / 2).ToArray());
                    return false;
                }
                case FaultKind.CustomBody:
                    await WriteAsync(context, fault.StatusCode, WireJson.Utf8(fault.Body ?? string.Empty), fault.ContentType ?? "application/json");
                    return false;
                case FaultKind.MalformedSuccess:
                    await WriteAsync(context, 200, WireJson.Utf8("{\"data\": [ {\"restore_job_id\": \"x\", "));
                    return false;
                case FaultKind.DropConnection:
                    context.Abort();
                    return true;
                case FaultKind.Hang:
                {
                    using var cts = Linked(context);
                    await Task.Delay(Timeout.Infinite, cts.Token);
                    return true;
                }
            }
        }

        if (!entry.ApiKeyValid)
        {
            var message = entry.ApiKeyPresent ? "Invalid API key." : "Missing API key. Provide it in the Api-Key header.";
            await WriteAsync(context, 401, WireJson.Error(401, "UNAUTHENTICATED", message));
            return false;
        }

        if (route == Route.Other)
        {
            await WriteAsync(context, 404, WireJson.Error(404, "NOT_FOUND", $"Resource {rawPath} not found."));
            return false;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET";
            await WriteAsync(context, 405, WireJson.Error(405, "UNIMPLEMENTED",
                $"Method {context.Request.Method} is not allowed on {(route == Route.List ? ListPath : DescribePrefix + "{job_id}")}."));
            return false;
        }

        var missingId = fault?.Kind == FaultKind.MissingRequiredField;
        if (route == Route.Describe)
        {
            var id = Uri.UnescapeDataString(rawPath.Substring(DescribePrefix.Length));
            var job = _state.FindServed(id);
            if (job is null)
                await WriteAsync(context, 404, WireJson.Error(404, "NOT_FOUND", $"Restore job {id} not found."));
            else
                await WriteAsync(context, 200, WireJson.Job(job, missingId));
            return false;
        }

        await ListAsync(context, missingId, fault?.Kind == FaultKind.RepeatToken);
        return false;
    }

    private async Task ListAsync(HttpContext context, bool missingId, bool repeatToken)
    {
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitValues))
        {
            var text = limitValues.Count == 1 ? limitValues[0] : null;
            if (text is null || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 100)
            {
                await WriteAsync(context, 400, WireJson.Error(400, "INVALID_ARGUMENT",
                    $"Invalid value for parameter limit: '{limitValues}'. It must be an integer between 1 and 100."));
                return;
            }
        }

        var offset = 0;
        var cameWithRepeat = false;
        string? incomingToken = null;
        if (query.TryGetValue("paginationToken", out var tokenValues) && !string.IsNullOrEmpty(tokenValues.ToString()))
        {
            incomingToken = tokenValues.Count == 1 ? tokenValues[0] : null;
            if (incomingToken is null || !TryReadToken(incomingToken, out offset, out cameWithRepeat))
            {
                await WriteAsync(context, 400, WireJson.Error(400, "INVALID_ARGUMENT",
                    "Invalid pagination token. Use the pagination.next value returned by a previous list call."));
                return;
            }
        }

        var all = _state.ServedRestoreJobs;
        var page = all.Skip(offset).Take(limit).ToArray();
        var end = offset + page.Length;
        string? next = end < all.Count ? MakeToken(end, repeat: false) : null;
        if (cameWithRepeat) next = incomingToken; // a repeat token always leads to itself
        if (repeatToken) next = incomingToken ?? MakeToken(Math.Min(end, all.Count), repeat: true);
        await WriteAsync(context, 200, WireJson.List(page, next, missingId));
    }

    private string MakeToken(int offset, bool repeat)
    {
        var payload = $"rj1|{_salt}|{offset.ToString(CultureInfo.InvariantCulture)}|{(repeat ? "r" : "n")}";
        return WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(payload));
    }

    private bool TryReadToken(string token, out int offset, out bool repeat)
    {
        offset = 0;
        repeat = false;
        try
        {
            var parts = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token)).Split('|');
            if (parts.Length != 4 || parts[0] != "rj1" || parts[1] != _salt || parts[3] is not ("r" or "n")) return false;
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out offset)) return false;
            repeat = parts[3] == "r";
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private CancellationTokenSource Linked(HttpContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);

    internal static (string Path, string Query) RawTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
            return (context.Request.PathBase.Value + context.Request.Path.Value, context.Request.QueryString.Value ?? "");
        var q = raw.IndexOf('?');
        return q < 0 ? (raw, "") : (raw.Substring(0, q), raw.Substring(q));
    }

    internal static async Task WriteAsync(HttpContext context, int status, byte[] body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    internal static string CodeFor(int status) => status switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        402 => "PAYMENT_REQUIRED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        408 => "DEADLINE_EXCEEDED",
        409 => "ALREADY_EXISTS",
        412 => "FAILED_PRECONDITION",
        422 => "UNPROCESSABLE_ENTITY",
        429 => "RESOURCE_EXHAUSTED",
        500 => "UNKNOWN",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        >= 500 => "INTERNAL",
        _ => "UNKNOWN",
    };

    internal static string MessageFor(int status) => status switch
    {
        429 => "Too many requests. Please retry shortly.",
        500 => "Internal server error",
        503 => "The service is temporarily unavailable. Please retry shortly.",
        504 => "The request timed out.",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p + "." : $"HTTP {status}.",
    };

    private static string Html(int status)
    {
        var title = $"{status} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
             + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    }
}
