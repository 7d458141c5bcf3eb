using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Content.Search;

/// <summary>
/// Reads what <see cref="PostgresSearchPostings"/> holds, in one read-only REPEATABLE READ transaction (one snapshot,
/// taken by its first statement, the stamp's), so everything read is the state of that stamp:
/// <list type="bullet">
/// <item>the site's posts and pages (every status) with their <see cref="SearchFacets.Of"/> tokens, from the posts row;</item>
/// <item>a word: the posts whose <c>search_vector</c> matches it, with PostgreSQL's own tests of <c>search_head</c> against
/// the word with weight A and without, the same tsqueries PostSearch sends (one GIN statement per word);</item>
/// <item>words' positions (<see cref="PostgresSearchPostings.PositionsKey"/>): every post holding any of them, its
/// vector read once (<see cref="PrepareAsync"/>).</item>
/// </list>
/// A search reads its one word through its own context the same way (<see cref="ReadWordForSearchAsync"/>).
/// </summary>
internal sealed class PostgresSearchPostingsReader : IPostingsReader<PostgresSitePostings, PostgresWordPostings>
{
    /// <summary>Posts of the site above which a word is not held (a word in every post of a very large site).</summary>
    public const int MaxRows = 1_000_000;

    private readonly PressDbContext _db;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly long _siteId;
    private bool _bitmapOnly;

    private PostgresSearchPostingsReader(PressDbContext db, DbConnection connection, DbTransaction transaction, long siteId, ContentStamp? stamp)
    {
        (_db, _connection, _transaction, _siteId, Stamp) = (db, connection, transaction, siteId, stamp);
    }

    /// <summary>The stamp everything read here belongs to; null when the site has none (nothing may be held).</summary>
    public ContentStamp? Stamp { get; }

    public static async Task<PostgresSearchPostingsReader> OpenAsync(PressDbContext db, long siteId, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SET TRANSACTION READ ONLY; " + ContentVersion.SiteStampSql;
        command.AddParameter("@site", siteId);
        ContentStamp? stamp = null;
        await using (var rows = await command.ExecuteReaderAsync(ct))
        {
            while (rows.FieldCount == 0 && await rows.NextResultAsync(ct)) { }
            if (await rows.ReadAsync(ct) && !rows.IsDBNull(0)) stamp = new ContentStamp(rows.GetInt64(0), rows.GetInt64(1));
        }
        return new PostgresSearchPostingsReader(db, connection, transaction, siteId, stamp);
    }

    private DbCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
#pragma warning disable CA2100 // This class's constant statements; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.AddParameter("@site", _siteId);
        return command;
    }

    /// <summary>The site's posts and pages ascending by id, and their facet classes; null when there are too many classes.</summary>
    public async Task<PostgresSitePostings?> ReadSiteAsync(CancellationToken ct)
    {
        var ids = new List<long>();
        var classes = new List<ushort>();
        var facetClasses = new FacetClasses();
        await using (var command = Command("SELECT id, type, status, author_id, password <> '' FROM posts WHERE site_id = @site AND type IN ('post', 'page') ORDER BY id"))
        await using (var rows = await command.ExecuteReaderAsync(ct))
        {
            while (await rows.ReadAsync(ct))
            {
                if (facetClasses.Of(SearchFacets.Of(rows.GetString(1), rows.GetString(2), rows.IsDBNull(3) ? null : rows.GetInt64(3), rows.GetBoolean(4))) is not { } facetClass)
                    return null;
                ids.Add(rows.GetInt64(0));
                classes.Add(facetClass);
            }
        }
        return new PostgresSitePostings { Ids = [.. ids], Classes = [.. classes], ClassTokens = facetClasses.Tokens(), Stamp = Stamp!.Value };
    }

    /// <summary>
    /// One word's posts in the site with PostgreSQL's tests of <c>search_head</c>: the word with weight A (the title tier
    /// and the protected-post rule) and without (title or excerpt). Not held (Rows null) when the site has more than
    /// <see cref="MaxRows"/> such posts, or one the site's rows lack. Its size, when read first, is only an estimate (<see cref="ReadWordSizeAsync"/>).
    /// </summary>
    public async Task<PostgresWordPostings> ReadWordAsync(PostgresSitePostings site, string key, WordSize? size, CancellationToken ct)
    {
        var notHeld = new PostgresWordPostings();
        var term = PostgresSearchPostings.WordOf(key);
        // Positions are read together, before the words are read one by one (PrepareAsync).
        if (PostgresSearchPostings.IsPositionsKey(key)) return _prepared.GetValueOrDefault(key) ?? notHeld;
        await EnsureBitmapOnlyAsync(ct);
        await using var command = Command("SELECT p.id, p.search_head @@ q.title, p.search_head @@ q.query FROM posts p"
            + " CROSS JOIN (SELECT to_tsquery('simple', @query) AS query, to_tsquery('simple', @title) AS title) q"
            + " WHERE p.site_id = @site AND p.type IN ('post', 'page') AND p.search_vector @@ q.query ORDER BY p.id LIMIT @max");
        // The statements' own tsqueries for one word (PostSearch.TsQuery): every word of a query is ANDed, so the query's
        // matches and tier tests are the intersection of its words'.
        command.AddParameter("@query", $"'{term}'");
        command.AddParameter("@title", $"'{term}':A");
        command.AddParameter("@max", MaxRows + 1);
        return await ReadListAsync(command, site, MaxRows, ct) is { } read ? read.Word : notHeld;
    }

    /// <summary>
    /// One word's posts in the site as <see cref="ReadWordAsync"/> reads them, read by the search that needs it (a word not
    /// held yet), with each post's ts_rank_cd for that one word when the site has at most <paramref name="rankAllLimit"/>
    /// of them: the search's ordering then needs no statement of its own. One statement, which reads what the search's own
    /// count and page statement reads (each match's row through the GIN bitmap, its vector only when ranked),
    /// so answering from it costs what SQL would, and the list is there for the word's next searches. Null when the site
    /// has more than <paramref name="maxRows"/> such posts, or one the site's rows lack (the search goes to SQL).
    /// Ranks: per row of the list, as PostgreSQL computed them (float4); null when not computed.
    /// </summary>
    public async Task<(PostgresWordPostings Word, float[]? Ranks)?> ReadWordForSearchAsync(PostgresSitePostings site, string term, int maxRows, int rankAllLimit, CancellationToken ct)
    {
        await EnsureBitmapOnlyAsync(ct);
        // The posts are read once into a materialized set of ids and heads (not the vectors, kept in the row: they would
        // make the set spill to disk), counted, and ranked only when few, each vector then read by its primary key: the
        // statements' own tsqueries and weights (PostSearch).
        await using var command = Command("WITH q AS (SELECT to_tsquery('simple', @query) AS query, to_tsquery('simple', @title) AS title),"
            + " m AS MATERIALIZED (SELECT p.id, p.search_head AS head FROM posts p CROSS JOIN q"
            + " WHERE p.site_id = @site AND p.type IN ('post', 'page') AND p.search_vector @@ q.query LIMIT @max), n AS (SELECT COUNT(*) AS c FROM m)"
            + " SELECT m.id, m.head @@ q.title, m.head @@ q.query, CASE WHEN n.c <= @rankAll THEN "
            + PostSearch.PostgresRankOfMatchHead + "@site" + PostSearch.PostgresRankOfMatchTail + " END"
            + " FROM m CROSS JOIN n CROSS JOIN q ORDER BY m.id");
        command.AddParameter("@query", $"'{term}'");
        command.AddParameter("@title", $"'{term}':A");
        command.AddParameter("@max", maxRows + 1);
        command.AddParameter("@rankAll", (long)rankAllLimit);
        return await ReadListAsync(command, site, maxRows, ct);
    }

    /// <summary>
    /// A word's list from its statement's rows in ascending id order (the id, <c>search_head</c>'s title test, its test
    /// without weight, and when there is a fourth column the post's ts_rank_cd or null): each id as its row in the site,
    /// with the two tests packed. Null when there are more than <paramref name="maxRows"/> rows or an id the site's rows
    /// lack. Ranks: per row of the list, or null unless every row has one.
    /// </summary>
    private static async Task<(PostgresWordPostings Word, float[]? Ranks)?> ReadListAsync(DbCommand command, PostgresSitePostings site, int maxRows, CancellationToken ct)
    {
        var rowsOut = new List<int>();
        var head = new List<byte>();
        List<float>? ranks = null;
        var cursor = 0;
        await using (var rows = await command.ExecuteReaderAsync(ct))
        {
            var ranked = rows.FieldCount > 3;
            while (await rows.ReadAsync(ct))
            {
                if (rowsOut.Count == maxRows) return null;
                var row = PostgresSitePostings.RowOf(site.Ids, rows.GetInt64(0), ref cursor);
                if (row < 0) return null;
                rowsOut.Add(row);
                head.Add((byte)((rows.GetBoolean(1) ? PostgresWordPostings.InTitle : 0) | (rows.GetBoolean(2) ? PostgresWordPostings.InHead : 0)));
                if (ranked && !rows.IsDBNull(3)) (ranks ??= []).Add(rows.GetFloat(3));
            }
        }
        return (PostgresWordPostings.Pack(rowsOut, head), ranks is not null && ranks.Count == rowsOut.Count ? [.. ranks] : null);
    }

    /// <summary>
    /// The site's rows whose post has one of <paramref name="termIds"/> (a category and those below it, or a tag), from the
    /// covering index <c>post_terms (site_id, term_id, post_id)</c>; posts the site's rows lack (other types) are not rows.
    /// </summary>
    public async Task<RowSet> ReadTermRowsAsync(PostgresSitePostings site, IReadOnlyList<long> termIds, CancellationToken ct)
    {
        await using var command = Command("SELECT post_id FROM post_terms WHERE site_id = @site AND term_id = ANY(@terms)");
        command.AddParameter("@terms", termIds.ToArray());
        var set = new RowSet(site.Ids.Length);
        await using var rows = await command.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            var row = Array.BinarySearch(site.Ids, rows.GetInt64(0));
            if (row >= 0) set.Add(row);
        }
        return set;
    }

    /// <summary>The positions read together by <see cref="PrepareAsync"/>, by key; null: cannot be held.</summary>
    private readonly Dictionary<string, PostgresWordPostings?> _prepared = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads the positions of every positions key about to be read (<see cref="PostgresSearchPostings.PositionsKey"/>) in
    /// one pass: the posts holding any of the words, each post's <c>search_vector</c> read once (in PostgreSQL's binary
    /// form, <c>tsvectorsend</c>) and every word's entry found in it here. Reading a vector is most of the cost (it is
    /// out of line, about 2 kB), and the words a ranked search asks for share most of their posts: read one word at a
    /// time, the 46 frequent words of the three-word bench read each post about six times.
    /// </summary>
    public async Task PrepareAsync(PostgresSitePostings site, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var terms = new List<string>();
        foreach (var key in keys.Where(PostgresSearchPostings.IsPositionsKey))
        {
            var term = PostgresSearchPostings.WordOf(key);
            // A word PostgreSQL's query does not read as that very lexeme: ts_rank_cd would look up another, only SQL ranks it.
            await using var check = Command("SELECT to_tsquery('simple', @query)::text");
            check.AddParameter("@query", $"'{term}'");
            if (await check.ExecuteScalarAsync(ct) as string == $"'{term}'") terms.Add(term);
            else _prepared[key] = null;
        }
        if (terms.Count == 0) return;
        await EnsureBitmapOnlyAsync(ct);
        terms.Sort(StringComparer.Ordinal);
        var words = terms.Select(t => new PositionsBuilder(System.Text.Encoding.ASCII.GetBytes(t))).ToArray();
        await using var command = Command("SELECT p.id, tsvectorsend(p.search_vector) FROM posts p"
            + " WHERE p.site_id = @site AND p.type IN ('post', 'page') AND p.search_vector @@ to_tsquery('simple', @query) ORDER BY p.id");
        command.AddParameter("@query", string.Join(" | ", terms.Select(t => $"'{t}'")));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(8192);
        var cursor = 0;
        try
        {
            await using var rows = await command.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
            {
                var row = PostgresSitePostings.RowOf(site.Ids, rows.GetInt64(0), ref cursor);
                var length = (int)rows.GetBytes(1, 0, null, 0, 0);
                if (length > buffer.Length)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                }
                rows.GetBytes(1, 0, buffer, 0, length);
                AddPositions(buffer.AsSpan(0, length), row, words);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        for (var w = 0; w < terms.Count; w++) _prepared[PostgresSearchPostings.PositionsKey(terms[w])] = words[w].Build();
    }

    private async Task EnsureBitmapOnlyAsync(CancellationToken ct)
    {
        // The words' statements read through the GIN bitmap alone (as PostSearch.BitmapOnly), for the rest of the
        // transaction: the planner does not cost reading a vector and would test every row's for a frequent word.
        // Not for the site's rows, which its primary key reads in order.
        if (_bitmapOnly) return;
        await using var settings = Command("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off");
        await settings.ExecuteNonQueryAsync(ct);
        _bitmapOnly = true;
    }

    /// <summary>One word's rows and positions as a pass reads them; not held once it meets a post it cannot hold.</summary>
    private sealed class PositionsBuilder(byte[] lexeme)
    {
        public byte[] Lexeme { get; } = lexeme;

        private readonly List<int> _rows = [];
        private readonly List<int> _starts = [0];
        private readonly List<ushort> _positions = [];
        private bool _failed;

        /// <summary>Adds a row holding the word; a row the site's rows lack (-1), a word without positions or too many rows: not held.</summary>
        public void Add(int row, ReadOnlySpan<byte> vector, int first, int count)
        {
            if (_failed) return;
            if (row < 0 || count == 0 || _rows.Count == MaxRows)
            {
                _failed = true;
                return;
            }
            for (var k = 0; k < count; k++) _positions.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(vector[(first + 2 * k)..]));
            _rows.Add(row);
            _starts.Add(_positions.Count);
        }

        public PostgresWordPostings? Build() => _failed ? null : new PostgresWordPostings { Rows = [.. _rows], Starts = [.. _starts], Positions = [.. _positions] };
    }

    /// <summary>
    /// Walks a tsvector's binary form (entries in lexeme order, bytewise: an int32 count, then per entry the lexeme, a zero
    /// byte, an int16 count of positions and the positions, big-endian) beside the words (sorted the same way), adding each
    /// word's positions where its lexeme is.
    /// </summary>
    private static void AddPositions(ReadOnlySpan<byte> vector, int row, PositionsBuilder[] words)
    {
        var entries = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(vector);
        var (at, w) = (4, 0);
        for (var e = 0; e < entries && w < words.Length; e++)
        {
            var end = at + vector[at..].IndexOf((byte)0);
            var count = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(vector[(end + 1)..]);
            var first = end + 3;
            var lexeme = vector[at..end];
            while (w < words.Length && lexeme.SequenceCompareTo(words[w].Lexeme) > 0) w++;
            if (w < words.Length && lexeme.SequenceEqual(words[w].Lexeme)) words[w++].Add(row, vector, first, count);
            at = first + 2 * count;
        }
    }

    /// <summary>
    /// A word's size as PostgreSQL's planner estimates it, not counted: the GIN index knows no site, so a count visits each
    /// match's row as reading the list does. The column's statistics (<c>pg_stats.most_common_elems</c> of
    /// <c>search_vector</c>, kept a minute: <see cref="Statistics"/>) give the most common lexemes' share of the table; a word not among them
    /// is in fewer rows than the least common of them. Both are the whole table's, so at least the site's (but for
    /// ANALYZE's sampling). Why: over the bound a background build read a frequent word (a heap visit per post, 20–30 ms
    /// for the bench's) and evicted another in turn, a third of PostgreSQL's time under the whole-vocabulary mix; with a
    /// size the holder's admission reads a word only when the words it would push out were used less
    /// (docs/performance.md, PostgreSQL search). Null for positions keys, and when the table has no statistics yet.
    /// </summary>
    public async Task<WordSize?> ReadWordSizeAsync(string key, CancellationToken ct)
    {
        if (PostgresSearchPostings.IsPositionsKey(key)) return null;
        var statistics = Statistics.Of(_connection);
        if (statistics is null)
        {
            var estimates = new Dictionary<string, long>(StringComparer.Ordinal);
            long? fewerThan = null;
            await using var command = Command("SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples FROM pg_stats s"
                + " JOIN pg_class c ON c.relname = s.tablename JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname"
                + " WHERE s.schemaname = current_schema() AND s.tablename = 'posts' AND s.attname = 'search_vector'");
            await using (var rows = await command.ExecuteReaderAsync(ct))
            {
                if (await rows.ReadAsync(ct) && !rows.IsDBNull(0) && !rows.IsDBNull(1))
                {
                    var (lexemes, shares, table) = (rows.GetFieldValue<string[]>(0), rows.GetFieldValue<float[]>(1), rows.GetFloat(2));
                    // The shares: one a lexeme, then the least and the greatest of them, then the share of empty vectors.
                    for (var i = 0; i < lexemes.Length && i < shares.Length; i++) estimates[lexemes[i]] = (long)Math.Ceiling(shares[i] * table);
                    if (shares.Length > lexemes.Length) fewerThan = (long)Math.Ceiling(shares[lexemes.Length] * table);
                }
            }
            statistics = Statistics.Keep(_connection, estimates, fewerThan);
        }
        return statistics.Size(PostgresSearchPostings.WordOf(key));
    }

    /// <summary>
    /// A word's size from the statistics last read for the database of <paramref name="db"/>'s connection, without a
    /// statement; null when none are kept (or none fresh), or the table has none.
    /// </summary>
    public static WordSize? CachedWordSize(PressDbContext db, string term) => Statistics.Of(db.Database.GetDbConnection())?.Size(term);

    /// <summary>
    /// <c>search_vector</c>'s most common lexemes as ANALYZE last listed them, per database, kept a minute: the list has
    /// 10,000 entries at the column's statistics target (migration PostgresSearchVectorStatistics), and reading and
    /// parsing it once per build cost PostgreSQL 2–4 ms a build (3 % of its time under the whole-vocabulary mix).
    /// ANALYZE changes it seldom, and a size is only the holder's estimate.
    /// </summary>
    private sealed class Statistics(Dictionary<string, long> estimates, long? fewerThan, long readAt)
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Statistics> Kept = new(StringComparer.Ordinal);

        private const long KeptForMs = 60_000;

        // The connection string names the database and the schema (tests give each test a schema of its own).
        private static string Database(DbConnection connection) => connection.ConnectionString;

        public static Statistics? Of(DbConnection connection) =>
            Kept.TryGetValue(Database(connection), out var kept) && Environment.TickCount64 - kept._readAt < KeptForMs ? kept : null;

        public static Statistics Keep(DbConnection connection, Dictionary<string, long> estimates, long? fewerThan)
        {
            var statistics = new Statistics(estimates, fewerThan, Environment.TickCount64);
            if (Kept.Count >= 64) Kept.Clear();
            Kept[Database(connection)] = statistics;
            return statistics;
        }

        private readonly long _readAt = readAt;

        /// <summary>A listed word's rows; a word not listed is in fewer than the least listed. Null without statistics.</summary>
        public WordSize? Size(string term)
        {
            var estimate = estimates.TryGetValue(term, out var known) ? known : fewerThan;
            return estimate is { } estimated ? new WordSize(estimated, estimated <= MaxRows, PostgresWordPostings.Charge(estimated)) : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
    }
}
