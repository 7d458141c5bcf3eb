using System.Buffers;
using System.Collections.Concurrent;
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
/// At or below that limit the order is ts_rank_cd, cover density over each match's positions, which is not held: the
/// search then ranks the known ids in SQL (<c>id = ANY(…)</c>, no GIN bitmap).
/// <para>
/// Visibility is the very text SQLite's index is asked (<see cref="SearchFacets.Hidden"/>, <see cref="SearchFacets.HiddenContent"/>)
/// evaluated by <see cref="FacetExpression"/> over each post's <see cref="SearchFacets.Of"/> tokens (type, status, author,
/// protected), so both engines read one rule. Never stale and never waiting, as <see cref="SearchPostings"/>: everything
/// held was read in one snapshot with the site's content version and the sum of every site's (<see cref="ContentStamp"/>),
/// used only by a search that read the same two numbers first; a search that finds nothing held for its stamp runs
/// the statements and asks a background build (<see cref="PostgresSearchPostingsReader"/>) for what it lacked.
/// Bounded: 10 bytes charged a post and 5 a posting, the least recently used words dropped over <see cref="MaxBytes"/>.
/// </para>
/// </summary>
internal sealed partial class PostgresSearchPostings(IServiceScopeFactory? scopes, ILogger<PostgresSearchPostings> logger,
    long maxBytes = SearchPostings.DefaultMaxBytes, long minRows = PostgresSearchPostings.DefaultMinRows)
{
    /// <summary>Holds nothing, answers nothing: every search goes to SQL (tests compare with it).</summary>
    public static PostgresSearchPostings Off { get; } = new(null, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSearchPostings>.Instance, 0);

    /// <summary>
    /// The fewest posts of the site a word must be in to be held. A rare word's search is a few heap visits, and a mix of
    /// rare words searched once each would keep reading lists nobody uses again (as SQLite's floor). Tests use 0.
    /// </summary>
    public const long DefaultMinRows = 2_000;

    /// <summary>Posts of the site above which a word is not held (a word in every post of a very large site).</summary>
    public const int MaxRows = 1_000_000;

    private readonly ConcurrentDictionary<long, PostgresSitePostings> _sites = new();
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _notHeld = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _bytes;
    private long _clock;
    private long _answered;
    private long _declined;

    /// <summary>Words counted by <see cref="Want"/> before the count is cleared (a bound whatever readers send).</summary>
    private const int AskedCapacity = 20_000;

    public long MaxBytes { get; } = maxBytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Searches answered here (wholly, or but for ts_rank_cd's order), and searches left to SQL.</summary>
    public (long Answered, long Declined) Counts => (Interlocked.Read(ref _answered), Interlocked.Read(ref _declined));

    /// <summary>
    /// A search counted in memory. Total: the visible matches. Page: the page's ids when they were ordered here (more than
    /// <see cref="SearchRanking.RankAllLimit"/> matches); otherwise null, and Matches holds every visible match's id, for
    /// ts_rank_cd in SQL.
    /// </summary>
    internal sealed record Counted(long Total, List<long>? Page, long[]? Matches);

    /// <summary>
    /// The count and, above the rank-all limit, the page the statements would give; null when this search must go to SQL
    /// (then what it lacked is asked for). <paramref name="hidden"/>, <paramref name="hiddenContent"/>: SQLite's facet
    /// expressions of the reader (<see cref="SearchFacets"/>).
    /// </summary>
    public Counted? TryCount(long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent, long offset, int perPage, SearchRanking ranking)
    {
        if (scopes is null) return null;
        var answer = Count(siteId, stamp, terms, hidden, hiddenContent, offset, perPage, ranking);
        Interlocked.Increment(ref answer is null ? ref _declined : ref _answered);
        return answer;
    }

    private Counted? Count(long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent, long offset, int perPage, SearchRanking ranking)
    {
        if (terms.Count == 0 || !SearchPostings.Indexable(terms)) return null;
        if (!_sites.TryGetValue(siteId, out var site) || site.Stamp != stamp)
        {
            Want(siteId, terms, rows: true);
            return null;
        }
        var words = new PostgresWordPostings[terms.Count];
        var now = Interlocked.Increment(ref _clock);
        for (var i = 0; i < terms.Count; i++)
        {
            if (!site.Words.TryGetValue(terms[i], out var word))
            {
                Want(siteId, terms, rows: false);
                return null;
            }
            word.LastUsed = now;
            words[i] = word;
        }
        var hiddenClasses = site.ClassesMatching(hidden);
        var protectedClasses = hiddenContent is null ? null : site.ClassesMatching(hiddenContent);
        if (hiddenClasses is null || (hiddenContent is not null && protectedClasses is null)) return null;

        var matches = ArrayPool<int>.Shared.Rent(Math.Max(16, words.Min(w => w.Rows.Length)));
        try
        {
            var count = Intersect(site, words, hiddenClasses, protectedClasses, matches);
            // As the statements: the visible matches, counted up to one past the exact limit, choose the ordering.
            if (Math.Min(count, ranking.ExactTotalLimit + 1L) <= ranking.RankAllLimit)
            {
                var ids = new long[count];
                for (var m = 0; m < count; m++) ids[m] = site.Ids[matches[m] >> TierBits];
                return new Counted(count, null, ids);
            }
            return new Counted(count, Tiers(site, matches, count, offset, perPage), null);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(matches);
        }
    }

    /// <summary>Each match as its row shifted left by two bits, its tier (0 title, 1 title or excerpt, 2 content) in the low bits.</summary>
    private const int TierBits = 2;

    /// <summary>
    /// The visible matches, rows ascending, with their tiers: rows holding every word (the rarest word's list walked, the
    /// others sought by galloping), not of a hidden class, and, for a protected post the reader may not edit, only with
    /// every word in the title (PostgreSQL's <c>p.password = '' OR editable OR search_head @@ title</c>).
    /// </summary>
    private static int Intersect(PostgresSitePostings site, PostgresWordPostings[] words, bool[] hidden, bool[]? protectedHidden, int[] matches)
    {
        var order = Enumerable.Range(0, words.Length).OrderBy(i => words[i].Rows.Length).ToArray();
        var rarest = words[order[0]];
        var cursors = new int[words.Length];
        var count = 0;
        for (var k = 0; k < rarest.Rows.Length; k++)
        {
            var row = rarest.Rows[k];
            var head = rarest.Head[k];
            for (var o = 1; o < order.Length && head != Absent; o++)
            {
                var word = words[order[o]];
                var at = SearchPostings.Seek(word.Rows, cursors[order[o]], row);
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
            if (head == Absent) continue;
            var facets = site.Classes[row];
            if (hidden[facets]) continue;
            var inTitle = (head & PostgresWordPostings.InTitle) != 0;
            if (protectedHidden is not null && protectedHidden[facets] && !inTitle) continue;
            var tier = inTitle ? 0 : (head & PostgresWordPostings.InHead) != 0 ? 1 : 2;
            matches[count++] = (row << TierBits) | tier;
        }
        return count;
    }

    /// <summary>Marks a row missing from a word's list during the intersection (no flag combination reaches it).</summary>
    private const byte Absent = 0xFF;

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

    /// <summary>
    /// Asks for the site's rows (when those held are of another stamp) and for the words asked for a second time (a word
    /// searched once would cost a read nobody uses again), as <see cref="SearchPostings"/> does. One build at a time per site.
    /// </summary>
    private void Want(long siteId, IReadOnlyList<string> terms, bool rows)
    {
        var pending = _pending.GetOrAdd(siteId, _ => new Pending());
        foreach (var term in terms)
        {
            if (_asked.Count >= AskedCapacity) _asked.Clear();
            if (_asked.AddOrUpdate(term, 1, (_, times) => times + 1) >= 2 && !_notHeld.ContainsKey(term)) pending.Words.TryAdd(term, 0);
        }
        if ((rows || !pending.Words.IsEmpty) && Interlocked.CompareExchange(ref pending.Running, 1, 0) == 0) _ = Task.Run(() => RunAsync(siteId, pending));
    }

    private async Task RunAsync(long siteId, Pending pending)
    {
        do
        {
            try
            {
                await BuildAsync(siteId, pending, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogFailed(logger, siteId, ex);
            }
            Volatile.Write(ref pending.Running, 0);
        }
        while (!pending.Words.IsEmpty && Environment.TickCount64 >= Volatile.Read(ref pending.NotBefore)
               && Interlocked.CompareExchange(ref pending.Running, 1, 0) == 0);
    }

    /// <summary>Reads the site's rows and the given words for the current stamp now (tests).</summary>
    internal async Task BuildAsync(long siteId, IEnumerable<string> terms, CancellationToken ct)
    {
        var pending = new Pending();
        foreach (var term in terms) pending.Words.TryAdd(term, 0);
        await BuildAsync(siteId, pending, ct, spaced: false);
    }

    /// <summary>
    /// Reads, in one snapshot, the stamp, the site's rows when those held are of another stamp, and the words asked for.
    /// Rebuilding a busy site's rows after its writes waits twice as long as the previous rebuild took.
    /// </summary>
    private async Task BuildAsync(long siteId, Pending pending, CancellationToken ct, bool spaced = true)
    {
        var wanted = pending.Words.Keys.ToList();
        foreach (var word in wanted) pending.Words.TryRemove(word, out _);
        if (scopes is null) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await using var reader = await PostgresSearchPostingsReader.OpenAsync(db, siteId, ct);
        if (reader.Stamp is not { } stamp) return;
        if (!_sites.TryGetValue(siteId, out var site) || site.Stamp != stamp)
        {
            if (spaced && Environment.TickCount64 < Volatile.Read(ref pending.NotBefore)) return;
            var started = Environment.TickCount64;
            site = await reader.ReadSiteAsync(ct);
            Volatile.Write(ref pending.NotBefore, Environment.TickCount64 + 2 * (Environment.TickCount64 - started));
            if (site is null) return;
            lock (_gate)
            {
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
            var word = await reader.ReadWordAsync(site, term, MaxRows, ct);
            if (word is null || word.Rows.Length < minRows)
            {
                if (_notHeld.Count >= AskedCapacity) _notHeld.Clear();
                _notHeld.TryAdd(term, 0);
                continue;
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

    /// <summary>Drops the least recently used words until the bound holds (under the gate).</summary>
    private void Evict()
    {
        while (_bytes > MaxBytes)
        {
            (PostgresSitePostings Site, string Term, PostgresWordPostings Word)? oldest = null;
            foreach (var site in _sites.Values)
                foreach (var (term, word) in site.Words)
                    if (oldest is null || word.LastUsed < oldest.Value.Word.LastUsed) oldest = (site, term, word);
            if (oldest is not { } drop)
            {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading site {SiteId}'s search match lists into memory (PostgreSQL) failed; its searches stay on SQL")]
    private static partial void LogFailed(ILogger logger, long siteId, Exception ex);
}

/// <summary>What PostgreSQL's in-memory search holds of one site for one stamp: its searchable posts, their facets, and words' lists.</summary>
internal sealed class PostgresSitePostings
{
    /// <summary>Ids of the site's posts and pages (every status), ascending: a row is its place here.</summary>
    public required long[] Ids { get; init; }

    /// <summary>Each row's facet class: a place in <see cref="ClassTokens"/>.</summary>
    public required ushort[] Classes { get; init; }

    /// <summary>The <see cref="SearchFacets.Of"/> tokens of each class.</summary>
    public required IReadOnlySet<string>[] ClassTokens { get; init; }

    public required ContentStamp Stamp { get; init; }

    public ConcurrentDictionary<string, PostgresWordPostings> Words { get; } = new(StringComparer.Ordinal);

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
/// One word in one site: the rows whose <c>search_vector</c> holds it, ascending, and per row whether <c>search_head</c>
/// holds it with weight A (<see cref="InTitle"/>) and at all (<see cref="InHead"/>), as PostgreSQL itself tested them.
/// </summary>
internal sealed class PostgresWordPostings
{
    public const byte InTitle = 1;
    public const byte InHead = 2;

    public required int[] Rows { get; init; }

    public required byte[] Head { get; init; }

    public long LastUsed;

    public long Bytes => 64 + 5L * Rows.Length;
}
