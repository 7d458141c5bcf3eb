using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace PressMcp.Mcp;

/// <summary>
/// Which revision an HTTP request speaks, and whether its headers and per-request <c>_meta</c> are what that
/// revision requires. The rules, in order (spec 2026-07-28: basic/versioning, basic/index "_meta",
/// basic/transports/streamable-http "Request Metadata" and "Server Validation"):
/// <list type="number">
/// <item>A version in <c>_meta</c> (<c>io.modelcontextprotocol/protocolVersion</c>) needs the same value in the
/// <c>MCP-Protocol-Version</c> header: missing or different is HeaderMismatch (-32020), HTTP 400.</item>
/// <item>The version is the <c>_meta</c> one, else the header's. None at all: a legacy request from before the
/// header (an <c>initialize</c>, or a 2025-03-26-style client), served as before.</item>
/// <item>A version we do not speak: UnsupportedProtocolVersionError (-32022), HTTP 400, listing ours.</item>
/// <item>2025-06-18 or 2025-11-25: legacy, <c>_meta</c> is not looked at.</item>
/// <item>2026-07-28 (requests; notifications and client responses have no header or <c>_meta</c> rules):
/// <c>_meta</c> must carry the version and <c>clientCapabilities</c> (-32602, HTTP 400, when not);
/// <c>Mcp-Method</c> must equal the method and, for <c>tools/call</c>, <c>prompts/get</c> and
/// <c>resources/read</c>, <c>Mcp-Name</c> the name or URI (-32020, HTTP 400, when missing or different).</item>
/// </list>
/// The checks compare what is there; nothing is remembered between requests.
/// </summary>
internal static class McpRequestCheck
{
    /// <summary>The request's revision, or the reply that refuses it.</summary>
    /// <param name="handshake">The endpoint's handshake revisions: a header naming one of them is a legacy request too.</param>
    public static (McpRevision? Revision, McpReply.Message? Refusal) Check(IHeaderDictionary headers, JsonRpcMessage message, IReadOnlyList<string> handshake)
    {
        var header = HeaderValue(headers, McpHeaders.ProtocolVersion);
        var meta = message.Param(McpMeta.Key);
        string? metaVersion = null;
        if (meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(McpMeta.ProtocolVersion, out var v))
        {
            if (!v.TryGetText(out metaVersion))
                return Refuse(message, JsonRpcErrors.InvalidParams, $"params._meta[\"{McpMeta.ProtocolVersion}\"] must be a string of valid text, the protocol version of this request");
            if (header is null)
                return Refuse(message, McpErrors.HeaderMismatch, $"Header mismatch: the {McpHeaders.ProtocolVersion} header is required and must repeat params._meta[\"{McpMeta.ProtocolVersion}\"] ('{metaVersion}')");
            if (header != metaVersion)
                return Refuse(message, McpErrors.HeaderMismatch, $"Header mismatch: {McpHeaders.ProtocolVersion} header value '{header}' does not match body value '{metaVersion}'");
        }

        var version = metaVersion ?? header;
        if (version is null) return (McpRevision.LegacyUnnamed, null);
        if (!McpVersions.IsSupported(version) && !handshake.Contains(version))
        {
            var supported = McpVersions.All.Union(handshake).ToList();
            var data = new JsonObject { ["supported"] = new JsonArray([.. supported.Select(s => JsonValue.Create(s))]), ["requested"] = version };
            return (null, McpReply.Error(message, McpErrors.UnsupportedProtocolVersion,
                $"Unsupported protocol version '{version}' (this server speaks {string.Join(", ", supported)})", StatusCodes.Status400BadRequest, data));
        }
        var revision = new McpRevision(McpVersions.IsModern(version) ? McpEra.Modern : McpEra.Legacy, version);
        if (!revision.IsModern || message.IsResponse || message.IsNotification) return (revision, null);

        if (metaVersion is null)
            return Refuse(message, JsonRpcErrors.InvalidParams,
                $"params._meta[\"{McpMeta.ProtocolVersion}\"] is required on every {version} request (with \"{McpMeta.ClientCapabilities}\")");
        if (!meta.TryGetProperty(McpMeta.ClientCapabilities, out var capabilities) || capabilities.ValueKind != JsonValueKind.Object)
            return Refuse(message, JsonRpcErrors.InvalidParams,
                $"params._meta[\"{McpMeta.ClientCapabilities}\"] is required on every {version} request: an object, {{}} when the client has no optional capability");

        var method = HeaderValue(headers, McpHeaders.Method);
        if (method is null)
            return Refuse(message, McpErrors.HeaderMismatch, $"Header mismatch: the {McpHeaders.Method} header is required and must repeat the method ('{message.Method}')");
        if (method != message.Method)
            return Refuse(message, McpErrors.HeaderMismatch, $"Header mismatch: {McpHeaders.Method} header value '{method}' does not match body value '{message.Method}'");

        var member = NameOf(message);
        if (member.ValueKind == JsonValueKind.String && !member.TryGetText(out _))
            return Refuse(message, JsonRpcErrors.InvalidParams, $"params.{(message.Method == "resources/read" ? "uri" : "name")} {ClientJson.NotText}");
        var bodyName = member.TextOrNull();
        var rawName = HeaderValue(headers, McpHeaders.Name);
        if (bodyName is null && rawName is null) return (revision, null);
        if (rawName is null)
            return Refuse(message, McpErrors.HeaderMismatch, $"Header mismatch: the {McpHeaders.Name} header is required for {message.Method} and must repeat '{bodyName}'");
        var name = Decode(rawName);
        if (name is null)
            return Refuse(message, McpErrors.HeaderMismatch, $"Header mismatch: {McpHeaders.Name} header value is not valid =?base64?…?= encoding");
        if (name != bodyName)
            return Refuse(message, McpErrors.HeaderMismatch, $"Header mismatch: {McpHeaders.Name} header value '{name}' does not match body value '{bodyName}'");
        return (revision, null);
    }

    private static (McpRevision?, McpReply.Message?) Refuse(JsonRpcMessage message, int code, string text) =>
        (null, McpReply.Error(message, code, text, StatusCodes.Status400BadRequest));

    /// <summary>The header's value without the optional whitespace around it (RFC 9110 §5.5); null when absent.</summary>
    private static string? HeaderValue(IHeaderDictionary headers, string name)
    {
        var values = headers[name];
        if (StringValues.IsNullOrEmpty(values)) return null;
        // Two headers of one name are joined, so they can only match a body value that has the comma too.
        return values.ToString().Trim(' ', '\t');
    }

    /// <summary>What Mcp-Name mirrors: params.name (tools/call, prompts/get) or params.uri (resources/read).</summary>
    private static JsonElement NameOf(JsonRpcMessage message) => message.Method switch
    {
        "tools/call" or "prompts/get" => message.Param("name"),
        "resources/read" => message.Param("uri"),
        _ => default,
    };

    /// <summary>A header value as sent, or its <c>=?base64?…?=</c> sentinel decoded (streamable-http "Value Encoding"); null when the encoding is broken.</summary>
    private static string? Decode(string value)
    {
        const string prefix = "=?base64?", suffix = "?=";
        if (!value.StartsWith(prefix, StringComparison.Ordinal) || !value.EndsWith(suffix, StringComparison.Ordinal) || value.Length < prefix.Length + suffix.Length)
            return value;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(value[prefix.Length..^suffix.Length]));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }
}
