using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Content.Search;

/// <summary>
/// The one search service: query text over title, content and excerpt ranked by relevance (SQLite FTS5 with
/// bm25, PostgreSQL tsvector with ts_rank_cd, both without stemming), filters, paging and a total count.
/// Visibility is part of every statement (<see cref="ReadAccess"/>; on SQLite inside the full-text MATCH, see
/// <see cref="SearchFacets"/>), so nothing the reader may not see is read. Without query text it lists posts newest
/// first, which is what home pages and archives need. A query matching more posts than
/// <see cref="SearchRanking.RankAllLimit"/> is ordered by WordPress's tiers instead of ranked (PostSearch.Large.cs).
/// </summary>
internal sealed partial class PostSearch(PressDbContext db, StorageSettings storage, SearchRanking ranking, SearchResultCache results, SearchPostings postings,
    PostgresSearchPostings? postgresPostings = null)
{
    public async Task<Outcome<PostPage>> SearchAsync(long siteId, PostQuery query, ReadAccess reader, CancellationToken ct = default, PostRead read = PostRead.Whole)
    {
        if (query.Validate() is { } error) return Problem.Invalid(error);
        var terms = query.Terms();
        if (query.HasText && terms.Count == 0) return Outcome<PostPage>.Ok(new PostPage([], 0, query.Page, query.PerPage));

        var (hidden, nothingVisible, hiddenContent) = reader.VisibilityOf(query.Types);
        if (nothingVisible) return Outcome<PostPage>.Ok(new PostPage([], 0, query.Page, query.PerPage));
        // Before any statement reads the site's content: the answer is kept until the site's next write (SearchResultCache),
        // and the words' lists in memory are used only for the same state (SearchPostings, PostgresSearchPostings).
        var stamp = await ContentVersion.ReadCommittedStampAsync(db, siteId, ct);
        var cached = results.LookUp(stamp?.Site, siteId, query, terms, reader);
        if (cached.Hit is { } hit) return Outcome<PostPage>.Ok(new PostPage(await PostRows.ByIdsAsync(db, siteId, hit.Ids, ct, read), hit.Total, query.Page, query.PerPage, hit.TotalIsLowerBound));
        var categories = query.CategoryId is { } category ? await CategoryWithDescendantsAsync(siteId, category, ct) : null;
        var filter = new Filter(siteId, query, terms, reader, categories, hidden, terms.Count > 0 ? hiddenContent : null);
        var counted = IsLargeRelevanceQuery(query, terms);
        // Text by relevance with no filter but visibility, author, category and tag: ranked in memory (bm25 or the tiers,
        // exactly as the statements below would) when the site's rows are there for this state and its words held or
        // sharing few enough rows to read now; otherwise the statements run.
        if (counted && filter.HeldInMemory && stamp is { } state && !IsPostgres
            && await postings.TryRankAsync(db, siteId, state, terms, hidden, filter.HiddenContent, filter.Restriction(), query.Offset, query.PerPage, ranking, ct) is { } ranked)
        {
            if (ranked.Total == 0) return Outcome<PostPage>.Ok(new PostPage([], 0, query.Page, query.PerPage));
            return await AnswerAsync(cached, read, siteId, query, terms, ranked.Ids, ranked.Total, ct);
        }
        // PostgreSQL, the same case (posts and pages only: the types the facets know): counted and ordered from the words'
        // lists in memory (ts_rank_cd at or below the rank-all limit from their positions when held, else in SQL over the known matches).
        if (counted && filter.HeldInMemory && stamp is { } pgState && IsPostgres && query.Types.All(SearchFacets.IndexedTypes.Contains)
            && postgresPostings is not null
            && await postgresPostings.TryCountAsync(db, siteId, pgState, terms, hidden, filter.HiddenContent, filter.Restriction(), query.Offset, query.PerPage, ranking, ct) is { } held)
        {
            if (held.Total == 0) return Outcome<PostPage>.Ok(new PostPage([], 0, query.Page, query.PerPage));
            return await AnswerAsync(cached, read, siteId, query, terms, held.Page ?? await RankByIdsPostgresAsync(filter, held.Matches!, ct), held.Total, ct);
        }
        await using var connection = await ContextConnection.OpenAsync(db, ct);
        // PostgreSQL with no filter but visibility: the count and, when every match was counted, the page, in one statement.
        var (matches, page) = !counted ? (0, null)
            : IsPostgres && filter.VisibilityOnly ? await CountAndPagePostgresAsync(connection, filter, ct)
            : (await CountMatchesAsync(connection, filter, ct), null);
        // No visible match before the other filters: none after them either, and nothing to rank.
        if (counted && matches == 0) return Outcome<PostPage>.Ok(new PostPage([], 0, query.Page, query.PerPage));
        var (ids, total) = page is not null ? (page, matches)
            : matches > ranking.RankAllLimit
            ? await RankLargeAsync(connection, await WithTermSetsAsync(connection, filter, matches, ct) with { Matches = matches }, ct)
            : await RankAsync(connection, filter, ct);
        return await AnswerAsync(cached, read, siteId, query, terms, ids, total, ct);
    }

    /// <summary>
    /// The page's posts read by id, kept for the site's next searches. With query text the total is exact up to the limit
    /// and a lower bound above it (PostPage), whichever path or statement counted it, so the same query reads the same
    /// with or without a filter, in memory or by SQL.
    /// </summary>
    private async Task<Outcome<PostPage>> AnswerAsync(SearchResultCache.Lookup cached, PostRead read, long siteId, PostQuery query, IReadOnlyList<string> terms,
        List<long> ids, long total, CancellationToken ct)
    {
        var lowerBound = terms.Count > 0 && total > ranking.ExactTotalLimit;
        if (lowerBound) total = ranking.ExactTotalLimit;
        cached.Store(ids, total, lowerBound);
        return Outcome<PostPage>.Ok(new PostPage(await PostRows.ByIdsAsync(db, siteId, ids, ct, read), total, query.Page, query.PerPage, lowerBound));
    }

    /// <summary>
    /// What every statement of one search filters by. Hidden: SQLite's full-text expression of what the reader may not
    /// see (<see cref="SearchFacets.Hidden"/>). HiddenContent: SQLite's full-text expression of the protected posts whose
    /// excerpt and content the reader may not search (<see cref="SearchFacets.HiddenContent"/>); null when there are none,
    /// on PostgreSQL too (where the rule is on the posts row, <see cref="ProtectedByTitle"/>). CategoriesAsSet and TagAsSet: test full-text matches against the term's
    /// posts read into a set, rather than each match's post against post_terms (see <see cref="InTerms"/>). Matches: the
    /// full-text matches the reader may see before the other filters, when counted.
    /// </summary>
    private sealed record Filter(long SiteId, PostQuery Query, IReadOnlyList<string> Terms, ReadAccess Reader, IReadOnlyList<long>? Categories,
        string Hidden, string? HiddenContent, bool CategoriesAsSet = false, bool TagAsSet = false, long? Matches = null)
    {
        /// <summary>Filters on columns of the posts row. Without them (and ordered by relevance) a SQLite statement reads the full-text index alone.</summary>
        public bool OnPostColumns => Query.Statuses is not null || Query.AuthorId is not null || Query.ParentId is not null
            || Query.Sticky is not null || Query.AfterUtc is not null || Query.BeforeUtc is not null;

        /// <summary>No filter but visibility (the text's matches the reader may see are the answer).</summary>
        public bool VisibilityOnly => !OnPostColumns && Categories is null && Query.TagId is null && string.IsNullOrEmpty(Query.MetaKey);

        /// <summary>
        /// Filters the in-memory search tests as the statements do (<see cref="SearchPostings.Restriction"/>): visibility,
        /// an author (a facet token), a category or tag (term sets). An author id below 1 stays on SQL: its facet token
        /// is also the token of posts without an author, which <c>p.author_id = 0</c> does not find.
        /// </summary>
        public bool HeldInMemory => Query.Statuses is null && Query.ParentId is null && Query.Sticky is null && Query.AfterUtc is null
            && Query.BeforeUtc is null && string.IsNullOrEmpty(Query.MetaKey) && Query.AuthorId is null or > 0;

        public SearchPostings.Restriction Restriction() => VisibilityOnly ? SearchPostings.Restriction.None
            : new(Query.AuthorId, [.. new[] { Categories, Query.TagId is { } tag ? [tag] : null }.OfType<IReadOnlyList<long>>()]);

        /// <summary>The total, known without another statement: the visible matches, when no other filter applies.</summary>
        public long? KnownTotal => VisibilityOnly ? Matches : null;
    }

    /// <summary>
    /// Which full-text matches a statement reads: all, or one tier of a large match set (PostSearch.Large.cs): every
    /// word in the title; every word in title or excerpt but not all in the title; the others.
    /// </summary>
    private enum Part
    {
        All,
        Title,
        ExcerptNotTitle,
        ContentOnly,
        /// <summary>The first two tiers together: every word in title or excerpt.</summary>
        TitleOrExcerpt,
    }

    /// <summary>The page in the query's order (bm25 over every match when ranking by relevance) and the total.</summary>
    private async Task<(List<long> Ids, long Total)> RankAsync(ContextConnection connection, Filter filter, CancellationToken ct)
    {
        var (query, terms) = (filter.Query, filter.Terms);
        var hasTerms = terms.Count > 0;
        // With query text every match is read anyway, so the total comes with the page (COUNT(*) OVER ()).
        // Without text the page is read in index order and the total is a separate index-only count.
        await using var command = connection.Command();
        var byRelevance = hasTerms && query.OrderBy == PostOrder.Relevance;
        var id = IdColumn(filter, joinPosts: !byRelevance);
        var sql = new SqlBuilder(command).Append("SELECT ").Append(id).Append(hasTerms ? ", COUNT(*) OVER () AS total" : ", 0 AS total");
        From(sql, filter, Part.All, ranked: byRelevance, id);
        Where(sql, filter, id);
        OrderBy(sql, query, byRelevance, id);
        Page(sql, query.PerPage, query.Offset);
        var (ids, total) = await ReadPageAsync(sql, query.PerPage, ct);
        if (!hasTerms || (ids.Count == 0 && query.Page > 1)) total = filter.KnownTotal ?? await CountAsync(connection, filter, ct);
        return (ids, total);
    }

    /// <summary>
    /// The id column a statement selects, which also says what it reads: <c>p.id</c> when it joins the posts row,
    /// <c>f.id</c> when a SQLite statement reads the full-text index alone (visibility is in its MATCH, see
    /// <see cref="SearchFacets"/>; the posts row is needed only for filters and orders on its columns).
    /// </summary>
    private string IdColumn(Filter filter, bool joinPosts) =>
        IsPostgres || filter.Terms.Count == 0 || joinPosts || filter.OnPostColumns ? PostsId : IndexId;

    private const string PostsId = "p.id";
    private const string IndexId = "f.id";

    private static void Page(SqlBuilder sql, int limit, long offset) =>
        sql.Append(" LIMIT ").Value(limit).Append(" OFFSET ").Value(offset);

    /// <summary>Runs a statement whose rows are (id, total) and reads the ids in order, and the total.</summary>
    private static async Task<(List<long> Ids, long Total)> ReadPageAsync(SqlBuilder sql, int capacity, CancellationToken ct, bool skipFirstResult = false)
    {
        var ids = new List<long>(capacity);
        long total = 0;
        await using var rows = await sql.Build().ExecuteReaderAsync(ct);
        // A command that starts with PostgreSQL's BitmapOnly settings: the page is the second statement's result.
        if (skipFirstResult) await rows.NextResultAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            ids.Add(rows.GetInt64(0));
            total = rows.GetInt64(1);
        }
        return (ids, total);
    }

    /// <summary>
    /// The number of matches the reader may see: exact without query text; with it, on PostgreSQL, counted up to one past
    /// <see cref="SearchRanking.ExactTotalLimit"/>, where the total becomes a lower bound (each match is a visit of its
    /// posts row there, so a word in every post no longer visits every post).
    /// </summary>
    private async Task<long> CountAsync(ContextConnection connection, Filter filter, CancellationToken ct)
    {
        await using var command = connection.Command();
        var id = IdColumn(filter, joinPosts: false);
        var capped = IsPostgres && filter.Terms.Count > 0;
        var bitmapOnly = capped && connection.Transaction is null;
        var sql = new SqlBuilder(command).Append(bitmapOnly ? BitmapOnly : "").Append(capped ? "SELECT COUNT(*) FROM (SELECT 1" : "SELECT COUNT(*)");
        From(sql, filter, Part.All, ranked: false, id);
        Where(sql, filter, id);
        if (capped) sql.Append(" LIMIT ").Value(ranking.ExactTotalLimit + 1L).Append(") m");
        return bitmapOnly ? await LastScalarAsync(sql, ct) : await ScalarAsync(sql, ct);
    }

    private static async Task<long> ScalarAsync(SqlBuilder sql, CancellationToken ct) =>
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

    /// <summary>Every word within the given columns (an FTS5 column filter over the whole expression).</summary>
    private static string InColumns(string columns, IReadOnlyList<string> terms) => "{" + columns + "} : (" + FtsMatch(terms) + ")";

    /// <summary>
    /// The FTS5 expression of a part's matches that the reader may see: the part's words (in any text column for all
    /// matches; no word can equal a facet token), without the hidden posts, nor the protected posts the reader may not
    /// edit whose title lacks a word. Terms are words only, each quoted, so no
    /// FTS5 syntax gets through.
    /// </summary>
    private static string Match(Filter filter, Part part)
    {
        var (terms, any) = (filter.Terms, "(" + FtsMatch(filter.Terms) + ")");
        var words = part switch
        {
            Part.Title => InColumns("title", terms),
            Part.ExcerptNotTitle => "(" + InColumns("title excerpt", terms) + ") NOT " + InColumns("title", terms),
            Part.ContentOnly => any + " NOT " + InColumns("title excerpt", terms),
            Part.TitleOrExcerpt => InColumns("title excerpt", terms),
            _ => any,
        };
        var visible = "(" + words + ") NOT " + filter.Hidden;
        // A protected post the reader may not edit is found by its title alone: its excerpt and content are not theirs
        // to read, so not to search either. The right side of the NOT walks only the few protected posts.
        return filter.HiddenContent is { } content ? "(" + visible + ") NOT (" + content + " NOT " + InColumns("title", terms) + ")" : visible;
    }

    /// <summary>
    /// The FROM clause: the site's posts, joined with the full-text matches when there is query text. Ranked: a rank
    /// column (bm25 on SQLite, ts_rank_cd on PostgreSQL). On SQLite a part of the matches (see <see cref="Part"/>),
    /// and the posts row joined only when <paramref name="id"/> is <see cref="PostsId"/>.
    /// </summary>
    private void From(SqlBuilder sql, Filter filter, Part part, bool ranked, string id)
    {
        var (siteId, terms) = (filter.SiteId, filter.Terms);
        if (terms.Count == 0)
        {
            sql.Append(" FROM posts p");
            return;
        }
        if (IsPostgres)
        {
            // Every term must match ('a' & 'b'); terms are words only, quoted, so no tsquery syntax gets through. title:
            // every word in the title (weight A), for the title tier and protected posts (see PostgresMatch).
            if (ranked) sql.Append(", ts_rank_cd(").Append(PostgresRankWeights).Append(", p.search_vector, q.query) AS rank");
            sql.Append(" FROM posts p CROSS JOIN (SELECT to_tsquery('simple', ").Value(TsQuery(terms, "")).Append(") AS query");
            if (filter.HiddenContent is not null || part is Part.Title or Part.ExcerptNotTitle)
                sql.Append(", to_tsquery('simple', ").Value(TsQuery(terms, ":A")).Append(") AS title");
            sql.Append(") q");
            return;
        }
        // bm25 weights: title 10, excerpt 3, content 1, facets 0. Lower is better. rid: the rowid itself, whose order
        // FTS5 can walk (ORDER BY f.rid stops early under a LIMIT); id: the post's id in the site.
        var lo = SearchRowId.SiteStart(siteId);
        sql.Append(ranked ? ", f.rank" : "")
           .Append(" FROM (SELECT rowid AS rid, rowid - ").Value(lo).Append(" AS id").Append(ranked ? ", bm25(posts_fts, 10.0, 3.0, 1.0, 0.0) AS rank" : "")
           .Append(" FROM ");
        IndexMatches(sql, siteId, Match(filter, part)).Append(") f");
        // The covering index answers the join and the filters without reading the (large) rows.
        if (id == PostsId) sql.Append(" JOIN posts p INDEXED BY ix_posts_search_cover ON p.site_id = ").Value(siteId).Append(" AND p.id = f.id");
    }

    /// <summary>
    /// The WHERE clause. Where the posts row is joined it repeats the visibility rule on its columns (PostgreSQL's only
    /// test of it; on SQLite the MATCH already left hidden posts out); statements over the index alone filter by terms
    /// and custom fields through the match's id.
    /// </summary>
    /// <summary>
    /// Appends <c>posts_fts WHERE posts_fts MATCH … AND rowid BETWEEN …</c>: the site's rows of the full-text index that
    /// match the expression (a site is a rowid range, see <see cref="SearchRowId"/>).
    /// </summary>
    private static SqlBuilder IndexMatches(SqlBuilder sql, long siteId, string match) =>
        sql.Append("posts_fts WHERE posts_fts MATCH ").Value(match).Append(" AND rowid BETWEEN ").Value(SearchRowId.SiteStart(siteId))
            .Append(" AND ").Value(SearchRowId.SiteEnd(siteId));

    private void Where(SqlBuilder sql, Filter filter, string id, Part part = Part.All)
    {
        var (query, categories) = (filter.Query, filter.Categories);
        if (id == PostsId)
        {
            sql.Append(" WHERE p.site_id = ").Value(filter.SiteId);
            if (filter.Terms.Count > 0 && IsPostgres)
            {
                PostgresMatch(sql, part);
                ProtectedByTitle(sql, filter, "q.title");
            }
            Visibility(sql, query.Types, filter.Reader);
            if (query.Statuses is { } statuses) sql.Append(" AND p.status IN ").List(statuses);
            if (query.AuthorId is { } author) sql.Append(" AND p.author_id = ").Value(author);
            if (query.ParentId is { } parent) sql.Append(" AND p.parent_id = ").Value(parent);
            if (query.Sticky is { } sticky) sql.Append(" AND p.sticky = ").Value(sticky);
            if (query.AfterUtc is { } after) sql.Append(" AND p.date_utc >= ").Value(after);
            if (query.BeforeUtc is { } before) sql.Append(" AND p.date_utc <= ").Value(before);
        }
        else
        {
            sql.Append(" WHERE 1 = 1");
        }
        if (categories is not null) InTerms(sql, filter, id, categories, filter.CategoriesAsSet);
        if (query.TagId is { } tag) InTerms(sql, filter, id, [tag], filter.TagAsSet);
        if (!string.IsNullOrEmpty(query.MetaKey))
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM post_meta m WHERE m.site_id = ").Value(filter.SiteId).Append(" AND m.post_id = ").Append(id)
               .Append(" AND m.key = ").Value(query.MetaKey);
            if (query.MetaValue is not null) sql.Append(" AND m.value = ").Value(query.MetaValue);
            sql.Append(")");
        }
    }

    /// <summary>
    /// The post has one of the terms (a category and its descendants, or a tag). Usually a look-up of the post in
    /// post_terms, for each match that passes visibility. As a set (SQLite, a statement that walks the full-text matches):
    /// the terms' posts are read once from the covering index (site_id, term_id, post_id) into a set, and each match's
    /// id is tested against it before its post is looked up, so only matches in the category reach the join. Each way
    /// costs what the other saves: see <see cref="WithTermSetsAsync"/>.
    /// </summary>
    private static void InTerms(SqlBuilder sql, Filter filter, string id, IReadOnlyList<long> termIds, bool asSet)
    {
        if (asSet)
        {
            // f.id is an expression of the rowid (rowid - lo), not the rowid itself: FTS5 would take "rowid IN (…)" as a
            // look-up per listed post, each far dearer than walking the word's matches.
            sql.Append(" AND ").Append(IndexId)
               .Append(" IN (SELECT pt.post_id FROM post_terms pt WHERE pt.site_id = ").Value(filter.SiteId).Append(" AND pt.term_id IN ").List(termIds).Append(")");
            return;
        }
        sql.Append(" AND EXISTS (SELECT 1 FROM post_terms pt WHERE pt.site_id = ").Value(filter.SiteId).Append(" AND pt.post_id = ").Append(id)
           .Append(" AND pt.term_id IN ").List(termIds).Append(")");
    }

    /// <summary>
    /// Decides, for the statements that walk all of a large match set (SQLite), whether the category and tag filters are
    /// tested as sets. A set costs about 0.4 µs per post in the terms to build, a look-up about 1 µs per match (measured,
    /// docs/performance.md): a word in a quarter of 100,000 posts with one category of 4,000 posts costs 4 ms as a set
    /// against 22 ms by look-ups, while a rare word in a category holding most posts would cost more as a set. So a set is
    /// used when the terms hold fewer than three posts per match; counting stops there, so the count stays cheap.
    /// </summary>
    private async Task<Filter> WithTermSetsAsync(ContextConnection connection, Filter filter, long matches, CancellationToken ct)
    {
        if (IsPostgres) return filter;
        async Task<bool> SmallerThanMatchesAsync(IReadOnlyList<long> termIds)
        {
            await using var command = connection.Command();
            var limit = 3 * matches;
            var sql = new SqlBuilder(command).Append("SELECT COUNT(*) FROM (SELECT 1 FROM post_terms pt WHERE pt.site_id = ").Value(filter.SiteId)
                .Append(" AND pt.term_id IN ").List(termIds).Append(" LIMIT ").Value(limit).Append(")");
            return await ScalarAsync(sql, ct) < limit;
        }
        return filter with
        {
            CategoriesAsSet = filter.Categories is { } categories && await SmallerThanMatchesAsync(categories),
            TagAsSet = filter.Query.TagId is { } tag && await SmallerThanMatchesAsync([tag]),
        };
    }

    /// <summary>
    /// PostgreSQL's test of a part's matches (<see cref="Part"/>). The tiers are tested on <c>search_head</c>, the title
    /// and excerpt words alone (a small tsvector with its own GIN index, migration PostgresSearchHead), never on
    /// <c>search_vector</c> with weights: that read each match's whole vector (about 2 kB, compressed) and made the GIN
    /// index recheck every row, so ordering a frequent word's 12,600 matches took most of a second. A post with every word in
    /// its title or excerpt has them in search_vector too, so the head tiers need no test of search_vector.
    /// </summary>
    private static void PostgresMatch(SqlBuilder sql, Part part) => sql.Append(part switch
    {
        Part.Title => " AND p.search_head @@ q.title",
        Part.TitleOrExcerpt => " AND p.search_head @@ q.query",
        Part.ExcerptNotTitle => " AND p.search_head @@ q.query AND NOT p.search_head @@ q.title",
        Part.ContentOnly => " AND p.search_vector @@ q.query AND NOT p.search_head @@ q.query",
        _ => " AND p.search_vector @@ q.query",
    });

    private static void Visibility(SqlBuilder sql, IReadOnlyList<string> types, ReadAccess reader) =>
        Access(sql.Append(" AND "), types, reader.ByType, reader.UserId);

    /// <summary>
    /// PostgreSQL's rule for protected posts (SQLite's is in the MATCH, see <see cref="Match"/>): a post with a password
    /// that the reader may not edit is a match only when every word is in its title (weight A of <c>search_head</c>, the
    /// small title and excerpt vector): <paramref name="titleQuery"/>, the statement's own title query, or null for one written here.
    /// </summary>
    private static void ProtectedByTitle(SqlBuilder sql, Filter filter, string? titleQuery)
    {
        if (filter.HiddenContent is null) return;
        sql.Append(" AND (p.password = '' OR ");
        Access(sql, filter.Query.Types, filter.Reader.EditByType, filter.Reader.UserId);
        sql.Append(" OR p.search_head @@ ");
        if (titleQuery is null) sql.Append("to_tsquery('simple', ").Value(TsQuery(filter.Terms, ":A")).Append(")");
        else sql.Append(titleQuery);
        sql.Append(")");
    }

    /// <summary>The posts of <paramref name="types"/> that <paramref name="byType"/> grants, as a condition on the posts row.</summary>
    private static void Access(SqlBuilder sql, IReadOnlyList<string> types, IReadOnlyDictionary<string, ReadAccess.TypeAccess> byType, long? userId)
    {
        sql.Append("(");
        var first = true;
        foreach (var type in types)
        {
            if (!byType.TryGetValue(type, out var access)) continue;
            if (!first) sql.Append(" OR ");
            first = false;
            sql.Append("(p.type = ").Value(type).Append(" AND (");
            sql.Append(access.AnyAuthor.Count > 0 ? "p.status IN " : "1 = 0");
            if (access.AnyAuthor.Count > 0) sql.List(access.AnyAuthor);
            if (access.OwnOnly.Count > 0 && userId is { } me)
                sql.Append(" OR (p.author_id = ").Value(me).Append(" AND p.status IN ").List(access.OwnOnly).Append(")");
            sql.Append("))");
        }
        if (first) sql.Append("1 = 0");
        sql.Append(")");
    }

    private void OrderBy(SqlBuilder sql, PostQuery query, bool byRelevance, string id)
    {
        var direction = query.Ascending ? " ASC" : " DESC";
        switch (query.OrderBy)
        {
            case PostOrder.Relevance when byRelevance:
                // SQLite's bm25 is lower-is-better; PostgreSQL's rank is higher-is-better. The newest post (highest id)
                // breaks ties: the id needs no posts row, so a SQLite statement can rank from the index alone.
                sql.Append(" ORDER BY ").Append(IsPostgres ? "rank DESC" : "f.rank ASC").Append(", ").Append(id).Append(" DESC");
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
