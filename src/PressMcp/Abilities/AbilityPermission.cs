using PressMcp.Accounts;
using PressMcp.Sites;

namespace PressMcp.Abilities;

internal enum Refusal
{
    None,
    MissingScope,
    SiteNotGranted,
    NotAMember,
    MissingCapability,
    /// <summary>The user has not turned MCP on.</summary>
    McpOff,
    /// <summary>The user switched this tool off (or never turned a write tool on).</summary>
    ToolOff,
    /// <summary>The user blocked every MCP tool on this site.</summary>
    SiteBlocked,
    /// <summary>The user allows only read tools on this site.</summary>
    SiteReadOnly,
    /// <summary>The site's administrators blocked every agent on the site.</summary>
    SitePolicyBlocked,
    /// <summary>The site's administrators allow agents only to read on the site.</summary>
    SitePolicyReadOnly,
}

/// <summary>The answer of the one permission function, with what an agent needs to act on a refusal.</summary>
internal sealed record PermissionDecision(Refusal Refusal, IReadOnlyList<string> Missing, string Message)
{
    public static readonly PermissionDecision Allowed = new(Refusal.None, [], "");

    public bool IsAllowed => Refusal == Refusal.None;
}

/// <summary>
/// The one permission function for every ability call on every endpoint: grant scopes ∩ granted sites ∩ the
/// user's role on the site (through <see cref="Permissions"/>) ∩ the user's MCP settings ∩ the site's MCP policy
/// (<see cref="SiteMcpPolicy"/>, set by its administrators), read at call time.
/// Each layer only narrows; nothing here widens what the role allows. Scopes are checked first so a missing
/// one can be answered with an OAuth step-up; the messages say which layer refused, so an agent (or its user)
/// knows what to change.
/// </summary>
internal static class AbilityPermission
{
    public const string SiteNotGrantedMessage = "this connection was not granted access to that site; the user can add it by connecting again";
    public const string NotAMemberMessage = "you are not a member of that site";

    public static PermissionDecision Decide(McpCaller caller, Ability ability, long? siteId, SiteActor? actor, Mcp.Settings.McpSettingsSnapshot settings, SiteMcpPolicy sitePolicy)
    {
        var missingScopes = MissingScopes(caller, ability);
        if (missingScopes.Count > 0)
            return new(Refusal.MissingScope, missingScopes, $"this connection was not granted the scope {string.Join(" ", missingScopes)}; reconnect and approve it to use {ability.Name}");
        return DecideBeyondScopes(caller, ability, siteId, actor, settings, sitePolicy);
    }

    /// <summary>The scopes of <paramref name="ability"/> the caller's grant lacks (a call would step up for them).</summary>
    private static IReadOnlyList<string> MissingScopes(McpCaller caller, Ability ability) =>
        ability.Scopes.Where(s => !caller.Scopes.Contains(s)).ToList();

    /// <summary>
    /// Every layer but the grant's scopes: what decides whether an ability is listed, since a missing scope can be
    /// granted on the spot (step-up) and the other layers cannot.
    /// </summary>
    public static PermissionDecision DecideBeyondScopes(McpCaller caller, Ability ability, long? siteId, SiteActor? actor, Mcp.Settings.McpSettingsSnapshot settings, SiteMcpPolicy sitePolicy)
    {
        if (ability.SiteScoped && (siteId is null || actor is null)) throw new ArgumentException($"{ability.Name} acts on a site; resolve it before deciding");
        if (ability.SiteScoped && !caller.MayReach(siteId!.Value))
            return new(Refusal.SiteNotGranted, [], SiteNotGrantedMessage);
        switch (caller.IsPerson ? Refusal.None : settings.Check(ability, ability.SiteScoped ? siteId : null))
        {
            case Refusal.McpOff:
                return new(Refusal.McpOff, [], "MCP access is turned off for this account; the user can turn it on in their MCP settings");
            case Refusal.ToolOff:
                return new(Refusal.ToolOff, [], $"the user has switched off {ability.Name} in their MCP settings{(ability.Annotations.ReadOnly ? "" : " (write tools stay off until the user turns them on)")}");
            case Refusal.SiteBlocked:
                return new(Refusal.SiteBlocked, [], "the user has blocked all MCP tools on this site in their MCP settings");
            case Refusal.SiteReadOnly:
                return new(Refusal.SiteReadOnly, [], $"the user allows only read tools on this site, and {ability.Name} writes");
        }
        if (!ability.SiteScoped) return PermissionDecision.Allowed;
        // The site's policy binds agents, not the people who set it (a person's page actions are not agents' calls).
        if (!caller.IsPerson && sitePolicy == SiteMcpPolicy.Blocked)
            return new(Refusal.SitePolicyBlocked, [], "the site's administrators have blocked every MCP app on this site");
        if (!caller.IsPerson && sitePolicy == SiteMcpPolicy.ReadOnly && !ability.Annotations.ReadOnly)
            return new(Refusal.SitePolicyReadOnly, [], $"the site's administrators allow MCP apps only to read on this site, and {ability.Name} writes");
        if (actor!.Role is null && !actor.IsServerAdmin)
            return new(Refusal.NotAMember, [], NotAMemberMessage);
        if (ability.Capability is { } capability)
        {
            var missing = Permissions.MissingCapabilities(actor, capability);
            if (missing.Count > 0)
                return new(Refusal.MissingCapability, missing, $"your role ({actor.Role}) lacks the capability {string.Join(", ", missing)} needed for {ability.Name}");
        }
        return PermissionDecision.Allowed;
    }
}
