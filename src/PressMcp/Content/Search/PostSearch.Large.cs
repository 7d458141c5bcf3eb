using PressMcp.Storage.Sql;

namespace PressMcp.Content.Search;

/// <summary>
/// Relevance for queries with many matches. bm25 reads every match's column sizes (a look-up per match) and
/// positions: about 2–3 µs a match, so 6 ms for a word in 2,500 posts and 50 ms for one in 20,000, where finding and
/// counting the matches costs a tenth of that. Above <see cref="SearchRanking.RankAllLimit"/> visible matches,
/// relevance is therefore WordPress's own rule: posts with every word in the title first, then those with every word
/// in title or excerpt, then the rest, each tier newest first (highest id: the order in which FTS5 keeps its matches,
/// so a page is read from the index without ranking or sorting every match). The total stays exact, visibility stays
/// in every statement, and the same filters apply to each tier. PostgreSQL orders by the same tiers, testing them on
/// <c>search_head</c> (title A, excerpt B), so both engines order a large match set alike; up to
/// <see cref="SearchRanking.ExactTotalLimit"/> matches it orders them all in one statement (PostSearch.Postgres.cs),
/// above that it walks the tiers here.
/// </summary>
internal sealed partial class PostSearch
{
    private static bool IsLargeRelevanceQuery(PostQuery query, IReadOnlyList<string> terms) =>
        terms.Count > 0 && query.OrderBy == PostOrder.Relevance;

    /// <summary>The tiers of a large match set, in order.</summary>
    private static readonly Part[] Tiers = [Part.Title, Part.ExcerptNotTitle, Part.ContentOnly];

    /// <summary>
    /// Full-text matches in the site that the reader may see, before the other filters: what bm25 would have to rank
    /// (on SQLite FTS5 alone, cheap), and the total when no other filter applies. Both engines count the same posts, so
    /// both choose the same ordering. Counting stops one past <see cref="SearchRanking.ExactTotalLimit"/>, where the total
    /// becomes a lower bound: a word in every post no longer walks every post.
    /// </summary>
    private async Task<long> CountMatchesAsync(ContextConnection connection, Filter filter, CancellationToken ct)
    {
        await using var command = connection.Command();
        var (siteId, terms) = (filter.SiteId, filter.Terms);
        var bitmapOnly = IsPostgres && connection.Transaction is null;
        var sql = new SqlBuilder(command).Append(bitmapOnly ? BitmapOnly : "").Append("SELECT COUNT(*) FROM (SELECT 1 FROM ");
        if (IsPostgres)
        {
            sql.Append("posts p WHERE p.site_id = ").Value(siteId)
                .Append(" AND p.search_vector @@ to_tsquery('simple', ").Value(TsQuery(terms, "")).Append(")");
            Visibility(sql, filter.Query.Types, filter.Reader);
            ProtectedByTitle(sql, filter, titleQuery: null);
        }
        else
        {
            IndexMatches(sql, siteId, Match(filter, Part.All));
        }
        sql.Append(" LIMIT ").Value(ranking.ExactTotalLimit + 1L).Append(") m");
        return bitmapOnly ? await LastScalarAsync(sql, ct) : await ScalarAsync(sql, ct);
    }

    /// <summary>
    /// PostgreSQL: the statement after this one in the same command (one implicit transaction, to which set_config's
    /// third argument limits the settings) reads the matches through the GIN index's bitmap alone. The planner does not
    /// cost reading a row's tsvector (about 2 kB, compressed out of line), so for a word in most posts, or under a
    /// LIMIT near the match count, it preferred testing <c>search_vector @@</c> row by row in a sequential or index
    /// scan, which read every post's vector from TOAST: the count of a word in every post of 100,000 took 577–777 ms
    /// that way and 78–165 ms through the bitmap, which needs no vector (docs/performance.md, PostgreSQL search; a
    /// loaded machine). Only without an open transaction, where the settings would outlive the statement.
    /// </summary>
    private const string BitmapOnly = "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true); ";

    /// <summary>The first column of the last statement's first row, for a command whose first statement is <see cref="BitmapOnly"/>.</summary>
    private static async Task<long> LastScalarAsync(SqlBuilder sql, CancellationToken ct)
    {
        await using var rows = await sql.Build().ExecuteReaderAsync(ct);
        await rows.NextResultAsync(ct);
        await rows.ReadAsync(ct);
        return rows.GetInt64(0);
    }

    /// <summary>
    /// The page, tier after tier: each tier's statement reads at most what the page still needs, newest first, and
    /// stops there. A tier's size is counted only when the page starts past its end; the total is the visible matches,
    /// already counted. With another filter, on SQLite one statement instead (<see cref="RankLargeFilteredAsync"/>). On
    /// PostgreSQL, when every match was counted, one statement (<see cref="RankTieredAsync"/>); above that the same walk,
    /// each statement testing the filter on the row it reads, and a count after it.
    /// </summary>
    private async Task<(List<long> Ids, long Total)> RankLargeAsync(ContextConnection connection, Filter filter, CancellationToken ct)
    {
        if (filter.KnownTotal is null && !IsPostgres) return await RankLargeFilteredAsync(connection, filter, ct);
        if (IsPostgres && filter.Matches <= ranking.ExactTotalLimit) return await RankTieredAsync(connection, filter, ct);
        if (filter.Terms.Count > 1 && await RankLargeByHeadAsync(connection, filter, ct) is { } byHead)
            return (byHead, filter.KnownTotal ?? await CountAsync(connection, filter, ct));
        var query = filter.Query;
        var ids = new List<long>(query.PerPage);
        var offset = query.Offset;
        foreach (var tier in Tiers)
        {
            var need = query.PerPage - ids.Count;
            if (need == 0) break;
            var rows = await TierPageAsync(connection, filter, tier, need, offset, ct);
            ids.AddRange(rows);
            // Fewer rows than asked: the tier ended inside the page, and the next tier starts at its beginning. No row
            // at all: the page starts past the tier's end (or the tier is empty), and its size says where in the next.
            offset = rows.Count > 0 || offset == 0 ? 0 : offset - await TierCountAsync(connection, filter, tier, ct);
        }
        // PostgreSQL with a filter besides visibility: the tiers as above, each statement testing the filter on the row it
        // already reads, and the total counted (up to one past the exact limit) after them.
        return (ids, filter.KnownTotal ?? await CountAsync(connection, filter, ct));
    }

    /// <summary>The most title-or-excerpt matches <see cref="RankLargeByHeadAsync"/> reads into memory.</summary>
    private const int HeadLimit = 1000;

    /// <summary>
    /// The same page as the tier walk, for several words. An FTS5 column filter tests each word's whole posting list
    /// by column, so a tier holding less than a page (the usual case for two or three words: few posts name them all
    /// in the title) walks every match, twice for the first two tiers (about 1 ms each for two words in 9,000 posts).
    /// Here the first two tiers are read together once, all their ids (up to <see cref="HeadLimit"/>), the title tier
    /// only when that read found any, and the page is cut from them in memory before the content-only tier, which
    /// stops after the page. Null when the first two tiers hold more than the limit: the tier walk then.
    /// </summary>
    private async Task<List<long>?> RankLargeByHeadAsync(ContextConnection connection, Filter filter, CancellationToken ct)
    {
        var head = await TierPageAsync(connection, filter, Part.TitleOrExcerpt, HeadLimit + 1, 0, ct);
        if (head.Count > HeadLimit) return null;
        var query = filter.Query;
        var ordered = head;
        if (head.Count > 0)
        {
            // Newest first within each tier: the title matches, then the rest of the first two tiers.
            var title = await TierPageAsync(connection, filter, Part.Title, HeadLimit + 1, 0, ct);
            var inTitle = title.ToHashSet();
            ordered = [.. title, .. head.Where(id => !inTitle.Contains(id))];
        }
        var ids = ordered.Skip((int)Math.Min(query.Offset, ordered.Count)).Take(query.PerPage).ToList();
        var need = query.PerPage - ids.Count;
        if (need > 0) ids.AddRange(await TierPageAsync(connection, filter, Part.ContentOnly, need, Math.Max(0, query.Offset - ordered.Count), ct));
        return ids;
    }

    /// <summary>
    /// With a filter besides visibility the total must be counted over every match anyway, and where a filter reads the
    /// posts row each match costs a look-up: so one statement reads every match once, with the count, and orders them by
    /// tier (the title and title-or-excerpt matches, few, are read once into sets) and id. Walking tier by tier would
    /// look each match up again for the count.
    /// </summary>
    private async Task<(List<long> Ids, long Total)> RankLargeFilteredAsync(ContextConnection connection, Filter filter, CancellationToken ct)
    {
        var query = filter.Query;
        await using var command = connection.Command();
        var id = IdColumn(filter, joinPosts: false);
        var sql = new SqlBuilder(command).Append("SELECT ").Append(id).Append(", COUNT(*) OVER () AS total");
        From(sql, filter, Part.All, ranked: false, id);
        Where(sql, filter, id);
        IndexMatches(sql.Append(" ORDER BY CASE WHEN f.rid IN (SELECT rowid FROM "), filter.SiteId, InColumns("title", filter.Terms));
        IndexMatches(sql.Append(") THEN 0 WHEN f.rid IN (SELECT rowid FROM "), filter.SiteId, InColumns("title excerpt", filter.Terms))
            .Append(") THEN 1 ELSE 2 END, f.rid DESC");
        Page(sql, query.PerPage, query.Offset);
        var (ids, total) = await ReadPageAsync(sql, query.PerPage, ct);
        // A page beyond the last match reads no row, so no count came with it.
        return (ids, ids.Count > 0 ? total : await CountAsync(connection, filter, ct));
    }

    /// <summary>
    /// One tier's rows of the page, newest first: ordered by the index's own rowid order, so FTS5 walks the matches
    /// from the newest and the statement stops after <paramref name="limit"/> rows past <paramref name="offset"/>.
    /// </summary>
    private async Task<List<long>> TierPageAsync(ContextConnection connection, Filter filter, Part tier, int limit, long offset, CancellationToken ct)
    {
        await using var command = connection.Command();
        var id = IdColumn(filter, joinPosts: false);
        var sql = new SqlBuilder(command).Append("SELECT ").Append(id).Append(", 0 AS total");
        From(sql, filter, tier, ranked: false, id);
        Where(sql, filter, id, tier);
        // PostgreSQL: the primary key (site_id, id) read backwards, or the tier's GIN matches sorted, as the planner finds cheaper.
        sql.Append(IsPostgres ? " ORDER BY p.id DESC LIMIT " : " ORDER BY f.rid DESC LIMIT ").Value(limit).Append(" OFFSET ").Value(offset);
        return (await ReadPageAsync(sql, limit, ct)).Ids;
    }

    private async Task<long> TierCountAsync(ContextConnection connection, Filter filter, Part tier, CancellationToken ct)
    {
        await using var command = connection.Command();
        var id = IdColumn(filter, joinPosts: false);
        var sql = new SqlBuilder(command).Append("SELECT COUNT(*)");
        From(sql, filter, tier, ranked: false, id);
        Where(sql, filter, id, tier);
        return await ScalarAsync(sql, ct);
    }
}
