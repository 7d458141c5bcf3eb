using Microsoft.EntityFrameworkCore;
using PressMcp.Storage.Sql;

namespace PressMcp.Storage;

/// <summary>
/// A site's content version: a number in <c>content_versions</c> (one row per site) that grows with every write that can
/// change what a search of the site answers: posts (every column, revisions and attachments too), post_terms, post_meta
/// and terms, inserted, updated or deleted. Triggers in the database raise it (migration ContentVersions), so no writer
/// can forget to: EF Core, the raw SQL of the import and the demo generator, the command line in another process,
/// another instance on the same PostgreSQL database, a plain <c>sqlite3</c> client. The bump is part of the writing
/// transaction, so a reader never sees new content with the old number.
/// <para>
/// Unlike the access version it is read from the database on every search (one primary-key read), never from a copy
/// kept in memory: a write committed anywhere is seen by the very next search, with no time window.
/// </para>
/// </summary>
internal static class ContentVersion
{
    public const string Table = "content_versions";

    /// <summary>
    /// SQLite: the site's version and the sum of every site's, in one statement (so of one state). The sum grows with every
    /// write to any site's posts, so with every change of SQLite's full-text index, whose bm25 statistics (rows, tokens,
    /// each word's rows) are the whole table's: the in-memory search keys them by it (Content/Search/SearchPostings).
    /// </summary>
    internal const string StampSql = $"SELECT value, (SELECT sum(value) FROM {Table}) FROM {Table} WHERE site_id = @site";

    /// <summary>
    /// PostgreSQL: the site's version alone (the second column is always 0). <c>ts_rank_cd</c> reads one post's vector and
    /// nothing of the table, so a site's answers depend on its own rows only, and another site's write must not make
    /// this site's held lists stale. The sum would also cost: it scans every site's row, and on PostgreSQL the one row a
    /// site's writes keep updating leaves dead versions until vacuum (the benchmark's table had grown to 296 pages for
    /// one live row: 0.6 ms of PostgreSQL's time on every search).
    /// </summary>
    internal const string SiteStampSql = $"SELECT value, 0::bigint FROM {Table} WHERE site_id = @site";

    /// <summary>
    /// The site's content version and, on SQLite, the sum of every site's (<see cref="StampSql"/>, <see cref="SiteStampSql"/>) as committed now, or null when what
    /// is read now may not be cached: inside a transaction (its reads see its own uncommitted writes, which a rollback
    /// would take back while their version number could be reused by the next write), or when the site has no row (a
    /// database not migrated by this version).
    /// </summary>
    public static async Task<ContentStamp?> ReadCommittedStampAsync(PressDbContext db, long siteId, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return null;
        // The connection stays open for the search's next statements (the page's posts, their terms and authors), on both
        // engines: on PostgreSQL every open of a pooled connection rents it again and sends the pool's reset (seven short
        // statements), four times a search when each statement opened its own; it is held for the few milliseconds the
        // search takes, and returned with the request's context.
        await using var connection = await ContextConnection.OpenAsync(db, ct, keepOpen: true);
        // The engine from the connection's type: Database.IsSqlite() resolves the provider through EF Core's services on
        // every call, and this runs on every search.
        await using var command = connection.Command(connection.IsSqlite ? StampSql : SiteStampSql);
        command.AddParameter("@site", siteId);
        await using var rows = await command.ExecuteReaderAsync(ct);
        if (!await rows.ReadAsync(ct) || rows.IsDBNull(0)) return null;
        return new ContentStamp(rows.GetInt64(0), rows.GetInt64(1));
    }
}

/// <summary>A site's content version, and on SQLite the sum of every site's version (0 on PostgreSQL).</summary>
internal readonly record struct ContentStamp(long Site, long AllSites);
