using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Publishing;

/// <summary>
/// One published post or page with its author, categories, tags and approved comments. Anything not published
/// (draft, pending, private, future, trash) is not found, exactly like an address that never existed.
/// </summary>
internal sealed class ArticleReader(PressDbContext db, PostDetails details, RenderedContent rendered)
{
    /// <summary>WordPress's default thread_comments_depth: replies deeper than this are shown at this depth.</summary>
    public const int MaxCommentDepth = 5;

    /// <summary>At most this many comments are shown on one page, oldest first.</summary>
    public const int MaxComments = 1000;

    public async Task<Outcome<PublicView>> ReadAsync(Site site, PublicSettings settings, PublicLinks links, PublicRequest request, CancellationToken ct)
    {
        var (post, structure) = await FindAsync(site, request, ct);
        if (post is null) return Problem.NotFound("nothing is published at this address");

        var isPage = post.Type == PostTypes.Page;
        // An address in another permalink structure than the site's (an old link, a plain ?p= link) leads to the
        // post's one address, as WordPress's canonical redirect does; a page found by id leads to its path.
        if (!isPage && structure != site.PermalinkStructure)
            return Outcome<PublicView>.Ok(new PublicView(post.Title, links.Post(post)) { MovedTo = links.Post(post) });
        if (isPage && request.PostId is not null)
        {
            var path = links.Page((await details.PagesAsync(site.Id, ct)).PathOf(post.Id));
            return Outcome<PublicView>.Ok(new PublicView(post.Title, path) { MovedTo = path });
        }

        // A page shows neither its author nor terms; a post both, read in one command.
        var labels = isPage ? null : await details.LabelsAsync(site.Id, [post], ct);
        var terms = labels?.Terms[post.Id].ToList();
        var categories = terms is null ? null : await details.CategoriesAsync(site.Id, ct);
        var isProtected = post.Password.Length > 0;
        var article = new Article(
            isPage,
            post.Title,
            isPage ? null : settings.Date(site, post.DateUtc),
            labels?.Authors.GetValueOrDefault(post.AuthorId ?? 0),
            terms?.Where(t => t.Taxonomy == Taxonomies.Category).Select(t => links.LinkOf(t, categories!)).ToList() ?? [],
            terms?.Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => links.LinkOf(t, categories!)).ToList() ?? [],
            isProtected,
            isProtected ? "" : rendered.Html(post.Content, links.Base, ct),
            isProtected ? [] : await CommentsAsync(site, settings, post, ct));
        var canonical = isPage ? links.Page(request.Slugs) : links.Post(post);
        // One read for the SEO fields (a fixed number of rows), whatever else the post carries.
        string[] seoKeys = [.. SeoMeta.Keys];
        var seo = await db.PostMeta.AsNoTracking().Where(m => m.SiteId == site.Id && m.PostId == post.Id && seoKeys.Contains(m.Key))
            .OrderBy(m => m.Id).Take(seoKeys.Length * 4).Select(m => new { m.Key, m.Value }).ToListAsync(ct);
        return Outcome<PublicView>.Ok(new PublicView(post.Title, canonical, Article: article)
        {
            Counted = true,
            CountedPostId = post.Id,
            Seo = SeoMeta.From(seo.Select(m => (m.Key, m.Value))),
        });
    }

    /// <summary>Excerpts in lists hide a protected post's words too.</summary>
    public string ExcerptOf(Post post, CancellationToken ct) =>
        post.Password.Length > 0 ? "There is no excerpt because this is a protected post." : rendered.Excerpt(post, ct);

    /// <summary>The published post or page an address names, and the permalink structure of that address.</summary>
    private async Task<(Post? Post, string? Structure)> FindAsync(Site site, PublicRequest request, CancellationToken ct)
    {
        if (request.PostId is { } id)
        {
            var byId = await db.Posts.AsNoTracking()
                .FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == id && p.Status == PostStatuses.Publish && (p.Type == PostTypes.Post || p.Type == PostTypes.Page), ct);
            return (byId, request.Structure);
        }
        if (request.Kind == PublicKind.Post)
            return (await FindPostAsync(site, request.Slugs[0], request.Date!.Value, monthOnly: request.Structure == Permalinks.MonthAndName, ct), request.Structure);
        // A page path first; one segment no page has may be a post's name (WordPress's /%postname%/).
        var page = await FindPageAsync(site, request.Slugs, ct);
        if (page is not null || request.Slugs.Count != 1) return (page, null);
        return (await FindPostAsync(site, request.Slugs[0], null, monthOnly: false, ct), Permalinks.PostName);
    }

    private async Task<Post?> FindPostAsync(Site site, string slug, DateOnly? date, bool monthOnly, CancellationToken ct)
    {
        var candidates = await db.Posts.AsNoTracking()
            .Where(p => p.SiteId == site.Id && p.Type == PostTypes.Post && p.Status == PostStatuses.Publish && p.Slug == slug)
            .OrderBy(p => p.DateUtc).ThenBy(p => p.Id)
            .ToListAsync(ct);
        // The date in the address is the publication day (or month) on the site's clock, as WordPress writes it.
        return candidates.FirstOrDefault(p => date is not { } d
            || (SiteTime.DayOf(site, p.DateUtc) is var day && (monthOnly ? day.Year == d.Year && day.Month == d.Month : day == d)));
    }

    private async Task<Post?> FindPageAsync(Site site, IReadOnlyList<string> path, CancellationToken ct)
    {
        var tree = await details.PagesAsync(site.Id, ct);
        var ids = tree.WithSlug(path[^1]).Where(n => tree.PathOf(n.Id).SequenceEqual(path)).Select(n => n.Id).ToList();
        if (ids.Count == 0) return null;
        return await db.Posts.AsNoTracking()
            .Where(p => p.SiteId == site.Id && ids.Contains(p.Id) && p.Status == PostStatuses.Publish)
            .OrderBy(p => p.Id).FirstOrDefaultAsync(ct);
    }

    private async Task<IReadOnlyList<CommentView>> CommentsAsync(Site site, PublicSettings settings, Post post, CancellationToken ct)
    {
        var comments = await db.Comments.AsNoTracking()
            .Where(c => c.SiteId == site.Id && c.PostId == post.Id && c.Status == CommentStatuses.Approved)
            .OrderBy(c => c.DateUtc).ThenBy(c => c.Id).Take(MaxComments).ToListAsync(ct);
        var ids = comments.Select(c => c.Id).ToHashSet();
        // A reply whose parent is not shown (held, spam, trashed) is shown at the top level.
        var replies = comments.Where(c => c.ParentId is { } p && ids.Contains(p)).ToLookup(c => c.ParentId!.Value);
        return comments.Where(c => c.ParentId is not { } p || !ids.Contains(p)).Select(c => Thread(site, settings, c, replies, 1)).ToList();
    }

    private static CommentView Thread(Site site, PublicSettings settings, Comment comment, ILookup<long, Comment> replies, int depth)
    {
        var children = depth < MaxCommentDepth - 1
            ? replies[comment.Id].Select(r => Thread(site, settings, r, replies, depth + 1)).ToList()
            : Descendants(comment, replies).Select(r => View(site, settings, r, [])).ToList();
        return View(site, settings, comment, children);
    }

    /// <summary>Every reply below <paramref name="comment"/>, oldest first, each once (a cycle in stored parents cannot loop).</summary>
    private static IEnumerable<Comment> Descendants(Comment comment, ILookup<long, Comment> replies)
    {
        var seen = new HashSet<long> { comment.Id };
        var found = new List<Comment>();
        var queue = new Queue<Comment>(replies[comment.Id]);
        while (queue.TryDequeue(out var next))
        {
            if (!seen.Add(next.Id)) continue;
            found.Add(next);
            foreach (var r in replies[next.Id]) queue.Enqueue(r);
        }
        return found.OrderBy(c => c.DateUtc).ThenBy(c => c.Id);
    }

    private static CommentView View(Site site, PublicSettings settings, Comment comment, IReadOnlyList<CommentView> children)
    {
        var author = comment.AuthorName.Trim().Length > 0 ? comment.AuthorName.Trim() : "Anonymous";
        // Only web addresses become links: never javascript: or other schemes from a commenter.
        var url = Uri.TryCreate(comment.AuthorUrl.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? u.AbsoluteUri : null;
        return new CommentView(comment.Id, author, url, settings.Date(site, comment.DateUtc, withTime: true), Paragraphs(comment.Content), children);
    }

    /// <summary>Comment text as paragraphs of lines (shown escaped, with line breaks), like WordPress's automatic paragraphs.</summary>
    internal static IReadOnlyList<IReadOnlyList<string>> Paragraphs(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => (IReadOnlyList<string>)p.Split('\n', StringSplitOptions.TrimEntries)).ToList();
}
