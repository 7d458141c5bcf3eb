using System.Text.Json;
using PressMcp.Accounts;
using PressMcp.Sites;

namespace PressMcp.Abilities;

/// <summary>
/// Who is calling over MCP and what their credential allows: an OAuth grant (scopes, chosen sites) or an
/// Application Password (every scope; the sites the user belongs to). Built by each endpoint's authentication.
/// </summary>
internal sealed record McpCaller(long UserId, bool IsServerAdmin, IReadOnlySet<string> Scopes, IReadOnlySet<long>? GrantedSiteIds, string? ClientId, string Endpoint)
{
    public bool MayReach(long siteId) => GrantedSiteIds is null || GrantedSiteIds.Contains(siteId);
}

/// <summary>One execution: the caller, the validated input, the site it acts on (if any) with the caller's role there.</summary>
internal sealed record AbilityCall(McpCaller Caller, JsonElement Input, Site? Site, SiteActor? Actor, IServiceProvider Services);
