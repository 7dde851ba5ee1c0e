using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace PineconeRestore.Emulator;

/// <summary>
/// Offset pagination as the real server does it (NOTES.md): an opaque token names a position in one listing and carries
/// the page size it was minted with; a final page exactly <c>limit</c> long still carries a token (the page after it is
/// empty); rows added or removed between requests shift later pages. Tokens of another emulator or listing are a 400.
/// </summary>
internal sealed class Paging
{
    private const int DefaultLimit = 10; // the spec's default (NOTES.md: real servers may use 100)
    private readonly string _salt = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    public readonly record struct Request(int Offset, int Limit, string? IncomingToken, bool Repeat);

    public string Mint(string scope, int offset, int limit, bool repeat)
    {
        var payload = string.Join('|', "pg1", _salt, Scope(scope), offset.ToString(CultureInfo.InvariantCulture),
            limit.ToString(CultureInfo.InvariantCulture), repeat ? "r" : "n");
        return WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(payload));
    }

    public bool TryRead(string token, string scope, out int offset, out int limit, out bool repeat)
    {
        offset = limit = 0;
        repeat = false;
        try
        {
            var p = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token)).Split('|');
            if (p.Length != 6 || p[0] != "pg1" || p[1] != _salt || p[2] != Scope(scope) || p[5] is not ("r" or "n")) return false;
            if (!int.TryParse(p[3], NumberStyles.None, CultureInfo.InvariantCulture, out offset)) return false;
            if (!int.TryParse(p[4], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100) return false;
            repeat = p[5] == "r";
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Reads limit and paginationToken; a token's own page size wins over the query's.</summary>
    public bool TryParse(HttpContext context, string scope, out Request request, out ApiError error)
    {
        request = default;
        error = default;
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitValues))
        {
            var text = limitValues.Count == 1 ? limitValues[0] : null;
            if (text is null || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100)
            {
                error = new ApiError(400, "INVALID_ARGUMENT", $"Invalid value for parameter limit: '{limitValues}'. It must be an integer between 1 and 100.");
                return false;
            }
        }

        if (query.TryGetValue("paginationToken", out var tokenValues) && !string.IsNullOrEmpty(tokenValues.ToString()))
        {
            var token = tokenValues.Count == 1 ? tokenValues[0] : null;
            if (token is null || !TryRead(token, scope, out var offset, out var tokenLimit, out var repeat))
            {
                error = new ApiError(400, "INVALID_ARGUMENT", "Invalid pagination token. Use the pagination.next value returned by a previous list call.");
                return false;
            }
            request = new Request(offset, tokenLimit, token, repeat);
            return true;
        }
        request = new Request(0, limit, null, false);
        return true;
    }

    /// <summary>The token of the page after this one; a repeat token always leads to itself.</summary>
    public string? Next(string scope, Request request, int pageLength) =>
        request.Repeat ? request.IncomingToken
        : pageLength == request.Limit ? Mint(scope, request.Offset + pageLength, request.Limit, repeat: false)
        : null;

    /// <summary>RepeatToken fault: rewrites a list answer so that its next token repeats (the incoming one, or a looping one).</summary>
    public byte[] RepeatNext(byte[] body, string scope, HttpContext context)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        if (!TryParse(context, scope, out var request, out _)) return body;
        var count = root["data"]?.AsArray().Count ?? 0;
        var token = request.IncomingToken ?? Mint(scope, request.Offset + count, request.Limit, repeat: true);
        root["pagination"] = new System.Text.Json.Nodes.JsonObject { ["next"] = token };
        return Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    private static string Scope(string scope) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(scope)), 0, 4).ToLowerInvariant();
}
