using PressMcp.Storage.Sql;

namespace PressMcp.Content.Search;

/// <summary>
/// PostgreSQL's own statements for a search with query text. Each match the GIN index finds is a visit of its posts row
/// (the heap: the index cannot tell which rows the reader's snapshot sees, nor their type, status and password), and on
/// this version a bitmap scan visits the row even where no column is needed (docs/performance.md, PostgreSQL search). So
/// the statements here visit each match once: the count, the order and the page in one statement where they can.
/// </summary>
internal sealed partial class PostSearch
{
    /// <summary>ts_rank_cd's weights of D, C, B, A (content C, excerpt B, title A).</summary>
    internal const string PostgresRankWeights = "'{0.2, 0.4, 0.7, 1.0}'";

    /// <summary>
    /// The rank of a match <c>m</c> (a row of a statement's set of matches, by id) for the query <c>q.query</c>: its vector
    /// read by primary key only here, not carried in the set (kept in the row since migration PostgresSearchVectorInline,
    /// it would make the set spill to disk). Written around the site's placeholder, <c>Head</c> + site + <c>Tail</c>, so
    /// the search's statements and a word's read by its search (<see cref="PostgresSearchPostingsReader"/>) rank alike.
    /// </summary>
    internal const string PostgresRankOfMatchHead = "ts_rank_cd(" + PostgresRankWeights + ", (SELECT v.search_vector FROM posts v WHERE v.site_id = ";

    /// <inheritdoc cref="PostgresRankOfMatchHead"/>
    internal const string PostgresRankOfMatchTail = " AND v.id = m.id), q.query)";

    /// <summary>
    /// PostgreSQL, no filter but visibility: the visible matches counted up to one past
    /// <see cref="SearchRanking.ExactTotalLimit"/> and, when that counted them all, the page, in one statement. The
    /// matches are read once through the GIN bitmap into a materialized set (id and <c>search_head</c>; not the 2 kB vector,
    /// which is kept in the row since migration PostgresSearchVectorInline and would make the set spill to disk), and the
    /// page is ordered as <see cref="RankAsync"/> (ts_rank_cd over each match's vector read by its primary key, up to
    /// <see cref="SearchRanking.RankAllLimit"/> matches) or as the tiers (<see cref="RankTieredAsync"/>) would
    /// order it, whichever the count chooses. Ids: null when there are more matches than the exact limit (the tier walk
    /// then reads the page, newest first, without reading every match). Separately, the count and the page statement each
    /// visited every match's row (measured: the two together cost 1.6 times this one for three words; docs/performance.md).
    /// </summary>
    private async Task<(long Matches, List<long>? Ids)> CountAndPagePostgresAsync(ContextConnection connection, Filter filter, CancellationToken ct)
    {
        var (terms, query) = (filter.Terms, filter.Query);
        var limit = ranking.ExactTotalLimit;
        await using var command = connection.Command();
        var bitmapOnly = connection.Transaction is null;
        var sql = new SqlBuilder(command).Append(bitmapOnly ? BitmapOnly : "")
            .Append("WITH q AS (SELECT to_tsquery('simple', ").Value(TsQuery(terms, "")).Append(") AS query, to_tsquery('simple', ").Value(TsQuery(terms, ":A")).Append(") AS title),")
            .Append(" m AS MATERIALIZED (SELECT p.id, p.search_head AS head FROM posts p CROSS JOIN q");
        Where(sql, filter, PostsId);
        sql.Append(" LIMIT ").Value(limit + 1L).Append("), n AS (SELECT COUNT(*) AS c FROM m)")
           // The count (its id is null, k 0), then the page, only when every match was counted. k, each row's place in the
           // order, orders the union: SQL leaves the order of a UNION ALL's rows to the plan (a parallel append interleaves).
           .Append(" SELECT r.id, r.c FROM (SELECT NULL::bigint AS id, n.c, 0::bigint AS k FROM n UNION ALL (SELECT m.id, n.c, ROW_NUMBER() OVER (ORDER BY")
           .Append(" CASE WHEN n.c <= ").Value((long)ranking.RankAllLimit).Append(" THEN -").Append(PostgresRankOfMatchHead).Value(filter.SiteId).Append(PostgresRankOfMatchTail)
           .Append(" WHEN m.head @@ q.title THEN 0 WHEN m.head @@ q.query THEN 1 ELSE 2 END, m.id DESC) AS k")
           .Append(" FROM m CROSS JOIN n CROSS JOIN q WHERE n.c <= ").Value((long)limit).Append(" ORDER BY k");
        Page(sql, query.PerPage, query.Offset);
        sql.Append(")) r ORDER BY r.k");
        long matches = 0;
        var ids = new List<long>(query.PerPage);
        await using (var rows = await sql.Build().ExecuteReaderAsync(ct))
        {
            if (bitmapOnly) await rows.NextResultAsync(ct);
            while (await rows.ReadAsync(ct))
            {
                if (rows.IsDBNull(0)) matches = rows.GetInt64(1);
                else ids.Add(rows.GetInt64(0));
            }
        }
        return (matches, matches <= limit ? ids : null);
    }

    /// <summary>
    /// PostgreSQL, when every match was counted (no more than <see cref="SearchRanking.ExactTotalLimit"/>): one statement
    /// reads every match through the GIN bitmap, orders them by tier (a test of <c>search_head</c>, kept in the row) and
    /// id, and counts them when a filter besides visibility applies. The count that chose this path already visited every
    /// match's row, so one more visit costs what a single tier statement did; the tier walk instead ran two to four
    /// statements, each planned as an id-ordered walk testing rows in turn (docs/performance.md, PostgreSQL search).
    /// </summary>
    private async Task<(List<long> Ids, long Total)> RankTieredAsync(ContextConnection connection, Filter filter, CancellationToken ct)
    {
        var query = filter.Query;
        await using var command = connection.Command();
        var bitmapOnly = connection.Transaction is null;
        var counted = filter.KnownTotal is null;
        var sql = new SqlBuilder(command).Append(bitmapOnly ? BitmapOnly : "").Append("SELECT p.id").Append(counted ? ", COUNT(*) OVER () AS total" : ", 0 AS total");
        // ExcerptNotTitle: the FROM clause that also builds the title query (q.title) the tier test needs.
        From(sql, filter, Part.ExcerptNotTitle, ranked: false, PostsId);
        Where(sql, filter, PostsId);
        sql.Append(" ORDER BY CASE WHEN p.search_head @@ q.title THEN 0 WHEN p.search_head @@ q.query THEN 1 ELSE 2 END, p.id DESC");
        Page(sql, query.PerPage, query.Offset);
        var (ids, total) = await ReadPageAsync(sql, query.PerPage, ct, skipFirstResult: bitmapOnly);
        // A page beyond the last match reads no row, so no count came with it.
        return (ids, filter.KnownTotal ?? (ids.Count > 0 ? total : await CountAsync(connection, filter, ct)));
    }

    /// <summary>
    /// PostgreSQL, the visible matches known (<see cref="PostgresSearchPostings"/>, at most
    /// <see cref="SearchRanking.RankAllLimit"/>): the page ordered by ts_rank_cd as <see cref="CountAndPagePostgresAsync"/>
    /// orders it (the rank, then the newest first), each match read by its primary key rather than found through the GIN
    /// bitmap and tested for visibility again; when the words' positions are not held in memory (else
    /// <see cref="PostgresCoverDensity"/> orders them there). ts_rank_cd reads each match's vector from its row
    /// (migration PostgresSearchVectorInline: from TOAST before it, twice the buffers).
    /// </summary>
    private async Task<List<long>> RankByIdsPostgresAsync(Filter filter, long[] matches, CancellationToken ct)
    {
        var query = filter.Query;
        await using var connection = await ContextConnection.OpenAsync(db, ct);
        await using var command = connection.Command();
        var sql = new SqlBuilder(command).Append("SELECT p.id, 0::bigint FROM posts p CROSS JOIN (SELECT to_tsquery('simple', ").Value(TsQuery(filter.Terms, ""))
            .Append(") AS query) q WHERE p.site_id = ").Value(filter.SiteId).Append(" AND p.id = ANY(").Value(matches)
            .Append(") ORDER BY ts_rank_cd(").Append(PostgresRankWeights).Append(", p.search_vector, q.query) DESC, p.id DESC");
        Page(sql, query.PerPage, query.Offset);
        return (await ReadPageAsync(sql, query.PerPage, ct)).Ids;
    }
}
