using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;

namespace PressMcp.Content.Abilities;

/// <summary>
/// What follows the trash: <c>posts/delete</c> and <c>pages/delete</c> (for good; WordPress.com's posts.delete),
/// <c>posts/restore</c> and <c>pages/restore</c> (out of the trash), and <c>posts/restore-revision</c> (a revision's
/// words back on its post or page). Like the other writes, the ability's capability lets a role use it at all and
/// <see cref="PostEditor"/> checks the post itself (delete_post, edit_post, the publish rule).
/// </summary>
internal static class PostLifecycleAbilities
{
    public const string DeletePost = "posts/delete";
    public const string DeletePage = "pages/delete";
    public const string RestorePost = "posts/restore";
    public const string RestorePage = "pages/restore";
    public const string RestoreRevision = "posts/restore-revision";

    // Gone for good: nothing left to repeat on.
    public static readonly AbilityAnnotations Delete = new(ReadOnly: false, Destructive: true, Idempotent: false);
    public static readonly AbilityAnnotations Restore = new(ReadOnly: false, Destructive: false, Idempotent: true);
}

internal sealed class DeletePostAbility(PostEditor editor) : Ability<DeleteInput, DeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostLifecycleAbilities.DeletePost, "Delete a post permanently",
        "Deletes a post for good, with its revisions, custom fields and comments. Only a post in the trash, unless force is true.", "posts",
        PostLifecycleAbilities.Delete, PostWriteAbilities.Scopes, Caps.DeletePosts, SiteScoped: true, PostLifecycleJson.Default.DeleteInput, PostLifecycleJson.Default.DeleteResult);

    protected override async Task<Outcome<DeleteResult>> ExecuteAsync(DeleteInput input, AbilityCall call, CancellationToken ct) =>
        DeleteResult.Of(await editor.DeleteAsync(call, PostTypes.Post, input.PostId, input.Force ?? false, ct));
}

internal sealed class DeletePageAbility(PostEditor editor) : Ability<DeleteInput, DeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostLifecycleAbilities.DeletePage, "Delete a page permanently",
        "Deletes a page for good, with its revisions, custom fields and comments; pages below it move up a level. Only a page in the trash, unless force is true.", "pages",
        PostLifecycleAbilities.Delete, PostWriteAbilities.Scopes, Caps.DeletePages, SiteScoped: true, PostLifecycleJson.Default.DeleteInput, PostLifecycleJson.Default.DeleteResult);

    protected override async Task<Outcome<DeleteResult>> ExecuteAsync(DeleteInput input, AbilityCall call, CancellationToken ct) =>
        DeleteResult.Of(await editor.DeleteAsync(call, PostTypes.Page, input.PostId, input.Force ?? false, ct));
}

internal sealed class RestorePostAbility(PostEditor editor, AuthoringResults results) : Ability<RestoreInput, PostResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostLifecycleAbilities.RestorePost, "Restore a post from the trash",
        "Takes a post out of the trash, back to the status it had before (a draft when that is unknown, or when your role may not publish).", "posts",
        PostLifecycleAbilities.Restore, PostWriteAbilities.Scopes, Caps.DeletePosts, SiteScoped: true, PostLifecycleJson.Default.RestoreInput, AuthoringJson.Default.PostResult);

    protected override async Task<Outcome<PostResult>> ExecuteAsync(RestoreInput input, AbilityCall call, CancellationToken ct) =>
        await results.PostAsync(call, await editor.RestoreAsync(call, PostTypes.Post, input.PostId, ct), ct);
}

internal sealed class RestorePageAbility(PostEditor editor, AuthoringResults results) : Ability<RestoreInput, PageResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostLifecycleAbilities.RestorePage, "Restore a page from the trash",
        "Takes a page out of the trash, back to the status it had before (a draft when that is unknown, or when your role may not publish).", "pages",
        PostLifecycleAbilities.Restore, PostWriteAbilities.Scopes, Caps.DeletePages, SiteScoped: true, PostLifecycleJson.Default.RestoreInput, AuthoringJson.Default.PageResult);

    protected override async Task<Outcome<PageResult>> ExecuteAsync(RestoreInput input, AbilityCall call, CancellationToken ct) =>
        await results.PageAsync(call, await editor.RestoreAsync(call, PostTypes.Page, input.PostId, ct), ct);
}

internal sealed class RestoreRevisionAbility(PostEditor editor, AuthoringResults results) : Ability<RestoreRevisionInput, PostResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(PostLifecycleAbilities.RestoreRevision, "Restore a revision",
        "Puts a revision's title, content and excerpt back on its post or page. This is an update: the version it replaces is kept as a revision.", "posts",
        PostWriteAbilities.Update, PostWriteAbilities.Scopes, Caps.EditPosts, SiteScoped: true, PostLifecycleJson.Default.RestoreRevisionInput, AuthoringJson.Default.PostResult);

    protected override async Task<Outcome<PostResult>> ExecuteAsync(RestoreRevisionInput input, AbilityCall call, CancellationToken ct) =>
        await results.PostAsync(call, await editor.RestoreRevisionAsync(call, input.RevisionId, ct), ct);
}

internal sealed record DeleteInput
{
    [Range(1, long.MaxValue), Description("The post or page to delete for good")]
    public required long PostId { get; init; }

    [Description("Delete even if it is not in the trash (default false: only from the trash)")]
    public bool? Force { get; init; }
}

internal sealed record RestoreInput
{
    [Range(1, long.MaxValue), Description("The post or page to take out of the trash")]
    public required long PostId { get; init; }
}

internal sealed record RestoreRevisionInput
{
    [Range(1, long.MaxValue), Description("The revision to restore (revision_id of a write's result)")]
    public required long RevisionId { get; init; }
}

/// <summary>What was deleted for good.</summary>
internal sealed record DeleteResult(
    long Id,
    [property: AllowedValues(PostTypes.Post, PostTypes.Page)] string Type,
    string Title,
    [property: Description("The status it had when deleted")] string PreviousStatus,
    [property: Description("Revisions deleted with it")] int RevisionsDeleted)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }

    public static Outcome<DeleteResult> Of(Outcome<PostEditor.Deletion> deletion)
    {
        if (!deletion.Succeeded) return deletion.Problem!;
        var (post, revisions, note) = deletion.Value!;
        return new DeleteResult(post.Id, post.Type, post.Title, post.Status, revisions) { Note = note };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DeleteInput))]
[JsonSerializable(typeof(RestoreInput))]
[JsonSerializable(typeof(RestoreRevisionInput))]
[JsonSerializable(typeof(DeleteResult))]
internal sealed partial class PostLifecycleJson : JsonSerializerContext;
