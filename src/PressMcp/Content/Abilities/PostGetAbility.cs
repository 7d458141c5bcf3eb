using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
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
internal sealed class PostGetAbility(PressDbContext db, SiteUrls urls, PostDetails details) : Ability<PostGetInput, PostGetResult>, IAbilityDefinition
{
    public const string Name = "posts/get";

    public static AbilityInfo Info { get; } = new(Name, "Get a post",
        "Reads one post or page (by id or address) with its content, custom fields, categories, tags and optionally its threaded comments.",
        "posts", AbilityAnnotations.Read, [OAuth.Scopes.ContentRead], Caps.EditPosts, SiteScoped: true, PostGetJson.Default.PostGetInput, PostGetJson.Default.PostGetResult);

    protected override async Task<Outcome<PostGetResult>> ExecuteAsync(PostGetInput input, AbilityCall call, CancellationToken ct)
    {
        var site = call.Site!;
        var links = new PublicLinks(site, urls.BaseOf(site));
        if (input.PostId is null && input.Url is null) return Problem.Invalid("give post_id or url");
        var post = input.PostId is { } id
            ? await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == id && (p.Type == PostTypes.Post || p.Type == PostTypes.Page), ct)
            : await FindByUrlAsync(db, site, links, input.Url!, ct);
        if (post is null) return Problem.NotFound("no such post or page on this site");
        if (!Permissions.Can(call.Actor!, Caps.ReadPost, post.Facts))
            return Problem.Forbidden($"your role may not read post {post.Id} (status {post.Status})");
        var mayReadProtected = PostAccess.MayReadProtected(call.Actor!, post, input.Password);
        // As the REST API: a wrong password is refused rather than answered as if none were given.
        if (!mayReadProtected && input.Password is not null) return Problem.Forbidden($"the password of post {post.Id} is incorrect");

        var labels = await details.LabelsAsync(site.Id, [post], ct);
        var (authors, terms) = (labels.Authors, labels.Terms[post.Id].ToList());
        var link = post.Type == PostTypes.Page ? links.Page((await details.PagesAsync(site.Id, ct)).PathOf(post.Id)) : links.Post(post);
        var meta = await db.PostMeta.AsNoTracking().Where(m => m.SiteId == site.Id && m.PostId == post.Id).OrderBy(m => m.Id)
            .Select(m => new PostMetaField(m.Key, m.Value)).ToListAsync(ct);
        List<ThreadedComment>? comments = null;
        if (input.IncludeComments && !mayReadProtected)
        {
            comments = [];
        }
        else if (input.IncludeComments)
        {
            var moderator = Permissions.Can(call.Actor!, Caps.ModerateComments);
            var rows = await db.Comments.AsNoTracking().Where(c => c.SiteId == site.Id && c.PostId == post.Id && (moderator || c.Status == CommentStatuses.Approved))
                .OrderBy(c => c.DateUtc).ThenBy(c => c.Id).ToListAsync(ct);
            comments = Thread(rows, null, site, []);
        }
        return new PostGetResult(
            post.Id, post.Type, post.Title,
            Content: mayReadProtected ? post.Content : "",
            Excerpt: mayReadProtected ? post.Excerpt : "",
            Protected: post.Password.Length > 0,
            post.Status, post.Slug, link,
            Date: PostDetails.DateOf(site, post.DateUtc).Iso,
            Modified: PostDetails.DateOf(site, post.ModifiedUtc).Iso,
            Author: new PostAuthor(post.AuthorId, post.AuthorId is { } a ? authors.GetValueOrDefault(a, "") : ""),
            Categories: [.. terms.Where(t => t.Taxonomy == Taxonomies.Category).Select(t => new PostTerm(t.Id, t.Name, t.Slug))],
            Tags: [.. terms.Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => new PostTerm(t.Id, t.Name, t.Slug))],
            meta, comments);
    }

    /// <summary>Replies nested under their parent; a reply whose parent is not shown (or a cycle) goes to the top level.</summary>
    private static List<ThreadedComment> Thread(List<Comment> all, long? parent, Site site, HashSet<long> placed)
    {
        var shownIds = all.Select(c => c.Id).ToHashSet();
        var level = all.Where(c => parent is null ? c.ParentId is null || !shownIds.Contains(c.ParentId.Value) : c.ParentId == parent).ToList();
        var result = new List<ThreadedComment>();
        foreach (var c in level)
        {
            if (!placed.Add(c.Id)) continue;
            result.Add(new ThreadedComment(c.Id, c.AuthorName, PostDetails.DateOf(site, c.DateUtc).Iso, c.Status, c.Content, Thread(all, c.Id, site, placed)));
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

internal sealed record PostGetInput
{
    [Range(1, long.MaxValue), Description("The post or page id")]
    public long? PostId { get; init; }

    [StringLength(2000, MinimumLength = 1), Description("Or its address on the site")]
    public string? Url { get; init; }

    [Description("Also return the comments, threaded")]
    public bool IncludeComments { get; init; }

    [StringLength(255, MinimumLength = 1), Description("The password of a password-protected post, to read its content if you may not edit it")]
    public string? Password { get; init; }
}

internal sealed record PostGetResult(
    long Id, string Type, string Title, string Content, string Excerpt,
    [property: Description("The post has a password: content, excerpt and comments are empty unless you may edit it or gave the password")] bool Protected,
    string Status, string Slug, string Link, string Date, string Modified, PostAuthor Author,
    IReadOnlyList<PostTerm> Categories, IReadOnlyList<PostTerm> Tags, IReadOnlyList<PostMetaField> Meta,
    [property: Description("The threaded comments with include_comments, otherwise null")] IReadOnlyList<ThreadedComment>? Comments);

internal sealed record PostAuthor(long? Id, string Name);

internal sealed record PostTerm(long Id, string Name, string Slug);

internal sealed record PostMetaField(string Key, string Value);

internal sealed record ThreadedComment(long Id, string AuthorName, string Date, string Status, string Content, IReadOnlyList<ThreadedComment> Replies);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PostGetInput))]
[JsonSerializable(typeof(PostGetResult))]
internal sealed partial class PostGetJson : JsonSerializerContext;
