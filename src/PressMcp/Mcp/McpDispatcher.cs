using System.Text.Json;
using System.Text.Json.Nodes;

namespace PressMcp.Mcp;

/// <summary>
/// The MCP methods of a stateless server, the same for every endpoint: <c>initialize</c> (version negotiation),
/// <c>ping</c>, <c>tools/list</c> and <c>tools/call</c>; the tools themselves come from the endpoint's
/// <see cref="IMcpToolSet"/>.
/// </summary>
internal sealed class McpDispatcher
{
    public static readonly IReadOnlyList<string> SupportedVersions = ["2025-11-25", "2025-06-18"];

    public async Task<McpReply> DispatchAsync(JsonRpcMessage message, McpContext context, IMcpToolSet tools, CancellationToken ct)
    {
        if (message.IsResponse || message.IsNotification) return new McpReply.Accepted();
        return message.Method switch
        {
            "initialize" => McpReply.Result(message, Initialize(message.Params, tools)),
            "ping" => McpReply.Result(message, new JsonObject()),
            "tools/list" => McpReply.Result(message, new JsonObject { ["tools"] = await tools.ListAsync(context, ct) }),
            "tools/call" => await CallToolAsync(message, context, tools, ct),
            _ => McpReply.Error(message, JsonRpcErrors.MethodNotFound, $"method not found: {message.Method}"),
        };
    }

    private static JsonObject Initialize(JsonElement parameters, IMcpToolSet tools)
    {
        var asked = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        // The client's version when we speak it; otherwise our latest, and the client decides whether to continue.
        var version = asked is not null && SupportedVersions.Contains(asked) ? asked : SupportedVersions[0];
        return new JsonObject
        {
            ["protocolVersion"] = version,
            ["capabilities"] = new JsonObject { ["tools"] = new JsonObject { ["listChanged"] = false } },
            ["serverInfo"] = ServerInfo(),
            ["instructions"] = tools.Instructions,
        };
    }

    private static JsonObject ServerInfo() =>
        new() { ["name"] = "pressmcp", ["title"] = "PressMcp", ["version"] = typeof(McpDispatcher).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" };

    private static async Task<McpReply> CallToolAsync(JsonRpcMessage m, McpContext context, IMcpToolSet tools, CancellationToken ct)
    {
        if (m.Params.ValueKind != JsonValueKind.Object || !m.Params.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            return McpReply.Error(m, JsonRpcErrors.InvalidParams, "tools/call needs params.name, the tool to call");
        var arguments = m.Params.TryGetProperty("arguments", out var a) ? a : default;
        if (arguments.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
            return McpReply.Error(m, JsonRpcErrors.InvalidParams, "tools/call params.arguments must be an object");
        return await tools.CallAsync(m, nameElement.GetString()!, arguments, context, ct);
    }
}
