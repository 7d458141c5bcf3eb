using System.Collections.Concurrent;
using PressMcp.Storage;

namespace PressMcp.Content.Search;

/// <summary>
/// Holds words' lists in memory per site and content stamp for one engine's in-memory search (<see cref="SearchPostings"/>
/// on SQLite, <see cref="PostgresSearchPostings"/> on PostgreSQL): which site and words a search may use, which are
/// asked for and read in the background, and which go when the bound is reached. One rule for both engines; what each
/// engine reads, and what it computes over what it holds, stays with the engine (<see cref="IPostingsReader{TSite, TWord}"/>).
/// <para>
/// Never stale: everything held for a stamp was read in one snapshot with that stamp (<see cref="ContentStamp"/>), and
/// is used only by a search that read the same stamp first. Never waits: a search whose site or words are not held for
/// its stamp goes to SQL and asks for them; one background build per site reads them, and builds of a site's rows are
/// spaced so that rebuilding after writes takes at most about a third of a core. Bounded: over <see cref="MaxBytes"/>
/// charged, the least recently used words go; where the engine reads a word's size first, a word that would only push
/// out words searched more often is not read (<see cref="Admits"/>).
/// </para>
/// </summary>
internal sealed class PostingsHolder<TSite, TWord>(IServiceScopeFactory? scopes, ILogger logger, string engine,
    Func<PressDbContext, long, CancellationToken, Task<IPostingsReader<TSite, TWord>>> open, long maxBytes, long minRows,
    Func<string, bool>? readable = null, Func<string, bool>? readOnFirstAsk = null)
    where TSite : HeldSite<TWord>
    where TWord : HeldWord
{
    private readonly ConcurrentDictionary<long, TSite> _sites = new();
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly Lock _gate = new();
    private long _bytes;
    private long _roomClock = -1;
    private long _room;
    private long _clock;
    private long _answered;
    private long _declined;
    private long _buildTicks;
    private long _wordsRead;

    /// <summary>Whether anything may be held (an engine's <c>Off</c> holder has no scopes: every search goes to SQL).</summary>
    public bool Enabled => scopes is not null;

    public long MaxBytes { get; } = maxBytes;

    /// <summary>Bytes held now (rows and lists, as charged).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Whether <paramref name="bytes"/> more, of a word without grace (<see cref="HeldWord.Grace"/>), would be held within
    /// the bound with only words that go before it evicted for them, not counting words used in the last
    /// <see cref="HeldWord.InUseFor"/> searches: an engine asks for such a word only then, since reading one that the bound
    /// drops again at once costs the read for nothing, and one that pushes out a word in use has that word read again
    /// (searches drawing from more positions than the bound holds would read them in turn, a pass over their posts'
    /// vectors each, docs/performance.md, PostgreSQL search). The room is counted at most once every
    /// <see cref="RoomPeriod"/> searches (a walk over every held word), and again after a word is kept; what it admits is
    /// taken from it until then, so that many searches asking at once do not each see the same room (the settled mix
    /// read positions for dozens of searches in one pass, and the bound dropped them all before any search used them).
    /// </summary>
    public bool Fits(long bytes)
    {
        lock (_gate)
        {
            var now = Interlocked.Read(ref _clock);
            if (_roomClock < 0 || now - _roomClock > RoomPeriod)
            {
                _room = MaxBytes - _bytes;
                foreach (var site in _sites.Values)
                    foreach (var word in site.Words.Values)
                        if (!word.EvictedLast && EvictionKey(word) < now - HeldWord.InUseFor) _room += word.Bytes;
                _roomClock = now;
            }
            if (bytes > _room) return false;
            _room -= bytes;
            return true;
        }
    }

    /// <summary>Searches a count of <see cref="Fits"/>'s room is used for.</summary>
    private const long RoomPeriod = 1 << 8;

    /// <summary>Moves the clock on as if <paramref name="searches"/> searches had found words (tests: a word's grace, recent uses).</summary>
    internal void Pass(long searches)
    {
        Interlocked.Add(ref _clock, searches);
        lock (_gate) _roomClock = -1;
    }

    /// <summary>The eviction order among words of one tier (<see cref="HeldWord.EvictedLast"/>): lowest first.</summary>
    private static long EvictionKey(HeldWord word) => word.LastUsed + word.Grace;

    /// <summary>Searches answered in memory, and searches that went to SQL.</summary>
    public (long Answered, long Declined) Counts => (Interlocked.Read(ref _answered), Interlocked.Read(ref _declined));

    /// <summary>Time the background builds took (elapsed, so under load more than their CPU), and the words read (benches).</summary>
    public (TimeSpan Building, long WordsRead) Reads => (System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _buildTicks)), Interlocked.Read(ref _wordsRead));

    /// <summary>Counts a search as answered in memory or left to SQL (<see cref="Counts"/>).</summary>
    public void Record(bool answered) => Interlocked.Increment(ref answered ? ref _answered : ref _declined);

    /// <summary>
    /// The site and the terms' words held for <paramref name="stamp"/>, or null when the search must go to SQL: the site
    /// or a word is not held for that stamp (then it is asked for, <see cref="Want"/>), or a word is held as not held.
    /// The words found are marked used (least recently used eviction, and the uses the admission compares).
    /// </summary>
    public (TSite Site, TWord[] Words)? Find(long siteId, ContentStamp stamp, IReadOnlyList<string> terms)
    {
        if (!_sites.TryGetValue(siteId, out var site) || site.Stamp != stamp)
        {
            Want(siteId, terms, rows: true);
            return null;
        }
        var words = new TWord[terms.Count];
        var now = Interlocked.Increment(ref _clock);
        for (var i = 0; i < terms.Count; i++)
        {
            if (!site.Words.TryGetValue(terms[i], out var word))
            {
                Want(siteId, terms, rows: false);
                return null;
            }
            if (!word.Held) return null;
            word.LastUsed = now;
            words[i] = word;
        }
        foreach (var word in words) Interlocked.Increment(ref word.Uses);
        if ((now & AgingPeriod) == 0) Age();
        return (site, words);
    }

    /// <summary>
    /// The site held for <paramref name="stamp"/>, or null. Asks for nothing: for an engine that reads a search's missing
    /// small words itself after <see cref="Find"/> declined (SQLite, <see cref="SearchPostings"/>), which asked already.
    /// </summary>
    public TSite? Site(long siteId, ContentStamp stamp) => _sites.TryGetValue(siteId, out var site) && site.Stamp == stamp ? site : null;

    /// <summary>
    /// Asks for the site's rows (when those held are of another stamp) and for the words asked for a second time since
    /// the count was last cleared: a word searched once costs reading its occurrences, more than the search it would
    /// serve, so a mix of thousands of words each searched once (the whole-vocabulary bench) would spend its CPU reading
    /// lists nobody uses again; except the words the engine reads on their first search (<c>readOnFirstAsk</c>: SQLite's
    /// stop words). One build at a time per site.
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
            var asks = _asked.AddOrUpdate(term, 1, (_, times) => times + 1);
            if ((asks >= 2 || readOnFirstAsk?.Invoke(term) == true) && !_notHeld.ContainsKey(term)) pending.Words.TryAdd(term, 0);
        }
        if ((rows || !pending.Words.IsEmpty) && Interlocked.CompareExchange(ref pending.Running, 1, 0) == 0) _ = Task.Run(() => RunAsync(siteId, pending));
    }

    /// <summary>Words counted by <see cref="Want"/> before the count is cleared (a bound whatever readers send).</summary>
    private const int AskedCapacity = 20_000;

    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);

    /// <summary>
    /// Words not read again at later stamps: found too frequent to hold (a word in most posts stays there), or below the
    /// floor (<c>minRows</c>: the engine's SQL serves them well); bounded as <see cref="_asked"/>. Their searches stay on SQL.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _notHeld = new(StringComparer.Ordinal);

    /// <summary>Words' sizes as last read (bounded as <see cref="_asked"/>); a size changes little between stamps.</summary>
    private readonly ConcurrentDictionary<string, WordSize> _sizes = new(StringComparer.Ordinal);

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
                PostingsHolderLog.Failed(logger, siteId, engine, ex);
            }
            Interlocked.Add(ref _buildTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            Volatile.Write(ref pending.Running, 0);
        }
        while (!pending.Words.IsEmpty && Environment.TickCount64 >= Volatile.Read(ref pending.NotBefore)
               && Interlocked.CompareExchange(ref pending.Running, 1, 0) == 0);
    }

    /// <summary>Reads the site's rows and the given words for the current stamp now, not spaced (what tests call to have a site's words ready).</summary>
    public async Task BuildAsync(long siteId, IEnumerable<string> terms, CancellationToken ct)
    {
        var pending = new Pending();
        foreach (var term in terms) pending.Words.TryAdd(term, 0);
        await BuildAsync(siteId, pending, ct, spaced: false);
    }

    /// <summary>
    /// Reads, in one snapshot, the site's stamp, its rows when those held are of another stamp, and the words asked for:
    /// so everything held for a stamp is that stamp's state.
    /// </summary>
    private async Task BuildAsync(long siteId, Pending pending, CancellationToken ct, bool spaced = true)
    {
        var wanted = pending.Words.Keys.ToList();
        foreach (var word in wanted) pending.Words.TryRemove(word, out _);
        if (scopes is null) return;
        await using var scope = scopes.CreateAsyncScope();
        await using var reader = await open(scope.ServiceProvider.GetRequiredService<PressDbContext>(), siteId, ct);
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
                    _roomClock = -1;
                }
            }
        }
        // Only keys the engine can read (a word; on PostgreSQL also a word's positions key, PostgresSearchPostings.PositionsKey).
        var keys = wanted.Where(readable ?? SearchPostingsReader.IsWord).Where(k => !site.Words.ContainsKey(k)).ToList();
        await reader.PrepareAsync(site, keys, ct);
        foreach (var term in keys)
        {
            if (site.Words.ContainsKey(term)) continue;
            // Its size first where the engine has a cheap read of it (SQLite: a row of FTS5's vocabulary): a word that
            // will not be held, or would only push out words searched more often, costs that read rather than its lists.
            if (!_sizes.TryGetValue(term, out var size) && await reader.ReadWordSizeAsync(term, ct) is { } read)
            {
                if (_sizes.Count >= AskedCapacity) _sizes.Clear();
                _sizes[term] = size = read;
            }
            if (size is not null)
            {
                if (size.Rows < minRows)
                {
                    NotHeld(term);
                    continue;
                }
                // A word held as bit sets alone is admitted whatever it pushes out (the bound still holds): its searches
                // cost 10–60 ms on SQL, a word held with its counts saves about 2 ms a search and is charged more.
                if (size.Holdable && !size.TiersOnly && !Admits(term, size.Bytes)) continue;
            }
            var word = await reader.ReadWordAsync(site, term, size, ct);
            Interlocked.Increment(ref _wordsRead);
            if (!Keep(siteId, site, term, word)) return;
        }
    }

    /// <summary>
    /// Keeps a word read for <paramref name="site"/>'s stamp, by a build or by a search that read it itself
    /// (PostgreSQL, <see cref="PostgresSearchPostings"/>): below the floor it is not kept and not read again, too frequent
    /// it is kept as not held; over the bound the least recently used words go. False when the site is no longer the
    /// one held (a newer stamp was read meanwhile). <paramref name="readBySearch"/>: read by the search that needed it,
    /// so kept below the floor too: the floor spares reads made only to hold a word, and this read was paid by the search.
    /// </summary>
    public bool Keep(long siteId, TSite site, string term, TWord word, bool readBySearch = false)
    {
        if (!word.Held || (!readBySearch && word.FloorRows < minRows))
        {
            NotHeld(term);
            // Too rare: not kept. Too frequent: kept as not held, so its searches go to SQL without asking again.
            if (word.Held) return true;
        }
        word.LastUsed = Interlocked.Increment(ref _clock);
        lock (_gate)
        {
            if (!_sites.TryGetValue(siteId, out var current) || current != site) return false;
            if (!site.Words.TryAdd(term, word)) return true;
            _bytes += word.Bytes;
            Evict();
            _roomClock = -1;
        }
        return true;
    }

    private void NotHeld(string term)
    {
        if (_notHeld.Count >= AskedCapacity) _notHeld.Clear();
        _notHeld.TryAdd(term, 0);
    }

    /// <summary>
    /// Whether a word charged at most <paramref name="bytes"/> may be read: it fits, or the least recently used words it
    /// would push out were each used by fewer searches than asked for it. Without this a mix of more words than the bound
    /// holds read and evicted words in turn, a background cost larger than the searches it served (docs/performance.md, Search).
    /// </summary>
    private bool Admits(string term, long bytes)
    {
        var asks = _asked.GetValueOrDefault(term);
        lock (_gate)
        {
            var need = _bytes + bytes - MaxBytes;
            if (need <= 0) return true;
            foreach (var word in _sites.Values.SelectMany(s => s.Words.Values).Where(w => w.Held && !w.EvictedLast).OrderBy(EvictionKey))
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

    /// <summary>
    /// Drops the least recently used words until the bound holds (under the gate), a word's grace added to its last use
    /// (<see cref="EvictionKey"/>), <see cref="HeldWord.EvictedLast"/> ones last.
    /// </summary>
    private void Evict()
    {
        while (_bytes > MaxBytes)
        {
            (TSite Site, string Term, TWord Word)? oldest = null;
            foreach (var site in _sites.Values)
                foreach (var (term, word) in site.Words)
                    if (oldest is not { } o || (o.Word.EvictedLast && !word.EvictedLast)
                        || (o.Word.EvictedLast == word.EvictedLast && EvictionKey(word) < EvictionKey(o.Word))) oldest = (site, term, word);
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
}

/// <summary>
/// What an engine reads for <see cref="PostingsHolder{TSite, TWord}"/>, all in one snapshot: the stamp first, then the
/// site's rows and words' lists of that stamp.
/// </summary>
internal interface IPostingsReader<TSite, TWord> : IAsyncDisposable
{
    /// <summary>The stamp everything read here belongs to; null when the site has none (nothing may be held).</summary>
    ContentStamp? Stamp { get; }

    /// <summary>The site's rows and their facet classes; null when they cannot be held (the sources disagree, too many classes).</summary>
    Task<TSite?> ReadSiteAsync(CancellationToken ct);

    /// <summary>A word's size by a read much cheaper than its lists; null when the engine has no such read (then no size first, no admission).</summary>
    Task<WordSize?> ReadWordSizeAsync(string term, CancellationToken ct);

    /// <summary>One word's lists in the site, or the word as not held (<see cref="HeldWord.Held"/> false) when it cannot be held; <paramref name="size"/> as read first, if any.</summary>
    Task<TWord> ReadWordAsync(TSite site, string term, WordSize? size, CancellationToken ct);

    /// <summary>Told the keys about to be read one by one, so that an engine may read some together (PostgreSQL's positions); by default nothing.</summary>
    Task PrepareAsync(TSite site, IReadOnlyList<string> keys, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// A word's size as read before its lists. Rows: what the floor is measured in. Holdable: not too frequent to hold.
/// Bytes: at most what its lists would be charged (the admission's measure). TiersOnly: too frequent to hold with its
/// counts, held as bit sets instead (SQLite, <see cref="WordPostings.TitleBits"/>).
/// </summary>
internal sealed record WordSize(long Rows, bool Holdable, long Bytes, bool TiersOnly = false);

/// <summary>What the holder needs of a site held for one stamp: its rows' facet classes, its words, and their charge.</summary>
internal abstract class HeldSite<TWord>
    where TWord : HeldWord
{
    /// <summary>Each row's facet class: a place in <see cref="ClassTokens"/>.</summary>
    public required ushort[] Classes { get; init; }

    /// <summary>The <see cref="SearchFacets.Of"/> tokens of each class (type, status, author, protected).</summary>
    public required IReadOnlySet<string>[] ClassTokens { get; init; }

    public required ContentStamp Stamp { get; init; }

    public ConcurrentDictionary<string, TWord> Words { get; } = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, bool[]?> _matching = new(StringComparer.Ordinal);

    /// <summary>Per facet class, whether the facets expression matches it; null when the expression cannot be read here.</summary>
    public bool[]? ClassesMatching(string expression) => _matching.GetOrAdd(expression, e =>
    {
        var test = FacetExpression.Compile(e);
        return test is null ? null : [.. ClassTokens.Select(t => test(t))];
    });

    /// <summary>Charged: 10 bytes a row (its id and class) and each word's lists.</summary>
    public long Bytes() => 10L * Classes.Length + Words.Values.Sum(w => w.Bytes);

    // The filters both engines answer in memory (the author, a category's or tag's posts), kept per site and stamp.
    private readonly ConcurrentDictionary<long, bool[]> _authorClasses = new();
    private readonly ConcurrentDictionary<string, RowSet> _termRows = new(StringComparer.Ordinal);

    /// <summary>Term sets kept per site and stamp: one bit a row each, 12.5 KB for 100,000 posts, so at most 400 KB.</summary>
    private const int MaxTermSets = 32;

    /// <summary>Per facet class, whether its author is <paramref name="authorId"/> (the author filter; kept for a few hundred authors).</summary>
    public bool[] AuthorClasses(long authorId)
    {
        if (_authorClasses.TryGetValue(authorId, out var classes)) return classes;
        var token = SearchFacets.Author(authorId);
        classes = [.. ClassTokens.Select(t => t.Contains(token))];
        if (_authorClasses.Count >= 256) _authorClasses.Clear();
        return _authorClasses[authorId] = classes;
    }

    /// <summary>The rows with one of <paramref name="termIds"/>, when read for this stamp; null otherwise.</summary>
    public RowSet? TermRows(IReadOnlyList<long> termIds) => _termRows.GetValueOrDefault(TermKey(termIds));

    /// <summary>Keeps the rows of <paramref name="termIds"/> read for this stamp (bounded by <see cref="MaxTermSets"/>), and returns them.</summary>
    public RowSet KeepTermRows(IReadOnlyList<long> termIds, RowSet rows)
    {
        if (_termRows.Count >= MaxTermSets) _termRows.Clear();
        return _termRows[TermKey(termIds)] = rows;
    }

    private static string TermKey(IReadOnlyList<long> termIds) =>
        string.Join(',', termIds.Order().Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// The row of <paramref name="id"/> in a site's ascending <paramref name="ids"/>, or -1 when the site has no such row.
    /// The readers walk a statement's ids in ascending order: <paramref name="cursor"/> moves forward only, and the search
    /// from it gallops (<see cref="SearchPostings.Seek"/>), so a whole list costs about one step a row when its rows are
    /// dense and a few dozen when they are far apart. A step a site row instead cost a rare word's shared rows a walk of
    /// up to 100,000 ids a search (docs/performance.md, Search).
    /// </summary>
    public static int RowOf<TId>(TId[] ids, TId id, ref int cursor) where TId : struct, System.Numerics.IComparisonOperators<TId, TId, bool>
    {
        var at = SearchPostings.Seek(ids, cursor, id);
        cursor = at < 0 ? ~at : at;
        return at < 0 ? -1 : at;
    }
}

/// <summary>
/// Numbers a site's distinct facet texts (<see cref="SearchFacets.Of"/>) as its rows are read, for
/// <see cref="HeldSite{TWord}.Classes"/> and <see cref="HeldSite{TWord}.ClassTokens"/>: both engines' readers.
/// </summary>
internal sealed class FacetClasses
{
    private readonly Dictionary<string, ushort> _classOf = new(StringComparer.Ordinal);

    /// <summary>The class of a row's facets; null past what a class number holds (the site is then not held).</summary>
    public ushort? Of(string facets)
    {
        if (_classOf.TryGetValue(facets, out var facetClass)) return facetClass;
        if (_classOf.Count > ushort.MaxValue) return null;
        return _classOf[facets] = (ushort)_classOf.Count;
    }

    /// <summary>Each class's tokens, by class number.</summary>
    public IReadOnlySet<string>[] Tokens()
    {
        var tokens = new IReadOnlySet<string>[_classOf.Count];
        foreach (var (facets, index) in _classOf) tokens[index] = facets.Split(' ').ToHashSet(StringComparer.Ordinal);
        return tokens;
    }
}

/// <summary>What the holder needs of a word held in one site: whether its lists are held, their charge, its uses.</summary>
internal abstract class HeldWord
{
    /// <summary>The site's rows holding the word, ascending (places in the site's ids); null: not held, searches with it go to SQL.</summary>
    public int[]? Rows { get; init; }

    /// <summary>Whether searches may use the word: its rows are held (or, for an engine that holds some words another way, that way).</summary>
    public virtual bool Held => Rows is not null;

    /// <summary>The rows the holder's floor is measured in (the engine's measure of how common the word is).</summary>
    public abstract long FloorRows { get; }

    /// <summary>Charged for the word: 64 bytes and its lists.</summary>
    public abstract long Bytes { get; }

    /// <summary>
    /// Evicted only when no other word is left: an engine's words few in number whose searches cost far more without
    /// them than the words that would be read in their place save (SQLite's words held as bit sets alone).
    /// </summary>
    public virtual bool EvictedLast => false;

    /// <summary>
    /// Searches (of the holder's clock) added to the word's last use in the eviction order: an engine's words whose
    /// searches cost far more without them than other words' (PostgreSQL's lists against its positions) stay ahead of
    /// those while in use, and give way once unused for this many searches.
    /// </summary>
    public virtual long Grace => 0;

    /// <summary>Searches after its last use during which a word is in use: not counted as room for a word to read (<c>PostingsHolder.Fits</c>).</summary>
    public const long InUseFor = 1 << 10;

    public long LastUsed;

    /// <summary>Searches answered with this word, halved now and then (the admission of other words).</summary>
    public long Uses;
}

internal static partial class PostingsHolderLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading site {SiteId}'s search lists into memory ({Engine}) failed; its searches stay on SQL")]
    public static partial void Failed(ILogger logger, long siteId, string engine, Exception ex);
}
