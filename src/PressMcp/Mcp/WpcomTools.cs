using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Activity;

namespace PressMcp.Mcp;

/// <summary>
/// The WordPress.com-style endpoint's tools: each is a view over one ability, with WordPress.com's tool name.
/// Tools that act on a site take <c>wpcom_site</c> (id, slug or host name); the rest of the input is the ability's.
/// Outcomes map to this endpoint's wire as docs/mcp.md's table says; this class is that table's implementation.
/// </summary>
internal sealed class WpcomTools(AbilityCatalogue catalogue, AbilityInvoker invoker, Deferred<ContentAuthoringTool> authoring) : IMcpToolSet
{
    private static readonly (string Tool, string Ability)[] Map =
    [
        ("wpcom-mcp-user-sites", UserSitesAbility.Name),
        ("wpcom-mcp-user-profile", UserProfileAbility.Name),
        ("wpcom-mcp-posts-search", Content.Abilities.PostSearchAbility.Name),
        ("wpcom-mcp-post-get", Content.Abilities.PostGetAbility.Name),
        ("wpcom-mcp-site-settings", Sites.Abilities.SiteSettingsAbility.Name),
        ("wpcom-mcp-site-users", Sites.Abilities.SiteUsersAbility.Name),
        ("wpcom-mcp-site-statistics", Publishing.Statistics.StatisticsAbility.Name),
        ("wpcom-mcp-site-comments-search", Content.Abilities.CommentAbilities.Search),
    ];

    public string Instructions => "WordPress-style sites. Call wpcom-mcp-user-sites first to see which sites this connection may use.";

    public IEnumerable<(string Tool, Ability Ability)> All() => Map.Select(m => (m.Tool, catalogue.Get(m.Ability)));

    public Ability? Find(string tool)
    {
        foreach (var (name, ability) in Map)
            if (name == tool) return catalogue.Get(ability);
        return null;
    }

    /// <summary>
    /// The tools the caller may use on at least one granted site (<see cref="AbilityCatalogue.UsableAsync"/>); a tool
    /// whose scope the token lacks stays listed, so calling it can step up. The content authoring tool is listed
    /// when at least one of its operations is usable.
    /// </summary>
    public async Task<JsonArray> ListAsync(McpContext context, CancellationToken ct)
    {
        var tools = All().ToList();
        var operations = authoring.Value.OperationAbilities().ToList();
        var usable = (await catalogue.UsableAsync(context.Caller, [.. tools.Select(t => t.Ability), .. operations], ct)).ToHashSet();
        var list = new JsonArray();
        foreach (var (name, ability) in tools.Where(t => usable.Contains(t.Ability)))
            list.Add(McpToolJson.Listing(name, ability, ability.InputSchema));
        if (operations.Any(usable.Contains)) list.Add(ContentAuthoringTool.Describe());
        return list;
    }

    public async Task<McpReply> CallAsync(JsonRpcMessage request, string name, JsonElement arguments, McpContext context, CancellationToken ct)
    {
        if (name == ContentAuthoringTool.Name) return await authoring.Value.CallAsync(request, arguments, context, ct);
        var ability = Find(name);
        if (ability is null)
            return McpReply.Error(request, JsonRpcErrors.InvalidParams, $"unknown tool '{name}' (tools/list shows the tools you may use)");
        var result = await invoker.InvokeAsync(context.Caller, name, ability, arguments, endpointSite: null, ct);
        return result.Outcome switch
        {
            CallOutcome.Succeeded => McpReply.Tool(request, result.Result!),
            CallOutcome.StepUp => new McpReply.StepUp(result.MissingScopes),
            _ => McpReply.Result(request, McpToolJson.ToolError(result.Message)),
        };
    }
}
