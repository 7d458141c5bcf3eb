using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Import;

internal sealed record ExportSummary(int Authors, int Categories, int Tags, int Items, int Comments);

/// <summary>
/// Exports a site as a WXR 1.2 file that WordPress's importer (and ours) reads: authors, categories (parents
/// first), tags, then posts, pages and attachments with their terms, custom fields and comments. Items are read
/// a page at a time, so a large site is written without being held in memory.
/// </summary>
internal sealed class WxrExporter(PressDbContext db, SiteUrls urls, TimeProvider clock)
{
    private const int PageSize = 200;
    private static readonly string[] ExportedTypes = [PostTypes.Post, PostTypes.Page, PostTypes.Attachment];

    public async Task<ExportSummary> ExportAsync(Site site, Stream output, CancellationToken ct = default)
    {
        var baseUrl = urls.BaseOf(site);
        var terms = await db.Terms.AsNoTracking().Where(t => t.SiteId == site.Id).OrderBy(t => t.Id).ToListAsync(ct);
        // Everyone an item or a comment names, so the importer can map both (not the editors of revisions, which are not exported).
        var authors = await db.Users.AsNoTracking()
            .Where(u => db.Posts.Any(p => p.SiteId == site.Id && p.AuthorId == u.Id && ExportedTypes.Contains(p.Type)) || db.Comments.Any(c => c.SiteId == site.Id && c.UserId == u.Id))
            .OrderBy(u => u.Id).ToListAsync(ct);

        await using var wxr = new WxrWriter(output);
        await wxr.StartChannelAsync(site.Title, baseUrl, site.Tagline, site.Language, urls.Public, clock.GetUtcNow().UtcDateTime);
        foreach (var author in authors) await AuthorAsync(wxr, author);
        var categories = ParentsFirst(terms.Where(t => t.Taxonomy == Taxonomies.Category).ToList());
        var byId = terms.ToDictionary(t => t.Id);
        foreach (var category in categories) await CategoryAsync(wxr, category, byId);
        var tags = terms.Where(t => t.Taxonomy == Taxonomies.Tag).ToList();
        foreach (var tag in tags) await TagAsync(wxr, tag);
        await wxr.PlainAsync("generator", "PressMcp");

        var items = new ExportItemWriter(wxr, site, baseUrl, byId, authors.ToDictionary(a => a.Id, a => a.UserName ?? ""));
        var (itemCount, commentCount) = (0, 0);
        for (var page = await PageAsync(site, 0, ct); page.Count > 0; page = await PageAsync(site, page[^1].Id, ct))
        {
            var ids = page.Select(p => p.Id).ToList();
            var parts = new ExportItemParts(
                (await db.PostMeta.AsNoTracking().Where(m => m.SiteId == site.Id && ids.Contains(m.PostId)).OrderBy(m => m.Id).ToListAsync(ct)).ToLookup(m => m.PostId),
                (await db.PostTerms.AsNoTracking().Where(t => t.SiteId == site.Id && ids.Contains(t.PostId)).ToListAsync(ct)).ToLookup(t => t.PostId, t => t.TermId),
                await db.MediaFiles.AsNoTracking().Where(m => m.SiteId == site.Id && ids.Contains(m.PostId)).ToDictionaryAsync(m => m.PostId, ct),
                (await db.Comments.AsNoTracking().Where(c => c.SiteId == site.Id && ids.Contains(c.PostId)).OrderBy(c => c.Id).ToListAsync(ct)).ToLookup(c => c.PostId));
            foreach (var post in page)
            {
                await items.WriteAsync(post, parts);
                commentCount += parts.Comments[post.Id].Count();
            }
            itemCount += page.Count;
        }
        await wxr.EndChannelAsync();
        return new ExportSummary(authors.Count, categories.Count, tags.Count, itemCount, commentCount);
    }

    private Task<List<Post>> PageAsync(Site site, long afterId, CancellationToken ct) =>
        db.Posts.AsNoTracking().Where(p => p.SiteId == site.Id && p.Id > afterId && ExportedTypes.Contains(p.Type))
            .OrderBy(p => p.Id).Take(PageSize).ToListAsync(ct);

    private static async Task AuthorAsync(WxrWriter wxr, User user)
    {
        await wxr.StartWpAsync("author");
        await wxr.WpAsync("author_id", user.Id);
        await wxr.WpCDataAsync("author_login", user.UserName ?? "");
        await wxr.WpCDataAsync("author_email", user.Email ?? "");
        await wxr.WpCDataAsync("author_display_name", user.DisplayName);
        await wxr.WpCDataAsync("author_first_name", "");
        await wxr.WpCDataAsync("author_last_name", "");
        await wxr.EndAsync();
    }

    private static async Task CategoryAsync(WxrWriter wxr, Term category, Dictionary<long, Term> byId)
    {
        await wxr.StartWpAsync("category");
        await wxr.WpAsync("term_id", category.Id);
        await wxr.WpCDataAsync("category_nicename", category.Slug);
        await wxr.WpCDataAsync("category_parent", category.ParentId is { } p && byId.TryGetValue(p, out var parent) ? parent.Slug : "");
        await wxr.WpCDataAsync("cat_name", category.Name);
        await wxr.WpCDataAsync("category_description", category.Description);
        await wxr.EndAsync();
    }

    private static async Task TagAsync(WxrWriter wxr, Term tag)
    {
        await wxr.StartWpAsync("tag");
        await wxr.WpAsync("term_id", tag.Id);
        await wxr.WpCDataAsync("tag_slug", tag.Slug);
        await wxr.WpCDataAsync("tag_name", tag.Name);
        await wxr.WpCDataAsync("tag_description", tag.Description);
        await wxr.EndAsync();
    }

    /// <summary>Categories with every parent before its children, as WordPress writes them (its importer needs that).</summary>
    private static List<Term> ParentsFirst(List<Term> categories)
    {
        var ids = categories.Select(c => c.Id).ToHashSet();
        var children = categories.ToLookup(c => c.ParentId is { } p && ids.Contains(p) ? p : (long?)null);
        var ordered = new List<Term>(categories.Count);
        var seen = new HashSet<long>();
        var stack = new Stack<Term>(children[null].Reverse());
        while (stack.Count > 0)
        {
            var term = stack.Pop();
            if (!seen.Add(term.Id)) continue;
            ordered.Add(term);
            foreach (var child in children[term.Id].Reverse()) stack.Push(child);
        }
        // Terms in a parent loop have no root to start from; they still belong in the file.
        ordered.AddRange(categories.Where(c => !seen.Contains(c.Id)));
        return ordered;
    }
}
