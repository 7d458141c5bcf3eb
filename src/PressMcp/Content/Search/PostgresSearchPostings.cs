using System.Buffers;
using PressMcp.Storage;

namespace PressMcp.Content.Search;

/// <summary>
/// PostgreSQL's words' match lists in memory, per site and content stamp: what <see cref="SearchPostings"/> does for
/// SQLite, for the one thing PostgreSQL's statements spend a search on. Every match the GIN index finds is a visit of its
/// posts row, so a search's count and tier order cost a heap visit per match (docs/performance.md, PostgreSQL search).
/// Held here, per word, the site's posts whose <c>search_vector</c> holds it, each with whether <c>search_head</c> holds it
/// with weight A (title) and at all (title or excerpt): exactly what the statements' count and tier order test. So a
/// search with query text ordered by relevance with no filter but visibility is counted and, above
/// <see cref="SearchRanking.RankAllLimit"/> visible matches, ordered (tier, then newest first) and paged here with no SQL.
/// At or below that limit the order is ts_rank_cd, cover density over each match's positions: computed here
/// (<see cref="PostgresCoverDensity"/>) when the words' positions are held too (<see cref="PositionsKey"/>), otherwise the
/// search ranks the known ids in SQL (<c>id = ANY(…)</c>, no GIN bitmap) and the positions are asked for.
/// <para>
/// Visibility is the very text SQLite's index is asked (<see cref="SearchFacets.Hidden"/>, <see cref="SearchFacets.HiddenContent"/>)
/// evaluated by <see cref="FacetExpression"/> over each post's <see cref="SearchFacets.Of"/> tokens (type, status, author,
/// protected), so both engines read one rule. Never stale and never waiting, as <see cref="SearchPostings"/>: everything
/// held was read in one snapshot with the site's content version (<see cref="ContentStamp"/>; PostgreSQL's ranking reads
/// one post, so other sites' writes do not matter, <see cref="ContentVersion.SiteStampSql"/>), used only by a search that
/// read the same number first; a search that finds nothing held for its stamp runs
/// the statements and asks a background build (<see cref="PostgresSearchPostingsReader"/>) for what it lacked, except a
/// single word not held in a site whose rows are, or a rare word beside held words, which the search reads itself
/// (<see cref="ReadForSearchAsync"/>).
/// Bounded: 10 bytes charged a post, a word's packed list (one or two bytes a posting, <see cref="PostgresWordPostings.Packed"/>)
/// and about 10 bytes a posting's positions, the least recently used words dropped over <see cref="MaxBytes"/>.
/// What is held, asked for, read and evicted is <see cref="PostingsHolder{TSite, TWord}"/>'s rule, shared with SQLite.
/// </para>
/// </summary>
internal sealed class PostgresSearchPostings(IServiceScopeFactory? scopes, ILogger<PostgresSearchPostings> logger,
    long maxBytes = SearchPostings.DefaultMaxBytes, long minRows = PostgresSearchPostings.DefaultMinRows)
{
    /// <summary>Holds nothing, answers nothing: every search goes to SQL (tests compare with it).</summary>
    public static PostgresSearchPostings Off { get; } = new(null, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSearchPostings>.Instance, 0);

    /// <summary>
    /// The fewest posts of the site a word must be in to be read by a build. A rare word's search is a few heap visits,
    /// and a mix of rare words searched once each would keep reading lists nobody uses again (as SQLite's floor); a word
    /// its own search read is kept below it (<see cref="ReadForSearchAsync"/>). Tests use 0.
    /// </summary>
    public const long DefaultMinRows = 2_000;

    /// <summary>
    /// The site and words held, what is asked for and read, the bound: <see cref="SearchPostings"/>'s rule, one holder.
    /// A word's size is the planner's estimate (<see cref="PostgresSearchPostingsReader.ReadWordSizeAsync"/>), not a count:
    /// counting it in the site costs what its lists cost (a heap visit per match, the GIN index knowing no site).
    /// </summary>
    private readonly PostingsHolder<PostgresSitePostings, PostgresWordPostings> _held = new(scopes, logger, "PostgreSQL",
        async (db, siteId, ct) => await PostgresSearchPostingsReader.OpenAsync(db, siteId, ct), maxBytes, minRows,
        key => SearchPostingsReader.IsWord(WordOf(key)),
        // As SQLite's: a stop word is searched only when nothing else is left, too rarely to be asked for twice, and its
        // search on SQL visits most of the site (205-356 ms, the settled mix's slowest calls, docs/performance.md). A
        // positions key is never a stop word (its suffix), so only lists are read so.
        readOnFirstAsk: SearchStopWords.Contains);

    /// <summary>
    /// A word's positions are held under a key of their own, the word and this suffix (no word holds it): they are read
    /// only for words of searches ranked by ts_rank_cd (at most <see cref="SearchRanking.RankAllLimit"/> matches), asked for
    /// twice as words are. Reading them reads each match's whole vector (out of line, about 2 kB), 3–5 times what the
    /// word's list costs, which the searches above the limit (the tiers) never need.
    /// </summary>
    private const string PositionsSuffix = ":positions";

    /// <summary>The key under which the word's positions are held.</summary>
    internal static string PositionsKey(string term) => term + PositionsSuffix;

    /// <summary>The word of a key, and whether the key is a positions key.</summary>
    internal static string WordOf(string key) => key.EndsWith(PositionsSuffix, StringComparison.Ordinal) ? key[..^PositionsSuffix.Length] : key;

    internal static bool IsPositionsKey(string key) => key.EndsWith(PositionsSuffix, StringComparison.Ordinal);

    private long _rankedHere;

    public long MaxBytes => _held.MaxBytes;

    public long Bytes => _held.Bytes;

    /// <summary>Searches answered here (wholly, or but for ts_rank_cd's order), and searches left to SQL.</summary>
    public (long Answered, long Declined) Counts => _held.Counts;

    /// <summary>Time the background builds took, and the words they read (tests, benches).</summary>
    public (TimeSpan Building, long WordsRead) Reads => _held.Reads;

    /// <summary>Searches whose page was ordered by ts_rank_cd here (<see cref="PostgresCoverDensity"/>), not in SQL.</summary>
    public long RankedHere => Interlocked.Read(ref _rankedHere);

    /// <summary>Reads the site's rows and the given words, with their positions, for the current stamp now (tests).</summary>
    internal Task BuildAsync(long siteId, IEnumerable<string> terms, CancellationToken ct)
    {
        var words = terms.ToList();
        return _held.BuildAsync(siteId, words.Concat(words.Select(PositionsKey)), ct);
    }

    /// <summary>Whether this many bytes more of positions would be held with only words not in use evicted for them (tests).</summary>
    internal bool Fits(long bytes) => _held.Fits(bytes);

    /// <summary>Moves the holder's clock on by this many searches (tests).</summary>
    internal void Pass(long searches) => _held.Pass(searches);

    /// <summary>Reads the site's rows and the given words' lists alone, or their positions alone, for the current stamp now (tests).</summary>
    internal Task BuildAsync(long siteId, IEnumerable<string> terms, bool positions, CancellationToken ct) =>
        _held.BuildAsync(siteId, positions ? terms.Select(PositionsKey) : terms, ct);

    /// <summary>
    /// A search counted in memory. Total: the visible matches. Page: the page's ids when they were ordered here (the tiers
    /// above <see cref="SearchRanking.RankAllLimit"/> matches; ts_rank_cd at or below it when the words' positions are
    /// held); otherwise null, and Matches holds every visible match's id, for ts_rank_cd in SQL.
    /// </summary>
    internal sealed record Counted(long Total, List<long>? Page, long[]? Matches);

    /// <summary>
    /// The count and, above the rank-all limit, the page the statements would give; null when this search must go to SQL
    /// (then what it lacked is asked for). <paramref name="hidden"/>, <paramref name="hiddenContent"/>: SQLite's facet
    /// expressions of the reader (<see cref="SearchFacets"/>). A single word not held yet, in a site whose rows are, is
    /// read by the search itself through <paramref name="db"/> (<see cref="ReadForSearchAsync"/>).
    /// </summary>
    public async Task<Counted?> TryCountAsync(PressDbContext db, long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent,
        SearchPostings.Restriction restriction, long offset, int perPage, SearchRanking ranking, CancellationToken ct)
    {
        if (!_held.Enabled) return null;
        // The search's own read first: asking for the word (Count's look-up) would have the background read it again.
        var answer = await ReadForSearchAsync(db, siteId, stamp, terms, hidden, hiddenContent, restriction, offset, perPage, ranking, ct)
            ?? await CountAsync(db, siteId, stamp, terms, hidden, hiddenContent, restriction, offset, perPage, ranking, ct);
        _held.Record(answer is not null);
        return answer;
    }

    /// <summary>
    /// The most posts of the site a search reads of its one word itself: twice what the statements count (they stop at
    /// one past <see cref="SearchRanking.ExactTotalLimit"/>), so a frequent word (12,000–15,000 posts of the 100,000-post
    /// bench) costs its first search at most that much more than SQL and is held from then on; a word in more posts stays
    /// on SQL and the background reads (<see cref="_readBySearchTooLong"/>).
    /// </summary>
    private static int ReadBySearchMax(SearchRanking ranking) => (int)Math.Min(PostgresSearchPostingsReader.MaxRows, 2 * (ranking.ExactTotalLimit + 1L));

    /// <summary>Words a search found in more posts than it reads itself (bounded: cleared at 20,000).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _readBySearchTooLong = new(StringComparer.Ordinal);

    /// <summary>Bytes a post of the positions the last search ranked here found (<see cref="PostgresWordPostings.PositionsCharge"/>).</summary>
    private double _positionsPerRow = PostgresWordPostings.PositionsMinPerRow;

    private long _readBySearch;

    /// <summary>Searches that read their word themselves and were answered from it (tests, benches).</summary>
    public long ReadBySearch => Interlocked.Read(ref _readBySearch);

    /// <summary>
    /// A search with one word not held, in a site whose rows are held for the stamp (and, with several words, the others
    /// held): the word's posts are read now, in one snapshot that first reads the stamp and goes on only when it is the
    /// search's (<see cref="PostgresSearchPostingsReader.ReadWordForSearchAsync"/>), the search is counted and ordered
    /// from them (and the other words' lists) as from held lists, and the word is kept whatever its size (the bound
    /// still holds). One word: ts_rank_cd from the ranks the statement computed when the site has at most
    /// <see cref="SearchRanking.RankAllLimit"/> posts with the word. Several words: only a word PostgreSQL's statistics
    /// put below <see cref="SeveralWordsReadMax"/> posts, read without ranks (ts_rank_cd from held positions, or SQL over
    /// the known matches). Why: a word's first search costs about what SQL costs (a single word: the same rows; with
    /// held words: the rare word's rows where SQL visits only the shared ones), and its next searches, alone or with
    /// held words, cost no statement but the page's rows; where the floor had every rare word's search run the
    /// statements each time, the whole-vocabulary mix's largest share of PostgreSQL's time (docs/performance.md,
    /// PostgreSQL search). Null: SQL answers.
    /// </summary>
    private async Task<Counted?> ReadForSearchAsync(PressDbContext db, long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent,
        SearchPostings.Restriction restriction, long offset, int perPage, SearchRanking ranking, CancellationToken ct)
    {
        if (terms.Count == 0 || !SearchPostings.Indexable(terms) || _held.Site(siteId, stamp) is not { } site) return null;
        // The one word not held; every other word must be held (a word held as not held sends the search to SQL).
        string? term = null;
        var words = new PostgresWordPostings[terms.Count];
        var at = -1;
        for (var i = 0; i < terms.Count; i++)
        {
            if (site.Words.TryGetValue(terms[i], out var known))
            {
                if (!known.Held) return null;
                words[i] = known;
            }
            else if (term is not null) return null;
            else (term, at) = (terms[i], i);
        }
        // A word found below the floor (by a build's size) is still read here: its search pays the read. A word too
        // frequent to hold is in more posts than a search reads (_readBySearchTooLong).
        if (term is null || _readBySearchTooLong.ContainsKey(term)) return null;
        var single = terms.Count == 1;
        if (!single && !RareEnoughToRead(PostgresSearchPostingsReader.CachedWordSize(db, term))) return null;
        var hiddenClasses = site.ClassesMatching(hidden);
        var protectedClasses = hiddenContent is null ? null : site.ClassesMatching(hiddenContent);
        if (hiddenClasses is null || (hiddenContent is not null && protectedClasses is null)) return null;
        (PostgresWordPostings Word, float[]? Ranks)? read;
        RowSet[] sets;
        await using (var reader = await PostgresSearchPostingsReader.OpenAsync(db, siteId, ct))
        {
            if (reader.Stamp != stamp) return null;
            // With held words SQL visits only the posts sharing them: reading a frequent word's every post costs more than
            // that, and the background reads it on its second search. A word without statistics yet is read (bounded below).
            if (!single && !RareEnoughToRead(await reader.ReadWordSizeAsync(term, ct))) return null;
            // The term sets first: the word's read then has the transaction read through GIN bitmaps alone.
            sets = await TermSetsAsync(reader, site, restriction, ct);
            read = await reader.ReadWordForSearchAsync(site, term, ReadBySearchMax(ranking), single ? ranking.RankAllLimit : -1, ct);
        }
        // More posts than a search reads (or one the site's rows lack, which the shared stamp rules out): SQL answers.
        if (read is not { } found)
        {
            if (_readBySearchTooLong.Count >= 20_000) _readBySearchTooLong.Clear();
            _readBySearchTooLong.TryAdd(term, 0);
            return null;
        }
        // Kept whatever its size (the holder's floor spares reads made only to hold a word; this one the search needed).
        _held.Keep(siteId, site, term, found.Word, readBySearch: true);
        Interlocked.Increment(ref _readBySearch);
        words[at] = found.Word;
        // Several words: as held now, which marks them used (the bound's least recently used); the words read before
        // this search when one was dropped meanwhile (they are of the same stamp).
        if (!single && _held.Find(siteId, stamp, terms) is { } all && ReferenceEquals(all.Site, site)) words = all.Words;
        return CountOver(siteId, stamp, site, words, terms, hiddenClasses, protectedClasses, Filters(site, restriction, sets), offset, perPage, ranking, single ? found.Ranks : null);
    }

    /// <summary>
    /// The most posts (by PostgreSQL's statistics) of a word a search with held words reads itself: the floor a build
    /// holds words from (<see cref="DefaultMinRows"/>), whatever the holder's floor (tests hold every word).
    /// </summary>
    internal const long SeveralWordsReadMax = DefaultMinRows;

    private static bool RareEnoughToRead(WordSize? size) => size is null || size.Rows < SeveralWordsReadMax;

    private async Task<Counted?> CountAsync(PressDbContext db, long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent,
        SearchPostings.Restriction restriction, long offset, int perPage, SearchRanking ranking, CancellationToken ct)
    {
        if (terms.Count == 0 || !SearchPostings.Indexable(terms)) return null;
        if (_held.Find(siteId, stamp, terms) is not { } found) return null;
        var (site, words) = found;
        var hiddenClasses = site.ClassesMatching(hidden);
        var protectedClasses = hiddenContent is null ? null : site.ClassesMatching(hiddenContent);
        if (hiddenClasses is null || (hiddenContent is not null && protectedClasses is null)) return null;
        var sets = restriction.TermSets.Select(site.TermRows).ToArray();
        if (sets.Any(s => s is null))
        {
            // A category's or tag's posts not read yet for this stamp: read now, in a snapshot of the held stamp only.
            await using var reader = await PostgresSearchPostingsReader.OpenAsync(db, siteId, ct);
            if (reader.Stamp != stamp) return null;
            sets = await TermSetsAsync(reader, site, restriction, ct);
        }
        return CountOver(siteId, stamp, site, words, terms, hiddenClasses, protectedClasses, Filters(site, restriction, sets!), offset, perPage, ranking, null);
    }

    /// <summary>
    /// The filters besides visibility, as the statements test them on the posts row: the author's facet classes
    /// (<c>p.author_id = </c>), and the term sets of each of which the post must hold one (a category with those below
    /// it, a tag: <c>post_terms</c>). Null when there are none.
    /// </summary>
    private sealed record Restricted(bool[]? Author, RowSet[] Sets)
    {
        public bool Passes(ushort facets, int row) => (Author is null || Author[facets]) && RowSet.InEvery(Sets, row);
    }

    private static Restricted? Filters(PostgresSitePostings site, SearchPostings.Restriction restriction, RowSet[] sets) =>
        restriction.Filters ? new Restricted(restriction.AuthorId is { } author ? site.AuthorClasses(author) : null, sets) : null;

    /// <summary>
    /// The restriction's term sets for the site's stamp: those kept, and the others read through <paramref name="reader"/>
    /// (a snapshot of that stamp) and kept, one bit a site row (<see cref="HeldSite{TWord}.KeepTermRows"/>, at most 32 a
    /// site and stamp). Why: a filtered search on SQL tests each visible match's posts row and <c>post_terms</c>, after
    /// a count that visited every match; a category's posts are read once per stamp instead.
    /// </summary>
    private static async Task<RowSet[]> TermSetsAsync(PostgresSearchPostingsReader reader, PostgresSitePostings site, SearchPostings.Restriction restriction, CancellationToken ct)
    {
        var sets = new RowSet[restriction.TermSets.Count];
        for (var s = 0; s < sets.Length; s++)
            sets[s] = site.TermRows(restriction.TermSets[s]) ?? site.KeepTermRows(restriction.TermSets[s], await reader.ReadTermRowsAsync(site, restriction.TermSets[s], ct));
        return sets;
    }

    /// <summary>
    /// The count and page over the words' lists. <paramref name="ranks"/>: a single word's ts_rank_cd per row of its list,
    /// as PostgreSQL computed them, or null (then ranked here from held positions, or by SQL over the known matches).
    /// </summary>
    private Counted CountOver(long siteId, ContentStamp stamp, PostgresSitePostings site, PostgresWordPostings[] words, IReadOnlyList<string> terms,
        bool[] hiddenClasses, bool[]? protectedClasses, Restricted? restricted, long offset, int perPage, SearchRanking ranking, float[]? ranks)
    {
        var matches = ArrayPool<int>.Shared.Rent(Math.Max(16, words.Min(w => w.Count)));
        var lists = new Unpacked[words.Length];
        try
        {
            for (var i = 0; i < words.Length; i++) lists[i] = new Unpacked(words[i]);
            var count = Intersect(site, lists, hiddenClasses, protectedClasses, restricted, matches, out var visible);
            // As the statements: the visible matches before the other filters, counted up to one past the exact limit,
            // choose the ordering (PostSearch.CountMatchesAsync); the total is the matches past the filters.
            if (Math.Min(visible, ranking.ExactTotalLimit + 1L) <= ranking.RankAllLimit)
            {
                // No match on the page (none at all, or a page past the last): nothing to rank, in memory or in SQL.
                if (offset >= count)
                {
                    Interlocked.Increment(ref _rankedHere);
                    return new Counted(count, [], null);
                }
                if ((ranks is not null && lists[0].Dense is null ? ByRanks(site, lists[0], ranks, matches, count, offset, perPage)
                        : RankHere(siteId, stamp, site, words, terms, matches, count, offset, perPage)) is { } ranked)
                {
                    Interlocked.Increment(ref _rankedHere);
                    return new Counted(count, ranked, null);
                }
                var ids = new long[count];
                for (var m = 0; m < count; m++) ids[m] = site.Ids[matches[m] >> TierBits];
                return new Counted(count, null, ids);
            }
            return new Counted(count, Tiers(site, matches, count, offset, perPage), null);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(matches);
            foreach (var list in lists) list?.Dispose();
        }
    }

    /// <summary>
    /// A word's list for one search: a packed list unpacked (<see cref="PostgresWordPostings.Unpack"/>) into pooled arrays
    /// longer than <see cref="Count"/>, so a frequent word's 13,000 rows do not allocate 65 KB each search; a list held
    /// unpacked as it is.
    /// </summary>
    private sealed class Unpacked : IDisposable
    {
        public Unpacked(PostgresWordPostings word)
        {
            Count = word.Count;
            if (word.Dense is { } dense)
            {
                (Dense, Rows, Head) = (dense, [], []);
                return;
            }
            if (word.Packed is null)
            {
                (Rows, Head) = (word.Rows!, word.Head);
                return;
            }
            (Rows, Head, _pooled) = (ArrayPool<int>.Shared.Rent(Math.Max(1, Count)), ArrayPool<byte>.Shared.Rent(Math.Max(1, Count)), true);
            word.Unpack(Rows, Head);
        }

        private readonly bool _pooled;

        public int Count { get; }

        /// <summary>The rows ascending, in the first <see cref="Count"/> places; empty for a list held as bit sets.</summary>
        public int[] Rows { get; }

        public byte[] Head { get; }

        /// <summary>The list's bit sets (<see cref="PostgresWordPostings.Dense"/>), not unpacked: rows are tested in them.</summary>
        public ulong[]? Dense { get; }

        public void Dispose()
        {
            if (!_pooled) return;
            ArrayPool<int>.Shared.Return(Rows);
            ArrayPool<byte>.Shared.Return(Head);
        }
    }

    /// <summary>
    /// The page by ranks PostgreSQL computed for each row of one word's list: rank descending, then the newest first, as
    /// the count and page statement orders them (the same float4 values, so ties are the statement's ties).
    /// </summary>
    private static List<long> ByRanks(PostgresSitePostings site, Unpacked word, float[] ranks, int[] matches, int count, long offset, int perPage)
    {
        var matchRanks = new float[count];
        var at = 0;
        for (var m = 0; m < count; m++)
        {
            // The matches are rows of the word's list, both ascending.
            var row = matches[m] >> TierBits;
            while (word.Rows[at] != row) at++;
            matchRanks[m] = ranks[at];
        }
        return PageByRank(site, matches, matchRanks, new int[count], count, offset, perPage);
    }

    /// <summary>
    /// The page of the first <paramref name="count"/> matches by their <paramref name="ranks"/> (one a match), as the
    /// statement orders them: rank descending, then the newest (highest id, the latest row) first. <paramref name="order"/>:
    /// room for <paramref name="count"/> places.
    /// </summary>
    private static List<long> PageByRank(PostgresSitePostings site, int[] matches, float[] ranks, int[] order, int count, long offset, int perPage)
    {
        for (var m = 0; m < count; m++) order[m] = m;
        Array.Sort(order, 0, count, Comparer<int>.Create((a, b) => ranks[a] != ranks[b] ? ranks[b].CompareTo(ranks[a]) : b.CompareTo(a)));
        var page = new List<long>(perPage);
        for (var k = offset; k < count && page.Count < perPage; k++) page.Add(site.Ids[matches[order[k]] >> TierBits]);
        return page;
    }

    /// <summary>Each match as its row shifted left by two bits, its tier (0 title, 1 title or excerpt, 2 content) in the low bits.</summary>
    private const int TierBits = 2;

    /// <summary>
    /// The visible matches, rows ascending, with their tiers: rows holding every word (the rarest word's list walked, the
    /// others sought by galloping), not of a hidden class, and, for a protected post the reader may not edit, only with
    /// every word in the title (PostgreSQL's <c>p.password = '' OR editable OR search_head @@ title</c>); counted in
    /// <paramref name="visible"/>. Of those, the matches past the other filters (<paramref name="restricted"/>) are kept
    /// in <paramref name="matches"/>, and their number returned.
    /// </summary>
    private static int Intersect(PostgresSitePostings site, Unpacked[] words, bool[] hidden, bool[]? protectedHidden, Restricted? restricted,
        int[] matches, out int visible)
    {
        visible = 0;
        var order = Enumerable.Range(0, words.Length).OrderBy(i => words[i].Count).ToArray();
        var rarest = words[order[0]];
        // The rarest list held as bit sets: every list is (each is in more posts), and they are ANDed 64 rows at a time.
        if (rarest.Dense is not null) return IntersectDense(site, words, hidden, protectedHidden, restricted, matches, ref visible);
        var cursors = new int[words.Length];
        var count = 0;
        var rarestRows = rarest.Rows;
        for (var k = 0; k < rarest.Count; k++)
        {
            var row = rarestRows[k];
            var head = rarest.Head[k];
            for (var o = 1; o < order.Length && head != Absent; o++)
            {
                var word = words[order[o]];
                if (word.Dense is { } dense)
                {
                    var flags = PostgresWordPostings.DenseHead(dense, row);
                    head = flags == Absent ? Absent : (byte)(head & flags);
                    continue;
                }
                var at = SearchPostings.Seek(word.Rows, word.Count, cursors[order[o]], row);
                if (at < 0)
                {
                    cursors[order[o]] = ~at;
                    head = Absent;
                }
                else
                {
                    cursors[order[o]] = at;
                    head &= word.Head[at];
                }
            }
            if (head != Absent) Take(site, hidden, protectedHidden, restricted, matches, ref count, ref visible, row, head);
        }
        return count;
    }

    /// <summary>The intersection when every list is held as bit sets: their blocks ANDed, the head flags likewise.</summary>
    private static int IntersectDense(PostgresSitePostings site, Unpacked[] words, bool[] hidden, bool[]? protectedHidden, Restricted? restricted,
        int[] matches, ref int visible)
    {
        var blocks = words.Min(w => w.Dense!.Length) / 3;
        var count = 0;
        for (var b = 0; b < blocks; b++)
        {
            var (all, title, head) = (ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);
            foreach (var word in words)
            {
                var dense = word.Dense!;
                all &= dense[3 * b];
                title &= dense[3 * b + 1];
                head &= dense[3 * b + 2];
            }
            for (; all != 0; all &= all - 1)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(all);
                var flags = (byte)((((title >> bit) & 1) != 0 ? PostgresWordPostings.InTitle : 0) | (((head >> bit) & 1) != 0 ? PostgresWordPostings.InHead : 0));
                Take(site, hidden, protectedHidden, restricted, matches, ref count, ref visible, (b << 6) | bit, flags);
            }
        }
        return count;
    }

    /// <summary>
    /// A row holding every word, with its head flags ANDed: counted as visible unless of a hidden class (or protected
    /// without every word in the title), and kept, with its tier, when it passes the other filters.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Take(PostgresSitePostings site, bool[] hidden, bool[]? protectedHidden, Restricted? restricted, int[] matches,
        ref int count, ref int visible, int row, byte head)
    {
        var facets = site.Classes[row];
        if (hidden[facets]) return;
        var inTitle = (head & PostgresWordPostings.InTitle) != 0;
        if (protectedHidden is not null && protectedHidden[facets] && !inTitle) return;
        visible++;
        if (restricted is not null && !restricted.Passes(facets, row)) return;
        var tier = inTitle ? 0 : (head & PostgresWordPostings.InHead) != 0 ? 1 : 2;
        matches[count++] = (row << TierBits) | tier;
    }

    /// <summary>
    /// The page ordered as the statement orders it, ts_rank_cd descending and then the newest first, from the words'
    /// positions (<see cref="PostgresCoverDensity"/>); null when a word's positions are not held for this stamp (then they
    /// are asked for, and SQL ranks the known matches).
    /// </summary>
    private List<long>? RankHere(long siteId, ContentStamp stamp, PostgresSitePostings site, PostgresWordPostings[] lists, IReadOnlyList<string> terms,
        int[] matches, int count, long offset, int perPage)
    {
        if (offset >= count) return [];
        // The positions not held, charged as their lists' posts (each key looked up once: the checks below share it).
        var positionsKeys = new string[terms.Count];
        long missing = 0;
        for (var i = 0; i < terms.Count; i++)
            if (!(site.Words.TryGetValue(positionsKeys[i] = PositionsKey(terms[i]), out var held) && held.Held))
                missing += PostgresWordPostings.PositionsCharge(lists[i].Count, Volatile.Read(ref _positionsPerRow));
        // Several words, one of them in fewer than SeveralWordsReadMax posts (kept because its own search read it): their
        // matches are at most that word's posts, and SQL ranks them for a few ms, where reading the positions would read
        // every post of each other word (85 ms for a frequent word, measured) and hold them. So they are used when held,
        // not asked for (docs/performance.md, PostgreSQL search).
        if (missing > 0 && terms.Count > 1 && lists.Any(w => w.Count < SeveralWordsReadMax)) return null;
        // Positions not held are asked for only when they would fit beside the words in use (PostingsHolder.Fits): read and
        // dropped at once they would cost a pass over their posts' vectors each time.
        if (missing > 0 && !_held.Fits(missing)) return null;
        if (_held.Find(siteId, stamp, positionsKeys) is not { } found || !ReferenceEquals(found.Site, site)) return null;
        var words = found.Words;
        long heldBytes = 0, heldRows = 0;
        foreach (var word in words) (heldBytes, heldRows) = (heldBytes + word.Bytes, heldRows + word.Rows!.Length);
        if (heldRows > 0) Volatile.Write(ref _positionsPerRow, Math.Max(PostgresWordPostings.PositionsMinPerRow, (double)heldBytes / heldRows));
        // Each word's place in the vector's lexeme order (PostgreSQL sorts lexemes by their bytes): the tie-break of two
        // words at one position.
        var lexemeOrder = new int[terms.Count];
        for (var i = 0; i < terms.Count; i++)
            for (var j = 0; j < terms.Count; j++)
                if (string.CompareOrdinal(terms[j], terms[i]) < 0) lexemeOrder[i]++;
        var cursors = new int[words.Length];
        var ranks = ArrayPool<float>.Shared.Rent(count);
        var order = ArrayPool<int>.Shared.Rent(count);
        var keys = ArrayPool<int>.Shared.Rent(64);
        try
        {
            for (var m = 0; m < count; m++)
            {
                var row = matches[m] >> TierBits;
                var length = 0;
                for (var w = 0; w < words.Length; w++)
                {
                    var word = words[w];
                    var at = SearchPostings.Seek(word.Rows!, cursors[w], row);
                    // Every match holds every word, read at the same stamp: a miss would be a mistake, answered by SQL.
                    if (at < 0) return null;
                    cursors[w] = at;
                    var (from, to) = (word.Starts[at], word.Starts[at + 1]);
                    if (length + (to - from) > keys.Length)
                    {
                        var larger = ArrayPool<int>.Shared.Rent(2 * (length + to - from));
                        Array.Copy(keys, larger, length);
                        ArrayPool<int>.Shared.Return(keys);
                        keys = larger;
                    }
                    for (var k = from; k < to; k++) keys[length++] = PostgresCoverDensity.Key(word.Positions[k], lexemeOrder[w]);
                }
                ranks[m] = PostgresCoverDensity.Rank(keys, length, words.Length);
            }
            return PageByRank(site, matches, ranks, order, count, offset, perPage);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(ranks);
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(keys);
        }
    }

    private const byte Absent = PostgresWordPostings.Absent;

    /// <summary>The page in the tiers' order (title, title or excerpt, the rest; each newest first, highest id), as the statements order it.</summary>
    private static List<long> Tiers(PostgresSitePostings site, int[] matches, int count, long offset, int perPage)
    {
        var page = new List<long>(perPage);
        var skip = offset;
        for (var tier = 0; tier < 3 && page.Count < perPage; tier++)
            for (var m = count - 1; m >= 0 && page.Count < perPage; m--)
            {
                if ((matches[m] & ((1 << TierBits) - 1)) != tier) continue;
                if (skip > 0) skip--;
                else page.Add(site.Ids[matches[m] >> TierBits]);
            }
        return page;
    }
}

/// <summary>What PostgreSQL's in-memory search holds of one site for one stamp: its searchable posts, their facets, and words' lists.</summary>
internal sealed class PostgresSitePostings : HeldSite<PostgresWordPostings>
{
    /// <summary>Ids of the site's posts and pages (every status), ascending: a row is its place here.</summary>
    public required long[] Ids { get; init; }
}

/// <summary>
/// One word in one site: the rows whose <c>search_vector</c> holds it, ascending, and per row whether <c>search_head</c>
/// holds it with weight A (<see cref="InTitle"/>) and at all (<see cref="InHead"/>), as PostgreSQL itself tested them.
/// A word's list is held packed (<see cref="Packed"/>, <see cref="Pack"/>) and unpacked by each search that uses it
/// (<see cref="Unpack"/>); in more than <see cref="PackedMaxRows"/> posts, as bit sets (<see cref="Dense"/>) when it is in
/// enough of the rows it spans, otherwise as <see cref="HeldWord.Rows"/> and <see cref="Head"/>; a word's positions
/// (<see cref="PostgresSearchPostings.PositionsKey"/>) are held as <see cref="HeldWord.Rows"/>, <see cref="Starts"/> and
/// <see cref="Positions"/>.
/// Neither held: not held (in more than <see cref="PostgresSearchPostingsReader.MaxRows"/> posts), searches with it go to SQL.
/// </summary>
internal sealed class PostgresWordPostings : HeldWord
{
    public const byte InTitle = 1;
    public const byte InHead = 2;

    /// <summary>The bits of a packed entry that hold the head flags; the rest is the gap from the previous row.</summary>
    private const int FlagBits = 2;

    /// <summary>
    /// The list, one entry a row: the gap from the previous row (the first row's from -1), shifted left by
    /// <see cref="FlagBits"/> with the head flags in the low bits, as an unsigned LEB128 varint. Null for positions keys.
    /// Why: held as an int and a flag byte a row (5 bytes) the bench site's 6,000 words need about 45 MB up to 20,002
    /// posts (70 MB with the 112 words in more), three times the bound, so the whole-vocabulary mix read and evicted words
    /// in turn; packed, a frequent word's entry is one byte (gaps under 32) and a rare word's two (gaps under 4,096), so
    /// they fit (docs/performance.md, PostgreSQL search). Unpacking costs a search about a nanosecond a row.
    /// </summary>
    public byte[]? Packed { get; private init; }

    /// <summary>
    /// Its rows, packed or not (a list in more posts is held as before, <see cref="HeldWord.Rows"/> and <see cref="Head"/>).
    /// </summary>
    public int Count => Packed is not null ? PackedCount : Dense is not null ? DenseCount : Rows?.Length ?? 0;

    private int PackedCount { get; init; }

    private int DenseCount { get; init; }

    /// <summary>
    /// The most rows a packed list has. Unpacking costs each search about a nanosecond a row (estimated, not measured
    /// alone): some 15 µs for a frequent word of 13,000 posts, but about 100 µs for a word in nearly every post, a
    /// quarter of what a search for one of them ("the" alone: the stop words are kept when nothing else is left) costs
    /// the server now. Such words are held as bit sets (<see cref="Dense"/>); a word in more posts but spread too thinly
    /// for those to be smaller (a site far larger than the bench's) is held as read, 5 bytes a row.
    /// </summary>
    public const int PackedMaxRows = 50_000;

    /// <summary>What <see cref="Dense"/> takes a row of the span it covers: three bit sets.</summary>
    private const int DenseBitsPerRow = 3;

    /// <summary>
    /// Whether a list of <paramref name="count"/> rows, the last <paramref name="lastRow"/>, is held as bit sets: their
    /// blocks up to the last row (three words of 8 bytes for 64 rows) take no more than a byte a listed row, the least a
    /// packed entry takes; so the word is in at least three eighths of the rows it spans.
    /// </summary>
    private static bool DenseFor(int count, int lastRow) => 8L * DenseBitsPerRow * ((lastRow >> 6) + 1L) <= count;

    /// <summary>
    /// A list in at least three eighths of the rows it spans (<see cref="DenseFor"/>), as three bit sets
    /// interleaved a block of 64 rows at a time: for block b, <c>Dense[3b]</c> the rows holding the word,
    /// <c>Dense[3b + 1]</c> those with it in the title (<see cref="InTitle"/>), <c>Dense[3b + 2]</c> in the title or excerpt
    /// (<see cref="InHead"/>); rows past the last block do not hold it. Null otherwise. Why: held as an int and a flag byte
    /// a row, the bench site's 36 words in more than half its posts took 13.4 MB, more than all its other 5,963 words
    /// packed (16 MB), so the whole vocabulary did not fit the 16 MB bound; as bit sets they take 41 KB each, 1.5 MB in
    /// all. A search tests a row of another word's list in them directly, and one of only such words ANDs them 64 rows
    /// at a time, where seeking in a list galloped (docs/performance.md, PostgreSQL search).
    /// </summary>
    public ulong[]? Dense { get; private init; }

    /// <summary>The blocks of 64 rows <see cref="Dense"/> covers (a third of its length).</summary>
    public int DenseBlocks => (Dense?.Length ?? 0) / 3;

    /// <summary>Whether a list held as <see cref="Dense"/> holds <paramref name="row"/>, and its head flags there (<see cref="Absent"/> when not).</summary>
    public static byte DenseHead(ulong[] dense, int row)
    {
        var block = 3 * (row >> 6);
        if (block >= dense.Length) return Absent;
        var bit = 1UL << row;
        if ((dense[block] & bit) == 0) return Absent;
        return (byte)(((dense[block + 1] & bit) != 0 ? InTitle : 0) | ((dense[block + 2] & bit) != 0 ? InHead : 0));
    }

    /// <summary>No flag combination is this value: a row not in a list (<see cref="DenseHead"/>, the intersection).</summary>
    public const byte Absent = 0xFF;

    /// <summary>Per row, the head flags of a list held unpacked (<see cref="PackedMaxRows"/>); empty otherwise.</summary>
    public byte[] Head { get; private init; } = [];

    /// <summary>Held as a packed list, as bit sets, as read, or as positions.</summary>
    public override bool Held => Packed is not null || Dense is not null || Rows is not null;

    /// <summary>A word's list from its rows, ascending, and each row's head flags.</summary>
    public static PostgresWordPostings Pack(IReadOnlyList<int> rows, IReadOnlyList<byte> head)
    {
        if (rows.Count > 0 && DenseFor(rows.Count, rows[^1]))
        {
            var dense = new ulong[3 * ((rows[^1] >> 6) + 1)];
            for (var k = 0; k < rows.Count; k++)
            {
                var (block, bit) = (3 * (rows[k] >> 6), 1UL << rows[k]);
                dense[block] |= bit;
                if ((head[k] & InTitle) != 0) dense[block + 1] |= bit;
                if ((head[k] & InHead) != 0) dense[block + 2] |= bit;
            }
            return new PostgresWordPostings { Dense = dense, DenseCount = rows.Count };
        }
        if (rows.Count > PackedMaxRows) return new PostgresWordPostings { Rows = [.. rows], Head = [.. head] };
        var packed = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(16, rows.Count + rows.Count / 2));
        var previous = -1;
        for (var k = 0; k < rows.Count; k++)
        {
            var entry = ((uint)(rows[k] - previous) << FlagBits) | head[k];
            previous = rows[k];
            var span = packed.GetSpan(5);
            var length = 0;
            while (entry >= 0x80)
            {
                span[length++] = (byte)(entry | 0x80);
                entry >>= 7;
            }
            span[length++] = (byte)entry;
            packed.Advance(length);
        }
        return new PostgresWordPostings { Packed = packed.WrittenSpan.ToArray(), PackedCount = rows.Count };
    }

    /// <summary>A packed list's rows and head flags into the first <see cref="Count"/> places of <paramref name="rows"/> and <paramref name="head"/>.</summary>
    public void Unpack(Span<int> rows, Span<byte> head)
    {
        var packed = Packed!;
        var (at, row) = (0, -1);
        for (var k = 0; k < Count; k++)
        {
            uint entry = packed[at++];
            if (entry >= 0x80)
            {
                entry &= 0x7F;
                var shift = 7;
                uint next;
                do
                {
                    next = packed[at++];
                    entry |= (next & 0x7F) << shift;
                    shift += 7;
                }
                while (next >= 0x80);
            }
            row += (int)(entry >> FlagBits);
            rows[k] = row;
            head[k] = (byte)(entry & ((1 << FlagBits) - 1));
        }
    }

    /// <summary>Its positions (under the word's positions key only, else empty): row k's are <c>Positions[Starts[k] .. Starts[k + 1]]</c>,
    /// each PostgreSQL's WordEntryPos as <c>search_vector</c> stores it (weight in the two high bits).
    /// </summary>
    public int[] Starts { get; init; } = [];

    public ushort[] Positions { get; init; } = [];

    /// <summary>
    /// A word's list goes after positions used in the last <see cref="ListGrace"/> searches: a search whose list is
    /// missing goes to SQL whole (count, order, page, 60-150 ms for a frequent word), one whose positions are missing only
    /// has SQL rank its known matches (a few ms). Not for ever: a list unused that long gives way to positions in use
    /// (three frequent words searched over and over, whose positions the bound held only once the lists of words searched
    /// a minute before went: 85 calls/s against 1,549 when lists always went last, docs/performance.md).
    /// </summary>
    public override long Grace => Starts.Length == 0 ? ListGrace : 0;

    /// <summary>
    /// Held as bit sets (<see cref="Dense"/>), a list goes only after every other word: such words are few (about fifty on
    /// the benchmark site, 2 MB in all), and a search without one goes to SQL whole, which visits a good part of the site.
    /// SQLite's words held as bit sets alone are kept the same way.
    /// </summary>
    public override bool EvictedLast => Dense is not null;

    /// <summary>
    /// About 10 s of searches at 1,500 a second, two clock ticks each. In the whole-vocabulary mix (two words of 6,000 a
    /// search) a word's list is used every 3,000 searches or so, so one goes for positions about once in a thousand.
    /// </summary>
    public const long ListGrace = 1 << 15;

    /// <summary>The floor is the site's posts holding the word (<see cref="PostgresSearchPostings.DefaultMinRows"/>).</summary>
    public override long FloorRows => Count;

    /// <summary>The packed list, the bit sets, or 4 bytes a row, 1 a head flag, 4 a row's start and 2 a position; and 64 for the word.</summary>
    public override long Bytes => 64 + (Packed?.Length ?? 0) + 8L * (Dense?.Length ?? 0) + 4L * (Rows?.Length ?? 0) + Head.Length + 4L * Starts.Length + 2L * Positions.Length;

    /// <summary>
    /// About what a word's list of <paramref name="rows"/> posts is charged (its positions, held apart, not included): packed,
    /// two bytes an entry, what a word in more than about 25 posts of 100,000 needs at most (gaps under 4,096 rows); in
    /// more than <see cref="PackedMaxRows"/>, 5 bytes a row, the most it may take (as read; bit sets take less than a byte a
    /// row, but whether a word gets them depends on the rows it spans, which its size does not say).
    /// </summary>
    public static long Charge(long rows) => 64 + (rows > PackedMaxRows ? 5 : 2) * rows;

    /// <summary>
    /// About what a word's positions of <paramref name="rows"/> posts are charged at <paramref name="perRow"/> bytes a post
    /// (<see cref="PostgresSearchPostings"/> uses the last positions it found: a frequent word has several a post).
    /// </summary>
    public static long PositionsCharge(long rows, double perRow = PositionsMinPerRow) => 64 + (long)(Math.Max(PositionsMinPerRow, perRow) * rows);

    /// <summary>The least a post's positions take: its row and its start 4 bytes each, one position 2.</summary>
    public const double PositionsMinPerRow = 10;
}
