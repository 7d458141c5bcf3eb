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
        // Newest first by id: the order entries were recorded in, which is their time's order (taken as each is queued),
        // and what the indexes give (ActivityMapping). Across instances on one PostgreSQL database, a flush's entries
        // come together, so the order there is the time's within the flush interval (a second).
        var entries = await q.OrderByDescending(a => a.Id)
            .Skip((page - 1) * filter.PerPage).Take(filter.PerPage + 1).ToListAsync(ct);
        var hasMore = entries.Count > filter.PerPage;
        if (hasMore) entries.RemoveAt(entries.Count - 1);

        var userIds = entries.Select(e => e.UserId).Distinct().ToList();
        var siteIds = entries.Where(e => e.SiteId is not null).Select(e => e.SiteId!.Value).Distinct().ToList();
        var clientIds = entries.Where(e => e.Client is not null).Select(e => e.Client!).Distinct().ToList();
        var callIds = entries.Where(e => e.IsWrite).Select(e => e.CallId).ToList();
        var users = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName ?? "", ct);
        var sites = await db.Sites.Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Title, ct);
        var clients = await AppNames.OAuthNamesAsync(db, clientIds, ct);
        var changes = await db.ChangeRecords.Where(c => callIds.Contains(c.CallId)).GroupBy(c => c.CallId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        var rows = entries.Select(e => new ActivityRow(
            e.AtUtc,
            users.GetValueOrDefault(e.UserId, $"user {e.UserId}"),
            e.Endpoint == PersonCalls.Endpoint ? AppNames.InTheBrowser : AppNames.NameOf(e.Client, clients),
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
        var names = await AppNames.OAuthNamesAsync(db, ids, ct);
        return ids.Select(id => new KeyValuePair<string, string>(id, AppNames.NameOf(id, names))).OrderBy(p => p.Value, StringComparer.OrdinalIgnoreCase).ToList();
    }
}

/// <summary>The names people recognise for the apps that act for them: an OAuth client's registered name, an Application Password's.</summary>
internal static class AppNames
{
    /// <summary>What the log and the lists show for a person's own action in the browser.</summary>
    public const string InTheBrowser = "in the browser";

    private const string AppPasswordPrefix = "app-password:";

    /// <summary>The registered names of the OAuth clients among <paramref name="ids"/>, in one query.</summary>
    public static Task<Dictionary<string, string>> OAuthNamesAsync(PressDbContext db, IReadOnlyCollection<string> ids, CancellationToken ct) =>
        db.OAuthClients.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);

    /// <summary>The name of client <paramref name="id"/> (an OAuth client id or <c>app-password:NAME</c>).</summary>
    public static string NameOf(string? id, IReadOnlyDictionary<string, string> oauthNames) => id switch
    {
        null => "unknown",
        _ when oauthNames.TryGetValue(id, out var name) && name.Length > 0 => name,
        _ when id.StartsWith(AppPasswordPrefix, StringComparison.Ordinal) => $"Application Password “{id[AppPasswordPrefix.Length..]}”",
        _ => id,
    };
}
