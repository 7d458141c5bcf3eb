using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;
using PressMcp.Abilities;

namespace PressMcp.Activity;

/// <summary>One row of the activity page: an entry with the names people recognise instead of ids.</summary>
internal sealed record ActivityRow(
    DateTime AtUtc, string User, string Client, string Endpoint, string Tool, string Ability, string? Site,
    CallOutcome Outcome, string? Message, int DurationMs, string Arguments, bool IsWrite, int Changes);

internal sealed record ActivityFilter(long? UserId, string? Client, long? SiteId, int Page, int PerPage = 50);

internal sealed record ActivityPage(IReadOnlyList<ActivityRow> Rows, bool HasMore);

/// <summary>Reads the activity log for the activity page: newest first, filtered by user, client and site.</summary>
internal sealed class ActivityQuery(PressDbContext db)
{
    public async Task<ActivityPage> ListAsync(ActivityFilter filter, CancellationToken ct)
    {
        var q = db.ActivityLog.AsNoTracking();
        if (filter.UserId is { } user) q = q.Where(a => a.UserId == user);
        if (!string.IsNullOrEmpty(filter.Client)) q = q.Where(a => a.Client == filter.Client);
        if (filter.SiteId is { } site) q = q.Where(a => a.SiteId == site);
        var page = Math.Max(1, filter.Page);
        // One more than a page tells whether there is a next page without counting the whole log.
        var entries = await q.OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Skip((page - 1) * filter.PerPage).Take(filter.PerPage + 1).ToListAsync(ct);
        var hasMore = entries.Count > filter.PerPage;
        if (hasMore) entries.RemoveAt(entries.Count - 1);

        var userIds = entries.Select(e => e.UserId).Distinct().ToList();
        var siteIds = entries.Where(e => e.SiteId is not null).Select(e => e.SiteId!.Value).Distinct().ToList();
        var clientIds = entries.Where(e => e.Client is not null).Select(e => e.Client!).Distinct().ToList();
        var callIds = entries.Where(e => e.IsWrite).Select(e => e.CallId).ToList();
        var users = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName ?? "", ct);
        var sites = await db.Sites.Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Title, ct);
        var clients = await db.OAuthClients.Where(c => clientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var changes = await db.ChangeRecords.Where(c => callIds.Contains(c.CallId)).GroupBy(c => c.CallId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        var rows = entries.Select(e => new ActivityRow(
            e.AtUtc,
            users.GetValueOrDefault(e.UserId, $"user {e.UserId}"),
            ClientName(e.Client, clients),
            e.Endpoint, e.Tool, e.Ability,
            e.SiteId is { } s ? sites.GetValueOrDefault(s, $"site {s} (deleted)") : null,
            e.Outcome, e.Message, e.DurationMs, e.Arguments, e.IsWrite, changes.GetValueOrDefault(e.CallId))).ToList();
        return new ActivityPage(rows, hasMore);
    }

    /// <summary>The clients that appear in a user's log (or everyone's), with display names, for the filter.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> ClientsAsync(long? userId, CancellationToken ct)
    {
        var q = db.ActivityLog.AsNoTracking().Where(a => a.Client != null);
        if (userId is { } user) q = q.Where(a => a.UserId == user);
        var ids = await q.Select(a => a.Client!).Distinct().Take(200).ToListAsync(ct);
        var names = await db.OAuthClients.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return ids.Select(id => new KeyValuePair<string, string>(id, ClientName(id, names))).OrderBy(p => p.Value, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static string ClientName(string? id, IReadOnlyDictionary<string, string> oauthNames) => id switch
    {
        null => "unknown",
        _ when oauthNames.TryGetValue(id, out var name) => name,
        _ when id.StartsWith("app-password:", StringComparison.Ordinal) => $"Application Password “{id["app-password:".Length..]}”",
        _ => id,
    };
}
