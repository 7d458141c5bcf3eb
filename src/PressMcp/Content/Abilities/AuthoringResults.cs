using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Content.Authoring;
using PressMcp.Publishing;
using PressMcp.Sites;

namespace PressMcp.Content.Abilities;

/// <summary>
/// What the write abilities return: the object as the read tools show it (a post as posts/get does, without its
/// custom fields and comments), plus <c>note</c> when the result is not exactly what was asked (a draft instead of a
/// publication, a changed slug, nothing to change) and <c>revision_id</c> when a previous version was kept.
/// </summary>
internal static class AuthoringResults
{
    public const string PostSchema = """
        {"type":"object","required":["id","type","title","content","excerpt","status","slug","link","date","modified","author","categories","tags","comment_status"],"properties":{
          "id":{"type":"integer"},"type":{"type":"string","enum":["post","page"]},"title":{"type":"string"},"content":{"type":"string"},"excerpt":{"type":"string"},
          "status":{"type":"string","enum":["publish","future","draft","pending","private","trash"]},"slug":{"type":"string"},"link":{"type":"string"},
          "date":{"type":"string"},"modified":{"type":"string"},
          "author":{"type":"object","required":["id","name"],"properties":{"id":{"type":["integer","null"]},"name":{"type":"string"}}},
          "categories":{"type":"array","items":{"type":"object","required":["id","name","slug"],"properties":{"id":{"type":"integer"},"name":{"type":"string"},"slug":{"type":"string"}}}},
          "tags":{"type":"array","items":{"type":"object","required":["id","name","slug"],"properties":{"id":{"type":"integer"},"name":{"type":"string"},"slug":{"type":"string"}}}},
          "comment_status":{"type":"string","enum":["open","closed"]},
          "parent":{"type":["integer","null"]},"menu_order":{"type":"integer"},
          "revision_id":{"type":"integer","description":"The revision holding the version this write replaced"},
          "note":{"type":"string","description":"Present when the result differs from what was asked, and why"}}}
        """;

    public const string CommentSchema = """
        {"type":"object","required":["id","post","parent_id","author_name","date","status","content","link"],"properties":{
          "id":{"type":"integer"},
          "post":{"type":"object","required":["id","title"],"properties":{"id":{"type":"integer"},"title":{"type":"string"}}},
          "parent_id":{"type":["integer","null"]},"author_name":{"type":"string"},"date":{"type":"string"},
          "status":{"type":"string","enum":["approved","pending","spam","trash"]},
          "previous_status":{"type":"string","enum":["approved","pending","spam","trash"]},
          "content":{"type":"string"},"link":{"type":"string"},"note":{"type":"string"}}}
        """;

    public const string TermSchema = """
        {"type":"object","required":["id","taxonomy","name","slug","description","parent","link"],"properties":{
          "id":{"type":"integer"},"taxonomy":{"type":"string","enum":["category","post_tag"]},"name":{"type":"string"},"slug":{"type":"string"},
          "description":{"type":"string"},"parent":{"type":["integer","null"]},"link":{"type":"string"}}}
        """;

    public static async Task<JsonElement> PostAsync(AbilityCall call, PostEdit edit, CancellationToken ct)
    {
        var site = call.Site!;
        var post = edit.Post;
        var details = call.Services.GetRequiredService<PostDetails>();
        var links = LinksOf(call);
        var authors = await details.AuthorNamesAsync([post], ct);
        var terms = (await details.TermsOfAsync(site.Id, [post], ct))[post.Id].ToList();
        var isPage = post.Type == PostTypes.Page;
        var link = isPage ? links.Page((await details.PagesAsync(site.Id, ct)).PathOf(post.Id)) : links.Post(post);
        var node = new JsonObject
        {
            ["id"] = post.Id,
            ["type"] = post.Type,
            ["title"] = post.Title,
            ["content"] = post.Content,
            ["excerpt"] = post.Excerpt,
            ["status"] = post.Status,
            ["slug"] = post.Slug,
            ["link"] = link,
            ["date"] = PostDetails.DateOf(site, post.DateUtc).Iso,
            ["modified"] = PostDetails.DateOf(site, post.ModifiedUtc).Iso,
            ["author"] = new JsonObject { ["id"] = post.AuthorId, ["name"] = post.AuthorId is { } a ? authors.GetValueOrDefault(a, "") : "" },
            ["categories"] = TermsOf(terms, Taxonomies.Category),
            ["tags"] = TermsOf(terms, Taxonomies.Tag),
            ["comment_status"] = post.CommentStatus,
        };
        if (isPage)
        {
            node["parent"] = post.ParentId;
            node["menu_order"] = post.MenuOrder;
        }
        if (edit.RevisionId is { } revision) node["revision_id"] = revision;
        if (edit.Note is { } note) node["note"] = note;
        return JsonSerializer.SerializeToElement(node);
    }

    public static JsonObject Comment(Site site, PublicLinks links, Comment comment, Post post, string? note = null, string? previousStatus = null)
    {
        var node = new JsonObject
        {
            ["id"] = comment.Id,
            ["post"] = new JsonObject { ["id"] = post.Id, ["title"] = post.Title },
            ["parent_id"] = comment.ParentId,
            ["author_name"] = comment.AuthorName,
            ["date"] = PostDetails.DateOf(site, comment.DateUtc).Iso,
            ["status"] = CommentStatusNames.StatusName(comment.Status),
            // Comments are plain text on the public pages; tags a commenter typed are not markup here either.
            ["content"] = PlainText(comment.Content),
            ["link"] = (post.Type == PostTypes.Post ? links.Post(post) : $"{links.Base}/?p={post.Id}") + $"#comment-{comment.Id}",
        };
        if (previousStatus is not null) node["previous_status"] = CommentStatusNames.StatusName(previousStatus);
        if (note is not null) node["note"] = note;
        return node;
    }

    public static async Task<JsonElement> TermAsync(AbilityCall call, Term term, CancellationToken ct)
    {
        var links = LinksOf(call);
        var link = term.Taxonomy == Taxonomies.Category
            ? links.Category((await call.Services.GetRequiredService<PostDetails>().CategoriesAsync(call.Site!.Id, ct)).PathOf(term.Id))
            : links.Tag(term.Slug);
        return JsonSerializer.SerializeToElement(new JsonObject
        {
            ["id"] = term.Id,
            ["taxonomy"] = term.Taxonomy,
            ["name"] = term.Name,
            ["slug"] = term.Slug,
            ["description"] = term.Description,
            ["parent"] = term.ParentId,
            ["link"] = link,
        });
    }

    /// <summary>Tags removed; the spaces they leave collapsed, line breaks (paragraphs) kept.</summary>
    private static string PlainText(string html) =>
        string.Join('\n', HtmlText.Strip(html).ReplaceLineEndings("\n").Split('\n').Select(line => string.Join(' ', line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))).Trim();

    public static PublicLinks LinksOf(AbilityCall call) => new(call.Site!, call.Services.GetRequiredService<SiteUrls>().BaseOf(call.Site!));

    private static JsonArray TermsOf(IEnumerable<Term> terms, string taxonomy) =>
        new([.. terms.Where(t => t.Taxonomy == taxonomy).Select(t => (JsonNode)new JsonObject { ["id"] = t.Id, ["name"] = t.Name, ["slug"] = t.Slug })]);
}
