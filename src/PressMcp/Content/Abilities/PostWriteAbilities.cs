using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;

namespace PressMcp.Content.Abilities;

/// <summary>
/// <c>posts/create</c>, <c>posts/update</c>, <c>posts/trash</c> and the same for pages. The ability's capability
/// (edit_posts, edit_pages, delete_posts, delete_pages) is what a role needs to use it at all; the post itself is
/// then checked by <see cref="PostEditor"/> (edit_post or delete_post with the owner rules, and who may publish).
/// Categories and tags are for posts, parent and menu order for pages, as in WordPress.
/// </summary>
internal static class PostWriteAbilities
{
    public const string CreatePost = "posts/create";
    public const string UpdatePost = "posts/update";
    public const string TrashPost = "posts/trash";
    public const string CreatePage = "pages/create";
    public const string UpdatePage = "pages/update";
    public const string TrashPage = "pages/trash";

    public static readonly AbilityAnnotations Create = AbilityAnnotations.Write;
    // An update replaces what was there (a revision keeps it); repeating it changes nothing more.
    public static readonly AbilityAnnotations Update = new(ReadOnly: false, Destructive: true, Idempotent: true);
    public static readonly AbilityAnnotations Trash = new(ReadOnly: false, Destructive: true, Idempotent: true);

    public static readonly IReadOnlyList<string> Scopes = [OAuth.Scopes.ContentWrite];
}

internal sealed class CreatePostAbility(PostEditor editor, AuthoringResults results) : Ability<PostCreateInput, PostResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostWriteAbilities.CreatePost, "Create a post",
        "Creates a post (a draft unless your role may publish and status asks for publication), with categories and tags.", "posts",
        PostWriteAbilities.Create, PostWriteAbilities.Scopes, Caps.EditPosts, SiteScoped: true, PostWriteJson.Default.PostCreateInput, AuthoringJson.Default.PostResult);

    protected override async Task<Outcome<PostResult>> ExecuteAsync(PostCreateInput input, AbilityCall call, CancellationToken ct) =>
        await results.PostAsync(call, await editor.CreateAsync(call, PostTypes.Post, input.Change(), ct), ct);
}

internal sealed class UpdatePostAbility(PostEditor editor, AuthoringResults results) : Ability<PostUpdateInput, PostResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostWriteAbilities.UpdatePost, "Update a post",
        "Changes the given fields of a post; the previous version is kept as a revision.", "posts",
        PostWriteAbilities.Update, PostWriteAbilities.Scopes, Caps.EditPosts, SiteScoped: true, PostWriteJson.Default.PostUpdateInput, AuthoringJson.Default.PostResult);

    protected override async Task<Outcome<PostResult>> ExecuteAsync(PostUpdateInput input, AbilityCall call, CancellationToken ct) =>
        await results.PostAsync(call, await editor.UpdateAsync(call, PostTypes.Post, input.PostId, input.Change(), ct), ct);
}

internal sealed class TrashPostAbility(PostEditor editor, AuthoringResults results) : Ability<TrashInput, PostResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostWriteAbilities.TrashPost, "Trash a post",
        "Moves a post to the trash (it can be restored); the previous version is kept as a revision.", "posts",
        PostWriteAbilities.Trash, PostWriteAbilities.Scopes, Caps.DeletePosts, SiteScoped: true, PostWriteJson.Default.TrashInput, AuthoringJson.Default.PostResult);

    protected override async Task<Outcome<PostResult>> ExecuteAsync(TrashInput input, AbilityCall call, CancellationToken ct) =>
        await results.PostAsync(call, await editor.TrashAsync(call, PostTypes.Post, input.PostId, ct), ct);
}

internal sealed class CreatePageAbility(PostEditor editor, AuthoringResults results) : Ability<PageCreateInput, PageResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostWriteAbilities.CreatePage, "Create a page",
        "Creates a page (a draft unless your role may publish pages and status asks for publication), optionally under a parent page.", "pages",
        PostWriteAbilities.Create, PostWriteAbilities.Scopes, Caps.EditPages, SiteScoped: true, PostWriteJson.Default.PageCreateInput, AuthoringJson.Default.PageResult);

    protected override async Task<Outcome<PageResult>> ExecuteAsync(PageCreateInput input, AbilityCall call, CancellationToken ct) =>
        await results.PageAsync(call, await editor.CreateAsync(call, PostTypes.Page, input.Change(), ct), ct);
}

internal sealed class UpdatePageAbility(PostEditor editor, AuthoringResults results) : Ability<PageUpdateInput, PageResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostWriteAbilities.UpdatePage, "Update a page",
        "Changes the given fields of a page; the previous version is kept as a revision.", "pages",
        PostWriteAbilities.Update, PostWriteAbilities.Scopes, Caps.EditPages, SiteScoped: true, PostWriteJson.Default.PageUpdateInput, AuthoringJson.Default.PageResult);

    protected override async Task<Outcome<PageResult>> ExecuteAsync(PageUpdateInput input, AbilityCall call, CancellationToken ct) =>
        await results.PageAsync(call, await editor.UpdateAsync(call, PostTypes.Page, input.PostId, input.Change(), ct), ct);
}

internal sealed class TrashPageAbility(PostEditor editor, AuthoringResults results) : Ability<TrashInput, PageResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostWriteAbilities.TrashPage, "Trash a page",
        "Moves a page to the trash (it can be restored); the previous version is kept as a revision.", "pages",
        PostWriteAbilities.Trash, PostWriteAbilities.Scopes, Caps.DeletePages, SiteScoped: true, PostWriteJson.Default.TrashInput, AuthoringJson.Default.PageResult);

    protected override async Task<Outcome<PageResult>> ExecuteAsync(TrashInput input, AbilityCall call, CancellationToken ct) =>
        await results.PageAsync(call, await editor.TrashAsync(call, PostTypes.Page, input.PostId, ct), ct);
}

/// <summary>The fields posts and pages share; each is left as it is (or at its default) when absent.</summary>
internal abstract record ContentFields
{
    [StringLength(1_000_000), Description("HTML or block markup; stored as given, sanitized when shown")]
    public string? Content { get; init; }

    [StringLength(10_000)]
    public string? Excerpt { get; init; }

    [AllowedValues("draft", "pending", "publish", "future", "private"),
     Description("Default draft for a new one. publish, future and private need a role that may publish; otherwise it stays unpublished and note says so")]
    public string? Status { get; init; }

    [StringLength(200, MinimumLength = 1), Description("Made from the title when absent; made unique on the site")]
    public string? Slug { get; init; }

    [DateTimeText, Description("Publication date: with an offset (Z, +02:00) exact; without one, a time in the site's time zone, as WordPress reads it. A future date with status publish or future schedules it")]
    public string? Date { get; init; }

    [AllowedValues("open", "closed")]
    public string? CommentStatus { get; init; }

    [Range(0, long.MaxValue), Description("The featured image: an image attachment id of this site; 0 removes it")]
    public long? FeaturedMedia { get; init; }

    [Description("Custom fields to set (key: string value) or delete (key: null); at most 100, keys up to 255 characters not starting with _, values up to 64 KiB")]
    public IReadOnlyDictionary<string, string?>? Meta { get; init; }

    public virtual PostChange Change()
    {
        var (utc, siteLocal) = AbilityInput.InstantOrSiteTime(Date);
        return new()
        {
            FeaturedMedia = FeaturedMedia,
            Meta = Meta,
            Content = Content,
            Excerpt = Excerpt,
            Status = Status,
            Slug = Slug,
            DateUtc = utc,
            SiteDate = siteLocal,
            CommentStatus = CommentStatus,
        };
    }
}

internal abstract record PostFields : ContentFields
{
    [MaxLength(50), Description("Category ids, slugs or names; they must exist (categories.create)")]
    public IReadOnlyList<TermReference>? Categories { get; init; }

    [MaxLength(50), Description("Tag ids, slugs or names; unknown names are created if your role may manage terms")]
    public IReadOnlyList<TermReference>? Tags { get; init; }

    [Description("Keep the post at the top of the home page; needs publish_posts or edit_others_posts")]
    public bool? Sticky { get; init; }

    public override PostChange Change() => base.Change() with { Categories = Categories, Tags = Tags, Sticky = Sticky };
}

internal abstract record PageFields : ContentFields
{
    [Range(0, long.MaxValue), Description("Parent page id; 0 for the top level")]
    public long? Parent { get; init; }

    [Range(-1_000_000, 1_000_000)]
    public int? MenuOrder { get; init; }

    public override PostChange Change() => base.Change() with { ParentId = Parent, MenuOrder = MenuOrder };
}

internal sealed record PostCreateInput : PostFields
{
    [StringLength(1000, MinimumLength = 1)]
    public required string Title { get; init; }

    public override PostChange Change() => base.Change() with { Title = Title };
}

internal sealed record PostUpdateInput : PostFields
{
    [Range(1, long.MaxValue), Description("The post to change")]
    public required long PostId { get; init; }

    [StringLength(1000, MinimumLength = 1)]
    public string? Title { get; init; }

    public override PostChange Change() => base.Change() with { Title = Title };
}

internal sealed record PageCreateInput : PageFields
{
    [StringLength(1000, MinimumLength = 1)]
    public required string Title { get; init; }

    public override PostChange Change() => base.Change() with { Title = Title };
}

internal sealed record PageUpdateInput : PageFields
{
    [Range(1, long.MaxValue), Description("The page to change")]
    public required long PostId { get; init; }

    [StringLength(1000, MinimumLength = 1)]
    public string? Title { get; init; }

    public override PostChange Change() => base.Change() with { Title = Title };
}

internal sealed record TrashInput
{
    [Range(1, long.MaxValue), Description("The post or page to move to the trash")]
    public required long PostId { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PostCreateInput))]
[JsonSerializable(typeof(PostUpdateInput))]
[JsonSerializable(typeof(PageCreateInput))]
[JsonSerializable(typeof(PageUpdateInput))]
[JsonSerializable(typeof(TrashInput))]
internal sealed partial class PostWriteJson : JsonSerializerContext;
