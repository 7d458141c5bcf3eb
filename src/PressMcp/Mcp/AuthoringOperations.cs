using System.Text.Json.Nodes;
using PressMcp.Content.Abilities;
using PressMcp.Media.Abilities;
using PressMcp.Sites.Abilities;

namespace PressMcp.Mcp;

/// <summary>How an operation's result is turned into WordPress.com's REST-style object (<see cref="WpcomResults"/>).</summary>
internal enum ResultShape
{
    Post,
    Comment,
    Term,
    Media,
    /// <summary>A post or page deleted for good: <c>{deleted, previous}</c>.</summary>
    PostDeleted,
    CommentDeleted,
    TermDeleted,
    MediaDeleted,
    /// <summary>Passed on as the ability answers (settings.update).</summary>
    Plain,
}

/// <summary>
/// One operation of <c>wpcom-mcp-content-authoring</c> and how its WordPress.com arguments reach its ability: the
/// ability's name for <c>id</c>, other renamed arguments, arguments the operation itself sets, and for a delete the
/// ability that deletes for good when <c>force: true</c> is given. <see cref="WpcomArguments"/> applies this table
/// to a call and <see cref="Schema"/> to the ability's schema, so what describe shows is what execute accepts.
/// </summary>
internal sealed record AuthoringOperation(string Name, string Ability, ResultShape Shape)
{
    /// <summary>The ability's member for WordPress.com's <c>id</c> (post_id, comment_id); null when it is <c>id</c> or there is none.</summary>
    public string? IdMember { get; init; }

    /// <summary>Other WordPress.com names of the ability's members (comments.create's <c>post</c> is post_id).</summary>
    public IReadOnlyList<(string Wpcom, string Member)> Renames { get; init; } = [];

    /// <summary>Members the operation sets itself (comments.delete's move to the trash); not the caller's to give.</summary>
    public JsonObject? Fixed { get; init; }

    /// <summary>With <c>force: true</c> (and <c>confirm_permanent_delete: true</c>): the ability that deletes for good.</summary>
    public string? PermanentAbility { get; init; }
    public ResultShape PermanentShape { get; init; }
    /// <summary>Members the permanent ability takes besides the id (posts/delete's force).</summary>
    public JsonObject? PermanentFixed { get; init; }

    /// <summary>comments.update: a <c>status</c> given alone is a moderation, run by this ability.</summary>
    public string? StatusAbility { get; init; }

    /// <summary>Not one of WordPress.com's 19: a PressMcp operation kept beside them (trash, restore, moderation, settings).</summary>
    public bool Extra { get; init; }

    /// <summary>The same operation under an older PressMcp name, for agents written against it.</summary>
    public string? AliasOf { get; init; }

    /// <summary>Every ability this operation may run: what list decides on, and what a user turns on for it.</summary>
    public IEnumerable<string> Abilities()
    {
        yield return Ability;
        if (PermanentAbility is not null) yield return PermanentAbility;
        if (StatusAbility is not null) yield return StatusAbility;
    }
}

internal static class AuthoringOperations
{
    private static JsonObject Trash() => new() { ["status"] = "trash" };

    /// <summary>WordPress.com's 19 operations first, in its order, then PressMcp's extras.</summary>
    public static readonly IReadOnlyList<AuthoringOperation> All =
    [
        new("posts.create", PostWriteAbilities.CreatePost, ResultShape.Post),
        new("posts.update", PostWriteAbilities.UpdatePost, ResultShape.Post) { IdMember = "post_id" },
        new("posts.delete", PostWriteAbilities.TrashPost, ResultShape.Post)
        {
            IdMember = "post_id", PermanentAbility = PostLifecycleAbilities.DeletePost, PermanentShape = ResultShape.PostDeleted, PermanentFixed = new JsonObject { ["force"] = true },
        },
        new("pages.create", PostWriteAbilities.CreatePage, ResultShape.Post),
        new("pages.update", PostWriteAbilities.UpdatePage, ResultShape.Post) { IdMember = "post_id" },
        new("pages.delete", PostWriteAbilities.TrashPage, ResultShape.Post)
        {
            IdMember = "post_id", PermanentAbility = PostLifecycleAbilities.DeletePage, PermanentShape = ResultShape.PostDeleted, PermanentFixed = new JsonObject { ["force"] = true },
        },
        new("comments.create", CommentAbilities.Reply, ResultShape.Comment) { Renames = [("post", "post_id")] },
        new("comments.update", CommentAbilities.Update, ResultShape.Comment) { IdMember = "comment_id", StatusAbility = CommentAbilities.Moderate },
        new("comments.delete", CommentAbilities.Moderate, ResultShape.Comment)
        {
            IdMember = "comment_id", Fixed = Trash(), PermanentAbility = CommentAbilities.Delete, PermanentShape = ResultShape.CommentDeleted,
        },
        new("categories.create", TermAbilities.CreateCategory, ResultShape.Term),
        new("categories.update", TermAbilities.UpdateCategory, ResultShape.Term),
        new("categories.delete", TermAbilities.DeleteCategory, ResultShape.TermDeleted),
        new("tags.create", TermAbilities.CreateTag, ResultShape.Term),
        new("tags.update", TermAbilities.UpdateTag, ResultShape.Term),
        new("tags.delete", TermAbilities.DeleteTag, ResultShape.TermDeleted),
        new("media.update", MediaEditAbilities.Update, ResultShape.Media),
        new("media.delete", MediaEditAbilities.Delete, ResultShape.MediaDeleted),
        // PressMcp's own, kept for agents that use them and listed as extras.
        new("posts.trash", PostWriteAbilities.TrashPost, ResultShape.Post) { IdMember = "post_id", Extra = true },
        new("pages.trash", PostWriteAbilities.TrashPage, ResultShape.Post) { IdMember = "post_id", Extra = true },
        new("posts.restore", PostLifecycleAbilities.RestorePost, ResultShape.Post) { IdMember = "post_id", Extra = true },
        new("pages.restore", PostLifecycleAbilities.RestorePage, ResultShape.Post) { IdMember = "post_id", Extra = true },
        new("posts.restore-revision", PostLifecycleAbilities.RestoreRevision, ResultShape.Post) { IdMember = "revision_id", Extra = true },
        new("comments.reply", CommentAbilities.Reply, ResultShape.Comment) { Renames = [("post", "post_id")], Extra = true, AliasOf = "comments.create" },
        new("comments.moderate", CommentAbilities.Moderate, ResultShape.Comment) { IdMember = "comment_id", Extra = true },
        new("settings.update", SiteWriteAbilities.UpdateSettings, ResultShape.Plain) { Extra = true },
    ];

    private static readonly Dictionary<string, AuthoringOperation> ByName = All.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static AuthoringOperation? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Every ability the tool may run, each once: the write tools a user turns on for it.</summary>
    public static IReadOnlyList<string> AbilityNames { get; } = [.. All.SelectMany(o => o.Abilities()).Distinct()];
}
