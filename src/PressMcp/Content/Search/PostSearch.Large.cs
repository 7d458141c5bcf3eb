using System.Data.Common;

namespace PressMcp.Content.Search;

/// <summary>
/// Relevance for queries with many matches. bm25 reads every match's column sizes and positions, which
/// for a word in a quarter of 100,000 posts costs 30–45 ms, several times what finding and counting the matches
/// costs. Above <see cref="SearchRanking.RankAllLimit"/> matches, relevance is therefore defined as: posts whose
/// title or excerpt contains every word first, ranked by bm25 over those two columns (FTS5 column filter, few rows),
/// then the posts that match only in their content, newest first. The total stays exact, visibility stays in every
/// statement, and the same filters apply to each part. PostgreSQL follows the same definition (ts_rank_cd over the
/// title and excerpt weights), so both engines order a large match set alike.
/// </summary>
internal sealed partial class PostSearch
{
    private static bool IsLargeRelevanceQuery(PostQuery query, IReadOnlyList<string> terms) =>
        terms.Count > 0 && query.OrderBy == PostOrder.Relevance;

    /// <summary>Full-text matches in the site before any filter: what bm25 would have to rank (FTS5 alone, cheap).</summary>
    private async Task<long> CountMatchesAsync(DbConnection connection, long siteId, IReadOnlyList<string> terms, CancellationToken ct)
    {
        await using var command = NewCommand(connection);
        if (IsPostgres)
        {
            return await ScalarAsync(new SearchCommand(command).Append("SELECT COUNT(*) FROM posts p WHERE p.site_id = ").Value(siteId)
                .Append(" AND p.search_vector @@ to_tsquery('simple', ").Value(TsQuery(terms, "")).Append(")"), ct);
        }
        var lo = siteId * SiteStride;
        var sql = new SearchCommand(command).Append("SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH ").Value(FtsMatch(terms))
            .Append(" AND rowid BETWEEN ").Value(lo).Append(" AND ").Value(lo + SiteStride - 1);
        return await ScalarAsync(sql, ct);
    }

    /// <summary>
    /// Each match is joined with its post (visibility, filters) once: the title and excerpt matches up to the page's end
    /// come from a small statement with their count, and either the total is counted (a page within them) or the
    /// content-only part of the page is read with its own count (a page past them). Reading every match twice would cost
    /// as much as bm25 did.
    /// </summary>
    private async Task<(List<long> Ids, long Total)> RankLargeAsync(DbConnection connection, Filter filter, CancellationToken ct)
    {
        if (IsPostgres) return await RankLargePostgresAsync(connection, filter, ct);
        var query = filter.Query;
        var offset = (query.Page - 1) * query.PerPage;
        // Title and excerpt matches are few: looking their posts up in post_terms costs less than building a set.
        var (ids, titled) = await TitleMatchesAsync(connection, filter with { CategoriesAsSet = false, TagAsSet = false }, offset, ct);
        if (ids.Count == query.PerPage) return (ids, await CountAsync(connection, filter, ct));
        // The page reaches past the title and excerpt matches: how many there are decides where content-only ones start.
        var (more, contentOnly) = await ContentOnlyAsync(connection, filter, query.PerPage - ids.Count, (int)Math.Max(0, offset - titled), ct);
        ids.AddRange(more);
        // A page beyond the last match reads no row, so no count came with it.
        return (ids, more.Count > 0 ? titled + contentOnly : await CountAsync(connection, filter, ct));
    }

    /// <summary>
    /// Title and excerpt matches of the page, best first, and how many there are. The statement reads them from the first
    /// (they are few, and ranking them reads them all anyway) so that the count comes with it even when the page starts
    /// past the last of them; the rows before the page are skipped.
    /// </summary>
    private async Task<(List<long> Ids, long Count)> TitleMatchesAsync(DbConnection connection, Filter filter, int offset, CancellationToken ct)
    {
        await using var command = NewCommand(connection);
        var sql = new SearchCommand(command).Append("SELECT p.id, COUNT(*) OVER () AS total");
        From(sql, filter.SiteId, filter.Terms, ranked: true, titleAndExcerptOnly: true);
        Where(sql, filter);
        sql.Append(" ORDER BY f.rank ASC, p.date_utc DESC, p.id DESC LIMIT ").Value((long)offset + filter.Query.PerPage);
        return await ReadPageAsync(sql, filter.Query.PerPage, ct, skip: offset);
    }

    /// <summary>Matches whose title and excerpt do not hold every word, newest first, and how many there are (when the page has any).</summary>
    private async Task<(List<long> Ids, long Count)> ContentOnlyAsync(DbConnection connection, Filter filter, int limit, int offset, CancellationToken ct)
    {
        await using var command = NewCommand(connection);
        var sql = new SearchCommand(command).Append("SELECT p.id, COUNT(*) OVER () AS total");
        From(sql, filter.SiteId, filter.Terms, ranked: false);
        Where(sql, filter);
        var lo = filter.SiteId * SiteStride;
        sql.Append(" AND f.rid NOT IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ").Value(TitleMatch(filter.Terms))
            .Append(" AND rowid BETWEEN ").Value(lo).Append(" AND ").Value(lo + SiteStride - 1).Append(")")
            .Append(" ORDER BY p.date_utc DESC, p.id DESC");
        Page(sql, limit, offset);
        return await ReadPageAsync(sql, limit, ct);
    }

    /// <summary>
    /// PostgreSQL in one statement: matches with every word in title or excerpt (tsquery weights A and B) first, ranked
    /// over those weights only, then the rest newest first.
    /// </summary>
    private async Task<(List<long> Ids, long Total)> RankLargePostgresAsync(DbConnection connection, Filter filter, CancellationToken ct)
    {
        var query = filter.Query;
        await using var command = NewCommand(connection);
        var sql = new SearchCommand(command).Append("SELECT p.id, COUNT(*) OVER () AS total FROM posts p CROSS JOIN (SELECT to_tsquery('simple', ")
            .Value(TsQuery(filter.Terms, "")).Append(") AS query, to_tsquery('simple', ").Value(TsQuery(filter.Terms, ":AB")).Append(") AS head) q");
        Where(sql, filter);
        sql.Append(" ORDER BY (p.search_vector @@ q.head) DESC, ts_rank_cd('{0, 0, 0.3, 1.0}', p.search_vector, q.head) DESC, p.date_utc DESC, p.id DESC");
        Page(sql, query.PerPage, (query.Page - 1) * query.PerPage);
        var (ids, total) = await ReadPageAsync(sql, query.PerPage, ct);
        return (ids, ids.Count > 0 ? total : await CountAsync(connection, filter, ct));
    }
}
