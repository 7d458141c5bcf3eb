using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>Who calls, and the site the endpoint itself stands for (an adapter endpoint), if any.</summary>
internal sealed record McpContext(McpCaller Caller, Site? EndpointSite);

/// <summary>
/// The tools one MCP endpoint offers, as views over the ability registry. The protocol (versions, ping,
/// discovery) is <see cref="McpDispatcher"/>'s; listing and calling tools, and how each outcome looks on this
/// endpoint's wire, belong to the tool set.
/// </summary>
internal interface IMcpToolSet
{
    /// <summary>What the server tells a client about itself in <c>initialize</c> and <c>server/discover</c>.</summary>
    string Instructions { get; }

    Task<JsonArray> ListAsync(McpContext context, CancellationToken ct);

    /// <summary>Calls <paramref name="name"/>; the reply carries the JSON-RPC id of <paramref name="request"/>.</summary>
    Task<McpReply> CallAsync(JsonRpcMessage request, string name, JsonElement arguments, McpContext context, CancellationToken ct);

    // What an endpoint may do differently from the others (the adapter imitates WordPress's MCP Adapter); the
    // defaults are the WordPress.com-style endpoint's behaviour.

    /// <summary>The revisions <c>initialize</c> negotiates here, newest first.</summary>
    IReadOnlyList<string> HandshakeVersions => McpVersions.Handshake;

    /// <summary>How many messages one JSON-RPC batch may hold; 0: batches are refused.</summary>
    int MaxBatchSize => 0;

    /// <summary>Checked before each request (not notification) is dispatched: null lets it through, a reply refuses it.</summary>
    McpReply? Admit(JsonRpcMessage request) => null;

    /// <summary>
    /// What <c>initialize</c> and <c>server/discover</c> say the server can do. listChanged: false, because the server
    /// sends no notifications (no GET stream in the legacy revisions, no subscriptions/listen in 2026-07-28); a
    /// client learns of changes by listing again.
    /// </summary>
    JsonObject Capabilities => new() { ["tools"] = new JsonObject { ["listChanged"] = false } };

    /// <summary>The answer to a method other than the protocol's and the tools' that this endpoint has; null: none.</summary>
    McpReply? Answer(JsonRpcMessage request) => null;

    /// <summary>The answer to a handshake-era request for a method this server does not have.</summary>
    McpReply MethodNotFound(JsonRpcMessage request) => McpReply.Error(request, JsonRpcErrors.MethodNotFound, $"method not found: {request.Method}");
}

/// <summary>Tool descriptions as MCP's <c>tools/list</c> shows them.</summary>
internal static class McpToolJson
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Name, Ability Ability), byte[]> Listings = new();

    /// <summary>
    /// <see cref="Describe"/>, serialized once per tool name and ability (abilities are singletons, and a tool
    /// set gives one tool name one input schema), so <c>tools/list</c> parses no schema per request.
    /// </summary>
    public static JsonNode Listing(string name, Ability ability, JsonElement inputSchema) =>
        RawJsonNode.Of(Listings.GetOrAdd((name, ability), key => RawJsonNode.Serialize(Describe(key.Name, key.Ability, inputSchema))));

    public static JsonObject Describe(string name, Ability ability, JsonElement inputSchema) => new()
    {
        ["name"] = name,
        ["title"] = ability.Label,
        ["description"] = ability.Description,
        ["inputSchema"] = JsonNode.Parse(inputSchema.GetRawText()),
        ["outputSchema"] = JsonNode.Parse(ability.OutputSchema.GetRawText()),
        ["annotations"] = new JsonObject
        {
            ["title"] = ability.Label,
            ["readOnlyHint"] = ability.Annotations.ReadOnly,
            ["destructiveHint"] = ability.Annotations.Destructive,
            ["idempotentHint"] = ability.Annotations.Idempotent,
            ["openWorldHint"] = false,
        },
    };

    /// <summary>A refusal or failure the agent can act on: a normal result with isError and a message.</summary>
    public static JsonObject ToolError(string message) => new()
    {
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = message }),
        ["isError"] = true,
    };
}
