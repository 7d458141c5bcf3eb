using System.Text.Json;
using System.Text.Json.Nodes;

namespace PressMcp.Mcp;

/// <summary>
/// The MCP methods of a stateless server, the same for every endpoint; the tools themselves come from the
/// endpoint's <see cref="IMcpToolSet"/>. Two eras on one endpoint (see <see cref="McpRevision"/>):
/// <list type="bullet">
/// <item>Legacy (2025-06-18, 2025-11-25; 2024-11-05 on the adapter endpoint): <c>initialize</c> (version negotiation
/// among the tool set's <see cref="IMcpToolSet.HandshakeVersions"/>), <c>ping</c>, <c>tools/list</c>, <c>tools/call</c>,
/// and <c>server/discover</c>, and what the tool set itself answers (<see cref="IMcpToolSet.Answer"/>: the adapter's
/// resources and prompts); any other method is the tool set's <see cref="IMcpToolSet.MethodNotFound"/>.</item>
/// <item>2026-07-28: <c>server/discover</c>, <c>tools/list</c>, <c>tools/call</c>. <c>initialize</c>, <c>ping</c>
/// and <c>logging/setLevel</c> no longer exist (changelog, major change 5); an unknown method is -32601 with
/// HTTP 404 (streamable-http "Protocol Version Header"). Every result carries <c>resultType</c> (basic/index
/// "ResultType") and the server's identity in <c>_meta</c>; <c>tools/list</c> and <c>server/discover</c> carry
/// caching hints (server/utilities/caching).</item>
/// </list>
/// </summary>
internal sealed class McpDispatcher
{
    /// <summary>Every revision spoken, newest first.</summary>
    public static IReadOnlyList<string> SupportedVersions => McpVersions.All;

    /// <summary>
    /// How long a tool list stays fresh: not at all. The list follows the user's MCP settings and roles, which
    /// take effect on the next call, so a client should not keep an old one (it is also per user: private).
    /// </summary>
    public const int ToolsListTtlMs = 0;

    /// <summary>Discovery says what the server is, the same for every caller, and changes only with an upgrade.</summary>
    public const int DiscoverTtlMs = 3_600_000;

    private static readonly byte[] ServerInfoJson = RawJsonNode.Serialize(new JsonObject
    {
        ["name"] = "pressmcp",
        ["title"] = "PressMcp",
        ["version"] = typeof(McpDispatcher).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
    });

    public async Task<McpReply> DispatchAsync(JsonRpcMessage message, McpRevision revision, McpContext context, IMcpToolSet tools, CancellationToken ct)
    {
        if (message.IsResponse || message.IsNotification) return new McpReply.Accepted();
        if (tools.Admit(message) is { } refusal) return refusal;
        if (!revision.IsModern)
        {
            return message.Method switch
            {
                "initialize" => McpReply.Result(message, Initialize(message.Params, tools)),
                "ping" => McpReply.Result(message, new JsonObject()),
                "server/discover" => McpReply.Result(message, Discover(tools)),
                "tools/list" => McpReply.Result(message, new JsonObject { ["tools"] = await tools.ListAsync(context, ct) }),
                "tools/call" => await CallToolAsync(message, context, tools, ct),
                _ => tools.Answer(message) ?? tools.MethodNotFound(message),
            };
        }
        var reply = message.Method switch
        {
            "server/discover" => McpReply.Result(message, Discover(tools)),
            "tools/list" => McpReply.Result(message, new JsonObject
            {
                ["tools"] = await tools.ListAsync(context, ct),
                ["ttlMs"] = ToolsListTtlMs,
                ["cacheScope"] = "private",
            }),
            "tools/call" => await CallToolAsync(message, context, tools, ct),
            "initialize" or "ping" or "logging/setLevel" => McpReply.Error(message, JsonRpcErrors.MethodNotFound,
                $"method not found: {message.Method} does not exist in {revision.Version} (every request carries its version and capabilities in params._meta; server/discover describes the server)",
                StatusCodes.Status404NotFound),
            _ => tools.Answer(message) ?? McpReply.Error(message, JsonRpcErrors.MethodNotFound, $"method not found: {message.Method}", StatusCodes.Status404NotFound),
        };
        return Complete(reply);
    }

    /// <summary>2026-07-28 results say they are complete and who answered (basic/index "Per-response protocol fields").</summary>
    private static McpReply Complete(McpReply reply)
    {
        if (reply is McpReply.ToolResult tool) return tool with { CompleteWithServerInfo = ServerInfoJson };
        if (reply is McpReply.Message { Body: var body } && body["result"] is JsonObject result)
        {
            result["resultType"] = "complete";
            if (result["_meta"] is not JsonObject meta) result["_meta"] = meta = new JsonObject();
            meta[McpMeta.ServerInfo] = RawJsonNode.Of(ServerInfoJson);
        }
        return reply;
    }

    private static JsonObject Initialize(JsonElement parameters, IMcpToolSet tools)
    {
        // A version that is not text is no version we speak: answered like any other unknown one.
        var asked = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("protocolVersion", out var v) ? v.TextOrNull() : null;
        // The client's version when we negotiate it; otherwise our latest handshake revision, and the client
        // decides whether to continue (2025-11-25 basic/lifecycle "Version Negotiation"). 2026-07-28 has no
        // handshake: a client asking for it here gets 2025-11-25, the newest revision initialize can give.
        var version = asked is not null && tools.HandshakeVersions.Contains(asked) ? asked : tools.HandshakeVersions[0];
        return new JsonObject
        {
            ["protocolVersion"] = version,
            ["capabilities"] = tools.Capabilities,
            ["serverInfo"] = RawJsonNode.Of(ServerInfoJson),
            ["instructions"] = tools.Instructions,
        };
    }

    /// <summary>
    /// <c>server/discover</c> (spec 2026-07-28 server/discover): the same for every caller and revision, so it
    /// may be cached publicly. Answered to legacy requests too: it is harmless there and tells a client that
    /// probes with it which revisions it can use.
    /// </summary>
    private static JsonObject Discover(IMcpToolSet tools) => new()
    {
        ["resultType"] = "complete",
        ["supportedVersions"] = new JsonArray([.. McpVersions.All.Select(v => JsonValue.Create(v))]),
        ["capabilities"] = tools.Capabilities,
        ["instructions"] = tools.Instructions,
        ["ttlMs"] = DiscoverTtlMs,
        ["cacheScope"] = "public",
        ["_meta"] = new JsonObject { [McpMeta.ServerInfo] = RawJsonNode.Of(ServerInfoJson) },
    };

    private static async Task<McpReply> CallToolAsync(JsonRpcMessage m, McpContext context, IMcpToolSet tools, CancellationToken ct)
    {
        if (m.Params.ValueKind != JsonValueKind.Object || !m.Params.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            return McpReply.Error(m, JsonRpcErrors.InvalidParams, "tools/call needs params.name, the tool to call");
        if (!nameElement.TryGetText(out var name))
            return McpReply.Error(m, JsonRpcErrors.InvalidParams, "tools/call params.name " + ClientJson.NotText);
        var arguments = m.Params.TryGetProperty("arguments", out var a) ? a : default;
        if (arguments.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
            return McpReply.Error(m, JsonRpcErrors.InvalidParams, "tools/call params.arguments must be an object");
        return await tools.CallAsync(m, name, arguments, context, ct);
    }
}
