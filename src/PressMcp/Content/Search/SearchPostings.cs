using PressMcp.Storage;

namespace PressMcp.Content.Search;

/// <summary>
/// Words' posting lists in memory, per site and content version (SQLite only), so a search with query text ordered by
/// relevance with no filter but visibility is answered without FTS5: the words' lists intersected rarest first, then
/// bm25 computed here exactly as FTS5 computes it (<see cref="Bm25"/>) up to <see cref="SearchRanking.RankAllLimit"/>
/// visible matches, or WordPress's tiers above it, as PostSearch's statements order them. FTS5 spends most of such a search counting each
/// word's rows over the whole table for bm25's idf and reading each match's column sizes (docs/performance.md, Search).
/// <para>
/// Never stale: what is held was read in one read transaction together with the site's content version and the sum of
/// every site's version (<see cref="ContentStamp"/>), and is used only by a search that read the same two numbers before
/// anything else (as <see cref="SearchResultCache"/>). bm25's statistics (rows, tokens, each word's rows) are the whole
/// table's, every site's, hence the sum: a write on another site changes them, and no site's lists are used after it
/// until rebuilt. Never waits: a search whose site or words are not in memory for its stamp is answered by SQL and asks
/// for them; one background build per site reads them (<see cref="SearchPostingsReader"/>), and builds of a site's rows
/// are spaced so that rebuilding after writes takes at most about a third of a core. What is held, asked for, read and
/// evicted is <see cref="PostingsHolder{TSite, TWord}"/>'s rule, shared with <see cref="PostgresSearchPostings"/>.
/// </para>
/// <para>
/// Bounded: the rows and lists held are charged 10 bytes a post and 8 bytes a posting; over <see cref="MaxBytes"/> the
/// least recently used words go; a word whose size (one row of FTS5's vocabulary, read first) would only push out words
/// searched more often is not read. A word with more than <see cref="SearchPostingsReader.MaxInstances"/> occurrences in the
/// whole table is not held (its searches go to SQL, where such words are cheap or cached).
/// </para>
/// </summary>
internal sealed class SearchPostings(IServiceScopeFactory? scopes, ILogger<SearchPostings> logger, long maxBytes = SearchPostings.DefaultMaxBytes,
    long minTableRows = SearchPostings.DefaultMinTableRows)
{
    /// <summary>An in-memory search that holds nothing and answers nothing: every search goes to SQL (tests compare with it).</summary>
    public static SearchPostings Off { get; } = new(null, Microsoft.Extensions.Logging.Abstractions.NullLogger<SearchPostings>.Instance, 0);

    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    /// <summary>
    /// The fewest rows of the whole table a word must be in to be held. FTS5 answers rare words fast (its cost is the
    /// words' posting lists, and bm25's idf pass walks them), and a mix of many rare words held in memory churned lists
    /// nobody searched again: with no floor the whole-vocabulary bench cost more CPU than SQL and took the server to
    /// 481 MB (docs/performance.md, Search). Tests use 0, so every word is held.
    /// </summary>
    public const long DefaultMinTableRows = 2_000;

    /// <summary>The site and words held, what is asked for and read, the bound (one rule with PostgreSQL's holder).</summary>
    private readonly PostingsHolder<SitePostings, WordPostings> _held = new(scopes, logger, "SQLite",
        async (db, siteId, ct) => await SearchPostingsReader.OpenAsync(db, siteId, ct), maxBytes, minTableRows);

    public long MaxBytes => _held.MaxBytes;

    /// <summary>Bytes held now (rows and lists, as charged).</summary>
    public long Bytes => _held.Bytes;

    /// <summary>Searches answered here, and searches that went to SQL (no lists for their stamp yet, or not the bm25 case).</summary>
    public (long Answered, long Declined) Counts => _held.Counts;

    /// <summary>Time the background builds took (elapsed, so under load more than their CPU), and the words read (benches).</summary>
    public (TimeSpan Building, long WordsRead) Reads => _held.Reads;

    /// <summary>Reads the site's rows and the given words for the current stamp now (tests).</summary>
    internal Task BuildAsync(long siteId, IEnumerable<string> terms, CancellationToken ct) => _held.BuildAsync(siteId, terms, ct);

    /// <summary>A page ranked in memory: the page's ids and the visible matches.</summary>
    internal sealed record Ranked(List<long> Ids, long Total);

    /// <summary>
    /// The page and total the SQL statements would give, or null when this search must go to SQL: the site or a word is
    /// not in memory for <paramref name="stamp"/> (then it is asked for), a word is not held, or more than
    /// <paramref name="rankLimit"/> visible matches (ranked by tiers in SQL). <paramref name="hidden"/> and
    /// <paramref name="hiddenContent"/> are the FTS5 expressions the statements would send (<see cref="SearchFacets"/>).
    /// </summary>
    public Ranked? TryRank(long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent, long offset, int perPage, SearchRanking ranking)
    {
        if (!_held.Enabled) return null;
        var answer = Rank(siteId, stamp, terms, hidden, hiddenContent, offset, perPage, ranking);
        _held.Record(answer is not null);
        return answer;
    }

    /// <summary>Whether every term is a word FTS5's unicode61 tokenizer indexes as itself: ASCII letters and digits, lower case.</summary>
    public static bool Indexable(IReadOnlyList<string> terms)
    {
        foreach (var term in terms)
            foreach (var c in term)
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9'))) return false;
        return true;
    }

    private Ranked? Rank(long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent, long offset, int perPage, SearchRanking ranking)
    {
        if (!Indexable(terms)) return null;
        if (_held.Find(siteId, stamp, terms) is not { } found) return null;
        var (site, words) = found;
        var hiddenClasses = site.ClassesMatching(hidden);
        var protectedClasses = hiddenContent is null ? null : site.ClassesMatching(hiddenContent);
        if (hiddenClasses is null || (hiddenContent is not null && protectedClasses is null)) return null;
        using var matches = Intersect(site, words, hiddenClasses, protectedClasses);
        // As PostSearch: the visible matches, counted up to one past the exact limit, choose the ordering.
        var counted = Math.Min(matches.Count, ranking.ExactTotalLimit + 1L);
        return counted > ranking.RankAllLimit ? Tiers(words, matches, site, offset, perPage) : Bm25.Page(site, words, matches, offset, perPage);
    }

    /// <summary>
    /// The visible matches: rows holding every word (the rarest word's list walked, the others searched), not hidden
    /// (<c>NOT hidden</c>), and, for the protected posts the reader may not edit, only with every word in the title
    /// (PostSearch.Match). Each match as its row and, per word, its place in that word's list.
    /// </summary>
    private static Matches Intersect(SitePostings site, WordPostings[] words, bool[] hidden, bool[]? protectedHidden)
    {
        var order = Enumerable.Range(0, words.Length).OrderBy(i => words[i].Rows!.Length).ToArray();
        var rarest = words[order[0]].Rows!;
        var cursors = new int[words.Length];
        var matches = new Matches(words.Length);
        var places = new int[words.Length];
        for (var k = 0; k < rarest.Length; k++)
        {
            var row = rarest[k];
            places[order[0]] = k;
            var all = true;
            for (var o = 1; o < order.Length && all; o++)
            {
                var i = order[o];
                var rows = words[i].Rows!;
                var at = Seek(rows, cursors[i], row);
                if (at < 0)
                {
                    cursors[i] = ~at;
                    all = false;
                }
                else
                {
                    cursors[i] = at;
                    places[i] = at;
                }
            }
            if (!all) continue;
            var facets = site.Classes[row];
            if (hidden[facets]) continue;
            if (protectedHidden is not null && protectedHidden[facets] && !InTitle(words, places)) continue;
            matches.Add(places);
        }
        return matches;
    }

    /// <summary>
    /// WordPress's tiers for a large match set, as PostSearch.Large.cs reads them: every word in the title; every word in
    /// title or excerpt (each word in either); the rest; each tier newest first (highest id), the page cut from them in
    /// that order. The total is every visible match (PostSearch makes it a lower bound past the exact limit).
    /// </summary>
    private static Ranked Tiers(WordPostings[] words, Matches matches, SitePostings site, long offset, int perPage)
    {
        // Each match's tier is worked out again in each pass rather than kept: no array the size of the matches per search.
        int TierOf(int m)
        {
            var (title, head) = (true, true);
            for (var i = 0; i < words.Length; i++)
            {
                var packed = words[i].Frequencies![matches.Place(m, i)];
                title &= WordPostings.Title(packed) > 0;
                head &= WordPostings.Title(packed) > 0 || WordPostings.Excerpt(packed) > 0;
            }
            return title ? 0 : head ? 1 : 2;
        }
        var page = new List<long>(perPage);
        var skip = offset;
        for (var tier = 0; tier < 3 && page.Count < perPage; tier++)
            for (var m = matches.Count - 1; m >= 0 && page.Count < perPage; m--)
            {
                if (TierOf(m) != tier) continue;
                if (skip > 0) skip--;
                else page.Add(site.Ids[words[0].Rows![matches.Place(m, 0)]]);
            }
        return new Ranked(page, matches.Count);
    }

    /// <summary>
    /// The matches of an intersection, flat: per match, each word's place in its list. In arrays of the shared pool,
    /// returned after the search: a frequent word's 14,000 matches would otherwise be garbage of every search, which
    /// under load grew the server's heap (docs/performance.md, Search).
    /// </summary>
    internal sealed class Matches(int words) : IDisposable
    {
        private int[] _places = System.Buffers.ArrayPool<int>.Shared.Rent(1024);
        private int _length;

        public int Count => _length / words;

        public int Place(int match, int word) => _places[match * words + word];

        public void Add(int[] places)
        {
            if (_length + places.Length > _places.Length)
            {
                var larger = System.Buffers.ArrayPool<int>.Shared.Rent(_places.Length * 2);
                Array.Copy(_places, larger, _length);
                System.Buffers.ArrayPool<int>.Shared.Return(_places);
                _places = larger;
            }
            places.CopyTo(_places, _length);
            _length += places.Length;
        }

        public void Dispose() => System.Buffers.ArrayPool<int>.Shared.Return(_places);
    }

    /// <summary>
    /// The place of <paramref name="row"/> in <paramref name="rows"/> at or after <paramref name="from"/>, or the complement of
    /// where it would be: galloping (steps 1, 2, 4… then a binary search), so a walk of ascending rows costs about the
    /// shorter list's length whether the lists are alike in size (frequent words) or far apart (a rare and a frequent word).
    /// </summary>
    internal static int Seek(int[] rows, int from, int row)
    {
        var step = 1;
        var hi = from;
        while (hi < rows.Length && rows[hi] < row)
        {
            from = hi + 1;
            hi += step;
            step <<= 1;
        }
        var end = Math.Min(hi + 1, rows.Length);
        return Array.BinarySearch(rows, from, end - from, row);
    }

    private static bool InTitle(WordPostings[] words, int[] places)
    {
        for (var i = 0; i < words.Length; i++)
            if (WordPostings.Title(words[i].Frequencies![places[i]]) == 0) return false;
        return true;
    }
}

/// <summary>What one site's in-memory search holds for one stamp: its full-text rows, their facets, and words' lists.</summary>
internal sealed class SitePostings : HeldSite<WordPostings>
{
    /// <summary>Post ids of the site's full-text rows, ascending: a row is its place here.</summary>
    public required uint[] Ids { get; init; }

    /// <summary>Each row's tokens over every column (FTS5's docsize, bm25's D).</summary>
    public required int[] Sizes { get; init; }

    /// <summary>The whole table's rows and tokens (every site): bm25's N and average length.</summary>
    public required long TableRows { get; init; }

    public required long TableTokens { get; init; }
}

/// <summary>
/// One word in one site: its rows ascending, and per row the occurrences in title, excerpt and content packed (10, 10
/// and 12 bits); and the number of rows of the whole table holding it (bm25's idf). Rows null: not held (too frequent, or
/// an occurrence count too large to pack), so searches with it go to SQL.
/// </summary>
internal sealed class WordPostings : HeldWord
{
    public uint[]? Frequencies { get; init; }

    public long TableRows { get; init; }

    /// <summary>The floor is FTS5's own measure, rows of the whole table (<see cref="SearchPostings.DefaultMinTableRows"/>).</summary>
    public override long FloorRows => TableRows;

    public override long Bytes => Charge(Rows?.Length ?? 0);

    /// <summary>What a word of <paramref name="rows"/> rows is charged: 64 bytes and 8 a posting (its row and packed counts).</summary>
    public static long Charge(long rows) => 64 + 8 * rows;

    public const int MaxTitle = (1 << 10) - 1;
    public const int MaxExcerpt = (1 << 10) - 1;
    public const int MaxContent = (1 << 12) - 1;

    public static uint Pack(int title, int excerpt, int content) => (uint)title | ((uint)excerpt << 10) | ((uint)content << 20);

    public static int Title(uint packed) => (int)(packed & MaxTitle);

    public static int Excerpt(uint packed) => (int)((packed >> 10) & MaxExcerpt);

    public static int Content(uint packed) => (int)(packed >> 20);
}
