using PressMcp.Accounts;
using PressMcp.Sites;

namespace PressMcp.Abilities;

/// <summary>
/// The one answer to "which abilities may this caller see here": every tool set (the WordPress.com-style tools, its
/// content-authoring tool, the adapter's discovery) and the MCP settings page ask it, and it asks
/// <see cref="AbilityPermission"/>. An ability is listed when every layer but the grant's scopes allows it: a scope
/// the connection lacks can be granted on the spot (the call steps up), the other layers cannot. Reads go through
/// <see cref="CallerAccess"/>, so listing costs no query while nothing has changed.
/// </summary>
internal sealed class AbilityCatalogue(AbilityRegistry registry, CallerAccess access)
{
    /// <summary>The abilities offered over MCP, whoever asks (what the MCP settings page lets a user switch).</summary>
    public IEnumerable<Ability> Public => registry.All.Where(a => a.PublicOverMcp);

    /// <summary>The ability called <paramref name="name"/>, if it is offered over MCP.</summary>
    public Ability? FindPublic(string name) => registry.Find(name) is { PublicOverMcp: true } a ? a : null;

    /// <summary>The ability called <paramref name="name"/>; a name a tool set maps must be registered.</summary>
    public Ability Get(string name) => registry.Find(name) ?? throw new InvalidOperationException($"ability {name} is not registered");

    /// <summary>What every layer but the scopes decides for each of <paramref name="abilities"/> on <paramref name="site"/>.</summary>
    public async Task<IReadOnlyList<(Ability Ability, PermissionDecision Decision)>> OnSiteAsync(
        McpCaller caller, Site site, IEnumerable<Ability> abilities, CancellationToken ct)
    {
        var settings = await access.SettingsAsync(caller.UserId, ct);
        var actor = await access.ActorAsync(caller.UserId, caller.IsServerAdmin, site.Id, ct);
        return [.. abilities.Select(a => (a, AbilityPermission.DecideBeyondScopes(caller, a, a.SiteScoped ? site.Id : null, a.SiteScoped ? actor : null, settings, site.McpPolicy)))];
    }

    /// <summary>
    /// Those of <paramref name="abilities"/> the caller may use on at least one site the connection reaches (where they
    /// are a member), or anywhere for an ability not tied to a site.
    /// </summary>
    public async Task<IReadOnlyList<Ability>> UsableAsync(McpCaller caller, IEnumerable<Ability> abilities, CancellationToken ct)
    {
        var settings = await access.SettingsAsync(caller.UserId, ct);
        if (!settings.Enabled) return [];
        var memberships = await access.MembershipsAsync(caller.UserId, ct);
        var reachable = memberships.Where(m => caller.MayReach(m.SiteId))
            .Select(m => (m.SiteId, m.Policy, Actor: new SiteActor(caller.UserId, caller.IsServerAdmin, m.Role))).ToList();
        bool Usable(Ability a) => a.SiteScoped
            ? reachable.Any(m => AbilityPermission.DecideBeyondScopes(caller, a, m.SiteId, m.Actor, settings, m.Policy).IsAllowed)
            : AbilityPermission.DecideBeyondScopes(caller, a, null, null, settings, SiteMcpPolicy.Allow).IsAllowed;
        return [.. abilities.Where(Usable)];
    }
}
