using Microsoft.EntityFrameworkCore;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Content;

internal sealed record NewPost
{
    public required string Title { get; init; }
    public string Content { get; init; } = "";
    public string Excerpt { get; init; } = "";
    public string Type { get; init; } = PostTypes.Post;
    public string Status { get; init; } = PostStatuses.Draft;
    public string? Slug { get; init; }
    public long? AuthorId { get; init; }
    public DateTime? DateUtc { get; init; }
    public long? ParentId { get; init; }
    public int MenuOrder { get; init; }
    public bool Sticky { get; init; }
    public string? CommentStatus { get; init; }
    public IReadOnlyList<long> TermIds { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Meta { get; init; } = [];
}

/// <summary>
/// Creates posts and pages the way WordPress does: a per-site id, a slug from the title made unique per site
/// and type, a GUID, dates in UTC, a future date making a published post scheduled. Permission checks belong
/// to the caller (an ability or a command), which knows who acts.
/// </summary>
internal sealed class PostWriter(PressDbContext db, SiteSequences sequences, SiteUrls urls, TimeProvider clock)
{
    public async Task<Outcome<Post>> CreateAsync(Site site, NewPost input, CancellationToken ct = default)
    {
        if (!PostTypes.IsContent(input.Type)) return Problem.Invalid($"unknown post type '{input.Type}' (use post or page)");
        if (!PostStatuses.All.Contains(input.Status) || input.Status == PostStatuses.Trash)
            return Problem.Invalid($"status must be one of publish, future, draft, pending, private (not '{input.Status}')");
        if (input.Title.Length > 1000) return Problem.Invalid("the title is longer than 1000 characters");
        if (input.Type == PostTypes.Post && input.ParentId is not null) return Problem.Invalid("posts have no parent; only pages do");
        if (input.ParentId is { } parent && !await db.Posts.AnyAsync(p => p.SiteId == site.Id && p.Id == parent && p.Type == PostTypes.Page, ct))
            return Problem.NotFound($"parent page {parent} does not exist");

        var now = clock.GetUtcNow().UtcDateTime;
        var date = input.DateUtc ?? now;
        var status = Authoring.PublishRule.Schedule(input.Status, date, now);

        var baseSlug = Slugs.FromTitle(string.IsNullOrWhiteSpace(input.Slug) ? input.Title : input.Slug);
        if (baseSlug.Length == 0) baseSlug = input.Type;
        var slug = await Slugs.UniqueAsync(baseSlug, s => db.Posts.AnyAsync(p => p.SiteId == site.Id && p.Type == input.Type && p.Slug == s, ct));

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var id = await sequences.NextPostIdsAsync(site.Id, 1, ct);
        var post = new Post
        {
            SiteId = site.Id,
            Id = id,
            Type = input.Type,
            Status = status,
            Title = input.Title.Trim(),
            Content = input.Content,
            Excerpt = input.Excerpt,
            Slug = slug,
            AuthorId = input.AuthorId,
            DateUtc = date,
            ModifiedUtc = now,
            ParentId = input.ParentId,
            MenuOrder = input.MenuOrder,
            Sticky = input.Type == PostTypes.Post && input.Sticky,
            CommentStatus = input.CommentStatus ?? OpenClosed.Open,
            Guid = $"{urls.BaseOf(site)}/?p={id}",
        };
        db.Posts.Add(post);
        foreach (var termId in input.TermIds.Distinct())
            db.PostTerms.Add(new PostTerm { SiteId = site.Id, PostId = id, TermId = termId });
        foreach (var (key, value) in input.Meta)
            db.PostMeta.Add(new PostMeta { SiteId = site.Id, PostId = id, Key = key, Value = value });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<Post>.Ok(post);
    }

    /// <summary>Creates a category or tag, or returns the existing one with that slug.</summary>
    public async Task<Outcome<Term>> EnsureTermAsync(Site site, string taxonomy, string name, long? parentId = null, CancellationToken ct = default)
    {
        if (taxonomy is not (Taxonomies.Category or Taxonomies.Tag)) return Problem.Invalid($"unknown taxonomy '{taxonomy}'");
        if (string.IsNullOrWhiteSpace(name)) return Problem.Invalid("the term name is empty");
        var slug = Slugs.FromTitle(name);
        if (slug.Length == 0) return Problem.Invalid($"'{name}' has no letters or digits to make a slug from");
        var existing = await db.Terms.FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Slug == slug, ct);
        if (existing is not null) return Outcome<Term>.Ok(existing);
        if (parentId is { } p && !await db.Terms.AnyAsync(t => t.SiteId == site.Id && t.Id == p && t.Taxonomy == taxonomy, ct))
            return Problem.NotFound($"parent {taxonomy} {p} does not exist");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var term = new Term
        {
            SiteId = site.Id,
            Id = await sequences.NextTermIdsAsync(site.Id, 1, ct),
            Taxonomy = taxonomy,
            Name = name.Trim(),
            Slug = slug,
            ParentId = taxonomy == Taxonomies.Category ? parentId : null,
        };
        db.Terms.Add(term);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<Term>.Ok(term);
    }
}
