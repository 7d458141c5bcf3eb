using Microsoft.EntityFrameworkCore;
using PressMcp.OAuth.Clients;
using PressMcp.Storage;

namespace PressMcp.OAuth.Grants;

internal sealed record ConnectionEvent(DateTime AtUtc, string Message);

/// <summary>One approved app as the connected-apps page shows it.</summary>
internal sealed record Connection(
    long GrantId, string ClientName, string ClientId, string RedirectHosts, string Resource, IReadOnlyList<ScopeInfo> Permissions,
    IReadOnlyList<string> Sites, DateTime FirstApprovedUtc, DateTime? LastUsedUtc, IReadOnlyList<ConnectionEvent> Events);

/// <summary>What a user has approved, read for the connected-apps page.</summary>
internal sealed class ConnectedApps(PressDbContext db)
{
    private const int EventsShown = 10;

    public async Task<IReadOnlyList<Connection>> OfUserAsync(long userId, CancellationToken ct)
    {
        var rows = await (from g in db.OAuthGrants
                          join c in db.OAuthClients on g.ClientId equals c.Id
                          where g.UserId == userId
                          orderby g.FirstApprovedUtc
                          select new { Grant = g, c.Name, c.RedirectUris }).AsNoTracking().ToListAsync(ct);
        var ids = rows.Select(r => r.Grant.Id).ToList();
        var sites = await (from gs in db.OAuthGrantSites
                           join s in db.Sites on gs.SiteId equals s.Id
                           where ids.Contains(gs.GrantId)
                           orderby s.Title
                           select new { gs.GrantId, s.Title }).AsNoTracking().ToListAsync(ct);
        var events = await db.OAuthGrantEvents.Where(e => ids.Contains(e.GrantId)).OrderByDescending(e => e.AtUtc).AsNoTracking().ToListAsync(ct);

        return rows.Select(r => new Connection(
            r.Grant.Id, r.Name, r.Grant.ClientId,
            string.Join(", ", r.RedirectUris.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(RedirectUris.DisplayHost).Distinct()),
            r.Grant.Resource, Scopes.Describe(r.Grant.Scope),
            sites.Where(s => s.GrantId == r.Grant.Id).Select(s => s.Title).ToList(),
            r.Grant.FirstApprovedUtc, r.Grant.LastUsedUtc,
            events.Where(e => e.GrantId == r.Grant.Id).Take(EventsShown).Select(e => new ConnectionEvent(e.AtUtc, e.Message)).ToList())).ToList();
    }
}
