using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Content.Authoring;

/// <summary>A comment after a write, with the post it belongs to and what to tell the caller.</summary>
internal sealed record CommentEdit(Comment Comment, Post Post, string? Note, string? PreviousStatus = null);

/// <summary>
/// Comment writes for abilities, WordPress's rules: a comment (or reply) by the caller on a post they may read, open
/// for comments unless they moderate; approved at once for those who may moderate comments and for the post's own
/// author (wp_allow_comment), held for moderation otherwise. Moderation needs <c>moderate_comments</c> or
/// <c>edit_comment</c> (edit_post on the comment's post, map_meta_cap). Each write, the post's approved-comment count
/// and its change record are one transaction.
/// </summary>
internal sealed class CommentEditor(PressDbContext db, SiteSequences sequences, StorageSettings storage, TimeProvider clock)
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

        var user = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => new { u.DisplayName, u.UserName, u.Email }).FirstAsync(ct);
        var approved = Permissions.Can(actor, Caps.ModerateComments) || post.AuthorId == actor.UserId;
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
        await db.SaveChangesAsync(ct);
        await RecountAsync(site.Id, postId, ct);
        await tx.CommitAsync(ct);
        var note = approved ? null : "the comment is held for moderation: your role may not moderate comments, so an editor approves it before it appears";
        return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, note));
    }

    public async Task<Outcome<CommentEdit>> ModerateAsync(AbilityCall call, long commentId, string status, CancellationToken ct)
    {
        var site = call.Site!;
        var actor = call.Actor!;
        var stored = Moderation[status];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (storage.Provider == DatabaseProvider.Postgres)
            await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM comments WHERE site_id = {0} AND id = {1} FOR UPDATE", [site.Id, commentId], ct);
        var comment = await db.Comments.FirstOrDefaultAsync(c => c.SiteId == site.Id && c.Id == commentId, ct);
        var post = comment is null ? null : await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == comment.PostId, ct);
        if (comment is null || post is null || !PostTypes.IsContent(post.Type)) return Problem.NotFound($"there is no comment {commentId} on this site");
        if (!MayModerate(actor, post))
        {
            var missing = Permissions.MissingCapabilities(actor, Caps.EditComment, post.Facts);
            return Problem.Forbidden($"your role ({actor.Role}) may not moderate comment {commentId}: it needs moderate_comments, or {string.Join(", ", missing)} to edit post {post.Id}");
        }
        if (comment.Status == stored) return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, $"comment {commentId} was already {CommentStatusNames.StatusName(stored)}; nothing changed"));
        var previous = comment.Status;
        db.ChangeRecords.Add(call.Change(ObjectType, comment.Id, "update", new Dictionary<string, object?> { ["status"] = previous }));
        comment.Status = stored;
        await db.SaveChangesAsync(ct);
        await RecountAsync(site.Id, post.Id, ct);
        await tx.CommitAsync(ct);
        return Outcome<CommentEdit>.Ok(new CommentEdit(comment, post, null, previous));
    }

    /// <summary>moderate_comments anywhere, or edit_comment (edit_post) on this comment's post.</summary>
    public static bool MayModerate(SiteActor actor, Post post) =>
        Permissions.Can(actor, Caps.ModerateComments) || Permissions.Can(actor, Caps.EditComment, post.Facts);

    /// <summary>WordPress's comment_count: approved comments only, recounted in the write's transaction.</summary>
    private Task<int> RecountAsync(long siteId, long postId, CancellationToken ct) =>
        db.Posts.Where(p => p.SiteId == siteId && p.Id == postId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CommentCount,
                p => db.Comments.LongCount(c => c.SiteId == p.SiteId && c.PostId == p.Id && c.Status == CommentStatuses.Approved)), ct);
}
