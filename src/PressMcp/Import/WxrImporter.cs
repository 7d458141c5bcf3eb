using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// Imports a WordPress export into a site in two passes. Pass 1 streams and validates the whole file into a
/// staging file (<see cref="WxrStaging"/>); a bad file stops there and the database is untouched. Pass 2 applies
/// the staged rows in one transaction, in batches on the same connection, so the database's write lock is held
/// only for that (see <see cref="ImportReport.WriteLockHeld"/>), never while the file is read.
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
    private const int BatchSize = 250;

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

        var started = clock.GetTimestamp();
        try
        {
            await using var inserts = await StagedInserts.AttachAsync(db, staging, ct);
            var applied = await ApplyAsync(site, staging, inserts, fileAuthors, mapped.Value!, report, ct);
            if (!applied.Succeeded) return applied.Problem!;
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException)
        {
            db.ChangeTracker.Clear();
            // Rolled back (new rows are plain INSERTs, so their refusal is a DbException). The likely cause is the
            // same file being imported into the same site at the same time.
            return Problem.Conflict($"the database refused the import, so nothing was imported (is the same file being imported at the same time?): {ex.GetBaseException().Message.Split('\n')[0]}");
        }
        report.WriteLockHeld = clock.GetElapsedTime(started);
        return Outcome<ImportReport>.Ok(report);
    }

    /// <summary>
    /// Pass 2. On SQLite (<paramref name="inserts"/> not null) new rows are inserted set by set from the attached staging
    /// file and the batches carry only what an earlier import created; on PostgreSQL the batches carry everything.
    /// </summary>
    private async Task<Outcome<bool>> ApplyAsync(Site site, WxrStaging staging, StagedInserts? inserts, List<WxrAuthor> fileAuthors, Dictionary<string, User> mapped, ImportReport report, CancellationToken ct)
    {
        await using var tx = inserts is null ? await db.Database.BeginTransactionAsync(ct) : await inserts.BeginTransactionAsync(ct);
        await using var cache = await LargerCache.OpenAsync(db, ct);
        var phases = report.Phases;
        var authorsAndTerms = phases.Time("authors and terms");
        var authorMap = await authors.ApplyAsync(site, fileAuthors, mapped, report, ct);
        // Disposing the transaction without committing rolls back the authors created so far.
        if (!authorMap.Succeeded) return authorMap.Problem!;
        await using var rows = new ImportRows(db.Database.GetDbConnection(), tx.GetDbTransaction(), phases);
        var context = new ImportContext(authorMap.Value!, await terms.ApplyAsync(site, staging, report, ct), report, rows);
        authorsAndTerms.Dispose();
        IdBlock? newPosts;
        using (phases.Time("plan local ids, slugs and authors"))
        {
            newPosts = await planner.PlanAsync(site, staging, context.Authors, ct);
            staging.SetSiteIds(context.Terms, context.Authors);
        }
        // New posts are indexed for search in one statement at the end, still inside this transaction (on SQLite;
        // see SearchIndexDeferral): row by row through the triggers it was the largest part of the import.
        var deferral = newPosts is { } block
            ? await SearchIndexDeferral.BeginAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), site.Id, block.First, block.Last, ct)
            : null;

        var recount = new List<long>();
        if (inserts is not null)
        {
            using (phases.Time("new rows"))
            {
                recount.AddRange(await inserts.InsertAsync(site, context, ct));
                await rows.FlushAsync(ct);
            }
        }
        // The next batches are read from staging on a second thread while this one writes the current batch.
        await using var batches = new ReadAhead<List<StagedItem>>(Batches(staging, existingOnly: inserts is not null, phases), chunkSize: 1, capacity: 1);
        var statisticsUpdated = false;
        await foreach (var batch in batches.ItemsAsync(ct))
        {
            using (phases.Time("posts"))
                await posts.ApplyAsync(site, batch, context, ct);
            using (phases.Time("custom fields"))
                await meta.ApplyAsync(site, batch, context, ct);
            using (phases.Time("comments"))
                recount.AddRange(await comments.ApplyAsync(site, batch, context, ct));
            using (phases.Time("save changed rows"))
            {
                await rows.FlushAsync(ct);
                await db.SaveChangesAsync(ct);
            }
            if (!statisticsUpdated && inserts is null)
            {
                // PostgreSQL checks each new row's foreign keys with a plan it keeps for the session, made from the
                // statistics it had: for the first import into a new database, tables of a few rows, so a sequential
                // scan, every row reading all the posts imported so far (a 20,000-post import took 4 minutes, now 16 s).
                // Statistics taken inside this transaction (which counts its own rows) replace those plans. Only the
                // key columns: the plans need the tables' sizes, not the text's statistics. It holds a lock that only
                // another ANALYZE, VACUUM or index build waits for, until the import commits.
                using (phases.Time("update statistics"))
                    await db.Database.ExecuteSqlRawAsync("ANALYZE posts (site_id, id), terms (site_id, id)", ct);
                statisticsUpdated = true;
            }
            // Each batch's rows are written; forgetting them keeps memory flat however large the file.
            db.ChangeTracker.Clear();
        }
        using (phases.Time("comment counts"))
            await comments.RecountAsync(site, recount.Distinct().ToList(), ct);
        if (deferral is not null)
        {
            using (phases.Time("search index"))
                await deferral.CompleteAsync(ct);
        }
        using (phases.Time("commit"))
            await tx.CommitAsync(ct);
        return Outcome<bool>.Ok(true);
    }

    private static IEnumerable<List<StagedItem>> Batches(WxrStaging staging, bool existingOnly, ImportPhases phases)
    {
        for (var afterSeq = 0L; ;)
        {
            List<StagedItem> batch;
            using (phases.Time("read staging (beside the writes)"))
                batch = staging.Items(afterSeq, BatchSize, existingOnly);
            if (batch.Count == 0) yield break;
            yield return batch;
            afterSeq = batch[^1].Seq;
        }
    }

    /// <summary>
    /// SQLite keeps one transaction's changed pages in its page cache (2 MB by default) and spills the rest into
    /// the WAL, again and again for pages touched often (index and full-text pages). A bigger cache for the
    /// import's transaction keeps them in memory. And no memory map: the import reads back every row it wrote (to
    /// index it), and pages read through the map count in the process's memory (25 MB more at 100,000 posts).
    /// The connection goes back to the pool with the defaults.
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
            await db.Database.ExecuteSqlRawAsync($"PRAGMA cache_size=-2000; PRAGMA main.mmap_size={SqlitePragmas.MmapSize}");
    }
}
