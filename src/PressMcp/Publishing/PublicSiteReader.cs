using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Publishing;

/// <summary>
/// From a parsed address to what the page shows. Lists (home, search, category and tag archives) come from the one
/// search service with <see cref="ReadAccess.Public"/>, so only published content is ever read; single posts and
/// pages from <see cref="ArticleReader"/>. Which posts are shown is never cached, so an unpublished post disappears at
/// once; only the rendering of content is kept (<see cref="RenderedContent"/>, keyed by the content itself).
/// </summary>
internal sealed class PublicSiteReader(PressDbContext db, PostSearch search, PostDetails details, ArticleReader articles, SiteUrls urls)
{
    public PublicLinks LinksOf(Site site) => new(site, urls.BaseOf(site));

    public Task<Outcome<PublicView>> ReadAsync(Site site, PublicSettings settings, PublicRequest request, CancellationToken ct) =>
        request.IsList ? ListAsync(site, settings, LinksOf(site), request, ct) : articles.ReadAsync(site, settings, LinksOf(site), request, ct);

    private async Task<Outcome<PublicView>> ListAsync(Site site, PublicSettings settings, PublicLinks links, PublicRequest request, CancellationToken ct)
    {
        // An address may name any page up to six digits; past the bound every list shares there is no such page.
        if (request.Page > Paging.MaxPage) return Problem.NotFound("there is no such page of this list");
        var perPage = settings.PostsPerPage;
        var categories = await details.CategoriesAsync(site.Id, ct);
        var query = new PostQuery { Types = [PostTypes.Post], Page = request.Page, PerPage = perPage };
        string heading, listUrl;
        string? description = null;
        switch (request.Kind)
        {
            case PublicKind.Search:
                // WordPress searches posts and pages, best match first.
                query = query with { Text = request.Text, Types = [PostTypes.Post, PostTypes.Page] };
                heading = $"Search results for “{request.Text}”";
                listUrl = links.Home;
                break;
            case PublicKind.Category:
                var category = categories.WithSlug(request.Slugs[^1]).FirstOrDefault();
                // Either the full path of parents (/category/parent/child/) or the category's own slug.
                if (category is null || (request.Slugs.Count > 1 && !categories.PathOf(category.Id).SequenceEqual(request.Slugs)))
                    return Problem.NotFound("no such category");
                var term = await db.Terms.AsNoTracking().FirstAsync(t => t.SiteId == site.Id && t.Id == category.Id, ct);
                query = query with { CategoryId = term.Id };
                (heading, description) = ($"Category: {term.Name}", term.Description);
                listUrl = links.Category(categories.PathOf(term.Id));
                break;
            case PublicKind.Tag:
                var slug = request.Slugs[0];
                var tag = await db.Terms.AsNoTracking().FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Taxonomy == Taxonomies.Tag && t.Slug == slug, ct);
                if (tag is null) return Problem.NotFound("no such tag");
                query = query with { TagId = tag.Id };
                (heading, description) = ($"Tag: {tag.Name}", tag.Description);
                listUrl = links.Tag(tag.Slug);
                break;
            default:
                query = query with { OrderBy = PostOrder.Date };
                heading = site.Title;
                listUrl = links.Home;
                break;
        }

        var found = await search.SearchAsync(site.Id, query, ReadAccess.Public, ct);
        if (!found.Succeeded) return found.Problem!;
        var page = found.Value!;
        if (request.Page > 1 && request.Page > page.TotalPages) return Problem.NotFound("there is no such page of this list");

        var posts = page.Items;
        if (request.Kind == PublicKind.Home && request.Page == 1) posts = await StickyFirstAsync(site, posts, ct);
        var cards = await CardsAsync(site, settings, links, posts, categories, ct);
        var searchText = request.Kind == PublicKind.Search ? request.Text : null;
        var pager = new Pager(
            request.Page,
            Math.Max(1, page.TotalPages),
            request.Page > 1 ? PublicLinks.Paged(listUrl, request.Page - 1, searchText) : null,
            request.Page < page.TotalPages ? PublicLinks.Paged(listUrl, request.Page + 1, searchText) : null);
        var title = request.Page > 1 ? string.Create(CultureInfo.InvariantCulture, $"{heading} – Page {request.Page}") : heading;
        var view = new PublicView(title, PublicLinks.Paged(listUrl, request.Page, searchText), new Listing(heading, description, cards, pager, searchText))
        {
            Counted = request.Kind == PublicKind.Home,
        };
        return Outcome<PublicView>.Ok(view);
    }

    /// <summary>WordPress's home page 1: every published sticky post first (newest first), then the rest of the page.</summary>
    private async Task<IReadOnlyList<Post>> StickyFirstAsync(Site site, IReadOnlyList<Post> posts, CancellationToken ct)
    {
        var sticky = await search.SearchAsync(site.Id, new PostQuery { Types = [PostTypes.Post], Sticky = true, OrderBy = PostOrder.Date, PerPage = PostQuery.MaxPerPage }, ReadAccess.Public, ct);
        if (!sticky.Succeeded || sticky.Value!.Items.Count == 0) return posts;
        return [.. sticky.Value.Items, .. posts.Where(p => !p.Sticky)];
    }

    private async Task<IReadOnlyList<PostCard>> CardsAsync(Site site, PublicSettings settings, PublicLinks links, IReadOnlyList<Post> posts, PostDetails.Tree categories, CancellationToken ct)
    {
        var (authors, terms) = await details.LabelsAsync(site.Id, posts, ct);
        var pages = posts.Any(p => p.Type == PostTypes.Page) ? await details.PagesAsync(site.Id, ct) : null;
        return posts.Select(p => p.Type == PostTypes.Page
            ? new PostCard(p.Title, links.Page(pages!.PathOf(p.Id)), null, null, articles.ExcerptOf(p, ct), [], false)
            : new PostCard(
                p.Title,
                links.Post(p),
                settings.Date(site, p.DateUtc),
                authors.GetValueOrDefault(p.AuthorId ?? 0),
                articles.ExcerptOf(p, ct),
                terms[p.Id].Where(t => t.Taxonomy == Taxonomies.Category).Select(t => links.LinkOf(t, categories)).ToList(),
                p.Sticky)).ToList();
    }
}
