using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// Comments of one batch of items, with their threads (parents resolved in staging) and statuses. A comment by
/// a user of the exporting site is linked to the local user that author became.
/// </summary>
internal sealed class CommentImport(PressDbContext db)
{
    /// <summary>Applies the batch's comments; returns the posts whose comments changed (their counts need redoing).</summary>
    public async Task<List<long>> ApplyAsync(Site site, IReadOnlyList<StagedItem> batch, ImportContext context, CancellationToken ct)
    {
        var ids = batch.SelectMany(i => i.Comments).Where(c => !c.IsNew).Select(c => c.LocalId).ToList();
        var stored = await db.Comments.Where(c => c.SiteId == site.Id && ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var touched = new List<long>();
        foreach (var item in batch)
        {
            var changedAny = false;
            foreach (var staged in item.Comments)
            {
                var desired = Desired(site, item.LocalId, staged, context.Authors);
                if (staged.IsNew)
                {
                    await context.Rows.CommentAsync(desired, ct);
                    await context.Rows.KeyAsync(site.Id, ImportKinds.Comment, staged.Key, desired.Id, ct);
                    context.Report.Created(ImportKind.Comments);
                    changedAny = true;
                    continue;
                }
                // Deleted by a live write since planning (they get in between the import's batches): left deleted.
                if (!stored.TryGetValue(staged.LocalId, out var comment)) continue;
                var changed = !Same(comment, desired);
                if (changed) Copy(desired, comment);
                context.Report.Count(ImportKind.Comments, created: false, changed);
                changedAny |= changed;
            }
            if (changedAny && item.CommentCountAtInsert is null) touched.Add(item.LocalId);
        }
        return touched;
    }

    /// <summary>WordPress's comment_count: approved comments only. Recounted for the posts an import touched.</summary>
    public async Task RecountAsync(Site site, IReadOnlyList<long> postIds, CancellationToken ct)
    {
        foreach (var chunk in postIds.Chunk(500))
        {
            await db.Posts.Where(p => p.SiteId == site.Id && chunk.Contains(p.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.CommentCount,
                    p => db.Comments.LongCount(c => c.SiteId == p.SiteId && c.PostId == p.Id && c.Status == CommentStatuses.Approved)), ct);
        }
    }

    private static Comment Desired(Site site, long postId, StagedComment staged, AuthorMap authors)
    {
        var c = staged.Comment;
        return new Comment
        {
            SiteId = site.Id,
            Id = staged.LocalId,
            PostId = postId,
            ParentId = staged.ParentLocalId,
            AuthorName = c.AuthorName,
            AuthorEmail = c.AuthorEmail,
            AuthorUrl = c.AuthorUrl,
            AuthorIp = c.AuthorIp,
            UserId = authors.BySourceId(c.UserSourceId),
            DateUtc = c.DateUtc,
            Content = c.Content,
            Status = c.Status,
            Type = c.Type,
        };
    }

    private static bool Same(Comment a, Comment b) =>
        (a.PostId, a.ParentId, a.AuthorName, a.AuthorEmail, a.AuthorUrl, a.AuthorIp, a.UserId, a.DateUtc, a.Content, a.Status, a.Type) ==
        (b.PostId, b.ParentId, b.AuthorName, b.AuthorEmail, b.AuthorUrl, b.AuthorIp, b.UserId, b.DateUtc, b.Content, b.Status, b.Type);

    private static void Copy(Comment from, Comment to) =>
        (to.PostId, to.ParentId, to.AuthorName, to.AuthorEmail, to.AuthorUrl, to.AuthorIp, to.UserId, to.DateUtc, to.Content, to.Status, to.Type) =
        (from.PostId, from.ParentId, from.AuthorName, from.AuthorEmail, from.AuthorUrl, from.AuthorIp, from.UserId, from.DateUtc, from.Content, from.Status, from.Type);
}
