using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Content.Search;

/// <summary>
/// Reads what <see cref="SearchPostings"/> holds, in one read transaction (a deferred BEGIN: SQLite's snapshot from the
/// first read on), so the stamp read first is the state of everything read after it. Where each part comes from:
/// <list type="bullet">
/// <item>the rows and their lengths: FTS5's own <c>posts_fts_docsize</c> (one row per indexed post, its tokens per column);</item>
/// <item>their facets: type, status and author from the covering index of posts (what the triggers index, through
/// <see cref="SearchFacets.Of"/>'s SQL form), protected from the index itself (a MATCH on the protected token);</item>
/// <item>the whole table's rows and tokens: FTS5's averages record (<c>posts_fts_data</c>, id 1);</item>
/// <item>a word's rows and occurrences per column: an <c>fts5vocab</c> instance table with <c>term = ?</c>, created in
/// the connection's temp schema (nothing is added to the database file, so plain clients and the migrations are
/// untouched); it reads the word across every site, which also counts the table's rows holding it;</item>
/// <item>for a search whose words are not all held, the rows they share in the site with each word's occurrences per
/// column: a MATCH of the words handed row by row to a sink inside SQLite's step (<see cref="Fts5Frequencies.Collect"/>,
/// <see cref="ReadCommonRowsAsync"/>); a word too frequent for that, as bit sets the same way (<see cref="ReadWordBitsAsync"/>).</item>
/// </list>
/// Any disagreement between these (a row of the index with no post) and nothing is held: searches stay on SQL.
/// </summary>
internal sealed class SearchPostingsReader : IPostingsReader<SitePostings, WordPostings>
{
    /// <summary>
    /// Occurrences of a word in the whole table above which it is not held (reading them costs about a microsecond each):
    /// "home" has 15,900 in the benchmark site, "the" 3.2 million.
    /// </summary>
    public const int MaxInstances = 25_000;

    /// <summary>posts_fts's columns: title, excerpt, content, facets.</summary>
    private const int Columns = 4;

    private const string Vocabulary = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.pressmcp_posts_fts_instances USING fts5vocab(main, posts_fts, instance)";

    /// <summary>The same vocabulary one row a word (its rows and occurrences in the whole table): <see cref="ReadWordSizeAsync"/>.</summary>
    private const string VocabularyRows = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.pressmcp_posts_fts_rows USING fts5vocab(main, posts_fts, row)";

    private readonly PressDbContext _db;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly long _siteId;

    private readonly int _maxInstances;

    private SearchPostingsReader(PressDbContext db, SqliteConnection connection, SqliteTransaction transaction, long siteId, ContentStamp? stamp, int maxInstances)
    {
        (_db, _connection, _transaction, _siteId, Stamp, _maxInstances) = (db, connection, transaction, siteId, stamp, maxInstances);
    }

    /// <summary>The stamp everything read here belongs to; null when the site has none (nothing may be held).</summary>
    public ContentStamp? Stamp { get; }

    /// <summary>Whether a term is one <see cref="SearchPostings"/> can hold (<see cref="SearchPostings.Indexable"/>).</summary>
    public static bool IsWord(string term) => term.Length > 0 && SearchPostings.Indexable([term]);

    /// <summary>
    /// Begins the read. <paramref name="maxInstances"/>: the occurrences above which a word is held as bit sets alone
    /// (<see cref="MaxInstances"/>; tests lower it so that a small site has such words).
    /// </summary>
    public static async Task<SearchPostingsReader> OpenAsync(PressDbContext db, long siteId, CancellationToken ct, int maxInstances = MaxInstances)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = Vocabulary;
            await create.ExecuteNonQueryAsync(ct);
            create.CommandText = VocabularyRows;
            await create.ExecuteNonQueryAsync(ct);
        }
        var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ContentVersion.StampSql;
        command.AddParameter("@site", siteId);
        ContentStamp? stamp = null;
        await using (var rows = await command.ExecuteReaderAsync(ct))
            if (await rows.ReadAsync(ct)) stamp = new ContentStamp(rows.GetInt64(0), rows.GetInt64(1));
        return new SearchPostingsReader(db, connection, transaction, siteId, stamp, maxInstances);
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
#pragma warning disable CA2100 // This class's constant statements; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Parameters.AddWithValue("@site", _siteId);
        command.Parameters.AddWithValue("@lo", SearchRowId.SiteStart(_siteId));
        command.Parameters.AddWithValue("@hi", SearchRowId.SiteEnd(_siteId));
        return command;
    }

    /// <summary>The site's rows, their lengths and facets, and the table's totals; null when the sources disagree.</summary>
    public async Task<SitePostings?> ReadSiteAsync(CancellationToken ct)
    {
        var ids = new List<uint>();
        var sizes = new List<int>();
        await using (var command = Command("SELECT id - @lo, sz FROM posts_fts_docsize WHERE id BETWEEN @lo AND @hi ORDER BY id"))
        await using (var rows = await command.ExecuteReaderAsync(ct))
        {
            while (await rows.ReadAsync(ct))
            {
                ids.Add((uint)rows.GetInt64(0));
                sizes.Add(SumOfVarints((byte[])rows.GetValue(1)));
            }
        }
        var protectedRows = new HashSet<uint>();
        await using (var command = Command("SELECT rowid - @lo FROM posts_fts WHERE posts_fts MATCH @match AND rowid BETWEEN @lo AND @hi"))
        {
            command.Parameters.AddWithValue("@match", "facets : " + SearchFacets.Quoted(SearchFacets.Protected));
            await using var rows = await command.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct)) protectedRows.Add((uint)rows.GetInt64(0));
        }
        var classes = new ushort[ids.Count];
        var facetClasses = new FacetClasses();
        var row = 0;
        await using (var command = Command("SELECT id, type, status, author_id FROM posts INDEXED BY ix_posts_search_cover WHERE site_id = @site AND type IN ('post', 'page') ORDER BY id"))
        await using (var rows = await command.ExecuteReaderAsync(ct))
        {
            while (await rows.ReadAsync(ct))
            {
                if (row >= ids.Count || ids[row] != rows.GetInt64(0)) return null;
                if (facetClasses.Of(SearchFacets.Of(rows.GetString(1), rows.GetString(2), rows.IsDBNull(3) ? null : rows.GetInt64(3), protectedRows.Contains(ids[row]))) is not { } facetClass)
                    return null;
                classes[row++] = facetClass;
            }
        }
        if (row != ids.Count) return null;
        if (await TotalsAsync(ct) is not { } totals) return null;
        return new SitePostings
        {
            Ids = [.. ids], Sizes = [.. sizes], Classes = classes, ClassTokens = facetClasses.Tokens(), Stamp = Stamp!.Value,
            TableRows = totals.Rows, TableTokens = totals.Tokens,
        };
    }

    /// <summary>FTS5's averages record: the table's rows, then its tokens per column (SQLite varints).</summary>
    private async Task<(long Rows, long Tokens)?> TotalsAsync(CancellationToken ct)
    {
        await using var command = Command("SELECT block FROM posts_fts_data WHERE id = 1");
        if (await command.ExecuteScalarAsync(ct) is not byte[] block) return null;
        var at = 0;
        var rows = (long)Varint(block, ref at);
        long tokens = 0;
        for (var column = 0; column < Columns && at < block.Length; column++) tokens += (long)Varint(block, ref at);
        return rows > 0 ? (rows, tokens) : null;
    }

    /// <summary>
    /// A word's rows and occurrences in the whole table, one row of FTS5's vocabulary: SQLite walks the word's postings
    /// without handing each occurrence to us, several times cheaper than <see cref="ReadWordAsync"/>, so a word that will
    /// not be held (too rare) or not admitted costs that much rather than a read of its occurrences.
    /// Rows: the whole table's (the floor's measure); held with its counts up to <see cref="MaxInstances"/> occurrences,
    /// as bit sets alone above (<see cref="WordSize.TiersOnly"/>); charged at most as if every row were the site's.
    /// </summary>
    public async Task<WordSize?> ReadWordSizeAsync(string term, CancellationToken ct)
    {
        long tableRows, instances;
        await using (var command = Command("SELECT doc, cnt FROM temp.pressmcp_posts_fts_rows WHERE term = @term"))
        {
            command.Parameters.AddWithValue("@term", term);
            await using var rows = await command.ExecuteReaderAsync(ct);
            (tableRows, instances) = await rows.ReadAsync(ct) ? (rows.GetInt64(0), rows.GetInt64(1)) : (0, 0);
        }
        if (instances <= _maxInstances) return new WordSize(tableRows, Holdable: true, WordPostings.Charge(tableRows));
        // Too frequent to read its occurrences: held as bit sets of the site's rows, charged as if the table were the site.
        return await TotalsAsync(ct) is { } totals
            ? new WordSize(tableRows, Holdable: true, WordPostings.TiersCharge(totals.Rows), TiersOnly: true)
            : new WordSize(tableRows, Holdable: false, 0);
    }

    /// <summary>
    /// One word: its rows in the site with occurrences per column, and the rows of the whole table holding it; above
    /// <see cref="MaxInstances"/> occurrences (as its size read first says) its bit sets alone (<see cref="ReadWordBitsAsync"/>).
    /// Not held when a count does not pack or the index names a row the site's rows lack.
    /// </summary>
    public async Task<WordPostings> ReadWordAsync(SitePostings site, string term, WordSize? size, CancellationToken ct)
    {
        var notHeld = new WordPostings();
        if (size is { Holdable: false }) return notHeld;
        if (size is { TiersOnly: true }) return await ReadWordBitsAsync(site, term, ct) ?? notHeld;
        await using var command = Command("SELECT doc, CASE col WHEN 'title' THEN 0 WHEN 'excerpt' THEN 1 WHEN 'content' THEN 2 ELSE 3 END FROM temp.pressmcp_posts_fts_instances WHERE term = @term LIMIT @max");
        command.Parameters.AddWithValue("@term", term);
        command.Parameters.AddWithValue("@max", _maxInstances + 1);
        var (lo, hi) = (SearchRowId.SiteStart(_siteId), SearchRowId.SiteEnd(_siteId));
        var rowsOut = new List<int>();
        var frequencies = new List<uint>();
        long tableRows = 0, instances = 0, doc = -1;
        int cursor = 0, title = 0, excerpt = 0, content = 0;
        var inSite = false;
        bool Flush()
        {
            if (!inSite) return true;
            if (title > WordPostings.MaxTitle || excerpt > WordPostings.MaxExcerpt || content > WordPostings.MaxContent) return false;
            frequencies.Add(WordPostings.Pack(title, excerpt, content));
            return true;
        }
        await using (var rows = await command.ExecuteReaderAsync(ct))
        {
            while (await rows.ReadAsync(ct))
            {
                if (++instances > _maxInstances) return notHeld;
                var next = rows.GetInt64(0);
                if (next != doc)
                {
                    if (!Flush()) return notHeld;
                    (doc, title, excerpt, content) = (next, 0, 0, 0);
                    tableRows++;
                    inSite = doc >= lo && doc <= hi;
                    if (inSite)
                    {
                        var row = SitePostings.RowOf(site.Ids, (uint)(doc - lo), ref cursor);
                        if (row < 0) return notHeld;
                        rowsOut.Add(row);
                    }
                }
                switch (rows.GetInt32(1))
                {
                    case 0: title++; break;
                    case 1: excerpt++; break;
                    case 2: content++; break;
                }
            }
        }
        if (!Flush()) return notHeld;
        int[] held = [.. rowsOut];
        return new WordPostings { Rows = held, Frequencies = [.. frequencies], TableRows = tableRows, Bits = WordPostings.BitsOf(held, site.Ids.Length) };
    }

    /// <summary>
    /// A word as bit sets of the site's rows (<see cref="WordPostings.TiersOnly"/>): the rows holding it, those with it in
    /// the title, those with it in title or excerpt, and its rows in the whole table (bm25's n), from one MATCH of the word
    /// over the whole table whose rows FTS5 hands to a sink inside its step (<see cref="Fts5Frequencies.Collect"/>): each
    /// row's first occurrence says its tier, as a phrase's positions come in column order. Why: FTS5 walks a word's list
    /// at about 0.05 µs a row, while a row read through ADO.NET cost about half a microsecond ("the" is in every post);
    /// a search naming a frequent word not held, with a filter or another such word, reads it here rather than going to
    /// SQL, which counted and tiered every match with a look-up of its posts row (10–60 ms; docs/performance.md, Search).
    /// Null when the index names a row the site's rows lack.
    /// </summary>
    public Task<WordPostings?> ReadWordBitsAsync(SitePostings site, string term, CancellationToken ct)
    {
        using var command = Command("SELECT max(x) FROM (SELECT " + Fts5Frequencies.RowsName + "(posts_fts) AS x FROM posts_fts WHERE posts_fts MATCH @match ORDER BY rowid LIMIT -1)");
        command.Parameters.AddWithValue("@match", "\"" + term + "\"");
        var sink = new BitsSink(site.Ids, SearchRowId.SiteStart(_siteId), SearchRowId.SiteEnd(_siteId));
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Fts5Frequencies.Collect(command, sink)
            ? new WordPostings { Bits = sink.All, TitleBits = sink.Title, HeadBits = sink.Head, TableRows = sink.TableRows }
            : null);
    }

    /// <summary>A word's rows as bit sets (<see cref="ReadWordBitsAsync"/>): every row of the table counted, the site's set.</summary>
    private sealed class BitsSink(uint[] ids, long lo, long hi) : Fts5RowSink
    {
        private int _cursor;

        public ulong[] All { get; } = new ulong[(ids.Length + 63) / 64];

        public ulong[] Title { get; } = new ulong[(ids.Length + 63) / 64];

        public ulong[] Head { get; } = new ulong[(ids.Length + 63) / 64];

        public long TableRows { get; private set; }

        public override bool FirstColumnOnly => true;

        public override bool Accept(long rowid, ReadOnlySpan<long> phrases)
        {
            TableRows++;
            if (rowid < lo || rowid > hi) return true;
            var row = SitePostings.RowOf(ids, (uint)(rowid - lo), ref _cursor);
            var column = phrases[0];
            if (row < 0 || column is < 0 or > 2) return false;
            var bit = 1UL << row;
            All[row >> 6] |= bit;
            if (column == 0) Title[row >> 6] |= bit;
            if (column <= 1) Head[row >> 6] |= bit;
            return true;
        }
    }

    /// <summary>
    /// The site's rows holding every one of <paramref name="terms"/> (words of <see cref="IsWord"/>), ascending, each
    /// with every word's occurrences in title, excerpt and content (FTS5's own counts from the positions it loaded to
    /// find the row, handed to a sink inside its step: <see cref="Fts5Frequencies.Collect"/>), as one
    /// <see cref="WordPostings"/> a term over those rows, without the whole table's rows holding it
    /// (<see cref="WordPostings.TableRows"/> 0: the caller knows them). FTS5 finds the rows by seeking each word's list to
    /// the others', so a frequent word beside a rare one costs the rare word's rows, not a walk of its own. Null when more
    /// than <paramref name="limit"/> rows match, a count does not pack, or the index names a row the site's rows lack.
    /// </summary>
    public Task<WordPostings[]?> ReadCommonRowsAsync(SitePostings site, IReadOnlyList<string> terms, int limit, int capacity, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (terms.Count > Fts5Frequencies.MaxPhrases) return Task.FromResult<WordPostings[]?>(null);
        using var command = Command("SELECT max(x) FROM (SELECT " + Fts5Frequencies.RowsName + "(posts_fts) AS x FROM posts_fts WHERE posts_fts MATCH @match AND rowid BETWEEN @lo AND @hi ORDER BY rowid LIMIT @max)");
        command.Parameters.AddWithValue("@match", string.Join(' ', terms.Select(t => "\"" + t + "\"")));
        command.Parameters.AddWithValue("@max", limit + 1);
        using var sink = new SharedRowsSink(site.Ids, SearchRowId.SiteStart(_siteId), terms.Count, limit, capacity);
        if (!Fts5Frequencies.Collect(command, sink)) return Task.FromResult<WordPostings[]?>(null);
        return Task.FromResult<WordPostings[]?>(sink.Words());
    }

    /// <summary>
    /// The rows several words share with their counts (<see cref="ReadCommonRowsAsync"/>), read into the shared pool's
    /// arrays (a row and each word's counts side by side), grown by doubling from the capacity up to the limit; only the
    /// answer's exact arrays are allocated. Lists grown row by row left about twice the answer in garbage per search, up
    /// to 10,000 rows each (docs/performance.md, Search).
    /// </summary>
    private sealed class SharedRowsSink(uint[] ids, long lo, int terms, int limit, int capacity) : Fts5RowSink, IDisposable
    {
        private static readonly System.Buffers.ArrayPool<uint> Pool = System.Buffers.ArrayPool<uint>.Shared;
        private readonly int _stride = 1 + terms;
        private uint[] _read = Pool.Rent((1 + terms) * Math.Max(capacity, 16));
        private int _count;
        private int _cursor;

        public override bool FirstColumnOnly => false;

        public override bool Accept(long rowid, ReadOnlySpan<long> phrases)
        {
            if (_count == limit || phrases.Length != terms) return false;
            var row = SitePostings.RowOf(ids, (uint)(rowid - lo), ref _cursor);
            if (row < 0) return false;
            if ((_count + 1) * _stride > _read.Length)
            {
                var larger = Pool.Rent(_stride * Math.Max(_count + 1, Math.Min(2 * (_read.Length / _stride), limit)));
                _read.AsSpan(0, _count * _stride).CopyTo(larger);
                Pool.Return(_read);
                _read = larger;
            }
            var at = _count * _stride;
            _read[at] = (uint)row;
            for (var i = 0; i < terms; i++)
            {
                var packed = phrases[i];
                if (packed < 0) return false;
                var (title, excerpt, content) = Fts5Frequencies.Unpack(packed);
                if (title > WordPostings.MaxTitle || excerpt > WordPostings.MaxExcerpt || content > WordPostings.MaxContent) return false;
                _read[at + 1 + i] = WordPostings.Pack(title, excerpt, content);
            }
            _count++;
            return true;
        }

        /// <summary>One <see cref="WordPostings"/> a term over the rows read.</summary>
        public WordPostings[] Words()
        {
            var common = new int[_count];
            var frequencies = new uint[terms][];
            for (var i = 0; i < terms; i++) frequencies[i] = new uint[_count];
            for (var r = 0; r < _count; r++)
            {
                var at = r * _stride;
                common[r] = (int)_read[at];
                for (var i = 0; i < terms; i++) frequencies[i][r] = _read[at + 1 + i];
            }
            return [.. frequencies.Select(f => new WordPostings { Rows = common, Frequencies = f })];
        }

        public void Dispose() => Pool.Return(_read);
    }

    /// <summary>The rows of the whole table holding <paramref name="term"/> (bm25's n for its idf), from one row of FTS5's vocabulary.</summary>
    public async Task<long> ReadTableRowsAsync(string term, CancellationToken ct) => (await ReadWordSizeAsync(term, ct))!.Rows;

    /// <summary>
    /// The site's rows whose post has one of <paramref name="termIds"/> (a category and those below it, or a tag), from the
    /// covering index <c>post_terms (site_id, term_id, post_id)</c>; posts the index does not hold (other types) are not rows.
    /// </summary>
    public async Task<RowSet> ReadTermRowsAsync(SitePostings site, IReadOnlyList<long> termIds, CancellationToken ct)
    {
        var names = string.Join(", ", termIds.Select((_, i) => "@t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var command = Command("SELECT post_id FROM post_terms WHERE site_id = @site AND term_id IN (" + names + ")");
        for (var i = 0; i < termIds.Count; i++) command.Parameters.AddWithValue("@t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), termIds[i]);
        var set = new RowSet(site.Ids.Length);
        await using var rows = await command.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            var post = rows.GetInt64(0);
            if (post is < 0 or > uint.MaxValue) continue;
            var row = Array.BinarySearch(site.Ids, (uint)post);
            if (row >= 0) set.Add(row);
        }
        return set;
    }

    /// <summary>The sum of a blob of SQLite varints (a docsize row: the row's tokens per column).</summary>
    private static int SumOfVarints(byte[] blob)
    {
        var at = 0;
        long sum = 0;
        for (var column = 0; column < Columns && at < blob.Length; column++) sum += (long)Varint(blob, ref at);
        return (int)sum;
    }

    /// <summary>One SQLite varint: big-endian groups of 7 bits, a set high bit meaning more follow; the ninth byte gives 8 bits.</summary>
    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (var i = 0; i < 9 && at < data.Length; i++)
        {
            var b = data[at++];
            if (i == 8) return (value << 8) | b;
            value = (value << 7) | (uint)(b & 0x7f);
            if ((b & 0x80) == 0) return value;
        }
        return value;
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
    }
}
