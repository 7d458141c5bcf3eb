using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// Slugs unique per site and post type, as WordPress keeps them: an imported slug another post already has gets
/// the first free "-2", "-3"… suffix. A post keeps its own slug on a second import (it is not "taken" by itself).
/// Used while the import is planned, before it writes any post: the site's posts are those it had before. Pass 2 commits
/// in batches and live writers get in between them, so a slug planned for a later batch may be taken by then:
/// <see cref="ResolveClashesAsync"/> gives such a post the next free suffix, in its batch's transaction.
/// </summary>
internal sealed class ImportSlugs(PressDbContext db, long siteId)
{
    private readonly Dictionary<(string Type, string Slug), long> _assigned = [];
    private readonly HashSet<(string Type, string Slug)> _prefetched = [];
    private readonly List<(string Type, string Slug, long Id)> _holders = [];
    private readonly Dictionary<string, bool> _typeHasPosts = new(StringComparer.Ordinal);

    /// <summary>Loads, in one query per post type, which posts already hold the slugs the next items ask for.</summary>
    public async Task PrefetchAsync(IEnumerable<(string Type, string Slug)> wanted, CancellationToken ct)
    {
        _prefetched.Clear();
        _holders.Clear();
        // One query per post type, so the (site_id, type, slug) index finds the slugs instead of a scan of the site's posts.
        foreach (var byType in wanted.Where(i => i.Slug.Length > 0).GroupBy(i => i.Type, StringComparer.Ordinal))
        {
            var type = byType.Key;
            var slugs = byType.Select(i => i.Slug).Distinct().ToList();
            _prefetched.UnionWith(slugs.Select(s => (type, s)));
            // The first import into a site (the large ones) has nothing to look up: asked once per type, not per batch.
            if (!await HasPostsAsync(type, ct)) continue;
            var rows = await db.Posts.Where(p => p.SiteId == siteId && p.Type == type && slugs.Contains(p.Slug)).Select(p => new { p.Slug, p.Id }).ToListAsync(ct);
            _holders.AddRange(rows.Select(r => (type, r.Slug, r.Id)));
        }
    }

    public async Task<string> ResolveAsync(string type, string slug, long postId, CancellationToken ct)
    {
        // Drafts may have no slug yet; WordPress gives them one when they are published.
        if (slug.Length == 0) return slug;
        var unique = await Slugs.UniqueAsync(slug, candidate => TakenAsync(type, candidate, postId, ct));
        _assigned[(type, unique)] = postId;
        return unique;
    }

    private async Task<bool> TakenAsync(string type, string slug, long postId, CancellationToken ct)
    {
        if (_assigned.TryGetValue((type, slug), out var owner)) return owner != postId;
        if (_prefetched.Contains((type, slug))) return _holders.Any(h => h.Type == type && h.Slug == slug && h.Id != postId);
        if (!await HasPostsAsync(type, ct)) return false;
        return await db.Posts.AnyAsync(p => p.SiteId == siteId && p.Type == type && p.Slug == slug && p.Id != postId, ct);
    }

    private async Task<bool> HasPostsAsync(string type, CancellationToken ct)
    {
        if (!_typeHasPosts.TryGetValue(type, out var any))
            _typeHasPosts[type] = any = await db.Posts.AnyAsync(p => p.SiteId == siteId && p.Type == type, ct);
        return any;
    }

    /// <summary>
    /// After a batch inserted the new posts <paramref name="firstId"/>…<paramref name="lastId"/> (ids reserved for the import):
    /// those whose slug another post of their type now has (a live write since planning) get the first free "-2", "-3"…,
    /// free among the site's posts and the slugs planned for the rest of the import. One indexed look-up per post; a clash is rare.
    /// </summary>
    public static async Task<int> ResolveClashesAsync(PressDbContext db, WxrStaging staging, long siteId, long firstId, long lastId, CancellationToken ct)
    {
        var clashes = await db.Posts.AsNoTracking()
            .Where(p => p.SiteId == siteId && p.Id >= firstId && p.Id <= lastId && p.Slug != ""
                && db.Posts.Any(o => o.SiteId == p.SiteId && o.Type == p.Type && o.Slug == p.Slug && o.Id != p.Id))
            .Select(p => new { p.Id, p.Type, p.Slug }).ToListAsync(ct);
        foreach (var clash in clashes)
        {
            var unique = await Slugs.UniqueAsync(clash.Slug, async candidate => candidate == clash.Slug || staging.SlugPlanned(clash.Type, candidate)
                || await db.Posts.AnyAsync(p => p.SiteId == siteId && p.Type == clash.Type && p.Slug == candidate, ct));
            await db.Posts.Where(p => p.SiteId == siteId && p.Id == clash.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Slug, unique), ct);
        }
        return clashes.Count;
    }
}
