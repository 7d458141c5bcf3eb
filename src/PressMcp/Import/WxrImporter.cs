using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Import;

/// <summary>
/// Imports a WordPress export into a site in two passes. Pass 1 streams and validates the whole file into a
/// staging file (<see cref="WxrStaging"/>); a bad file stops there and the database is untouched. Pass 2 applies
/// the staged rows in batches of about a second, each its own transaction with a short pause between them
/// (<see cref="ImportTransactions"/>), so the database's write lock is never held while the file is read, and a live
/// writer waits at most one batch (<see cref="ImportReport.LongestWriteLockHold"/>). Every batch writes its rows' import
/// keys with them: an import interrupted between batches is completed, each item once, by importing the file again.
/// </summary>
internal sealed class WxrImporter(
    PressDbContext db,
    StorageSettings storage,
    AuthorImport authors,
    TermImport terms,
    ImportPlanner planner,
    PostImport posts,
    MetaImport meta,
    CommentImport comments,
    ContentLimits limits,
    TimeProvider clock)
{
    /// <summary>Items read from staging and applied through EF Core at a time (a transaction takes as many chunks as fit in its time).</summary>
    private const int ChunkSize = 250;

    public async Task<Outcome<ImportReport>> ImportAsync(Site site, string path, CancellationToken ct = default) =>
        await ImportAsync(site, path, ImportOptions.None, ct);

    public async Task<Outcome<ImportReport>> ImportAsync(Site site, string path, ImportOptions options, CancellationToken ct = default)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex is FileNotFoundException or DirectoryNotFoundException
                ? Problem.NotFound($"no file '{path}'")
                : Problem.Invalid($"cannot read '{path}': {ex.Message}");
        }
        await using (file)
            return await ImportAsync(site, file, Path.GetFileName(path), options, ct);
    }

    /// <summary>Imports from a stream; <paramref name="sourceName"/> names it in error messages ("export.xml:12:5: …").</summary>
    public Task<Outcome<ImportReport>> ImportAsync(Site site, Stream xml, string sourceName, CancellationToken ct = default) =>
        ImportAsync(site, xml, sourceName, ImportOptions.None, ct);

    public async Task<Outcome<ImportReport>> ImportAsync(Site site, Stream xml, string sourceName, ImportOptions options, CancellationToken ct = default)
    {
        // The author map is checked before the file is read: a wrong target is refused at once, with nothing written.
        var mapped = await authors.CheckMapAsync(site, options, ct);
        if (!mapped.Succeeded) return mapped.Problem!;
        var phases = new ImportPhases();
        using var staging = WxrStaging.Create(storage.DataDirectory);
        Outcome<StagingSummary> staged;
        using (phases.Time("pass 1: read the file into staging"))
            staged = staging.Load(xml, sourceName, SiteTime.ZoneOf(site), limits.MaxContentLength, phases);
        if (!staged.Succeeded) return staged.Problem!;
        var report = new ImportReport(staged.Value!, phases);
        var fileAuthors = staging.Authors();
        var covered = AuthorImport.CheckMapCoversFile(options, fileAuthors, sourceName);
        if (!covered.Succeeded) return covered.Problem!;

        try
        {
            await using var inserts = await StagedInserts.AttachAsync(db, staging, ct);
            await using var cache = await LargerCache.OpenAsync(db, ct);
            var transactions = new ImportTransactions(db, inserts, options, report, clock);
            var applied = await ApplyAsync(site, staging, inserts, transactions, fileAuthors, mapped.Value!, report, ct);
            if (!applied.Succeeded) return applied.Problem!;
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException)
        {
            db.ChangeTracker.Clear();
            // The batch that failed was rolled back (new rows are plain INSERTs, so their refusal is a DbException); the
            // batches before it stay, and importing the file again completes the import (their import keys make them skip).
            // The likely cause is the same file being imported into the same site at the same time.
            return Problem.Conflict($"the database refused part of the import ({ex.GetBaseException().Message.Split('\n')[0]}); {report.Transactions} batches were imported before it, and importing the same file again completes the import (is the same file being imported at the same time?)");
        }
        return Outcome<ImportReport>.Ok(report);
    }

    /// <summary>
    /// Pass 2, in transactions of about a second each (<see cref="ImportTransactions"/>): the file's authors and terms; then,
    /// on SQLite (<paramref name="inserts"/> not null), the new items set by set, a range of them per batch, and the new
    /// comments the same way; then the items an earlier import created, compared and updated through EF Core, as many per
    /// batch as fit in the time. On PostgreSQL the last step carries every item with its comments.
    /// </summary>
    private async Task<Outcome<bool>> ApplyAsync(Site site, WxrStaging staging, StagedInserts? inserts, ImportTransactions transactions,
        List<WxrAuthor> fileAuthors, Dictionary<string, User> mapped, ImportReport report, CancellationToken ct)
    {
        var phases = report.Phases;
        var first = await transactions.RunAsync(ImportStage.AuthorsAndTerms, async (_, ct) =>
        {
            using var timed = phases.Time("authors and terms");
            var authorMap = await authors.ApplyAsync(site, fileAuthors, mapped, report, ct);
            // A Problem rolls back the authors created so far.
            if (!authorMap.Succeeded) return authorMap.Problem!;
            return Outcome<(AuthorMap, TermMap)>.Ok((authorMap.Value!, await terms.ApplyAsync(site, staging, report, ct)));
        }, _ => fileAuthors.Count, ct);
        if (!first.Succeeded) return first.Problem!;
        var (authorMap, termMap) = first.Value;

        // Planning reads the site and writes to the staging file; its writes to the database are single statements (the
        // ids it reserves, the keys of rows deleted since an earlier import), so it holds no transaction open.
        using (phases.Time("plan local ids, slugs and authors"))
        {
            await planner.PlanAsync(site, staging, authorMap, ct);
            staging.SetSiteIds(termMap, authorMap);
        }
        // Each batch has its own inserts (prepared on its transaction); the rest of the context is the import's.
        ImportContext context(ImportRows rows) => new(authorMap, termMap, report, rows);
        if (inserts is not null)
        {
            await NewRowsAsync(site, report, staging, inserts, StagedTable.Items, transactions, context, ct);
            await NewRowsAsync(site, report, staging, inserts, StagedTable.Comments, transactions, context, ct);
        }
        await ItemsAsync(site, report, staging, existingOnly: inserts is not null, transactions, context, ct);
        return Outcome<bool>.Ok(true);
    }

    /// <summary>SQLite: the new items (or comments), set by set from the attached staging file, a range of seqs per batch.</summary>
    private async Task NewRowsAsync(Site site, ImportReport report, WxrStaging staging, StagedInserts inserts, StagedTable table, ImportTransactions transactions, Func<ImportRows, ImportContext> context, CancellationToken ct)
    {
        var phases = report.Phases;
        var sizer = new BatchSizer(transactions.Pacing.BatchBudget);
        for (var after = 0L; await inserts.NextNewAsync(table, after, sizer.Next, ct) is { } range; after = range.Last)
        {
            await transactions.RunAsync(table == StagedTable.Items ? ImportStage.NewItems : ImportStage.NewComments, async (tx, ct) =>
            {
                await using var rows = new ImportRows(db, tx, phases);
                var batch = context(rows);
                if (table == StagedTable.Comments)
                {
                    using (phases.Time("new rows"))
                    {
                        var recount = await inserts.InsertCommentsAsync(site, range, batch, ct);
                        using (phases.Time("comment counts"))
                            await comments.RecountAsync(site, recount, ct);
                    }
                    return Outcome<bool>.Ok(true);
                }
                // The batch's posts are indexed for search in one statement at its end, in its transaction (see
                // SearchIndexDeferral): row by row through the triggers it was the largest part of the import.
                var ids = await inserts.NewIdsAsync(range, ct);
                var deferral = await SearchIndexDeferral.BeginAsync(tx, site.Id, ids.First, ids.Last, ct);
                using (phases.Time("new rows"))
                {
                    await inserts.InsertItemsAsync(site, range, batch, ct);
                    await rows.FlushAsync(ct);
                }
                using (phases.Time("slugs taken since planning"))
                    await ImportSlugs.ResolveClashesAsync(db, staging, site.Id, ids.First, ids.Last, ct);
                if (deferral is not null)
                {
                    using (phases.Time("search index"))
                        await deferral.CompleteAsync(ct);
                }
                return Outcome<bool>.Ok(true);
            }, _ => range.Count, ct);
            sizer.Done(range.Count, transactions.LastHeld);
        }
    }

    /// <summary>
    /// Items through EF Core and <see cref="ImportRows"/>: those an earlier import created (SQLite), or all of them with their
    /// comments (PostgreSQL). Read from staging in chunks on a second thread; a transaction takes chunks until its time is up.
    /// </summary>
    private async Task ItemsAsync(Site site, ImportReport report, WxrStaging staging, bool existingOnly, ImportTransactions transactions, Func<ImportRows, ImportContext> context, CancellationToken ct)
    {
        var phases = report.Phases;
        await using var chunks = new ReadAhead<List<StagedItem>>(Chunks(staging, existingOnly, phases), chunkSize: 1, capacity: 1);
        await using var next = chunks.ItemsAsync(ct).GetAsyncEnumerator(ct);
        var more = await next.MoveNextAsync();
        var (items, analyzedAt) = (0, 0);
        while (more)
        {
            await transactions.RunAsync(ImportStage.Items, async (tx, ct) =>
            {
                var started = clock.GetTimestamp();
                var inBatch = 0;
                await using var rows = new ImportRows(db, tx, phases);
                var batch = context(rows);
                do
                {
                    var chunk = await WithoutDeletedAsync(site, next.Current, ct);
                    List<long> recount;
                    using (phases.Time("posts"))
                        await posts.ApplyAsync(site, chunk, batch, ct);
                    using (phases.Time("custom fields"))
                        await meta.ApplyAsync(site, chunk, batch, ct);
                    using (phases.Time("comments"))
                        recount = await comments.ApplyAsync(site, chunk, batch, ct);
                    using (phases.Time("save changed rows"))
                    {
                        await rows.FlushAsync(ct);
                        await db.SaveChangesAsync(ct);
                    }
                    // New ids are consecutive in file order, so a chunk's new posts are one range of them.
                    if (chunk.Where(i => i.IsNew).Select(i => i.LocalId).ToList() is { Count: > 0 } newIds)
                    {
                        using (phases.Time("slugs taken since planning"))
                            await ImportSlugs.ResolveClashesAsync(db, staging, site.Id, newIds.Min(), newIds.Max(), ct);
                    }
                    using (phases.Time("comment counts"))
                        await comments.RecountAsync(site, recount, ct);
                    (items, inBatch) = (items + chunk.Count, inBatch + chunk.Count);
                    if (!existingOnly && items >= 2 * analyzedAt)
                    {
                        // PostgreSQL checks each new row's foreign keys with a plan it keeps for the session, made from the
                        // statistics it had: for the first import into a new database, tables of a few rows, so a sequential
                        // scan, every row reading all the posts imported so far (a 20,000-post import took 4 minutes, now 16 s).
                        // Statistics taken again whenever the import has doubled its rows (which the transaction counts)
                        // replace those plans: a few times per import. Only the key columns: the plans need the tables'
                        // sizes, not the text's statistics. It holds a lock that only another ANALYZE, VACUUM or index build
                        // waits for, until the batch commits.
                        using (phases.Time("update statistics"))
                            await db.Database.ExecuteSqlRawAsync("ANALYZE posts (site_id, id), terms (site_id, id)", ct);
                        analyzedAt = items;
                    }
                    // Each chunk's rows are written; forgetting them keeps memory flat however large the file.
                    db.ChangeTracker.Clear();
                    more = await next.MoveNextAsync();
                }
                while (more && clock.GetElapsedTime(started) < transactions.Pacing.BatchBudget);
                return Outcome<int>.Ok(inBatch);
            }, n => n, ct);
        }
    }

    /// <summary>
    /// The chunk without the items planning found imported before whose post a live write has deleted since (live writes
    /// get in between batches): they are left deleted, with their comments; a later import of the file brings them back.
    /// </summary>
    private async Task<List<StagedItem>> WithoutDeletedAsync(Site site, List<StagedItem> chunk, CancellationToken ct)
    {
        var planned = chunk.Where(i => !i.IsNew).Select(i => i.LocalId).ToList();
        if (planned.Count == 0) return chunk;
        var alive = (await db.Posts.Where(p => p.SiteId == site.Id && planned.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        return alive.Count == planned.Count ? chunk : chunk.Where(i => i.IsNew || alive.Contains(i.LocalId)).ToList();
    }

    private static IEnumerable<List<StagedItem>> Chunks(WxrStaging staging, bool existingOnly, ImportPhases phases)
    {
        for (var afterSeq = 0L; ;)
        {
            List<StagedItem> batch;
            using (phases.Time("read staging (beside the writes)"))
                batch = staging.Items(afterSeq, ChunkSize, existingOnly);
            if (batch.Count == 0) yield break;
            yield return batch;
            afterSeq = batch[^1].Seq;
        }
    }

    /// <summary>
    /// SQLite keeps one transaction's changed pages in its page cache (512 KiB on our connections) and spills the rest into
    /// the WAL, again and again for pages touched often (index and full-text pages). A bigger cache for the
    /// import's transaction keeps them in memory. And no memory map: the import reads back every row it wrote (to
    /// index it), and pages read through the map count in the process's memory (25 MB more at 100,000 posts).
    /// The connection goes back to the pool with the pool's settings (<see cref="SqliteConnectionSetup"/>).
    /// </summary>
    private sealed class LargerCache(PressDbContext db) : IAsyncDisposable
    {
        public static async Task<LargerCache?> OpenAsync(PressDbContext db, CancellationToken ct)
        {
            if (!db.Database.IsSqlite()) return null;
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-32768; PRAGMA main.mmap_size=0", ct);
            return new LargerCache(db);
        }

        public async ValueTask DisposeAsync() =>
            await db.Database.ExecuteSqlRawAsync($"PRAGMA cache_size=-{SqliteConnectionSetup.CacheSizeKib}; PRAGMA main.mmap_size={SqliteConnectionSetup.MmapSize}");
    }
}
