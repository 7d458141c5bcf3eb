using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Sites;

/// <summary>
/// Finds a site from what a person or an agent typed: all digits is an id, otherwise a slug,
/// otherwise a host name. The one resolver every command and tool uses.
/// </summary>
internal sealed class SiteResolver(PressDbContext db)
{
    public async Task<Outcome<Site>> ResolveAsync(string? reference, CancellationToken ct = default)
    {
        var value = reference?.Trim() ?? "";
        if (value.Length == 0) return Problem.Invalid("no site given (use its id, slug or host name)");

        Site? site;
        if (SiteRules.IsAllDigits(value))
        {
            site = long.TryParse(value, out var id) ? await db.Sites.FirstOrDefaultAsync(s => s.Id == id, ct) : null;
        }
        else
        {
            var (slug, host) = Candidates(value);
            site = (slug is null ? null : await db.Sites.FirstOrDefaultAsync(s => s.Slug == slug, ct))
                ?? (host is null ? null : await db.Sites.FirstOrDefaultAsync(s => s.HostName == host, ct));
        }
        return site is null ? Problem.NotFound($"no site '{value}' (give a site id, slug or host name)") : Outcome<Site>.Ok(site);
    }

    /// <summary>
    /// <see cref="ResolveAsync"/> and <see cref="ActorAsync(long, bool, long, CancellationToken)"/> in one round trip,
    /// for the MCP call path (every site-scoped tool call): the site and the caller's role there. The same
    /// rules: digits are an id; otherwise a slug, and only when no slug matches, a host name.
    /// </summary>
    public async Task<Outcome<(Site Site, SiteActor Actor)>> ResolveWithActorAsync(string? reference, long userId, bool isServerAdmin, CancellationToken ct = default)
    {
        var value = reference?.Trim() ?? "";
        if (value.Length == 0) return Problem.Invalid("no site given (use its id, slug or host name)");

        SiteWithRole? found;
        if (SiteRules.IsAllDigits(value))
        {
            found = long.TryParse(value, out var id) ? await SiteById(db, id, userId, ct) : null;
        }
        else
        {
            var (slug, host) = Candidates(value);
            found = slug is null && host is null ? null : await SiteBySlugOrHost(db, slug ?? "", host ?? "", userId, ct);
        }
        return found is null
            ? Problem.NotFound($"no site '{value}' (give a site id, slug or host name)")
            : Outcome<(Site, SiteActor)>.Ok((found.Site, new SiteActor(userId, isServerAdmin, found.Role)));
    }

    /// <summary>
    /// What a reference can be, normalized by the site rules (ASCII only): a slug, a host name, or neither, in which
    /// case nothing is looked up. An empty string matches no stored slug or host.
    /// </summary>
    private static (string? Slug, string? Host) Candidates(string value) =>
        (SiteRules.NormalizeSlug(value), SiteRules.NormalizeHostName(value, out _));

    private sealed record SiteWithRole(Site Site, string? Role);

    // Compiled: both run on every site-scoped MCP call. The role is a scalar subquery on the membership key.
    private static readonly Func<PressDbContext, long, long, CancellationToken, Task<SiteWithRole?>> SiteById = EF.CompileAsyncQuery(
        (PressDbContext db, long id, long userId, CancellationToken ct) =>
            db.Sites.Where(s => s.Id == id)
                .Select(s => new SiteWithRole(s, db.SiteMembers.Where(m => m.SiteId == s.Id && m.UserId == userId).Select(m => m.Role).FirstOrDefault()))
                .FirstOrDefault());

    // A slug match wins over a host-name match, as in ResolveAsync's two look-ups.
    private static readonly Func<PressDbContext, string, string, long, CancellationToken, Task<SiteWithRole?>> SiteBySlugOrHost = EF.CompileAsyncQuery(
        (PressDbContext db, string slug, string host, long userId, CancellationToken ct) =>
            db.Sites.Where(s => s.Slug == slug || s.HostName == host)
                .OrderBy(s => s.Slug == slug ? 0 : 1)
                .Select(s => new SiteWithRole(s, db.SiteMembers.Where(m => m.SiteId == s.Id && m.UserId == userId).Select(m => m.Role).FirstOrDefault()))
                .FirstOrDefault());

    /// <summary>The actor for <paramref name="user"/> on <paramref name="siteId"/>: their role there, if any.</summary>
    public Task<SiteActor> ActorAsync(User user, long siteId, CancellationToken ct = default) =>
        ActorAsync(user.Id, user.IsServerAdmin, siteId, ct);

    public async Task<SiteActor> ActorAsync(long userId, bool isServerAdmin, long siteId, CancellationToken ct = default)
    {
        var role = await db.SiteMembers.Where(m => m.SiteId == siteId && m.UserId == userId)
            .Select(m => m.Role).FirstOrDefaultAsync(ct);
        return new SiteActor(userId, isServerAdmin, role);
    }

    /// <summary>The sites <paramref name="userId"/> belongs to, with the role on each.</summary>
    public async Task<IReadOnlyList<SiteMembership>> MembershipsAsync(long userId, CancellationToken ct = default) =>
        await (from m in db.SiteMembers.AsNoTracking()
               join s in db.Sites on m.SiteId equals s.Id
               where m.UserId == userId
               select new SiteMembership(m.SiteId, m.Role, s.McpPolicy)).ToListAsync(ct);
}

/// <summary>A site a user belongs to, their role there, and the site's MCP policy.</summary>
internal sealed record SiteMembership(long SiteId, string Role, SiteMcpPolicy Policy);
