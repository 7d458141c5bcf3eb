using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// Slugs unique per site and post type, as WordPress keeps them: an imported slug another post already has gets
/// the first free "-2", "-3"… suffix. A post keeps its own slug on a second import (it is not "taken" by itself).
/// Used while the import is planned, before it writes any post: the site's posts are those it had before.
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
}
