using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Content.Authoring;

/// <summary>A comment after a write, with the post it belongs to and what to tell the caller.</summary>
internal sealed record CommentEdit(Comment Comment, Post Post, string? Note, string? PreviousStatus = null);

/// <summary>What comments.update may change; null leaves a field as it is.</summary>
internal sealed record CommentChange(string? Content, string? AuthorName, string? AuthorEmail, string? AuthorUrl);

/// <summary>
/// Comment writes for abilities, WordPress's rules: a comment (or reply) by the caller on a post they may read, open
/// for comments unless they moderate; approved at once for those who may moderate comments and for the post's own
/// author (wp_allow_comment); otherwise as the site's Discussion settings say: held when every comment is held
/// (<c>comment_moderation</c>), or when the author needs a previously approved comment and has none
/// (<c>comment_previously_approved</c>), approved otherwise. Moderation needs <c>moderate_comments</c> or
/// <c>edit_comment</c> (edit_post on the comment's post, map_meta_cap). Each write, the post's approved-comment count
/// and its change record are one transaction. A moderator's reply to a held comment approves that comment too, as
/// wp-admin's reply does. Editing and deleting need the same right as moderating; a comment is deleted permanently only
/// from spam or the trash (wp-admin offers it nowhere else), its replies moving up to its parent as WordPress moves them.
/// </summary>
internal sealed class CommentEditor(PressDbContext db, SiteSequences sequences, StorageSettings storage, TimeProvider clock, Sites.Abilities.SiteSettingsStore settings)
{
    public const string ObjectType = "comment";

    /// <summary>Input statuses of moderation, as WordPress's REST API names them, and what is stored.</summary>
    public static readonly IReadOnlyDictionary<string, string> Moderation = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["approve"] = CommentStatuses.Approved,
        ["hold"] = CommentStatuses.Hold,
        ["spam"] = CommentStatuses.Spam,
        ["trash"] = CommentStatuses.Trash,
    };

    public async Task<Outcome<CommentEdit>> ReplyAsync(AbilityCall call, long postId, long? parentId, string content, CancellationToken ct)
    {
        var site = call.Site!;
        var actor = call.Actor!;
        if (string.IsNullOrWhiteSpace(content)) return Problem.Invalid("content must not be blank");
        var post = await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == postId, ct);
        if (post is null || !PostTypes.IsContent(post.Type)) return Problem.NotFound($"there is no post or page {postId} on this site");
        if (!Permissions.Can(actor, Caps.ReadPost, post.Facts)) return Problem.Forbidden($"your role ({actor.Role}) may not read post {postId} (status {post.Status}), so it cannot comment on it");
        if (post.Status == PostStatuses.Trash) return Problem.Invalid($"post {postId} is in the trash; comments are not accepted");
        var moderator = MayModerate(actor, post);
        if (post.CommentStatus != OpenClosed.Open && !moderator)
            return Problem.Forbidden($"comments are closed on post {postId}; only those who may moderate its comments (moderate_comments) can still add one");
        if (parentId is { } pid)
        {
            var parent = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.SiteId == site.Id && c.Id == pid, ct);
            // A held or spam comment is invisible to those who may not moderate it: answer as if it did not exist.
            if (parent is null || (parent.Status != CommentStatuses.Approved && !moderator)) return Problem.NotFound($"parent: there is no comment {pid} you can reply to on this site");
            if (parent.PostId != postId) return Problem.Invalid($"parent: comment {pid} is on post {parent.PostId}, not on post {postId}");
            if (parent.Status is CommentStatuses.Spam or CommentStatuses.Trash) return Problem.Invalid($"parent: comment {pid} is {parent.Status}; approve it before replying");
        }
        Comment? heldParent = null;

        var user = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => new { u.DisplayName, u.UserName, u.Email }).FirstAsync(ct);
        var approved = Permissions.Can(actor, Caps.ModerateComments) || post.AuthorId == actor.UserId || await AllowedWithoutModerationAsync(site.Id, actor.UserId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var comment = new Comment
        {
            SiteId = site.Id,
            Id = await sequences.NextCommentIdsAsync(site.Id, 1, ct),
            PostId = postId,
            ParentId = parentId,
            AuthorName = user.DisplayName.Trim().Length > 0 ? user.DisplayName.Trim() : user.UserName ?? "",
            AuthorEmail = user.Email ?? "",
            UserId = actor.UserId,
            DateUtc = clock.GetUtcNow().UtcDateTime,
            Content = content.Trim(),
            Status = approved ? CommentStatuses.Approved : CommentStatuses.Hold,
        };
        db.Comments.Add(comment);
        db.ChangeRecords.Add(call.Change(ObjectType, comment.Id, "create"));
        // Answering a held comment as its moderator is approving it (wp-admin's "Approve and Reply").
        if (parentId is { } held && moderator && approved)
        {
            heldParent = await db.Comments.FirstOrDefaultAsync(c => c.SiteId == site.Id && c.Id == held && c.Status == CommentStatuses.Hold, ct);
            if (heldParent is not null)
            {
                db.ChangeRecords.Add(call.Change(ObjectType, heldParent.Id, "update", new Dictionary<string, object?> { ["status"] = heldParent.Status }));
                heldParent.Status = CommentStatuses.Approved;
            }
        }
        await db.SaveChangesAsync(ct);
        await RecountAsync(site.Id, postId, ct);
        await tx.CommitAsync(ct);
        var note = !approved ? "the comment is held for moderation: your role may not moderate comments, so an editor approves it before it appears"
            : heldParent is not null ? $"comment {heldParent.Id}, which was pending, is approved with this reply" : null;
        return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, note));
    }

    public async Task<Outcome<CommentEdit>> ModerateAsync(AbilityCall call, long commentId, string status, CancellationToken ct)
    {
        var site = call.Site!;
        var stored = Moderation[status];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var found = await LockedAsync(call, commentId, "moderate", ct);
        if (!found.Succeeded) return found.Problem!;
        var (comment, post) = found.Value;
        if (comment.Status == stored) return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, $"comment {commentId} was already {CommentStatusNames.StatusName(stored)}; nothing changed"));
        var previous = comment.Status;
        db.ChangeRecords.Add(call.Change(ObjectType, comment.Id, "update", new Dictionary<string, object?> { ["status"] = previous }));
        comment.Status = stored;
        await db.SaveChangesAsync(ct);
        await RecountAsync(site.Id, post.Id, ct);
        await tx.CommitAsync(ct);
        return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, null, previous));
    }

    public async Task<Outcome<CommentEdit>> UpdateAsync(AbilityCall call, long commentId, CommentChange change, CancellationToken ct)
    {
        if (change.Content is { } text && string.IsNullOrWhiteSpace(text)) return Problem.Invalid("content must not be blank");
        if (change.AuthorEmail is { Length: > 0 } email && !LooksLikeEmail(email.Trim())) return Problem.Invalid($"author_email: '{email}' is not an e-mail address");
        if (change.AuthorUrl is { Length: > 0 } url && !IsWebAddress(url.Trim())) return Problem.Invalid($"author_url: '{url}' is not an http or https address");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var found = await LockedAsync(call, commentId, "edit", ct);
        if (!found.Succeeded) return found.Problem!;
        var (comment, post) = found.Value;
        var before = new Dictionary<string, object?>();
        void Set(string field, string? value, string current, Action<string> apply)
        {
            if (value is null || value == current) return;
            before[field] = current;
            apply(value);
        }
        Set("content", change.Content?.Trim(), comment.Content, v => comment.Content = v);
        Set("author_name", change.AuthorName?.Trim(), comment.AuthorName, v => comment.AuthorName = v);
        Set("author_email", change.AuthorEmail?.Trim(), comment.AuthorEmail, v => comment.AuthorEmail = v);
        Set("author_url", change.AuthorUrl?.Trim(), comment.AuthorUrl, v => comment.AuthorUrl = v);
        if (before.Count == 0) return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, $"comment {commentId} already reads so; nothing changed"));
        db.ChangeRecords.Add(call.Change(ObjectType, comment.Id, "update", before));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, null));
    }

    public async Task<Outcome<CommentEdit>> DeleteAsync(AbilityCall call, long commentId, CancellationToken ct)
    {
        var site = call.Site!;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var found = await LockedAsync(call, commentId, "delete", ct);
        if (!found.Succeeded) return found.Problem!;
        var (comment, post) = found.Value;
        if (comment.Status is not (CommentStatuses.Spam or CommentStatuses.Trash))
            return Problem.Invalid($"comment {commentId} is {CommentStatusNames.StatusName(comment.Status)}; only a comment in spam or the trash is deleted permanently (moderate it to trash first)");
        // The whole row, so the change record can bring it back; its replies keep their place in the thread one level up.
        db.ChangeRecords.Add(call.Change(ObjectType, comment.Id, "delete", new Dictionary<string, object?>
        {
            ["post_id"] = comment.PostId, ["parent_id"] = comment.ParentId, ["author_name"] = comment.AuthorName, ["author_email"] = comment.AuthorEmail,
            ["author_url"] = comment.AuthorUrl, ["author_ip"] = comment.AuthorIp, ["user_id"] = comment.UserId, ["date_utc"] = comment.DateUtc,
            ["content"] = comment.Content, ["status"] = comment.Status, ["type"] = comment.Type,
        }));
        await db.Comments.Where(c => c.SiteId == site.Id && c.ParentId == comment.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ParentId, comment.ParentId), ct);
        db.Comments.Remove(comment);
        await db.SaveChangesAsync(ct);
        await RecountAsync(site.Id, post.Id, ct);
        await tx.CommitAsync(ct);
        return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, $"comment {commentId} is deleted permanently"));
    }

    /// <summary>The comment, locked for the write on PostgreSQL, with its post, if the caller may moderate it.</summary>
    private async Task<Outcome<(Comment, Post)>> LockedAsync(AbilityCall call, long commentId, string verb, CancellationToken ct)
    {
        var site = call.Site!;
        var actor = call.Actor!;
        if (storage.Provider == DatabaseProvider.Postgres)
            await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM comments WHERE site_id = {0} AND id = {1} FOR UPDATE", [site.Id, commentId], ct);
        var comment = await db.Comments.FirstOrDefaultAsync(c => c.SiteId == site.Id && c.Id == commentId, ct);
        var post = comment is null ? null : await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == comment.PostId, ct);
        if (comment is null || post is null || !PostTypes.IsContent(post.Type)) return Problem.NotFound($"there is no comment {commentId} on this site");
        if (!MayModerate(actor, post))
        {
            var missing = Permissions.MissingCapabilities(actor, Caps.EditComment, post.Facts);
            return Problem.Forbidden($"your role ({actor.Role}) may not {verb} comment {commentId}: it needs moderate_comments, or {string.Join(", ", missing)} to edit post {post.Id}");
        }
        return Outcome<(Comment, Post)>.Ok((comment, post));
    }

    public static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);

    private static bool LooksLikeEmail(string email) =>
        email.Length <= 100 && email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < email.Length - 1 && !email.Any(char.IsWhiteSpace);

    /// <summary>moderate_comments anywhere, or edit_comment (edit_post) on this comment's post.</summary>
    public static bool MayModerate(SiteActor actor, Post post) =>
        Permissions.Can(actor, Caps.ModerateComments) || Permissions.Can(actor, Caps.EditComment, post.Facts);

    /// <summary>WordPress's comment_count: approved comments only, recounted in the write's transaction.</summary>
    private Task<int> RecountAsync(long siteId, long postId, CancellationToken ct) =>
        db.Posts.Where(p => p.SiteId == siteId && p.Id == postId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CommentCount,
                p => db.Comments.LongCount(c => c.SiteId == p.SiteId && c.PostId == p.Id && c.Status == CommentStatuses.Approved)), ct);

    /// <summary>WordPress's check_comment for a member: the site's Discussion settings decide whether their comment waits.</summary>
    private async Task<bool> AllowedWithoutModerationAsync(long siteId, long userId, CancellationToken ct)
    {
        if (await settings.OptionAsync(siteId, "comment_moderation", ct) == "1") return false;
        if (await settings.OptionAsync(siteId, "comment_previously_approved", ct) != "1") return true;
        return await db.Comments.AnyAsync(c => c.SiteId == siteId && c.UserId == userId && c.Status == CommentStatuses.Approved, ct);
    }
}
