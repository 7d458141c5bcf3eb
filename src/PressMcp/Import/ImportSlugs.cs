using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// Slugs unique per site and post type, as WordPress keeps them: an imported slug another post already has gets
/// the first free "-2", "-3"… suffix. A post keeps its own slug on a second import (it is not "taken" by itself).
/// </summary>
internal sealed class ImportSlugs(PressDbContext db, long siteId)
{
    private readonly Dictionary<(string Type, string Slug), long> _assigned = [];
    private HashSet<string> _prefetched = [];
    private List<(string Type, string Slug, long Id)> _holders = [];

    /// <summary>Loads, in one query, which posts already hold the slugs a batch asks for.</summary>
    public async Task PrefetchAsync(IReadOnlyList<StagedItem> batch, CancellationToken ct)
    {
        var slugs = batch.Select(i => i.Item.Slug).Where(s => s.Length > 0).Distinct().ToList();
        var rows = await db.Posts.Where(p => p.SiteId == siteId && slugs.Contains(p.Slug)).Select(p => new { p.Type, p.Slug, p.Id }).ToListAsync(ct);
        _prefetched = slugs.ToHashSet(StringComparer.Ordinal);
        _holders = rows.Select(r => (r.Type, r.Slug, r.Id)).ToList();
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
        if (_prefetched.Contains(slug)) return _holders.Any(h => h.Type == type && h.Slug == slug && h.Id != postId);
        return await db.Posts.AnyAsync(p => p.SiteId == siteId && p.Type == type && p.Slug == slug && p.Id != postId, ct);
    }
}
