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
            var lower = value.ToLowerInvariant();
            site = await db.Sites.FirstOrDefaultAsync(s => s.Slug == lower, ct)
                ?? await db.Sites.FirstOrDefaultAsync(s => s.HostName == lower.TrimEnd('.'), ct);
        }
        return site is null ? Problem.NotFound($"no site '{value}' (give a site id, slug or host name)") : Outcome<Site>.Ok(site);
    }

    /// <summary>The actor for <paramref name="user"/> on <paramref name="siteId"/>: their role there, if any.</summary>
    public Task<SiteActor> ActorAsync(User user, long siteId, CancellationToken ct = default) =>
        ActorAsync(user.Id, user.IsServerAdmin, siteId, ct);

    public async Task<SiteActor> ActorAsync(long userId, bool isServerAdmin, long siteId, CancellationToken ct = default)
    {
        var role = await db.SiteMembers.Where(m => m.SiteId == siteId && m.UserId == userId)
            .Select(m => m.Role).FirstOrDefaultAsync(ct);
        return new SiteActor(userId, isServerAdmin, role);
    }
}
