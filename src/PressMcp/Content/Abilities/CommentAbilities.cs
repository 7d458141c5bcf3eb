using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;
using PressMcp.Content.Search;

namespace PressMcp.Content.Abilities;

/// <summary>
/// <c>comments/search</c>, <c>comments/reply</c> and <c>comments/moderate</c>. Searching comments is for contributors
/// and up (edit_posts), like post search in WordPress.com's table; what each role then sees is WordPress's rule
/// (<see cref="CommentSearch"/>). Replying needs only membership (read): WordPress lets subscribers comment.
/// Moderating, editing (<c>comments/update</c>) and deleting permanently (<c>comments/delete</c>, from spam or the
/// trash only) are offered to contributors and up and decided per comment (moderate_comments or edit_comment).
/// </summary>
internal static class CommentAbilities
{
    public const string Search = "comments/search";
    public const string Reply = "comments/reply";
    public const string Moderate = "comments/moderate";
    public const string Update = "comments/update";
    public const string Delete = "comments/delete";

    public const string CommentsRead = "comments:read";
    public const string CommentsWrite = "comments:write";
}

internal sealed class CommentSearchAbility(CommentSearch search, AuthoringResults results) : Ability<CommentSearchInput, CommentSearchResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CommentAbilities.Search, "Search comments",
        "Finds comments of a site by status, post and text, newest first, as threads; pending, spam and trash only where your role may moderate.", "comments",
        AbilityAnnotations.Read, [CommentAbilities.CommentsRead], Caps.EditPosts, SiteScoped: true, CommentJson.Default.CommentSearchInput, CommentJson.Default.CommentSearchResult);

    protected override async Task<Outcome<CommentSearchResult>> ExecuteAsync(CommentSearchInput input, AbilityCall call, CancellationToken ct)
    {
        var after = CommentDates.Read("after", input.After, call.Site!);
        if (!after.Succeeded) return after.Problem!;
        var before = CommentDates.Read("before", input.Before, call.Site!);
        if (!before.Succeeded) return before.Problem!;
        if (after.Value is { } from && before.Value is { } to && from >= to) return Problem.Invalid("after must be earlier than before");
        var query = new CommentQuery
        {
            Status = CommentStatusNames.Stored(input.Status ?? CommentStatuses.Approved),
            PostId = input.PostId,
            AuthorId = input.Author,
            AfterUtc = after.Value,
            BeforeUtc = before.Value,
            Text = input.Search,
            Page = input.Page,
            PerPage = input.PerPage,
        };
        var found = await search.SearchAsync(call.Site!.Id, call.Actor!, query, ct);
        var links = results.LinksOf(call);
        CommentThreadItem Item(ThreadNode node) =>
            new(AuthoringResults.Comment(call.Site!, links, node.Comment, found.Posts[node.Comment.PostId])) { Depth = node.Depth, Replies = [.. node.Replies.Select(Item)] };
        return new CommentSearchResult(found.Total, query.Page, query.PerPage, [.. found.Threads.Select(Item)]);
    }
}

/// <summary>
/// A date argument as the REST API takes <c>after</c> and <c>before</c>: ISO 8601, exact with an offset; a date-time
/// without one, or a date alone (its midnight), in the site's time zone.
/// </summary>
internal static class CommentDates
{
    public const int MaxLength = 40;

    private static readonly string[] LocalFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    public static Outcome<DateTime?> Read(string name, string? text, Sites.Site site)
    {
        if (text is null) return Outcome<DateTime?>.Ok(null);
        var value = text.Trim();
        if (DateTime.TryParseExact(value, LocalFormats, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
            return Outcome<DateTime?>.Ok(Sites.SiteTime.ToUtc(site, local));
        if (value.Length > 10 && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var exact))
            return Outcome<DateTime?>.Ok(exact.UtcDateTime);
        return Problem.Invalid($"{name} must be an ISO 8601 date or date-time such as 2026-01-14 or 2026-01-14T09:00:00Z");
    }
}

internal sealed class CommentReplyAbility(CommentEditor editor, AuthoringResults results) : Ability<CommentReplyInput, CommentResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CommentAbilities.Reply, "Reply to a comment",
        "Comments on a post or page as you, or replies to one of its comments; approved at once if you may moderate, otherwise held for moderation.", "comments",
        AbilityAnnotations.Write, [CommentAbilities.CommentsWrite], Caps.Read, SiteScoped: true, CommentJson.Default.CommentReplyInput, AuthoringJson.Default.CommentResult);

    protected override async Task<Outcome<CommentResult>> ExecuteAsync(CommentReplyInput input, AbilityCall call, CancellationToken ct)
    {
        var edit = await editor.ReplyAsync(call, input.PostId, input.Parent, input.Content, ct);
        return edit.Succeeded ? results.Comment(call, edit.Value!) : edit.Problem!;
    }
}

internal sealed class CommentModerateAbility(CommentEditor editor, AuthoringResults results) : Ability<CommentModerateInput, CommentResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CommentAbilities.Moderate, "Moderate a comment",
        "Approves a comment, holds it for moderation, marks it as spam or moves it to the trash.", "comments",
        new AbilityAnnotations(ReadOnly: false, Destructive: true, Idempotent: true), [CommentAbilities.CommentsWrite], Caps.EditPosts, SiteScoped: true,
        CommentJson.Default.CommentModerateInput, AuthoringJson.Default.CommentResult);

    protected override async Task<Outcome<CommentResult>> ExecuteAsync(CommentModerateInput input, AbilityCall call, CancellationToken ct)
    {
        var edit = await editor.ModerateAsync(call, input.CommentId, input.Status, ct);
        return edit.Succeeded ? results.Comment(call, edit.Value!) : edit.Problem!;
    }
}

internal sealed class CommentUpdateAbility(CommentEditor editor, AuthoringResults results) : Ability<CommentUpdateInput, CommentResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CommentAbilities.Update, "Edit a comment",
        "Changes a comment's text or its author's name, e-mail or web address; fields left out stay as they are.", "comments",
        new AbilityAnnotations(ReadOnly: false, Destructive: true, Idempotent: true), [CommentAbilities.CommentsWrite], Caps.EditPosts, SiteScoped: true,
        CommentJson.Default.CommentUpdateInput, AuthoringJson.Default.CommentResult);

    protected override async Task<Outcome<CommentResult>> ExecuteAsync(CommentUpdateInput input, AbilityCall call, CancellationToken ct)
    {
        var edit = await editor.UpdateAsync(call, input.CommentId, new CommentChange(input.Content, input.AuthorName, input.AuthorEmail, input.AuthorUrl), ct);
        return edit.Succeeded ? results.Comment(call, edit.Value!) : edit.Problem!;
    }
}

internal sealed class CommentDeleteAbility(CommentEditor editor, AuthoringResults results) : Ability<CommentDeleteInput, CommentResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CommentAbilities.Delete, "Delete a comment permanently",
        "Deletes a comment that is in spam or the trash for good; its replies move up to its parent. Moderate it to trash first.", "comments",
        new AbilityAnnotations(ReadOnly: false, Destructive: true, Idempotent: false), [CommentAbilities.CommentsWrite], Caps.EditPosts, SiteScoped: true,
        CommentJson.Default.CommentDeleteInput, AuthoringJson.Default.CommentResult);

    protected override async Task<Outcome<CommentResult>> ExecuteAsync(CommentDeleteInput input, AbilityCall call, CancellationToken ct)
    {
        var edit = await editor.DeleteAsync(call, input.CommentId, ct);
        return edit.Succeeded ? results.Comment(call, edit.Value!) : edit.Problem!;
    }
}

internal sealed record CommentSearchInput : PagedInput
{
    [AllowedValues("approved", "pending", "spam", "trash"), Description("Default approved; the others only where you may moderate")]
    public string? Status { get; init; }

    [Range(1, long.MaxValue), Description("Only comments on this post or page")]
    public long? PostId { get; init; }

    [StringLength(200, MinimumLength = 1), Description("Text to find in the comment or its author's name (case-insensitive substring)")]
    public string? Search { get; init; }

    [Range(1, long.MaxValue), Description("Only comments written by this user (user id, as wpcom-mcp-site-users lists them)")]
    public long? Author { get; init; }

    [StringLength(CommentDates.MaxLength, MinimumLength = 1), Description("Only comments made at or after this moment: ISO 8601, e.g. 2026-01-14T09:00:00Z; without an offset (or a date alone) in the site's time zone")]
    public string? After { get; init; }

    [StringLength(CommentDates.MaxLength, MinimumLength = 1), Description("Only comments made before this moment, read as after is")]
    public string? Before { get; init; }

    [Range(1, Paging.MaxPerPage), Description("Default 20")]
    public override int PerPage { get; set; } = CommentQuery.DefaultPerPage;
}

internal sealed record CommentSearchResult(long Found, int Page, int PerPage, IReadOnlyList<CommentThreadItem> Comments);

/// <summary>A comment found, with its depth in its thread and the replies found on the same page.</summary>
internal sealed record CommentThreadItem : CommentResult
{
    [SetsRequiredMembers]
    public CommentThreadItem(CommentResult comment) : base(comment)
    {
    }

    [Range(0, int.MaxValue), Description("0 for a comment on the post, 1 for a reply to one, …")]
    public required int Depth { get; init; }

    [Description("Replies found on the same page, shaped like this item")]
    public required IReadOnlyList<CommentThreadItem> Replies { get; init; } = [];
}

internal sealed record CommentReplyInput
{
    [Range(1, long.MaxValue), Description("The post or page to comment on")]
    public required long PostId { get; init; }

    [Range(1, long.MaxValue), Description("The comment to reply to (on the same post)")]
    public long? Parent { get; init; }

    [StringLength(65_525, MinimumLength = 1), Description("Plain text")]
    public required string Content { get; init; }
}

internal sealed record CommentModerateInput
{
    [Range(1, long.MaxValue)]
    public required long CommentId { get; init; }

    [AllowedValues("approve", "hold", "spam", "trash"), Description("approve publishes it, hold returns it to pending")]
    public required string Status { get; init; }
}

internal sealed record CommentUpdateInput
{
    [Range(1, long.MaxValue)]
    public required long CommentId { get; init; }

    [StringLength(65_525, MinimumLength = 1), Description("Plain text")]
    public string? Content { get; init; }

    [StringLength(245)]
    public string? AuthorName { get; init; }

    [StringLength(100), Description("Empty to remove")]
    public string? AuthorEmail { get; init; }

    [StringLength(200), Description("An http or https address; empty to remove")]
    public string? AuthorUrl { get; init; }
}

internal sealed record CommentDeleteInput
{
    [Range(1, long.MaxValue), Description("A comment in spam or the trash")]
    public required long CommentId { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CommentSearchInput))]
[JsonSerializable(typeof(CommentSearchResult))]
[JsonSerializable(typeof(CommentReplyInput))]
[JsonSerializable(typeof(CommentModerateInput))]
[JsonSerializable(typeof(CommentUpdateInput))]
[JsonSerializable(typeof(CommentDeleteInput))]
internal sealed partial class CommentJson : JsonSerializerContext;
