using System.Globalization;
using System.Text.Json;
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
internal sealed class PostSearchAbility : IAbilitySource
{
    public const string Name = "posts/search";

    private static readonly string Input = $$$$"""
        {"type":"object","additionalProperties":false,"required":["wpcom_site"],"properties":{
          {{{{AbilityInput.SiteProperty}}}},
          "search":{"type":"string","maxLength":500,"description":"Words to find in title, content and excerpt (all must match)"},
          "type":{"type":"string","enum":["post","page"],"description":"post (default) or page"},
          "status":{"type":"string","enum":["publish","future","draft","pending","private"]},
          "author":{"type":"integer","minimum":1,"description":"Author user id"},
          "category":{"type":"string","minLength":1,"description":"Category id or slug (its subcategories included)"},
          "tag":{"type":"string","minLength":1,"description":"Tag id or slug"},
          "after":{"type":"string","format":"date-time"},
          "before":{"type":"string","format":"date-time"},
          "meta_key":{"type":"string","minLength":1,"description":"Only posts with this custom field"},
          "meta_value":{"type":"string","description":"…with this exact value"},
          "orderby":{"type":"string","enum":["relevance","date","modified","title"]},
          "order":{"type":"string","enum":["asc","desc"]},
          {{{{Paging.Schema(PostQuery.DefaultPerPage)}}}}}}
        """;

    private const string Output = """
        {"type":"object","required":["found","page","per_page","posts"],"properties":{
          "found":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"},
          "posts":{"type":"array","items":{"type":"object","required":["id","type","title","excerpt","link","status","date","modified","author","categories","tags"],
            "properties":{"id":{"type":"integer"},"type":{"type":"string"},"title":{"type":"string"},"excerpt":{"type":"string"},
              "link":{"type":"string"},"status":{"type":"string"},"date":{"type":"string"},"modified":{"type":"string"},
              "author":{"type":"object","properties":{"id":{"type":["integer","null"]},"name":{"type":"string"}}},
              "categories":{"type":"array","items":{"type":"string"}},"tags":{"type":"array","items":{"type":"string"}}}}}}}
        """;

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Name, "Search posts", "Finds posts or pages of a site by words and filters, newest or best match first; drafts and private posts only as your role allows.",
            "posts", Input, Output, AbilityAnnotations.Read, scopes: [OAuth.Scopes.ContentRead], capability: Caps.EditPosts, siteScoped: true, ExecuteAsync),
    ];

    private static async Task<Outcome<JsonElement>> ExecuteAsync(AbilityCall call, CancellationToken ct)
    {
        var site = call.Site!;
        var input = call.Input;
        var db = call.Services.GetRequiredService<PressDbContext>();
        var paging = Paging.From(input, PostQuery.DefaultPerPage);
        if (!paging.Succeeded) return paging.Problem!;
        long? categoryId = null, tagId = null;
        if (input.Text("category") is { } category)
        {
            categoryId = await TermIdAsync(db, site.Id, Taxonomies.Category, category, ct);
            if (categoryId is null) return Problem.NotFound($"no category '{category}' on this site");
        }
        if (input.Text("tag") is { } tag)
        {
            tagId = await TermIdAsync(db, site.Id, Taxonomies.Tag, tag, ct);
            if (tagId is null) return Problem.NotFound($"no tag '{tag}' on this site");
        }
        var query = new PostQuery
        {
            Text = input.Text("search"),
            Types = [input.Text("type") ?? PostTypes.Post],
            Statuses = input.Text("status") is { } status ? [status] : null,
            AuthorId = input.Integer("author"),
            CategoryId = categoryId,
            TagId = tagId,
            AfterUtc = input.DateUtc("after"),
            BeforeUtc = input.DateUtc("before"),
            MetaKey = input.Text("meta_key"),
            MetaValue = input.Text("meta_value"),
            OrderBy = input.Text("orderby") switch { "date" => PostOrder.Date, "modified" => PostOrder.Modified, "title" => PostOrder.Title, _ => PostOrder.Relevance },
            Ascending = input.Text("order") == "asc",
            Page = paging.Value.Page,
            PerPage = paging.Value.PerPage,
        };
        var found = await call.Services.GetRequiredService<PostSearch>().SearchAsync(site.Id, query, ReadAccess.For(call.Actor!), ct);
        if (!found.Succeeded) return found.Problem!;
        var page = found.Value!;

        var details = call.Services.GetRequiredService<PostDetails>();
        var authors = await details.AuthorNamesAsync(page.Items, ct);
        var terms = await details.TermsOfAsync(site.Id, page.Items, ct);
        var pages = page.Items.Any(p => p.Type == PostTypes.Page) ? await details.PagesAsync(site.Id, ct) : null;
        var links = new PublicLinks(site, call.Services.GetRequiredService<SiteUrls>().BaseOf(site));
        var posts = page.Items.Select(p => new PostSearchItem(
            p.Id,
            p.Type,
            p.Title,
            Excerpt(call.Actor!, p),
            p.Type == PostTypes.Page && pages is not null ? links.Page(pages.PathOf(p.Id)) : links.Post(p),
            p.Status,
            PostDetails.DateOf(site, p.DateUtc).Iso,
            PostDetails.DateOf(site, p.ModifiedUtc).Iso,
            new PostSearchAuthor(p.AuthorId, p.AuthorId is { } a ? authors.GetValueOrDefault(a, "") : ""),
            [.. terms[p.Id].Where(t => t.Taxonomy == Taxonomies.Category).Select(t => t.Name)],
            [.. terms[p.Id].Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => t.Name)])).ToList();
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(new PostSearchResult(page.Total, page.Page, page.PerPage, posts), AbilityJson.Default.PostSearchResult));
    }

    /// <summary>The post's excerpt, or its content's first words; WordPress's sentence instead for a protected post the caller may not read.</summary>
    private static string Excerpt(SiteActor actor, Post post) =>
        !PostAccess.MayReadProtected(actor, post) ? PostAccess.ProtectedExcerpt
        : post.Excerpt.Length > 0 ? HtmlText.Strip(post.Excerpt) : HtmlText.TrimWords(HtmlText.Strip(post.Content));

    private static async Task<long?> TermIdAsync(PressDbContext db, long siteId, string taxonomy, string reference, CancellationToken ct)
    {
        if (SiteRules.IsAllDigits(reference) && long.TryParse(reference, CultureInfo.InvariantCulture, out var id))
            return await db.Terms.AnyAsync(t => t.SiteId == siteId && t.Taxonomy == taxonomy && t.Id == id, ct) ? id : null;
        var slug = Slugs.FromTitle(reference);
        return await db.Terms.Where(t => t.SiteId == siteId && t.Taxonomy == taxonomy && t.Slug == slug).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
    }
}

/// <summary>wpcom-mcp-posts-search's result (its output schema), serialized by <see cref="AbilityJson"/>: it is the hottest tool.</summary>
internal sealed record PostSearchResult(
    [property: JsonPropertyName("found")] long Found,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("per_page")] int PerPage,
    [property: JsonPropertyName("posts")] IReadOnlyList<PostSearchItem> Posts);

internal sealed record PostSearchItem(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("excerpt")] string Excerpt,
    [property: JsonPropertyName("link")] string Link,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("modified")] string Modified,
    [property: JsonPropertyName("author")] PostSearchAuthor Author,
    [property: JsonPropertyName("categories")] IReadOnlyList<string> Categories,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

internal sealed record PostSearchAuthor(
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("name")] string Name);
