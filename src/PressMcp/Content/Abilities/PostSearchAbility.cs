using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;
using PressMcp.Content.Search;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Content.Abilities;

/// <summary>
/// <c>posts/search</c>: the one search service as an ability. The caller's role decides what they may see
/// (<see cref="ReadAccess.For"/>); WordPress.com's table puts post search at contributors and up (edit_posts).
/// </summary>
internal sealed class PostSearchAbility(PressDbContext db, PostSearch search, PostDetails details, SiteUrls urls, SearchGate gate)
    : Ability<PostSearchInput, PostSearchResult>, IAbilityDefinition
{
    public const string Name = "posts/search";

    public static AbilityInfo Info { get; } = new(Name, "Search posts",
        "Finds posts or pages of a site by words and filters, newest or best match first; drafts and private posts only as your role allows. "
        + "Every word must match; words such as the, of, and are ignored unless the search has no other word. "
        + "found is the number of matches, exact up to 10,000; when more posts match, found is 10,000 and found_is_lower_bound is true.",
        "posts", AbilityAnnotations.Read, [OAuth.Scopes.ContentRead], Caps.EditPosts, SiteScoped: true, PostSearchJson.Default.PostSearchInput, PostSearchJson.Default.PostSearchResult);

    protected override async Task<Outcome<PostSearchResult>> ExecuteAsync(PostSearchInput input, AbilityCall call, CancellationToken ct)
    {
        var site = call.Site!;
        // From the first read (a filter's term) to the last (the page's labels and excerpts): SearchGate.
        using var slot = await gate.EnterAsync(ct);
        long? categoryId = null, tagId = null;
        if (input.Category is { } category)
        {
            categoryId = await TermIdAsync(db, site.Id, Taxonomies.Category, category, ct);
            if (categoryId is null) return Problem.NotFound($"no category '{category}' on this site");
        }
        if (input.Tag is { } tag)
        {
            tagId = await TermIdAsync(db, site.Id, Taxonomies.Tag, tag, ct);
            if (tagId is null) return Problem.NotFound($"no tag '{tag}' on this site");
        }
        var query = new PostQuery
        {
            Text = input.Search,
            Types = [input.Type ?? PostTypes.Post],
            Statuses = input.Status is { } status ? [status] : null,
            AuthorId = input.Author,
            CategoryId = categoryId,
            TagId = tagId,
            AfterUtc = AbilityInput.DateUtc(input.After),
            BeforeUtc = AbilityInput.DateUtc(input.Before),
            MetaKey = input.MetaKey,
            MetaValue = input.MetaValue,
            OrderBy = input.Orderby switch { "date" => PostOrder.Date, "modified" => PostOrder.Modified, "title" => PostOrder.Title, _ => PostOrder.Relevance },
            Ascending = input.Order == "asc",
            Page = input.Page,
            PerPage = input.PerPage,
        };
        var found = await search.SearchAsync(site.Id, query, ReadAccess.For(call.Actor!), ct, PostRead.ForExcerpt);
        if (!found.Succeeded) return found.Problem!;
        var page = found.Value!;
        var excerpts = await ExcerptsAsync(call.Actor!, site.Id, page.Items, ct);

        var (authors, terms) = await details.LabelsAsync(site.Id, page.Items, ct);
        var pages = page.Items.Any(p => p.Type == PostTypes.Page) ? await details.PagesAsync(site.Id, ct) : null;
        var links = new PublicLinks(site, urls.BaseOf(site));
        var posts = page.Items.Select((p, i) => new PostSearchItem(
            p.Id,
            p.Type,
            p.Title,
            excerpts[i],
            p.Type == PostTypes.Page && pages is not null ? links.Page(pages.PathOf(p.Id)) : links.Post(p),
            p.Status,
            PostDetails.DateOf(site, p.DateUtc).Iso,
            PostDetails.DateOf(site, p.ModifiedUtc).Iso,
            new PostAuthor(p.AuthorId, p.AuthorId is { } a ? authors.GetValueOrDefault(a, "") : ""),
            [.. terms[p.Id].Where(t => t.Taxonomy == Taxonomies.Category).Select(t => t.Name)],
            [.. terms[p.Id].Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => t.Name)])).ToList();
        return new PostSearchResult(page.Total, page.TotalIsLowerBound, page.Page, page.PerPage, posts);
    }

    /// <summary>
    /// Each post's excerpt, or its content's first words; WordPress's sentence instead for a protected post the caller may
    /// not read. The posts were read <see cref="PostRead.ForExcerpt"/>: a content whose start does not decide its words
    /// is read whole, in one statement for the page.
    /// </summary>
    private async Task<string[]> ExcerptsAsync(SiteActor actor, long siteId, IReadOnlyList<Post> items, CancellationToken ct)
    {
        var excerpts = new string[items.Count];
        List<long>? cut = null;
        for (var i = 0; i < items.Count; i++)
        {
            var post = items[i];
            if (!PostAccess.MayReadProtected(actor, post)) excerpts[i] = PostAccess.ProtectedExcerpt;
            else if (post.Excerpt.Length > 0) excerpts[i] = HtmlText.Strip(post.Excerpt);
            else if (HtmlText.TryExcerptOfStart(post.Content, whole: !PostRows.ContentMayBeCut(post), out var excerpt)) excerpts[i] = excerpt;
            else (cut ??= []).Add(post.Id);
        }
        if (cut is null) return excerpts;
        var contents = await PostRows.ContentsAsync(db, siteId, cut, ct);
        for (var i = 0; i < items.Count; i++)
            excerpts[i] ??= HtmlText.Excerpt(contents.GetValueOrDefault(items[i].Id));
        return excerpts;
    }

    private static async Task<long?> TermIdAsync(PressDbContext db, long siteId, string taxonomy, string reference, CancellationToken ct)
    {
        if (SiteRules.IsAllDigits(reference) && long.TryParse(reference, CultureInfo.InvariantCulture, out var id))
            return await db.Terms.AnyAsync(t => t.SiteId == siteId && t.Taxonomy == taxonomy && t.Id == id, ct) ? id : null;
        var slug = Slugs.FromTitle(reference);
        return await db.Terms.Where(t => t.SiteId == siteId && t.Taxonomy == taxonomy && t.Slug == slug).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
    }
}

internal sealed record PostSearchInput : PagedInput
{
    [StringLength(500), Description("Words to find in title, content and excerpt (all must match)")]
    public string? Search { get; init; }

    [AllowedValues(PostTypes.Post, PostTypes.Page), Description("post (default) or page")]
    public string? Type { get; init; }

    [AllowedValues("publish", "future", "draft", "pending", "private")]
    public string? Status { get; init; }

    [Range(1, long.MaxValue), Description("Author user id")]
    public long? Author { get; init; }

    [MinLength(1), Description("Category id or slug (its subcategories included)")]
    public string? Category { get; init; }

    [MinLength(1), Description("Tag id or slug")]
    public string? Tag { get; init; }

    [DateTimeText]
    public string? After { get; init; }

    [DateTimeText]
    public string? Before { get; init; }

    [MinLength(1), Description("Only posts with this custom field")]
    public string? MetaKey { get; init; }

    [Description("…with this exact value")]
    public string? MetaValue { get; init; }

    [AllowedValues("relevance", "date", "modified", "title")]
    public string? Orderby { get; init; }

    [AllowedValues("asc", "desc")]
    public string? Order { get; init; }

    [Range(1, Paging.MaxPerPage), Description("Default 10")]
    public override int PerPage { get; set; } = PostQuery.DefaultPerPage;
}

/// <summary>wpcom-mcp-posts-search's result: the hottest tool.</summary>
internal sealed record PostSearchResult(
    [property: Description("Posts that match: exact up to 10,000; above, 10,000 with found_is_lower_bound true (the page is still the best matches)")] long Found,
    [property: Description("True when more than 10,000 posts match, so found is a lower bound")] bool FoundIsLowerBound,
    int Page, int PerPage, IReadOnlyList<PostSearchItem> Posts);

internal sealed record PostSearchItem(
    long Id, string Type, string Title, string Excerpt, string Link, string Status, string Date, string Modified,
    PostAuthor Author, IReadOnlyList<string> Categories, IReadOnlyList<string> Tags);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PostSearchInput))]
[JsonSerializable(typeof(PostSearchResult))]
internal sealed partial class PostSearchJson : JsonSerializerContext;
