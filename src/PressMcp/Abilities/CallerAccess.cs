using PressMcp.Accounts;
using PressMcp.Mcp.Settings;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Abilities;

/// <summary>
/// What a call's permission is decided by, as the call path reads it: the caller's MCP settings, and a site with
/// the caller's role there. Each is read through <see cref="CallerAccessCache"/> and used only while the
/// <see cref="AccessVersion"/> it was read under is still current, so a change to settings, roles or sites applies
/// from the next call (within SharedAccessVersion.MaxAge on other instances). Failed look-ups (an unknown site) are not cached.
/// </summary>
internal sealed class CallerAccess(AccessVersion version, CallerAccessCache cache, Deferred<SiteResolver> sites, Deferred<McpSettingsStore> settingsStore)
{
    public async Task<McpSettingsSnapshot> SettingsAsync(long userId, CancellationToken ct)
    {
        var current = await version.CurrentAsync(ct);
        if (cache.Settings.TryGet(userId, current, out var settings)) return settings;
        settings = await settingsStore.Value.LoadAsync(userId, ct);
        cache.Settings.Set(userId, current, settings);
        return settings;
    }

    /// <summary>The site a reference names (id, slug or host name) and the caller's role there, as <see cref="SiteResolver.ResolveWithActorAsync"/>.</summary>
    public async Task<Outcome<(Site Site, SiteActor Actor)>> SiteAsync(string? reference, long userId, bool isServerAdmin, CancellationToken ct)
    {
        var current = await version.CurrentAsync(ct);
        var key = ((reference ?? "").Trim().ToLowerInvariant(), userId, isServerAdmin);
        if (!cache.Sites.TryGet(key, current, out var found))
        {
            var resolved = await sites.Value.ResolveWithActorAsync(reference, userId, isServerAdmin, ct);
            if (!resolved.Succeeded) return resolved;
            found = resolved.Value;
            cache.Sites.Set(key, current, found);
            cache.Actors.Set((userId, isServerAdmin, found.Site.Id), current, found.Actor);
        }
        // A copy per call: the cached entity is shared between requests, and no call may change it for another.
        return Outcome<(Site, SiteActor)>.Ok((found.Site.Copy(), found.Actor));
    }

    /// <summary>The sites the user belongs to, with the role on each, as <see cref="SiteResolver.MembershipsAsync"/>.</summary>
    public async Task<IReadOnlyList<SiteMembership>> MembershipsAsync(long userId, CancellationToken ct)
    {
        var current = await version.CurrentAsync(ct);
        if (cache.Memberships.TryGet(userId, current, out var memberships)) return memberships;
        memberships = await sites.Value.MembershipsAsync(userId, ct);
        cache.Memberships.Set(userId, current, memberships);
        return memberships;
    }

    /// <summary>The caller's role on a site already known (an endpoint's own site), as <see cref="SiteResolver.ActorAsync(long, bool, long, CancellationToken)"/>.</summary>
    public async Task<SiteActor> ActorAsync(long userId, bool isServerAdmin, long siteId, CancellationToken ct)
    {
        var current = await version.CurrentAsync(ct);
        if (cache.Actors.TryGet((userId, isServerAdmin, siteId), current, out var actor)) return actor;
        actor = await sites.Value.ActorAsync(userId, isServerAdmin, siteId, ct);
        cache.Actors.Set((userId, isServerAdmin, siteId), current, actor);
        return actor;
    }
}

/// <summary>The caches behind <see cref="CallerAccess"/>, shared by every request of the process.</summary>
internal sealed class CallerAccessCache
{
    public VersionedCache<long, McpSettingsSnapshot> Settings { get; } = new(capacity: 10_000);

    /// <summary>By (reference as typed, trimmed and lower-cased; user; server admin).</summary>
    public VersionedCache<(string Reference, long UserId, bool IsServerAdmin), (Site Site, SiteActor Actor)> Sites { get; } = new(capacity: 10_000);

    public VersionedCache<(long UserId, bool IsServerAdmin, long SiteId), SiteActor> Actors { get; } = new(capacity: 10_000);

    public VersionedCache<long, IReadOnlyList<SiteMembership>> Memberships { get; } = new(capacity: 10_000);
}
