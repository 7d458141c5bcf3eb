using PressMcp.Accounts;

namespace PressMcp.Abilities;

internal enum Refusal
{
    None,
    MissingScope,
    SiteNotGranted,
    NotAMember,
    MissingCapability,
}

/// <summary>The answer of the one permission function, with what an agent needs to act on a refusal.</summary>
internal sealed record PermissionDecision(Refusal Refusal, IReadOnlyList<string> Missing, string Message)
{
    public static readonly PermissionDecision Allowed = new(Refusal.None, [], "");

    public bool IsAllowed => Refusal == Refusal.None;
}

/// <summary>
/// The one permission function for every ability call on every endpoint: grant scopes ∩ granted sites ∩ the
/// user's role on the site (through <see cref="Permissions"/>). The user's MCP settings are the next layer
/// (they narrow further and are evaluated at call time); nothing here widens what the role allows.
/// Scopes are checked first so a missing one can be answered with an OAuth step-up.
/// </summary>
internal static class AbilityPermission
{
    public static PermissionDecision Decide(McpCaller caller, Ability ability, long? siteId, SiteActor? actor)
    {
        var missingScopes = ability.Scopes.Where(s => !caller.Scopes.Contains(s)).ToList();
        if (missingScopes.Count > 0)
            return new(Refusal.MissingScope, missingScopes, $"this connection was not granted the scope {string.Join(" ", missingScopes)}; reconnect and approve it to use {ability.Name}");

        if (!ability.SiteScoped) return PermissionDecision.Allowed;
        if (siteId is not { } id || actor is null) throw new ArgumentException($"{ability.Name} acts on a site; resolve it before deciding");
        if (!caller.MayReach(id))
            return new(Refusal.SiteNotGranted, [], "this connection was not granted access to that site; the user can add it by connecting again");
        if (actor.Role is null && !actor.IsServerAdmin)
            return new(Refusal.NotAMember, [], "you are not a member of that site");
        if (ability.Capability is { } capability)
        {
            var missing = Permissions.MissingCapabilities(actor, capability);
            if (missing.Count > 0)
                return new(Refusal.MissingCapability, missing, $"your role ({actor.Role}) lacks the capability {string.Join(", ", missing)} needed for {ability.Name}");
        }
        return PermissionDecision.Allowed;
    }
}
