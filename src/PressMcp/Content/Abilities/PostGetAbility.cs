using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Content.Abilities;

/// <summary>
/// <c>posts/get</c>: one post or page by id or by its address on the site, with content, custom fields, terms
/// and, when asked, its comments as threads. Reading follows WordPress's read_post rule for the post itself;
/// comments other than approved ones are shown only to those who may moderate them. A password-protected post's
/// content, excerpt and comments are shown as the REST API shows them: to those who may edit the post or who give its
/// password (<see cref="PostAccess.MayReadProtected"/>); to others empty, with <c>protected</c> saying why.
/// </summary>
internal sealed class PostGetAbility : IAbilitySource
{
    public const string Name = "posts/get";

    private static readonly string Input = $$$$"""
        {"type":"object","additionalProperties":false,"required":["wpcom_site"],"properties":{
          {{{{AbilityInput.SiteProperty}}}},
          "post_id":{"type":"integer","minimum":1,"description":"The post or page id"},
          "url":{"type":"string","minLength":1,"maxLength":2000,"description":"Or its address on the site"},
          "include_comments":{"type":"boolean","description":"Also return the comments, threaded"},
          "password":{"type":"string","minLength":1,"maxLength":255,"description":"The password of a password-protected post, to read its content if you may not edit it"}}}
        """;

    private const string Output = """
        {"type":"object","required":["id","type","title","content","excerpt","protected","status","slug","link","date","modified","author","categories","tags","meta"],"properties":{
          "id":{"type":"integer"},"type":{"type":"string"},"title":{"type":"string"},"content":{"type":"string"},"excerpt":{"type":"string"},
          "protected":{"type":"boolean","description":"The post has a password: content, excerpt and comments are empty unless you may edit it or gave the password"},
          "status":{"type":"string"},"slug":{"type":"string"},"link":{"type":"string"},"date":{"type":"string"},"modified":{"type":"string"},
          "author":{"type":"object"},"categories":{"type":"array"},"tags":{"type":"array"},"meta":{"type":"array"},
          "comments":{"type":["array","null"],"description":"The threaded comments with include_comments, otherwise null"}}}
        """;

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Name, "Get a post", "Reads one post or page (by id or address) with its content, custom fields, categories, tags and optionally its threaded comments.",
            "posts", Input, Output, AbilityAnnotations.Read, scopes: [OAuth.Scopes.ContentRead], capability: Caps.EditPosts, siteScoped: true, ExecuteAsync),
    ];

    private static async Task<Outcome<JsonElement>> ExecuteAsync(AbilityCall call, CancellationToken ct)
    {
        var site = call.Site!;
        var db = call.Services.GetRequiredService<PressDbContext>();
        var links = new PublicLinks(site, call.Services.GetRequiredService<SiteUrls>().BaseOf(site));
        var input = call.Input;
        if (!input.TryGetProperty("post_id", out _) && !input.TryGetProperty("url", out _)) return Problem.Invalid("give post_id or url");
        var post = input.TryGetProperty("post_id", out var idElement)
            ? await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == idElement.GetInt64() && (p.Type == PostTypes.Post || p.Type == PostTypes.Page), ct)
            : input.TryGetProperty("url", out var url) ? await FindByUrlAsync(db, site, links, url.GetString()!, ct)
            : null;
        if (post is null) return Problem.NotFound("no such post or page on this site");
        if (!Permissions.Can(call.Actor!, Caps.ReadPost, post.Facts))
            return Problem.Forbidden($"your role may not read post {post.Id} (status {post.Status})");
        var password = input.Text("password");
        var mayReadProtected = PostAccess.MayReadProtected(call.Actor!, post, password);
        // As the REST API: a wrong password is refused rather than answered as if none were given.
        if (!mayReadProtected && password is not null) return Problem.Forbidden($"the password of post {post.Id} is incorrect");

        var details = call.Services.GetRequiredService<PostDetails>();
        var authors = await details.AuthorNamesAsync([post], ct);
        var terms = (await details.TermsOfAsync(site.Id, [post], ct))[post.Id].ToList();
        var link = post.Type == PostTypes.Page ? links.Page((await details.PagesAsync(site.Id, ct)).PathOf(post.Id)) : links.Post(post);
        var meta = await db.PostMeta.AsNoTracking().Where(m => m.SiteId == site.Id && m.PostId == post.Id).OrderBy(m => m.Id)
            .Select(m => new { key = m.Key, value = m.Value }).ToListAsync(ct);
        object? comments = null;
        if (input.Flag("include_comments") && !mayReadProtected)
        {
            comments = Array.Empty<object>();
        }
        else if (input.Flag("include_comments"))
        {
            var moderator = Permissions.Can(call.Actor!, Caps.ModerateComments);
            var rows = await db.Comments.AsNoTracking().Where(c => c.SiteId == site.Id && c.PostId == post.Id && (moderator || c.Status == CommentStatuses.Approved))
                .OrderBy(c => c.DateUtc).ThenBy(c => c.Id).ToListAsync(ct);
            comments = Thread(rows, null, site, new HashSet<long>());
        }
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(new
        {
            id = post.Id,
            type = post.Type,
            title = post.Title,
            content = mayReadProtected ? post.Content : "",
            excerpt = mayReadProtected ? post.Excerpt : "",
            @protected = post.Password.Length > 0,
            status = post.Status,
            slug = post.Slug,
            link,
            date = PostDetails.DateOf(site, post.DateUtc).Iso,
            modified = PostDetails.DateOf(site, post.ModifiedUtc).Iso,
            author = new { id = post.AuthorId, name = post.AuthorId is { } a ? authors.GetValueOrDefault(a, "") : "" },
            categories = terms.Where(t => t.Taxonomy == Taxonomies.Category).Select(t => new { id = t.Id, name = t.Name, slug = t.Slug }),
            tags = terms.Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => new { id = t.Id, name = t.Name, slug = t.Slug }),
            meta,
            comments,
        }));
    }

    /// <summary>Replies nested under their parent; a reply whose parent is not shown (or a cycle) goes to the top level.</summary>
    private static List<object> Thread(List<Comment> all, long? parent, Site site, HashSet<long> placed)
    {
        var shownIds = all.Select(c => c.Id).ToHashSet();
        var level = all.Where(c => parent is null ? c.ParentId is null || !shownIds.Contains(c.ParentId.Value) : c.ParentId == parent).ToList();
        var result = new List<object>();
        foreach (var c in level)
        {
            if (!placed.Add(c.Id)) continue;
            result.Add(new
            {
                id = c.Id,
                author_name = c.AuthorName,
                date = PostDetails.DateOf(site, c.DateUtc).Iso,
                status = c.Status,
                content = c.Content,
                replies = Thread(all, c.Id, site, placed),
            });
        }
        return result;
    }

    private static async Task<Post?> FindByUrlAsync(PressDbContext db, Site site, PublicLinks links, string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        if (long.TryParse(query["p"] ?? query["page_id"], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == id && (p.Type == PostTypes.Post || p.Type == PostTypes.Page), ct);
        var full = uri.GetLeftPart(UriPartial.Path);
        if (!full.StartsWith(links.Base, StringComparison.OrdinalIgnoreCase)) return null;
        var request = PublicPath.Parse(full[links.Base.Length..], null);
        if (request is null || request.Slugs.Count == 0 || request.Kind is not (PublicKind.Post or PublicKind.Page)) return null;
        var type = request.Kind == PublicKind.Post ? PostTypes.Post : PostTypes.Page;
        var slug = request.Slugs[^1];
        return await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Type == type && p.Slug == slug, ct);
    }
}
