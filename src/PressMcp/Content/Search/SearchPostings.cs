using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

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
/// are spaced so that rebuilding after writes takes at most about a third of a core.
/// </para>
/// <para>
/// Bounded: the rows and lists held are charged 10 bytes a post and 8 bytes a posting; over <see cref="MaxBytes"/> the
/// least recently used words go. A word with more than <see cref="SearchPostingsReader.MaxInstances"/> occurrences in the
/// whole table is not held (its searches go to SQL, where such words are cheap or cached).
/// </para>
/// </summary>
internal sealed partial class SearchPostings(IServiceScopeFactory? scopes, ILogger<SearchPostings> logger, long maxBytes = SearchPostings.DefaultMaxBytes,
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

    private readonly ConcurrentDictionary<long, SitePostings> _sites = new();
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly Lock _gate = new();
    private long _bytes;
    private long _clock;
    private long _answered;
    private long _declined;

    public long MaxBytes { get; } = maxBytes;

    /// <summary>Bytes held now (rows and lists, as charged).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Searches answered here, and searches that went to SQL (no lists for their stamp yet, or not the bm25 case).</summary>
    public (long Answered, long Declined) Counts => (Interlocked.Read(ref _answered), Interlocked.Read(ref _declined));

    /// <summary>Time the background builds took (elapsed, so under load more than their CPU), and the words read (benches).</summary>
    public (TimeSpan Building, long WordsRead) Reads => (System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _buildTicks)), Interlocked.Read(ref _wordsRead));

    private long _buildTicks;
    private long _wordsRead;

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
        if (scopes is null) return null;
        var answer = Rank(siteId, stamp, terms, hidden, hiddenContent, offset, perPage, ranking);
        Interlocked.Increment(ref answer is null ? ref _declined : ref _answered);
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
        if (!_sites.TryGetValue(siteId, out var site) || site.Stamp != stamp)
        {
            Want(siteId, terms, rows: true);
            return null;
        }
        var words = new WordPostings[terms.Count];
        var now = Interlocked.Increment(ref _clock);
        for (var i = 0; i < terms.Count; i++)
        {
            if (!site.Words.TryGetValue(terms[i], out var word))
            {
                Want(siteId, terms, rows: false);
                return null;
            }
            if (word.Rows is null) return null;
            word.LastUsed = now;
            words[i] = word;
        }
        foreach (var word in words) Interlocked.Increment(ref word.Uses);
        if ((now & AgingPeriod) == 0) Age();
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

    /// <summary>
    /// Asks for the site's rows (when those held are of another stamp) and for the words asked for a second time since
    /// the count was last cleared: a word searched once costs reading its occurrences, more than the search it would
    /// serve, so a mix of thousands of words each searched once (the whole-vocabulary bench) would spend its CPU reading
    /// lists nobody uses again. One build at a time per site.
    /// </summary>
    private void Want(long siteId, IReadOnlyList<string> terms, bool rows)
    {
        var pending = _pending.GetOrAdd(siteId, _ => new Pending());
        // A search with a word that is not held (too rare, too frequent) goes to SQL whatever else is read: its other
        // words are not asked for. In the whole-vocabulary mix most searches pair a frequent word with such a word, and
        // counting those made the frequent words look wanted, read and evicted in turn (docs/performance.md, Search).
        if (terms.Any(_notHeld.ContainsKey)) terms = [];
        foreach (var term in terms)
        {
            if (_asked.Count >= AskedCapacity) _asked.Clear();
            if (_asked.AddOrUpdate(term, 1, (_, times) => times + 1) >= 2 && !_notHeld.ContainsKey(term)) pending.Words.TryAdd(term, 0);
        }
        if ((rows || !pending.Words.IsEmpty) && Interlocked.CompareExchange(ref pending.Running, 1, 0) == 0) _ = Task.Run(() => RunAsync(siteId, pending));
    }

    /// <summary>Words counted by <see cref="Want"/> before the count is cleared (a bound whatever readers send).</summary>
    private const int AskedCapacity = 20_000;

    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);

    /// <summary>
    /// Words not read again at later stamps: found with more than <see cref="SearchPostingsReader.MaxInstances"/>
    /// occurrences (a word in most posts stays there), or in fewer than <c>minTableRows</c> rows (SQL serves them
    /// well); bounded as <see cref="_asked"/>. Their searches stay on SQL.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _notHeld = new(StringComparer.Ordinal);

    private async Task RunAsync(long siteId, Pending pending)
    {
        do
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await BuildAsync(siteId, pending, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogFailed(logger, siteId, ex);
            }
            Interlocked.Add(ref _buildTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            Volatile.Write(ref pending.Running, 0);
        }
        while (!pending.Words.IsEmpty && Environment.TickCount64 >= Volatile.Read(ref pending.NotBefore)
               && Interlocked.CompareExchange(ref pending.Running, 1, 0) == 0);
    }

    /// <summary>
    /// Reads, in one read transaction, the site's stamp, its rows when those held are of another stamp, and the words
    /// asked for: so everything held for a stamp is that stamp's state. Also what tests call to have a site's words ready.
    /// </summary>
    internal async Task BuildAsync(long siteId, IEnumerable<string> terms, CancellationToken ct)
    {
        var pending = new Pending();
        foreach (var term in terms) pending.Words.TryAdd(term, 0);
        await BuildAsync(siteId, pending, ct, spaced: false);
    }

    private async Task BuildAsync(long siteId, Pending pending, CancellationToken ct, bool spaced = true)
    {
        var wanted = pending.Words.Keys.ToList();
        foreach (var word in wanted) pending.Words.TryRemove(word, out _);
        if (scopes is null) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await using var reader = await SearchPostingsReader.OpenAsync(db, siteId, ct);
        if (reader.Stamp is not { } stamp) return;
        if (!_sites.TryGetValue(siteId, out var site) || site.Stamp != stamp)
        {
            if (spaced && Environment.TickCount64 < Volatile.Read(ref pending.NotBefore)) return;
            var started = Environment.TickCount64;
            site = await reader.ReadSiteAsync(ct);
            // Rebuilding after every write of a busy site must not take a core: the next rebuild waits twice as long as this one took.
            Volatile.Write(ref pending.NotBefore, Environment.TickCount64 + 2 * (Environment.TickCount64 - started));
            if (site is null) return;
            lock (_gate)
            {
                // Another build (a test's, beside the background one) may have read the same stamp first: keep its words.
                if (_sites.TryGetValue(siteId, out var old) && old.Stamp == stamp) site = old;
                else
                {
                    if (old is not null) _bytes -= old.Bytes();
                    _sites[siteId] = site;
                    _bytes += site.Bytes();
                }
            }
        }
        foreach (var term in wanted.Where(SearchPostingsReader.IsWord))
        {
            if (site.Words.ContainsKey(term)) continue;
            // Its size first (a row of FTS5's vocabulary): a word that will not be held, or would only push out words
            // searched more often, costs that row rather than a read of every occurrence.
            if (!_sizes.TryGetValue(term, out var size))
            {
                size = await reader.ReadWordSizeAsync(term, ct);
                if (_sizes.Count >= AskedCapacity) _sizes.Clear();
                _sizes[term] = size;
            }
            if (size.Rows < minTableRows)
            {
                if (_notHeld.Count >= AskedCapacity) _notHeld.Clear();
                _notHeld.TryAdd(term, 0);
                continue;
            }
            if (size.Instances <= SearchPostingsReader.MaxInstances && !Admits(term, size.Rows)) continue;
            var word = size.Instances > SearchPostingsReader.MaxInstances ? new WordPostings() : await reader.ReadWordAsync(site, term, ct);
            Interlocked.Increment(ref _wordsRead);
            if (word.Rows is null || word.TableRows < minTableRows)
            {
                if (_notHeld.Count >= AskedCapacity) _notHeld.Clear();
                _notHeld.TryAdd(term, 0);
                if (word.Rows is not null) continue;
            }
            word.LastUsed = Interlocked.Increment(ref _clock);
            lock (_gate)
            {
                if (!_sites.TryGetValue(siteId, out var current) || current != site) return;
                if (!site.Words.TryAdd(term, word)) continue;
                _bytes += word.Bytes;
                Evict();
            }
        }
    }

    /// <summary>
    /// Whether a word of <paramref name="tableRows"/> rows may be read: it fits, or the least recently used words it would
    /// push out were each used by fewer searches than asked for it. Without this a mix of more words than the bound holds
    /// read and evicted words in turn, a background cost larger than the searches it served (docs/performance.md, Search).
    /// </summary>
    private bool Admits(string term, long tableRows)
    {
        var asks = _asked.GetValueOrDefault(term);
        lock (_gate)
        {
            var need = _bytes + 64 + 8 * tableRows - MaxBytes;
            if (need <= 0) return true;
            foreach (var word in _sites.Values.SelectMany(s => s.Words.Values).Where(w => w.Rows is not null).OrderBy(w => w.LastUsed))
            {
                if (Interlocked.Read(ref word.Uses) >= asks) return false;
                need -= word.Bytes;
                if (need <= 0) return true;
            }
            return true;
        }
    }

    /// <summary>Halves every held word's uses, so that words searched often long ago give way to words searched often now.</summary>
    private void Age()
    {
        lock (_gate)
            foreach (var word in _sites.Values.SelectMany(s => s.Words.Values))
                Interlocked.Exchange(ref word.Uses, Interlocked.Read(ref word.Uses) / 2);
    }

    /// <summary>Searches between two halvings of the uses (<see cref="Age"/>), as a mask of the clock.</summary>
    private const long AgingPeriod = (1 << 16) - 1;

    /// <summary>Words' rows and occurrences in the whole table as last read (bounded as <see cref="_asked"/>); a size changes little between stamps.</summary>
    private readonly ConcurrentDictionary<string, (long Rows, long Instances)> _sizes = new(StringComparer.Ordinal);

    /// <summary>Drops the least recently used words until the bound holds (under the gate).</summary>
    private void Evict()
    {
        while (_bytes > MaxBytes)
        {
            (SitePostings Site, string Term, WordPostings Word)? oldest = null;
            foreach (var site in _sites.Values)
                foreach (var (term, word) in site.Words)
                    if (oldest is null || word.LastUsed < oldest.Value.Word.LastUsed) oldest = (site, term, word);
            if (oldest is not { } drop)
            {
                // Rows alone over the bound: hold no site.
                _sites.Clear();
                _bytes = 0;
                return;
            }
            drop.Site.Words.TryRemove(drop.Term, out _);
            _bytes -= drop.Word.Bytes;
        }
    }

    private sealed class Pending
    {
        public readonly ConcurrentDictionary<string, byte> Words = new(StringComparer.Ordinal);
        public int Running;
        public long NotBefore;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading site {SiteId}'s search postings into memory failed; its searches stay on SQL")]
    private static partial void LogFailed(ILogger logger, long siteId, Exception ex);
}

/// <summary>What one site's in-memory search holds for one stamp: its full-text rows, their facets, and words' lists.</summary>
internal sealed class SitePostings
{
    /// <summary>Post ids of the site's full-text rows, ascending: a row is its place here.</summary>
    public required uint[] Ids { get; init; }

    /// <summary>Each row's tokens over every column (FTS5's docsize, bm25's D).</summary>
    public required int[] Sizes { get; init; }

    /// <summary>Each row's facet class: a place in <see cref="ClassTokens"/>.</summary>
    public required ushort[] Classes { get; init; }

    /// <summary>The facet tokens of each class (type, status, author, protected).</summary>
    public required IReadOnlySet<string>[] ClassTokens { get; init; }

    public required ContentStamp Stamp { get; init; }

    /// <summary>The whole table's rows and tokens (every site): bm25's N and average length.</summary>
    public required long TableRows { get; init; }

    public required long TableTokens { get; init; }

    public ConcurrentDictionary<string, WordPostings> Words { get; } = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, bool[]?> _matching = new(StringComparer.Ordinal);

    /// <summary>Per facet class, whether the facets expression matches it; null when the expression cannot be read here.</summary>
    public bool[]? ClassesMatching(string expression) => _matching.GetOrAdd(expression, e =>
    {
        var test = FacetExpression.Compile(e);
        return test is null ? null : [.. ClassTokens.Select(t => test(t))];
    });

    public long Bytes() => 10L * Ids.Length + Words.Values.Sum(w => w.Bytes);
}

/// <summary>
/// One word in one site: its rows ascending, and per row the occurrences in title, excerpt and content packed (10, 10
/// and 12 bits); and the number of rows of the whole table holding it (bm25's idf). Rows null: not held (too frequent, or
/// an occurrence count too large to pack), so searches with it go to SQL.
/// </summary>
internal sealed class WordPostings
{
    public int[]? Rows { get; init; }

    public uint[]? Frequencies { get; init; }

    public long TableRows { get; init; }

    public long LastUsed;

    /// <summary>Searches answered with this word, halved now and then (<see cref="SearchPostings"/>'s admission of other words).</summary>
    public long Uses;

    public long Bytes => 64 + 8L * (Rows?.Length ?? 0);

    public const int MaxTitle = (1 << 10) - 1;
    public const int MaxExcerpt = (1 << 10) - 1;
    public const int MaxContent = (1 << 12) - 1;

    public static uint Pack(int title, int excerpt, int content) => (uint)title | ((uint)excerpt << 10) | ((uint)content << 20);

    public static int Title(uint packed) => (int)(packed & MaxTitle);

    public static int Excerpt(uint packed) => (int)((packed >> 10) & MaxExcerpt);

    public static int Content(uint packed) => (int)(packed >> 20);
}
