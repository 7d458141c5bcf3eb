using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// Decides, before anything is written, what each staged item and comment becomes. Its local id, so parents can
/// point at items later in the file: the id an earlier import of the same key got, or a new one from
/// <see cref="SiteSequences"/> (reserved in one block; export ids never become local ids, they may collide). And an
/// item's slug, author and media type (<see cref="ItemPlan"/>). Slugs are decided in file order against the site as
/// it was before the import, so the outcome does not depend on how pass 2 splits the work.
/// </summary>
internal sealed class ImportPlanner(PressDbContext db, SiteSequences sequences)
{
    private const int PageSize = 500;

    private static readonly FileExtensionContentTypeProvider MimeTypes = new();

    /// <summary>Plans items and comments; returns the block of ids the new posts got (null when every item exists already).</summary>
    public async Task<IdBlock?> PlanAsync(Site site, WxrStaging staging, AuthorMap authors, CancellationToken ct)
    {
        var newPosts = await PlanAsync(site, staging, StagedTable.Items, ImportKinds.Post, ct);
        await PlanAsync(site, staging, StagedTable.Comments, ImportKinds.Comment, ct);
        staging.RecordCommentCounts();
        var slugs = new ImportSlugs(db, site.Id);
        for (var page = staging.PlanInputs(0, PageSize); page.Count > 0; page = staging.PlanInputs(page[^1].Seq, PageSize))
        {
            // As wp_insert_post: a published item without a slug gets one from its title (made unique like any other).
            page = [.. page.Select(i => i.Slug.Length == 0 && i.SlugSource.Length > 0 ? i with { Slug = Slugs.FromTitle(i.SlugSource) } : i)];
            await slugs.PrefetchAsync(page.Select(i => (i.Type, i.Slug)), ct);
            var plans = new List<(long, ItemPlan)>(page.Count);
            foreach (var item in page)
            {
                var mime = item.Type == PostTypes.Attachment && MimeTypes.TryGetContentType(PostImport.FileNameOf(item.AttachmentUrl), out var type) ? type : null;
                plans.Add((item.Seq, new ItemPlan(await slugs.ResolveAsync(item.Type, item.Slug, item.LocalId, ct), authors.ByLogin(item.Creator), mime)));
            }
            staging.SetPlans(plans);
        }
        return newPosts;
    }

    private async Task<IdBlock?> PlanAsync(Site site, WxrStaging staging, StagedTable table, string kind, CancellationToken ct)
    {
        // A site nothing was imported into yet (the first import) has no keys to look up.
        var anyKeys = await db.ImportKeys.AnyAsync(k => k.SiteId == site.Id && k.Kind == kind, ct);
        for (var page = anyKeys ? Page(staging, table, 0) : []; page.Count > 0; page = Page(staging, table, page[^1].Seq))
        {
            var keys = page.Select(k => k.Key).ToList();
            var known = await db.ImportKeys.Where(k => k.SiteId == site.Id && k.Kind == kind && keys.Contains(k.SourceKey)).ToListAsync(ct);
            if (known.Count == 0) continue;
            var ids = known.Select(k => k.LocalId).ToList();
            var alive = (table == StagedTable.Items
                ? await db.Posts.Where(p => p.SiteId == site.Id && ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)
                : await db.Comments.Where(c => c.SiteId == site.Id && ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
            // Imported once, deleted since: imported again as new, under a new id.
            db.ImportKeys.RemoveRange(known.Where(k => !alive.Contains(k.LocalId)));
            var localByKey = known.Where(k => alive.Contains(k.LocalId)).ToDictionary(k => k.SourceKey, k => k.LocalId, StringComparer.Ordinal);
            staging.SetLocalIds(table, page.Where(k => localByKey.ContainsKey(k.Key)).Select(k => (k.Seq, localByKey[k.Key])));
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        var fresh = staging.CountUnassigned(table);
        if (fresh == 0) return null;
        if (fresh > int.MaxValue) throw new InvalidOperationException("An export with more than 2^31 items or comments cannot be imported at once.");
        var sequence = table == StagedTable.Items ? SiteSequences.Sequence.Post : SiteSequences.Sequence.Comment;
        var first = await sequences.ReserveAsync(sequence, site.Id, (int)fresh, ct);
        staging.AssignNewIds(table, first);
        return new IdBlock(first, first + fresh - 1);
    }

    private static List<StagedKey> Page(WxrStaging staging, StagedTable table, long afterSeq) =>
        table == StagedTable.Items ? staging.ItemKeys(afterSeq, PageSize) : staging.CommentKeys(afterSeq, PageSize);
}

/// <summary>Consecutive local ids reserved for one import, first and last included.</summary>
internal readonly record struct IdBlock(long First, long Last);
