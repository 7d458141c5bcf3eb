using System.Text.Json;
using System.Text.Unicode;
using PressMcp.Abilities;

namespace PressMcp.Mcp;

/// <summary>Why a request body is refused before it is parsed: the JSON-RPC error and the HTTP status.</summary>
internal sealed record BodyRefusal(int Code, string Message, int Status);

/// <summary>
/// A body larger than <see cref="McpHttpTransport.MaxBodyBytes"/> that an endpoint accepts for one tool call only
/// (the adapter's <c>media/upload</c>, whose file travels as base64): <see cref="MaySendAsync"/> decides before the
/// body is read whether this caller may send one at all, <see cref="IsFor"/> after it is parsed whether it is that call.
/// </summary>
internal sealed record McpLargeBody(int MaxBytes, string Purpose, Func<McpCaller, CancellationToken, Task<bool>> MaySendAsync, Func<JsonRpcMessage, bool> IsFor);

/// <summary>
/// A request body a stranger controls, read and checked before any tree is built from it, so that what one request
/// costs is a small multiple of what it sent. <see cref="ReadAsync"/> holds the body once (one array of the announced
/// length). <see cref="Check"/> is one pass of <see cref="Utf8JsonReader"/> that allocates nothing: well-formed JSON
/// whose strings are UTF-8 (-32700 otherwise), nested at most <see cref="MaxDepth"/> deep and holding at most
/// <see cref="MaxTokens"/> tokens (HTTP 413 otherwise). The token bound is what keeps the parsed document small: the
/// largest legitimate call (500 ids) has a few thousand tokens, while a body of <c>0,0,0,…</c> has one per two bytes,
/// each of which would cost a row of the document and a node of every copy made of it.
/// </summary>
internal static class McpRequestBody
{
    /// <summary>Objects and arrays nested deeper than this are refused (ability inputs are three levels deep).</summary>
    public const int MaxDepth = 32;

    /// <summary>Tokens (member names, values, objects and arrays) one request may hold.</summary>
    public const int MaxTokens = 10_000;

    /// <summary>The whole body, or null as soon as it turns out longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<ArraySegment<byte>?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength is { } announced)
        {
            if (announced > maxBytes) return null;
            // Kestrel ends the body at the announced length (and fails a shorter one), so one array is exact.
            var exact = new byte[announced];
            var filled = 0;
            while (filled < exact.Length && await request.Body.ReadAsync(exact.AsMemory(filled), ct) is var n and > 0) filled += n;
            return new ArraySegment<byte>(exact, 0, filled);
        }
        // Chunked: grow by doubling, so the copies add up to at most twice the body.
        var buffer = new byte[4 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= maxBytes + 1) return null;
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
            }
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) return new ArraySegment<byte>(buffer, 0, length);
            length += read;
            if (length > maxBytes) return null;
        }
    }

    /// <summary>Null when the body may be parsed; otherwise why not.</summary>
    public static BodyRefusal? Check(ReadOnlySpan<byte> body)
    {
        // One more level for the reader than we allow, so that our own check, with its message, comes first.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        var tokens = 0;
        var inMeta = false; // whether the member of params being read is _meta
        var envelope = -1; // how deep a message's own members are, less one: 1 in a batch (an array of messages), else 0
        try
        {
            while (reader.Read())
            {
                if (envelope < 0) envelope = reader.TokenType == JsonTokenType.StartArray ? 1 : 0;
                var depth = reader.CurrentDepth - envelope;
                switch (reader.TokenType)
                {
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= MaxDepth:
                        return TooLarge($"the request nests objects and arrays more than {MaxDepth} deep");
                    // JSON is UTF-8 (RFC 8259 §8.1); the reader checks the grammar of escapes but not the bytes of strings.
                    case JsonTokenType.String or JsonTokenType.PropertyName when !Utf8.IsValid(reader.ValueSpan):
                        return new BodyRefusal(JsonRpcErrors.ParseError, "the body is not valid JSON: a string holds bytes that are not UTF-8", StatusCodes.Status400BadRequest);
                    // A look-up by name (TryGetProperty) decodes the member names it passes, and a name with an unpaired
                    // surrogate escape throws there. The envelope (the message, its params and their _meta) is read by
                    // name before anything is validated, so its names are checked here; names inside tool arguments
                    // are the schema validator's, which names the field in the tool's own error and logs the call.
                    case JsonTokenType.PropertyName when reader.ValueIsEscaped && !ClientJson.IsText(reader.ValueSpan)
                        && (depth <= 2 || (depth == 3 && inMeta)):
                        return new BodyRefusal(JsonRpcErrors.InvalidRequest, "a member name of the request " + ClientJson.NotText, StatusCodes.Status400BadRequest);
                    case JsonTokenType.PropertyName when depth == 2:
                        inMeta = reader.ValueTextEquals("_meta"u8);
                        break;
                }
                if (++tokens > MaxTokens)
                    return TooLarge($"the request holds more than {MaxTokens} JSON values (member names, values, objects and arrays each count one)");
            }
        }
        catch (JsonException)
        {
            return new BodyRefusal(JsonRpcErrors.ParseError, "the body is not valid JSON", StatusCodes.Status400BadRequest);
        }
        return null;
    }

    public static BodyRefusal TooLarge(string message) => new(JsonRpcErrors.InvalidRequest, message, StatusCodes.Status413PayloadTooLarge);
}
