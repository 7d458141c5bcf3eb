using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>
/// The MCP methods of a stateless server: <c>initialize</c> (version negotiation), <c>ping</c>, <c>tools/list</c>
/// and <c>tools/call</c>. Every tool call goes the same way: find the tool, validate the arguments against the
/// ability's schema, resolve the site, decide with <see cref="AbilityPermission"/>, execute, shape the result.
/// Outcomes map to the wire as docs/mcp.md's table says; this class is that table's one implementation.
/// </summary>
internal sealed class McpDispatcher(WpcomTools tools, SiteResolver sites, IServiceProvider services, ILogger<McpDispatcher> logger)
{
    public static readonly IReadOnlyList<string> SupportedVersions = ["2025-11-25", "2025-06-18"];

    public async Task<McpReply> DispatchAsync(JsonRpcMessage message, McpCaller caller, CancellationToken ct)
    {
        if (message.IsResponse || message.IsNotification) return new McpReply.Accepted();
        return message.Method switch
        {
            "initialize" => Reply(message, Initialize(message.Params)),
            "ping" => Reply(message, new JsonObject()),
            "tools/list" => Reply(message, await ListToolsAsync(caller, ct)),
            "tools/call" => await CallToolAsync(message, caller, ct),
            _ => new McpReply.Message(JsonRpcMessage.Error(message.Id, JsonRpcErrors.MethodNotFound, $"method not found: {message.Method}")),
        };
    }

    private static McpReply Reply(JsonRpcMessage m, JsonNode result) => new McpReply.Message(JsonRpcMessage.Result(m.Id, result));

    private static JsonObject Initialize(JsonElement parameters)
    {
        var asked = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        // The client's version when we speak it; otherwise our latest, and the client decides whether to continue.
        var version = asked is not null && SupportedVersions.Contains(asked) ? asked : SupportedVersions[0];
        return new JsonObject
        {
            ["protocolVersion"] = version,
            ["capabilities"] = new JsonObject { ["tools"] = new JsonObject { ["listChanged"] = false } },
            ["serverInfo"] = new JsonObject { ["name"] = "pressmcp", ["title"] = "PressMcp", ["version"] = typeof(McpDispatcher).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" },
            ["instructions"] = "WordPress-style sites. Call wpcom-mcp-user-sites first to see which sites this connection may use.",
        };
    }

    /// <summary>
    /// The tools the caller may use on at least one granted site by role (and, later, MCP settings). Not filtered
    /// by scope: a tool whose scope the token lacks stays listed, so calling it can trigger a step-up.
    /// </summary>
    private async Task<JsonObject> ListToolsAsync(McpCaller caller, CancellationToken ct)
    {
        var db = services.GetRequiredService<Storage.PressDbContext>();
        var roles = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.SiteMembers.Where(m => m.UserId == caller.UserId).Select(m => new { m.SiteId, m.Role }), ct);
        var actors = roles.Where(r => caller.MayReach(r.SiteId)).Select(r => new Accounts.SiteActor(caller.UserId, caller.IsServerAdmin, r.Role)).ToList();
        bool Usable(Ability a)
        {
            if (!a.SiteScoped || caller.IsServerAdmin) return true;
            return a.Capability is null ? actors.Count > 0 : actors.Any(actor => Accounts.Permissions.Can(actor, a.Capability));
        }

        var list = new JsonArray();
        foreach (var (name, ability) in tools.All().Where(t => Usable(t.Ability)))
        {
            list.Add(new JsonObject
            {
                ["name"] = name,
                ["title"] = ability.Label,
                ["description"] = ability.Description,
                ["inputSchema"] = JsonNode.Parse(ability.InputSchema.GetRawText()),
                ["outputSchema"] = JsonNode.Parse(ability.OutputSchema.GetRawText()),
                ["annotations"] = new JsonObject
                {
                    ["title"] = ability.Label,
                    ["readOnlyHint"] = ability.Annotations.ReadOnly,
                    ["destructiveHint"] = ability.Annotations.Destructive,
                    ["idempotentHint"] = ability.Annotations.Idempotent,
                    ["openWorldHint"] = false,
                },
            });
        }
        return new JsonObject { ["tools"] = list };
    }

    private async Task<McpReply> CallToolAsync(JsonRpcMessage m, McpCaller caller, CancellationToken ct)
    {
        if (m.Params.ValueKind != JsonValueKind.Object || !m.Params.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            return new McpReply.Message(JsonRpcMessage.Error(m.Id, JsonRpcErrors.InvalidParams, "tools/call needs params.name, the tool to call"));
        var name = nameElement.GetString()!;
        var ability = tools.Find(name);
        if (ability is null)
            return new McpReply.Message(JsonRpcMessage.Error(m.Id, JsonRpcErrors.InvalidParams, $"unknown tool '{name}' (tools/list shows the tools you may use)"));

        var arguments = m.Params.TryGetProperty("arguments", out var a) && a.ValueKind != JsonValueKind.Null ? a : JsonDocument.Parse("{}").RootElement;
        if (ability.Input.Validate(arguments) is { } invalid) return ToolError(m, $"invalid arguments: {invalid}");

        Site? site = null;
        Accounts.SiteActor? actor = null;
        if (ability.SiteScoped)
        {
            // The schema allows an id (number) or a slug or host name (string).
            var reference = arguments.TryGetProperty(WpcomTools.SiteArgument, out var s)
                ? s.ValueKind == JsonValueKind.Number ? s.GetRawText() : s.GetString()
                : null;
            var resolved = await sites.ResolveAsync(reference, ct);
            if (!resolved.Succeeded) return ToolError(m, resolved.Problem!.Message);
            site = resolved.Value!;
            actor = await sites.ActorAsync(caller.UserId, caller.IsServerAdmin, site.Id, ct);
        }

        var decision = AbilityPermission.Decide(caller, ability, site?.Id, actor);
        if (decision.Refusal == Refusal.MissingScope) return new McpReply.StepUp(decision.Missing);
        if (!decision.IsAllowed) return ToolError(m, decision.Message);

        var outcome = await ability.Execute(new AbilityCall(caller, arguments, site, actor, services), ct);
        if (!outcome.Succeeded) return ToolError(m, outcome.Problem!.Message);
        var structured = JsonNode.Parse(outcome.Value.GetRawText());
        logger.LogDebug("MCP tool {Tool} ({Ability}) called by user {UserId}", name, ability.Name, caller.UserId);
        return Reply(m, new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = outcome.Value.GetRawText() }),
            ["structuredContent"] = structured,
            ["isError"] = false,
        });
    }

    /// <summary>A refusal or failure the agent can act on: a normal result with isError and a message.</summary>
    private static McpReply ToolError(JsonRpcMessage m, string message) => Reply(m, new JsonObject
    {
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = message }),
        ["isError"] = true,
    });
}
