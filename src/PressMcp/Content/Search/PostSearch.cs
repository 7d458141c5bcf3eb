using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PressMcp.Storage;

namespace PressMcp.Content.Search;

/// <summary>
/// The one search service: query text over title, content and excerpt ranked by relevance (SQLite FTS5 with
/// bm25, PostgreSQL tsvector with ts_rank_cd, both without stemming), filters, paging and a total count.
/// Visibility is part of the statement (<see cref="ReadAccess"/>), so nothing the reader may not see is read.
/// Without query text it lists posts newest first, which is what home pages and archives need. On SQLite, a query
/// matching more posts than <see cref="SearchRanking.RankAllLimit"/> is ranked differently (PostSearch.Large.cs).
/// </summary>
internal sealed partial class PostSearch(PressDbContext db, StorageSettings storage, SearchRanking ranking)
{
    private const long SiteStride = SearchIndexDeferral.SiteStride;

    public async Task<Outcome<PostPage>> SearchAsync(long siteId, PostQuery query, ReadAccess reader, CancellationToken ct = default)
    {
        if (query.Validate() is { } error) return Problem.Invalid(error);
        var terms = query.Terms();
        if (query.HasText && terms.Count == 0) return Outcome<PostPage>.Ok(new PostPage([], 0, query.Page, query.PerPage));

        var categories = query.CategoryId is { } category ? await CategoryWithDescendantsAsync(siteId, category, ct) : null;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            var filter = new Filter(siteId, query, terms, reader, categories);
            var matches = IsLargeRelevanceQuery(query, terms) ? await CountMatchesAsync(connection, siteId, terms, ct) : 0;
            var (ids, total) = matches > ranking.RankAllLimit
                ? await RankLargeAsync(connection, await WithTermSetsAsync(connection, filter, matches, ct), ct)
                : await RankAsync(connection, filter, ct);
            var posts = await db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && ids.Contains(p.Id)).ToListAsync(ct);
            var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
            posts.Sort((a, b) => order[a.Id].CompareTo(order[b.Id]));
            return Outcome<PostPage>.Ok(new PostPage(posts, total, query.Page, query.PerPage));
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// What every statement of one search filters by. CategoriesAsSet and TagAsSet: test full-text matches against the
    /// term's posts read into a set, rather than each match's post against post_terms (see <see cref="InTerms"/>).
    /// </summary>
    private sealed record Filter(long SiteId, PostQuery Query, IReadOnlyList<string> Terms, ReadAccess Reader, IReadOnlyList<long>? Categories,
        bool CategoriesAsSet = false, bool TagAsSet = false);

    /// <summary>The page in the query's order (bm25 over every match when ranking by relevance) and the total.</summary>
    private async Task<(List<long> Ids, long Total)> RankAsync(DbConnection connection, Filter filter, CancellationToken ct)
    {
        var (query, terms) = (filter.Query, filter.Terms);
        var hasTerms = terms.Count > 0;
        // With query text every match is read anyway, so the total comes with the page (COUNT(*) OVER ()).
        // Without text the page is read in index order and the total is a separate index-only count.
        await using var command = NewCommand(connection);
        var sql = new SearchCommand(command).Append(hasTerms ? "SELECT p.id, COUNT(*) OVER () AS total" : "SELECT p.id, 0 AS total");
        var byRelevance = hasTerms && query.OrderBy == PostOrder.Relevance;
        From(sql, filter.SiteId, terms, ranked: byRelevance);
        Where(sql, filter);
        OrderBy(sql, query, byRelevance);
        Page(sql, query.PerPage, (query.Page - 1) * query.PerPage);
        var (ids, total) = await ReadPageAsync(sql, query.PerPage, ct);
        if (!hasTerms || (ids.Count == 0 && query.Page > 1)) total = await CountAsync(connection, filter, ct);
        return (ids, total);
    }

    private DbCommand NewCommand(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void Page(SearchCommand sql, int limit, int offset) =>
        sql.Append(" LIMIT ").Value(limit).Append(" OFFSET ").Value(offset);

    /// <summary>Runs a statement whose rows are (id, total) and reads the ids in order, after the first <paramref name="skip"/>, and the total.</summary>
    private static async Task<(List<long> Ids, long Total)> ReadPageAsync(SearchCommand sql, int capacity, CancellationToken ct, int skip = 0)
    {
        var ids = new List<long>(capacity);
        long total = 0;
        await using var rows = await sql.Build().ExecuteReaderAsync(ct);
        for (var n = 0; await rows.ReadAsync(ct); n++)
        {
            if (n >= skip) ids.Add(rows.GetInt64(0));
            total = rows.GetInt64(1);
        }
        return (ids, total);
    }

    /// <summary>The exact number of matches the reader may see.</summary>
    private async Task<long> CountAsync(DbConnection connection, Filter filter, CancellationToken ct)
    {
        await using var command = NewCommand(connection);
        var sql = new SearchCommand(command).Append("SELECT COUNT(*)");
        From(sql, filter.SiteId, filter.Terms, ranked: false);
        Where(sql, filter);
        return await ScalarAsync(sql, ct);
    }

    private static async Task<long> ScalarAsync(SearchCommand sql, CancellationToken ct) =>
        Convert.ToInt64(await sql.Build().ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The category and every category below it; a site's category tree is small, so it is walked here.</summary>
    private async Task<IReadOnlyList<long>> CategoryWithDescendantsAsync(long siteId, long categoryId, CancellationToken ct)
    {
        var tree = await db.Terms.AsNoTracking()
            .Where(t => t.SiteId == siteId && t.Taxonomy == Taxonomies.Category)
            .Select(t => new { t.Id, t.ParentId }).ToListAsync(ct);
        var children = tree.Where(t => t.ParentId is not null).ToLookup(t => t.ParentId!.Value, t => t.Id);
        var result = new List<long> { categoryId };
        for (var i = 0; i < result.Count && result.Count <= tree.Count; i++)
            result.AddRange(children[result[i]].Where(c => !result.Contains(c)));
        return result;
    }

    private bool IsPostgres => storage.Provider == DatabaseProvider.Postgres;

    private static string FtsMatch(IReadOnlyList<string> terms) => string.Join(' ', terms.Select(t => $"\"{t}\""));

    /// <summary>PostgreSQL: every word ('a' &amp; 'b'), each limited to the given weights (":AB": title and excerpt) when asked.</summary>
    private static string TsQuery(IReadOnlyList<string> terms, string weights) => string.Join(" & ", terms.Select(t => $"'{t}'{weights}"));

    /// <summary>Every word within title or excerpt (an FTS5 column filter over the whole expression).</summary>
    private static string TitleMatch(IReadOnlyList<string> terms) => "{title excerpt} : (" + FtsMatch(terms) + ")";

    /// <summary>
    /// The FROM clause: the site's posts, joined with the full-text matches when there is query text. Ranked: a rank
    /// column (bm25 on SQLite, ts_rank_cd on PostgreSQL). Title and excerpt only (SQLite): matches whose title or excerpt
    /// hold every word, ranked over those two columns.
    /// </summary>
    private void From(SearchCommand sql, long siteId, IReadOnlyList<string> terms, bool ranked, bool titleAndExcerptOnly = false)
    {
        if (terms.Count == 0)
        {
            sql.Append(" FROM posts p");
            return;
        }
        if (IsPostgres)
        {
            // Every term must match ('a' & 'b'); terms are words only, quoted, so no tsquery syntax gets through.
            if (ranked) sql.Append(", ts_rank_cd('{0.2, 0.4, 0.7, 1.0}', p.search_vector, q.query) AS rank");
            sql.Append(" FROM posts p CROSS JOIN (SELECT to_tsquery('simple', ").Value(TsQuery(terms, "")).Append(") AS query) q");
            return;
        }
        // bm25 weights: title 10, excerpt 3, content 1 (content 0 when only title and excerpt count). Lower bm25 is better.
        // Terms are words only, each quoted, so no FTS5 syntax gets through.
        var lo = siteId * SiteStride;
        var match = titleAndExcerptOnly ? TitleMatch(terms) : FtsMatch(terms);
        var bm25 = !ranked ? "" : titleAndExcerptOnly ? ", bm25(posts_fts, 10.0, 3.0, 0.0) AS rank" : ", bm25(posts_fts, 10.0, 3.0, 1.0) AS rank";
        sql.Append(ranked ? ", f.rank" : "")
           .Append(" FROM (SELECT rowid AS rid").Append(bm25).Append(" FROM posts_fts WHERE posts_fts MATCH ").Value(match)
           .Append(" AND rowid BETWEEN ").Value(lo).Append(" AND ").Value(lo + SiteStride - 1)
           // The covering index answers the join and the filters without reading the (large) rows.
           .Append(") f JOIN posts p INDEXED BY ix_posts_search_cover ON p.site_id = ").Value(siteId).Append(" AND p.id = f.rid - ").Value(lo);
    }

    private void Where(SearchCommand sql, Filter filter)
    {
        var (query, categories) = (filter.Query, filter.Categories);
        sql.Append(" WHERE p.site_id = ").Value(filter.SiteId);
        if (filter.Terms.Count > 0 && IsPostgres) sql.Append(" AND p.search_vector @@ q.query");
        Visibility(sql, query.Types, filter.Reader);
        if (query.Statuses is { } statuses) sql.Append(" AND p.status IN ").List(statuses);
        if (query.AuthorId is { } author) sql.Append(" AND p.author_id = ").Value(author);
        if (query.ParentId is { } parent) sql.Append(" AND p.parent_id = ").Value(parent);
        if (query.Sticky is { } sticky) sql.Append(" AND p.sticky = ").Value(sticky);
        if (query.AfterUtc is { } after) sql.Append(" AND p.date_utc >= ").Value(after);
        if (query.BeforeUtc is { } before) sql.Append(" AND p.date_utc <= ").Value(before);
        if (categories is not null) InTerms(sql, filter, categories, filter.CategoriesAsSet);
        if (query.TagId is { } tag) InTerms(sql, filter, [tag], filter.TagAsSet);
        if (!string.IsNullOrEmpty(query.MetaKey))
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM post_meta m WHERE m.site_id = p.site_id AND m.post_id = p.id AND m.key = ").Value(query.MetaKey);
            if (query.MetaValue is not null) sql.Append(" AND m.value = ").Value(query.MetaValue);
            sql.Append(")");
        }
    }

    /// <summary>
    /// The post has one of the terms (a category and its descendants, or a tag). Usually a look-up of the post in
    /// post_terms, for each match that passes visibility. As a set (SQLite, a statement that walks the full-text matches):
    /// the terms' posts are read once from the covering index (site_id, term_id, post_id) into a set, and each match's
    /// rowid is tested against it before its post is looked up, so only matches in the category reach the join. Each way
    /// costs what the other saves: see <see cref="WithTermSetsAsync"/>.
    /// </summary>
    private static void InTerms(SearchCommand sql, Filter filter, IReadOnlyList<long> termIds, bool asSet)
    {
        if (asSet)
        {
            // An expression of the rowid, not the rowid itself: FTS5 would take "rowid IN (…)" as a look-up per listed post,
            // each far dearer than walking the word's matches.
            sql.Append(" AND f.rid - ").Value(filter.SiteId * SiteStride)
               .Append(" IN (SELECT pt.post_id FROM post_terms pt WHERE pt.site_id = ").Value(filter.SiteId).Append(" AND pt.term_id IN ").List(termIds).Append(")");
            return;
        }
        sql.Append(" AND EXISTS (SELECT 1 FROM post_terms pt WHERE pt.site_id = p.site_id AND pt.post_id = p.id AND pt.term_id IN ").List(termIds).Append(")");
    }

    /// <summary>
    /// Decides, for the statements that walk all of a large match set (SQLite), whether the category and tag filters are
    /// tested as sets. A set costs about 0.4 µs per post in the terms to build, a look-up about 1 µs per match (measured,
    /// docs/performance.md): a word in a quarter of 100,000 posts with one category of 4,000 posts costs 4 ms as a set
    /// against 22 ms by look-ups, while a rare word in a category holding most posts would cost more as a set. So a set is
    /// used when the terms hold fewer than three posts per match; counting stops there, so the count stays cheap.
    /// </summary>
    private async Task<Filter> WithTermSetsAsync(DbConnection connection, Filter filter, long matches, CancellationToken ct)
    {
        if (IsPostgres) return filter;
        async Task<bool> SmallerThanMatchesAsync(IReadOnlyList<long> termIds)
        {
            await using var command = NewCommand(connection);
            var limit = 3 * matches;
            var sql = new SearchCommand(command).Append("SELECT COUNT(*) FROM (SELECT 1 FROM post_terms pt WHERE pt.site_id = ").Value(filter.SiteId)
                .Append(" AND pt.term_id IN ").List(termIds).Append(" LIMIT ").Value(limit).Append(")");
            return await ScalarAsync(sql, ct) < limit;
        }
        return filter with
        {
            CategoriesAsSet = filter.Categories is { } categories && await SmallerThanMatchesAsync(categories),
            TagAsSet = filter.Query.TagId is { } tag && await SmallerThanMatchesAsync([tag]),
        };
    }

    private static void Visibility(SearchCommand sql, IReadOnlyList<string> types, ReadAccess reader)
    {
        sql.Append(" AND (");
        var first = true;
        foreach (var type in types)
        {
            if (!reader.ByType.TryGetValue(type, out var access)) continue;
            if (!first) sql.Append(" OR ");
            first = false;
            sql.Append("(p.type = ").Value(type).Append(" AND (");
            sql.Append(access.AnyAuthor.Count > 0 ? "p.status IN " : "1 = 0");
            if (access.AnyAuthor.Count > 0) sql.List(access.AnyAuthor);
            if (access.OwnOnly.Count > 0 && reader.UserId is { } me)
                sql.Append(" OR (p.author_id = ").Value(me).Append(" AND p.status IN ").List(access.OwnOnly).Append(")");
            sql.Append("))");
        }
        if (first) sql.Append("1 = 0");
        sql.Append(")");
    }

    private void OrderBy(SearchCommand sql, PostQuery query, bool byRelevance)
    {
        var direction = query.Ascending ? " ASC" : " DESC";
        switch (query.OrderBy)
        {
            case PostOrder.Relevance when byRelevance:
                // SQLite's bm25 is lower-is-better; PostgreSQL's rank is higher-is-better. Newest breaks ties.
                sql.Append(" ORDER BY ").Append(IsPostgres ? "rank DESC" : "f.rank ASC").Append(", p.date_utc DESC, p.id DESC");
                break;
            case PostOrder.Modified:
                sql.Append(" ORDER BY p.modified_utc").Append(direction).Append(", p.id").Append(direction);
                break;
            case PostOrder.Title:
                sql.Append(" ORDER BY p.title").Append(query.Ascending ? " ASC" : " DESC").Append(", p.id ASC");
                break;
            default:
                sql.Append(" ORDER BY p.date_utc").Append(direction).Append(", p.id").Append(direction);
                break;
        }
    }
}
