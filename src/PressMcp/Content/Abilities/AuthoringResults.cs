using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Content.Authoring;
using PressMcp.Publishing;
using PressMcp.Sites;
using Microsoft.EntityFrameworkCore;

namespace PressMcp.Content.Abilities;

/// <summary>
/// What the write abilities return: the object as the read tools show it (a post as posts/get does, without its
/// custom fields and comments), plus <c>note</c> when the result is not exactly what was asked (a draft instead of a
/// publication, a changed slug, nothing to change) and <c>revision_id</c> when a previous version was kept.
/// </summary>
internal sealed class AuthoringResults(PostDetails details, SiteUrls urls, PressMcp.Storage.PressDbContext db)
{
    public PublicLinks LinksOf(AbilityCall call) => new(call.Site!, urls.BaseOf(call.Site!));

    public async Task<Outcome<PostResult>> PostAsync(AbilityCall call, Outcome<PostEdit> edit, CancellationToken ct) =>
        edit.Succeeded ? await PostOf(call, edit.Value!, ct) : edit.Problem!;

    public async Task<Outcome<PageResult>> PageAsync(AbilityCall call, Outcome<PostEdit> edit, CancellationToken ct)
    {
        if (!edit.Succeeded) return edit.Problem!;
        var post = edit.Value!.Post;
        return new PageResult(await PostOf(call, edit.Value!, ct)) { Parent = post.ParentId, MenuOrder = post.MenuOrder };
    }

    private async Task<PostResult> PostOf(AbilityCall call, PostEdit edit, CancellationToken ct)
    {
        var site = call.Site!;
        var post = edit.Post;
        var links = LinksOf(call);
        var labels = await details.LabelsAsync(site.Id, [post], ct);
        var (authors, terms) = (labels.Authors, labels.Terms[post.Id].ToList());
        var link = post.Type == PostTypes.Page ? links.Page((await details.PagesAsync(site.Id, ct)).PathOf(post.Id)) : links.Post(post);
        // The featured image and the custom fields in one read: WordPress.com's post object carries both.
        var meta = await db.PostMeta.AsNoTracking().Where(m => m.SiteId == site.Id && m.PostId == post.Id)
            .OrderBy(m => m.Id).Take(PostExtras.MaxFields * 2).Select(m => new { m.Key, m.Value }).ToListAsync(ct);
        var featured = meta.FirstOrDefault(m => m.Key == PostExtras.ThumbnailKey)?.Value;
        return new PostResult
        {
            Id = post.Id,
            Type = post.Type,
            Title = post.Title,
            Content = post.Content,
            Excerpt = post.Excerpt,
            Status = post.Status,
            Slug = post.Slug,
            Link = link,
            Date = PostDetails.DateOf(site, post.DateUtc).Iso,
            Modified = PostDetails.DateOf(site, post.ModifiedUtc).Iso,
            Author = new PostAuthor(post.AuthorId, post.AuthorId is { } a ? authors.GetValueOrDefault(a, "") : ""),
            Categories = [.. terms.Where(t => t.Taxonomy == Taxonomies.Category).Select(t => new PostTerm(t.Id, t.Name, t.Slug))],
            Tags = [.. terms.Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => new PostTerm(t.Id, t.Name, t.Slug))],
            CommentStatus = post.CommentStatus,
            FeaturedMedia = long.TryParse(featured, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var image) ? image : 0,
            Meta = meta.Where(m => PostExtras.IsCustomField(m.Key)).GroupBy(m => m.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal),
            RevisionId = edit.RevisionId,
            Note = edit.Note,
        };
    }

    public CommentResult Comment(AbilityCall call, CommentEdit edit) =>
        Comment(call.Site!, LinksOf(call), edit.Comment, edit.Post, edit.Note, edit.PreviousStatus);

    public static CommentResult Comment(Site site, PublicLinks links, Comment comment, Post post, string? note = null, string? previousStatus = null) => new()
    {
        Id = comment.Id,
        Post = new CommentPost(post.Id, post.Title),
        ParentId = comment.ParentId,
        AuthorName = comment.AuthorName,
        Date = PostDetails.DateOf(site, comment.DateUtc).Iso,
        Status = CommentStatusNames.StatusName(comment.Status),
        // Comments are plain text on the public pages; tags a commenter typed are not markup here either.
        Content = PlainText(comment.Content),
        Link = (post.Type == PostTypes.Post ? links.Post(post) : $"{links.Base}/?p={post.Id}") + $"#comment-{comment.Id}",
        PreviousStatus = previousStatus is null ? null : CommentStatusNames.StatusName(previousStatus),
        Note = note,
    };

    public async Task<Outcome<TermResult>> TermAsync(AbilityCall call, Outcome<Term> created, CancellationToken ct)
    {
        if (!created.Succeeded) return created.Problem!;
        var term = created.Value!;
        var links = LinksOf(call);
        var link = term.Taxonomy == Taxonomies.Category
            ? links.Category((await details.CategoriesAsync(call.Site!.Id, ct)).PathOf(term.Id))
            : links.Tag(term.Slug);
        return new TermResult(term.Id, term.Taxonomy, term.Name, term.Slug, term.Description, term.ParentId, link);
    }

    /// <summary>Tags removed; the spaces they leave collapsed, line breaks (paragraphs) kept.</summary>
    private static string PlainText(string html) =>
        string.Join('\n', HtmlText.Strip(html).ReplaceLineEndings("\n").Split('\n').Select(line => string.Join(' ', line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))).Trim();
}

/// <summary>A post after a write.</summary>
internal record PostResult
{
    public PostResult()
    {
    }

    /// <summary>The post's fields, for a page's result.</summary>
    [SetsRequiredMembers]
    protected PostResult(PostResult post)
    {
        (Id, Type, Title, Content, Excerpt, Status, Slug, Link) = (post.Id, post.Type, post.Title, post.Content, post.Excerpt, post.Status, post.Slug, post.Link);
        (Date, Modified, Author, Categories, Tags, CommentStatus, RevisionId, Note) = (post.Date, post.Modified, post.Author, post.Categories, post.Tags, post.CommentStatus, post.RevisionId, post.Note);
        (FeaturedMedia, Meta) = (post.FeaturedMedia, post.Meta);
    }

    public required long Id { get; init; }
    [AllowedValues(PostTypes.Post, PostTypes.Page)] public required string Type { get; init; }
    public required string Title { get; init; }
    public required string Content { get; init; }
    public required string Excerpt { get; init; }
    [AllowedValues("publish", "future", "draft", "pending", "private", "trash")] public required string Status { get; init; }
    public required string Slug { get; init; }
    public required string Link { get; init; }
    public required string Date { get; init; }
    public required string Modified { get; init; }
    public required PostAuthor Author { get; init; }
    public required IReadOnlyList<PostTerm> Categories { get; init; }
    public required IReadOnlyList<PostTerm> Tags { get; init; }
    [AllowedValues("open", "closed")] public required string CommentStatus { get; init; }
    [Description("The featured image's attachment id; 0 for none")] public required long FeaturedMedia { get; init; }
    [Description("The custom fields (keys not starting with _), the first value of each")] public required IReadOnlyDictionary<string, string> Meta { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("The revision holding the version this write replaced")]
    public long? RevisionId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("Present when the result differs from what was asked, and why")]
    public string? Note { get; init; }
}

/// <summary>A page after a write: a post's fields, its parent (null at the top level) and menu order.</summary>
internal sealed record PageResult : PostResult
{
    [SetsRequiredMembers]
    public PageResult(PostResult post) : base(post)
    {
    }

    public required long? Parent { get; init; }
    public required int MenuOrder { get; init; }
}

/// <summary>A comment after a write, or found by comments/search.</summary>
internal record CommentResult
{
    public CommentResult()
    {
    }

    [SetsRequiredMembers]
    protected CommentResult(CommentResult comment)
    {
        (Id, Post, ParentId, AuthorName, Date, Status, Content, Link) = (comment.Id, comment.Post, comment.ParentId, comment.AuthorName, comment.Date, comment.Status, comment.Content, comment.Link);
        (PreviousStatus, Note) = (comment.PreviousStatus, comment.Note);
    }

    public required long Id { get; init; }
    public required CommentPost Post { get; init; }
    public required long? ParentId { get; init; }
    public required string AuthorName { get; init; }
    public required string Date { get; init; }
    [AllowedValues("approved", "pending", "spam", "trash")] public required string Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), AllowedValues("approved", "pending", "spam", "trash")]
    public string? PreviousStatus { get; init; }

    public required string Content { get; init; }
    public required string Link { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }
}

internal sealed record CommentPost(long Id, string Title);

internal sealed record TermResult(long Id, [property: AllowedValues(Taxonomies.Category, Taxonomies.Tag)] string Taxonomy, string Name, string Slug, string Description, long? Parent, string Link);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PostResult))]
[JsonSerializable(typeof(PageResult))]
[JsonSerializable(typeof(CommentResult))]
[JsonSerializable(typeof(TermResult))]
internal sealed partial class AuthoringJson : JsonSerializerContext;
