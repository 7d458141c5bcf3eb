using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Media.Cleanup;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Media.Abilities;

/// <summary>
/// <c>media/update</c> (title, alt text, caption, description) and <c>media/delete</c> (for good): WordPress.com's
/// media.update and media.delete. Like WordPress, an attachment is a post: the role needs upload_files to use them at
/// all, then edit_post or delete_post on the attachment itself (own uploads, or others' with edit_others_posts /
/// delete_others_posts). Where WordPress keeps them: title on the post, caption as its excerpt, description as its
/// content, alt text on the file record (WordPress's <c>_wp_attachment_image_alt</c>).
/// </summary>
internal static class MediaEditAbilities
{
    public const string Update = "media/update";
    public const string Delete = "media/delete";

    /// <summary>The attachment <paramref name="id"/> of the call's site, or why the caller may not have it.</summary>
    public static async Task<Outcome<Post>> AttachmentAsync(PressDbContext db, AbilityCall call, long id, string capability, string verb, CancellationToken ct)
    {
        var post = await db.Posts.FirstOrDefaultAsync(p => p.SiteId == call.Site!.Id && p.Id == id && p.Type == PostTypes.Attachment, ct);
        if (post is null) return Problem.NotFound($"id: no media item {id} on this site");
        var missing = Permissions.MissingCapabilities(call.Actor!, capability, post.Facts);
        return missing.Count == 0 ? post : Problem.Forbidden($"your role ({call.Actor!.Role}) may not {verb} media item {id}: it needs {string.Join(", ", missing)}");
    }

    public static MediaItemResult Result(Site site, string siteBase, Post post, MediaFile? file) => new()
    {
        Id = post.Id,
        Title = post.Title,
        AltText = file?.AltText ?? "",
        Caption = post.Excerpt,
        Description = post.Content,
        MimeType = post.MimeType ?? "",
        SourceUrl = file?.StoragePath is { } path ? MediaFileServer.UrlOf(siteBase, path) : file?.SourceUrl ?? "",
        Slug = post.Slug,
        Date = PostDetails.DateOf(site, post.DateUtc).Iso,
        Modified = PostDetails.DateOf(site, post.ModifiedUtc).Iso,
        Author = post.AuthorId ?? 0,
        Post = post.ParentId,
    };
}

internal sealed class MediaUpdateAbility(PressDbContext db, SiteUrls urls) : Ability<MediaUpdateInput, MediaItemResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(MediaEditAbilities.Update, "Edit media details",
        "Changes a media item's title, alternative text, caption or description; fields left out stay as they are. The file itself is not changed.",
        MediaAbilities.Category, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true,
        MediaEditJson.Default.MediaUpdateInput, MediaEditJson.Default.MediaItemResult);

    protected override async Task<Outcome<MediaItemResult>> ExecuteAsync(MediaUpdateInput input, AbilityCall call, CancellationToken ct)
    {
        var found = await MediaEditAbilities.AttachmentAsync(db, call, input.Id, Caps.EditPost, "edit", ct);
        if (!found.Succeeded) return found.Problem!;
        var post = found.Value!;
        var file = await db.MediaFiles.FirstOrDefaultAsync(m => m.SiteId == post.SiteId && m.PostId == post.Id, ct);
        if (input.Title is null && input.AltText is null && input.Caption is null && input.Description is null)
            return Problem.Invalid("nothing to change: give title, alt_text, caption or description");
        if (input.AltText is not null && file is null) return Problem.Invalid($"alt_text: media item {post.Id} has no file record to hold it");

        // The change record keeps what the write replaces, saved with it.
        db.ChangeRecords.Add(call.Change(MediaChanges.Media, post.Id, "update", new { post.Title, caption = post.Excerpt, description = post.Content, alt_text = file?.AltText }));
        if (input.Title is not null) post.Title = input.Title.Trim();
        if (input.Caption is not null) post.Excerpt = input.Caption.Trim();
        if (input.Description is not null) post.Content = input.Description;
        if (input.AltText is not null) file!.AltText = input.AltText.Trim();
        post.ModifiedUtc = call.Clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return MediaEditAbilities.Result(call.Site!, urls.BaseOf(call.Site!), post, file);
    }
}

internal sealed class MediaDeleteAbility(PressDbContext db, CleanupActions actions, SiteUrls urls) : Ability<MediaDeleteInput, MediaDeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(MediaEditAbilities.Delete, "Delete a media item permanently",
        "Deletes a media item for good: its file, its details and every featured-image use of it. Media has no trash, so this needs confirm_permanent_delete: true.",
        MediaAbilities.Category, MediaAbilities.Destructive, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true,
        MediaEditJson.Default.MediaDeleteInput, MediaEditJson.Default.MediaDeleteResult);

    protected override async Task<Outcome<MediaDeleteResult>> ExecuteAsync(MediaDeleteInput input, AbilityCall call, CancellationToken ct)
    {
        if (!input.ConfirmPermanentDelete)
            return Problem.Invalid("confirm_permanent_delete must be true: deleting a media item removes its file for good; ask the user first");
        var found = await MediaEditAbilities.AttachmentAsync(db, call, input.Id, Caps.DeletePost, "delete", ct);
        if (!found.Succeeded) return found.Problem!;
        var post = found.Value!;
        var file = await db.MediaFiles.AsNoTracking().FirstOrDefaultAsync(m => m.SiteId == post.SiteId && m.PostId == post.Id, ct);
        var previous = MediaEditAbilities.Result(call.Site!, urls.BaseOf(call.Site!), post, file);
        // The same deletion as the cleanup tools': every reference removed in one transaction, the file after it.
        var done = (await actions.DeleteAsync(call.Site!.Id, [post.Id], MediaChanges.For(call), ct)).Single();
        return done.Status == "deleted" ? new MediaDeleteResult(true, previous) { Note = done.Message } : Problem.NotFound($"id: no media item {input.Id} on this site");
    }
}

internal sealed record MediaUpdateInput
{
    [Range(1, long.MaxValue), Description("The media item (attachment id)")]
    public required long Id { get; init; }

    [StringLength(MediaUploader.MaxTitle, MinimumLength = 1)]
    public string? Title { get; init; }

    [StringLength(1000), Description("Alternative text for images; empty to remove")]
    public string? AltText { get; init; }

    [StringLength(MediaUploader.MaxCaption), Description("Empty to remove")]
    public string? Caption { get; init; }

    [StringLength(65_535), Description("Shown on the attachment's page; empty to remove")]
    public string? Description { get; init; }
}

internal sealed record MediaDeleteInput
{
    [Range(1, long.MaxValue), Description("The media item (attachment id)")]
    public required long Id { get; init; }

    [Description("Must be true: the user confirmed that the file is deleted for good")]
    public required bool ConfirmPermanentDelete { get; init; }
}

/// <summary>A media item's details, as media/update leaves them.</summary>
internal sealed record MediaItemResult
{
    public required long Id { get; init; }
    public required string Title { get; init; }
    public required string AltText { get; init; }
    public required string Caption { get; init; }
    public required string Description { get; init; }
    public required string MimeType { get; init; }
    public required string SourceUrl { get; init; }
    public required string Slug { get; init; }
    public required string Date { get; init; }
    public required string Modified { get; init; }
    [Description("The uploader's user id (0 when unknown)")] public required long Author { get; init; }
    [Description("The post or page it is attached to, if any")] public required long? Post { get; init; }
}

internal sealed record MediaDeleteResult(bool Deleted, [property: Description("The item as it was")] MediaItemResult Previous)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(MediaUpdateInput))]
[JsonSerializable(typeof(MediaDeleteInput))]
[JsonSerializable(typeof(MediaItemResult))]
[JsonSerializable(typeof(MediaDeleteResult))]
internal sealed partial class MediaEditJson : JsonSerializerContext;
