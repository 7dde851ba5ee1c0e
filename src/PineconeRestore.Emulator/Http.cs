using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace PineconeRestore.Emulator;

/// <summary>Which API a listener serves: the control plane (ErrorResponse bodies) or one index's data plane (rpcStatus bodies).</summary>
internal enum Plane { Control, Data }

/// <summary>What the pipeline knows about one request; kept in <see cref="HttpContext.Items"/>.</summary>
internal sealed class RequestInfo
{
    public required Plane Plane { get; init; }
    public required string RawPath { get; init; }
    public required string RawQuery { get; init; }
    public bool IsAdmin { get; init; }
    public LoggedRequest? Entry { get; set; }
    /// <summary>The rule that fired, for the kinds an endpoint acts on (LoseRecords, FailRestore, LagStats).</summary>
    public FaultRule? Fault { get; set; }
    /// <summary>The connection was aborted on purpose (a fault): no complete answer was delivered.</summary>
    public bool Dropped { get; set; }

    private static readonly object Key = new();

    public static RequestInfo Of(HttpContext context) => (RequestInfo)context.Items[Key]!;

    public void AttachTo(HttpContext context) => context.Items[Key] = this;

    /// <summary>Path segment <paramref name="n"/> of the raw path, unescaped once (so a%2Fb is the one id a/b).</summary>
    public string Segment(int n) => Uri.UnescapeDataString(RawPath.Split('/')[n]);
}

internal static class Http
{
    public static (string Path, string Query) RawTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
            return (context.Request.PathBase.Value + context.Request.Path.Value, context.Request.QueryString.Value ?? "");
        var q = raw.IndexOf('?');
        return q < 0 ? (raw, "") : (raw.Substring(0, q), raw.Substring(q));
    }

    public static async Task WriteAsync(HttpContext context, int status, byte[] body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>An error in the shape of the plane the request came to.</summary>
    public static Task ErrorAsync(HttpContext context, ApiError e) =>
        RequestInfo.Of(context).Plane == Plane.Data
            ? WriteAsync(context, e.Status, WireJson.RpcStatus(GrpcCode(e.Code, e.Status), e.Message))
            : WriteAsync(context, e.Status, WireJson.Error(e));

    public static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        ErrorAsync(context, new ApiError(status, code, message));

    public static Task NoContentAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public static string CodeFor(int status) => status switch
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

    public static string MessageFor(int status) => status switch
    {
        429 => "Too many requests. Please retry shortly.",
        500 => "Internal server error",
        503 => "The service is temporarily unavailable. Please retry shortly.",
        504 => "The request timed out.",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p + "." : $"HTTP {status}.",
    };

    /// <summary>The gRPC status number (the data plane's rpcStatus.code) for a control-plane error code.</summary>
    public static int GrpcCode(string code, int status) => code switch
    {
        "OK" => 0,
        "CANCELLED" => 1,
        "UNKNOWN" => 2,
        "INVALID_ARGUMENT" or "UNPROCESSABLE_ENTITY" => 3,
        "DEADLINE_EXCEEDED" => 4,
        "NOT_FOUND" => 5,
        "ALREADY_EXISTS" => 6,
        "PERMISSION_DENIED" or "FORBIDDEN" => 7,
        "RESOURCE_EXHAUSTED" or "QUOTA_EXCEEDED" => 8,
        "FAILED_PRECONDITION" or "PAYMENT_REQUIRED" => 9,
        "ABORTED" => 10,
        "OUT_OF_RANGE" => 11,
        "UNIMPLEMENTED" => 12,
        "INTERNAL" => 13,
        "UNAVAILABLE" => 14,
        "DATA_LOSS" => 15,
        "UNAUTHENTICATED" => 16,
        _ => status >= 500 ? 13 : 2,
    };

    public static string Html(int status)
    {
        var title = $"{status} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
             + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    }
}
