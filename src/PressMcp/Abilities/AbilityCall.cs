using System.Text.Json;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Sites;

namespace PressMcp.Abilities;

/// <summary>
/// Who is calling over MCP and what their credential allows: an OAuth grant (scopes, chosen sites) or an
/// Application Password (every scope; the sites the user belongs to). Built by each endpoint's authentication.
/// <paramref name="Client"/> names the credential in the activity log (an OAuth client id or an app password's name).
/// </summary>
internal sealed record McpCaller(long UserId, bool IsServerAdmin, IReadOnlySet<string> Scopes, IReadOnlySet<long>? GrantedSiteIds, string? Client, string Endpoint)
{
    public bool MayReach(long siteId) => GrantedSiteIds is null || GrantedSiteIds.Contains(siteId);

    /// <summary>A person acting in the browser (<see cref="PersonCalls"/>): MCP settings, the person's rules for agents, do not apply.</summary>
    public bool IsPerson => Endpoint == PersonCalls.Endpoint;
}

/// <summary>
/// One execution: the caller, the validated input, the site it acts on (if any) with the caller's role there, and the
/// clock its changes are dated by.
/// </summary>
internal sealed record AbilityCall(McpCaller Caller, JsonElement Input, Site? Site, SiteActor? Actor, TimeProvider Clock)
{
    /// <summary>Joins the activity entry of this call to the <see cref="ChangeRecord"/>s its writes leave; ordered by time (<see cref="CallIds"/>).</summary>
    public Guid CallId { get; init; } = CallIds.New(Clock.GetUtcNow());

    /// <summary>
    /// A change record for a write of this call, to be added to the same DbContext and saved with the write,
    /// so the data to reverse it exists exactly when the write does. <paramref name="before"/> is serialized as JSON.
    /// </summary>
    public ChangeRecord Change(string objectType, long objectId, string action, object? before = null, long? revisionId = null) => new()
    {
        CallId = CallId,
        AtUtc = Clock.GetUtcNow().UtcDateTime,
        UserId = Caller.UserId,
        SiteId = Site?.Id ?? throw new InvalidOperationException("changes are recorded for site-scoped abilities"),
        ObjectType = objectType,
        ObjectId = objectId,
        Action = action,
        Before = before is null ? null : before as string ?? JsonSerializer.Serialize(before, before.GetType(), ChangeJson.Options),
        RevisionId = revisionId,
    };
}

internal static class ChangeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
