using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;
using PressMcp.Storage;

namespace PressMcp.Content.Search;

/// <summary>What comments to find. <see cref="Status"/> is the stored status (hold for pending).</summary>
internal sealed record CommentQuery
{
    public const int MaxPerPage = Paging.MaxPerPage;
    public const int DefaultPerPage = 20;

    public string Status { get; init; } = CommentStatuses.Approved;
    public long? PostId { get; init; }
    public string? Text { get; init; }
    /// <summary>Only comments written by this user (signed in as them); imported comments of unknown authors have none.</summary>
    public long? AuthorId { get; init; }
    /// <summary>Only comments made at or after this instant.</summary>
    public DateTime? AfterUtc { get; init; }
    /// <summary>Only comments made before this instant.</summary>
    public DateTime? BeforeUtc { get; init; }
    public int Page { get; init; } = 1;
    public int PerPage { get; init; } = DefaultPerPage;
}

/// <summary>One page of comments, newest first, arranged as threads, with the titles of their posts.</summary>
internal sealed record CommentPage(IReadOnlyList<ThreadNode> Threads, long Total, IReadOnlyDictionary<long, Post> Posts);

/// <summary>
/// Comment search with WordPress's visibility: comments only on posts the reader may read (read_post), and any status
/// but approved only where they may moderate (moderate_comments, or edit_post on the comment's post). The comments of
/// a password-protected post only where they may edit it: WordPress shows them only with the post's content
/// (<see cref="PostAccess.MayReadProtected"/>; a search takes no password). Both rules are
/// conditions of the one statement (<see cref="PostAccess"/>), never a later filter, so counts and pages stay right.
/// The text is a plain case-insensitive substring match over content and author name: comments are short and few
/// next to posts, so there is no full-text index for them (SQLite folds ASCII letters only).
/// </summary>
internal sealed class CommentSearch(PressDbContext db)
{
    public async Task<CommentPage> SearchAsync(long siteId, SiteActor actor, CommentQuery query, CancellationToken ct)
    {
        // The ability's schema checked the page against the bounds (PagedInput); a caller that did not is a programming mistake.
        if (Paging.Check(query.Page, query.PerPage) is { } paging) throw new ArgumentOutOfRangeException(nameof(query), paging);
        var readable = db.Posts.Where(p => p.SiteId == siteId).Where(PostAccess.Where(actor, Caps.ReadPost));
        var editable = db.Posts.Where(p => p.SiteId == siteId).Where(PostAccess.Where(actor, Caps.EditPost));
        readable = readable.Where(p => p.Password == "" || editable.Any(e => e.Id == p.Id));
        // moderate_comments covers every post the reader can read; otherwise only posts they may edit (edit_comment).
        if (query.Status != CommentStatuses.Approved && !Permissions.Can(actor, Caps.ModerateComments))
            readable = readable.Where(PostAccess.Where(actor, Caps.EditPost));
        var comments = db.Comments.AsNoTracking()
            .Where(c => c.SiteId == siteId && c.Status == query.Status)
            .Where(c => readable.Any(p => p.Id == c.PostId));
        if (query.PostId is { } postId) comments = comments.Where(c => c.PostId == postId);
        if (query.AuthorId is { } authorId) comments = comments.Where(c => c.UserId == authorId);
        if (query.AfterUtc is { } after) comments = comments.Where(c => c.DateUtc >= after);
        if (query.BeforeUtc is { } before) comments = comments.Where(c => c.DateUtc < before);
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim().ToLowerInvariant();
            comments = comments.Where(c => c.Content.ToLower().Contains(text) || c.AuthorName.ToLower().Contains(text));
        }
        var total = await comments.LongCountAsync(ct);
        var page = await comments.OrderByDescending(c => c.DateUtc).ThenByDescending(c => c.Id)
            .Skip((int)new Paging(query.Page, query.PerPage).Offset).Take(query.PerPage).ToListAsync(ct);
        var parentOf = await AncestorsAsync(siteId, page, ct);
        var postIds = page.Select(c => c.PostId).Distinct().ToList();
        var posts = await db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && postIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return new CommentPage(CommentThreads.Build(page, parentOf), total, posts);
    }

    /// <summary>The parent of every comment on the page and of each of their ancestors, one query per level.</summary>
    private async Task<Dictionary<long, long?>> AncestorsAsync(long siteId, IReadOnlyList<Comment> page, CancellationToken ct)
    {
        var parentOf = page.ToDictionary(c => c.Id, c => c.ParentId);
        var wanted = page.Where(c => c.ParentId is { } p && !parentOf.ContainsKey(p)).Select(c => c.ParentId!.Value).Distinct().ToList();
        for (var level = 0; wanted.Count > 0 && level < CommentThreads.MaxDepth; level++)
        {
            var rows = await db.Comments.AsNoTracking().Where(c => c.SiteId == siteId && wanted.Contains(c.Id)).Select(c => new { c.Id, c.ParentId }).ToListAsync(ct);
            foreach (var r in rows) parentOf[r.Id] = r.ParentId;
            // A parent that no longer exists ends the chain there.
            foreach (var missing in wanted.Where(w => !parentOf.ContainsKey(w))) parentOf[missing] = null;
            wanted = rows.Where(r => r.ParentId is { } p && !parentOf.ContainsKey(p)).Select(r => r.ParentId!.Value).Distinct().ToList();
        }
        return parentOf;
    }
}
