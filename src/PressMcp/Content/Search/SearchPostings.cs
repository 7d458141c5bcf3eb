using System.Collections.Concurrent;
using PressMcp.Storage;

namespace PressMcp.Content.Search;

/// <summary>
/// Words' posting lists in memory, per site and content version (SQLite only), so a search with query text ordered by
/// relevance, filtered at most by visibility, an author, a category or a tag (<see cref="Restriction"/>), is answered
/// without FTS5's ranking: the words' lists (held, or the rows they share read by the search) intersected rarest first, then
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
/// whole table is held as bit sets alone (<see cref="WordPostings.TitleBits"/>): enough for the tiers, not for bm25.
/// </para>
/// </summary>
internal sealed class SearchPostings(IServiceScopeFactory? scopes, ILogger<SearchPostings> logger, long maxBytes = SearchPostings.DefaultMaxBytes,
    long minTableRows = SearchPostings.DefaultMinTableRows, int maxInstances = SearchPostingsReader.MaxInstances,
    int commonRowsMax = SearchPostings.CommonRowsMax)
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
        async (db, siteId, ct) => await SearchPostingsReader.OpenAsync(db, siteId, ct, maxInstances), maxBytes, minTableRows,
        // A stop word is searched only in a query of nothing else ("have", "it for"), and is in nearly every post: on SQL
        // such a search with a filter or a second word cost 20–60 ms (the mix's tail), about what reading the word's bit
        // sets costs once (WordPostings.TiersOnly), and each stop word is searched too rarely to be asked for twice.
        readOnFirstAsk: SearchStopWords.Contains);

    public long MaxBytes => _held.MaxBytes;

    /// <summary>Bytes held now (rows and lists, as charged).</summary>
    public long Bytes => _held.Bytes;

    /// <summary>Searches answered here, and searches that went to SQL (no lists for their stamp yet, or not the bm25 case).</summary>
    public (long Answered, long Declined) Counts => _held.Counts;

    /// <summary>Time the background builds took (elapsed, so under load more than their CPU), and the words read (benches).</summary>
    public (TimeSpan Building, long WordsRead) Reads => _held.Reads;

    private long _bySets, _byWalk, _byTiersOnly, _readAsBits;

    /// <summary>Intersections of several words answered by ANDing their bit sets, and by walking the rarest list (tests, benches).</summary>
    public (long BySets, long ByWalk) Intersections => (Interlocked.Read(ref _bySets), Interlocked.Read(ref _byWalk));

    /// <summary>Searches ordered by the tiers with a word held as bit sets alone (<see cref="WordPostings.TitleBits"/>; tests, benches).</summary>
    public long TiersOnlyAnswers => Interlocked.Read(ref _byTiersOnly);

    /// <summary>Searches that read a word not held as bit sets themselves, its rows shared with the others being too many (tests, benches).</summary>
    public long ReadAsBits => Interlocked.Read(ref _readAsBits);

    /// <summary>Reads the site's rows and the given words for the current stamp now (tests).</summary>
    internal Task BuildAsync(long siteId, IEnumerable<string> terms, CancellationToken ct) => _held.BuildAsync(siteId, terms, ct);

    /// <summary>A page ranked in memory: the page's ids and the matches (visible, and past the restriction).</summary>
    internal sealed record Ranked(List<long> Ids, long Total);

    /// <summary>
    /// The filters besides visibility that the in-memory search tests, exactly as PostSearch's statements do: the author
    /// (<c>p.author_id = </c>, a facet token of each row's class), and sets of terms of each of which the post must have one
    /// (a category with the categories below it, a tag: <c>post_terms</c>).
    /// </summary>
    internal sealed record Restriction(long? AuthorId, IReadOnlyList<IReadOnlyList<long>> TermSets)
    {
        public static Restriction None { get; } = new(null, []);

        /// <summary>Whether it filters anything (an author or a term set).</summary>
        public bool Filters => AuthorId is not null || TermSets.Count > 0;
    }

    /// <summary>
    /// The most rows a search reads from FTS5 with their frequencies (<see cref="SearchPostingsReader.ReadCommonRowsAsync"/>)
    /// for a single word without a filter: SQL's tiers stop after the page there, about 2 ms for a word in 2,500 posts or
    /// more, about what reading that many rows costs (docs/performance.md, Search).
    /// </summary>
    public const int SingleWordRowsMax = 2_500;

    /// <summary>
    /// The most rows read for several words or with an author, category or tag filter, where SQL counts every match
    /// (with a look-up of its posts row or terms under a filter) and reads the first two tiers whole, 6–15 ms of CPU for
    /// such searches on the benchmark site. A row read here costs about 0.7 µs, so past about 10,000 rows SQL is no dearer.
    /// </summary>
    public const int CommonRowsMax = 10_000;

    /// <summary>
    /// The page and total the SQL statements would give, or null when this search must go to SQL: the site is not in
    /// memory for <paramref name="stamp"/> (then it is asked for), its words are not all held and share more rows than
    /// the search reads itself (<see cref="SingleWordRowsMax"/>, <see cref="CommonRowsMax"/>), or the state read now
    /// is not the held one. The rows the words share (when not all held) and the restriction's term sets are read here
    /// in one snapshot of the held stamp through the search's own context (<paramref name="db"/>). <paramref name="hidden"/>
    /// and <paramref name="hiddenContent"/> are the FTS5 expressions the statements would send (<see cref="SearchFacets"/>).
    /// </summary>
    public async Task<Ranked?> TryRankAsync(PressDbContext db, long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent,
        Restriction restriction, long offset, int perPage, SearchRanking ranking, CancellationToken ct)
    {
        if (!_held.Enabled) return null;
        var answer = await RankAsync(db, siteId, stamp, terms, hidden, hiddenContent, restriction, offset, perPage, ranking, ct);
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

    private async Task<Ranked?> RankAsync(PressDbContext db, long siteId, ContentStamp stamp, IReadOnlyList<string> terms, string hidden, string? hiddenContent,
        Restriction restriction, long offset, int perPage, SearchRanking ranking, CancellationToken ct)
    {
        if (!Indexable(terms)) return null;
        SitePostings site;
        WordPostings?[] words;
        if (_held.Find(siteId, stamp, terms) is { } found)
        {
            (site, words) = (found.Site, found.Words);
        }
        else
        {
            // Not every word held (Find asked for them): the site's rows may be, and then the rows the words share are read below.
            if (_held.Site(siteId, stamp) is not { } held) return null;
            site = held;
            words = [.. terms.Select(t => site.Words.TryGetValue(t, out var word) && word.Held ? word : null)];
        }
        var hiddenClasses = site.ClassesMatching(hidden);
        var protectedClasses = hiddenContent is null ? null : site.ClassesMatching(hiddenContent);
        if (hiddenClasses is null || (hiddenContent is not null && protectedClasses is null)) return null;
        var sets = new RowSet?[restriction.TermSets.Count];
        for (var s = 0; s < sets.Length; s++) sets[s] = site.TermRows(restriction.TermSets[s]);
        // With a filter or several words, SQL counts and tiers every match (with a look-up of its posts row under a filter):
        // there a word whose shared rows are too many to read with their counts is read as bit sets instead.
        var dear = restriction.Filters || terms.Count > 1;
        var limit = dear ? commonRowsMax : Math.Min(SingleWordRowsMax, commonRowsMax);
        // The rows the words share with their counts (for words not held, or held as bit sets alone when bm25 needs the
        // counts) and the restriction's missing term sets, read in one snapshot of the held state only: what is read now
        // is used with what was read then.
        async Task<bool> ReadAsync(bool rowsShared, bool asBits)
        {
            await using var reader = await SearchPostingsReader.OpenAsync(db, siteId, ct);
            if (reader.Stamp != stamp) return false;
            if (rowsShared)
            {
                // A stop word is kept only in a query of nothing else, and is in nearly every post: its rows with others'
                // would be read up to the limit for nothing (1–2 ms), so such a search reads its words as bit sets at once.
                if (!(asBits && terms.Any(SearchStopWords.Contains)) && await ReadCommonRowsAsync(reader, site, terms, words, limit, ct) is { } common) words = common;
                else if (!asBits || !await ReadBitsAsync(reader, siteId, site, terms, words, ct)) return false;
            }
            for (var s = 0; s < sets.Length; s++)
                sets[s] ??= site.KeepTermRows(restriction.TermSets[s], await reader.ReadTermRowsAsync(site, restriction.TermSets[s], ct));
            return true;
        }
        if ((words.Any(w => w is null) || sets.Any(s => s is null)) && !await ReadAsync(rowsShared: words.Any(w => w is null), asBits: dear)) return null;
        var all = words.Select(w => w!).ToArray();
        var author = restriction.AuthorId is { } authorId ? site.AuthorClasses(authorId) : null;
        if (all.Any(w => w.TiersOnly))
        {
            // A word held as bit sets alone: the tiers come from the bits. At most the rank-all limit's visible matches, bm25
            // orders them and needs every word's counts in them: read as for words not held (few rows, as the count says).
            if (all.All(w => w.TiersOnly))
            {
                if (TiersOfBits(site, all, hiddenClasses, protectedClasses, author, sets!, offset, perPage, ranking) is { } byBlocks)
                {
                    Interlocked.Increment(ref _byTiersOnly);
                    return byBlocks;
                }
            }
            else
            {
                using var byBits = Intersect(site, all, hiddenClasses, protectedClasses, author, sets!, out var visibleByBits, out _);
                if (Math.Min(visibleByBits, ranking.ExactTotalLimit + 1L) > ranking.RankAllLimit)
                {
                    Interlocked.Increment(ref _byTiersOnly);
                    return Tiers(all, byBits, site, offset, perPage);
                }
            }
            if (!await ReadAsync(rowsShared: true, asBits: false)) return null;
            all = [.. words.Select(w => w!)];
        }
        using var matches = Intersect(site, all, hiddenClasses, protectedClasses, author, sets!, out var visible, out var bySets);
        if (all.Length > 1) Interlocked.Increment(ref bySets ? ref _bySets : ref _byWalk);
        // As PostSearch: the visible matches before the other filters, counted up to one past the exact limit, choose the
        // ordering; the total is the matches past the filters.
        var counted = Math.Min(visible, ranking.ExactTotalLimit + 1L);
        if (counted > ranking.RankAllLimit) return Tiers(all, matches, site, offset, perPage);
        // A word in half the table's rows or more has bm25's idf clamped to 1e-6 by FTS5, and there a tiny site's search
        // (PublicPageTests' four posts) came out of SQL in another order than here; not understood yet, so left to SQL.
        // The tiers use no idf.
        if (all.Any(w => 2 * w.TableRows >= site.TableRows)) return null;
        return Bm25.Page(site, all, matches, offset, perPage);
    }

    /// <summary>
    /// The rows all the search's words share in the site, each with every word's frequencies, read from FTS5 in one
    /// statement (<see cref="SearchPostingsReader.ReadCommonRowsAsync"/>), when the words are not all held: at most
    /// <paramref name="limit"/> rows, else null (SQL). A single word is first sized by its rows in the whole table (or
    /// held list), so a frequent one is not read up to the limit for nothing; several words usually share far fewer rows
    /// than any of them holds (two words each in a twentieth of the posts, about a four-hundredth), so they are read at
    /// once and the read stops past the limit. Each word's rows of the whole table (bm25's idf) are its list's when held,
    /// else read from FTS5's vocabulary once per stamp (<see cref="SitePostings.WordTableRows"/>), and not at all when no
    /// row is shared. Why: FTS5 finds the shared rows by seeking each word's list to the others' and gives each row's
    /// counts from the positions it loaded (<see cref="Storage.Sql.Fts5Frequencies"/>), where reading each word's
    /// occurrences (an <c>fts5vocab</c> instance table) walked all of them, and SQL's bm25 walked a frequent word's
    /// whole list for its idf (docs/performance.md, Search).
    /// </summary>
    private static async Task<WordPostings[]?> ReadCommonRowsAsync(SearchPostingsReader reader, SitePostings site, IReadOnlyList<string> terms,
        WordPostings?[] words, int limit, CancellationToken ct)
    {
        async Task<long> TableRowsAsync(int i) =>
            words[i]?.TableRows ?? site.WordTableRows(terms[i]) ?? site.KeepWordTableRows(terms[i], await reader.ReadTableRowsAsync(terms[i], ct));
        var fewest = words.Where(w => w?.Rows is not null).Select(w => (long)w!.Rows!.Length).DefaultIfEmpty(long.MaxValue).Min();
        // A single word known to be in more rows (read for this stamp) is not read up to the limit for nothing; one not
        // known is read, and the read stops past the limit (about a millisecond for 10,000 rows), where reading its size
        // first walked its whole list (14 ms for "the").
        if (terms.Count == 1 && words[0] is null && site.WordTableRows(terms[0]) > limit) return null;
        if (await reader.ReadCommonRowsAsync(site, terms, limit, (int)Math.Min(Math.Min(fewest, limit), 1024), ct) is not { } common) return null;
        if (common[0].Rows!.Length == 0) return common;
        var tableRows = new long[terms.Count];
        for (var i = 0; i < terms.Count; i++) tableRows[i] = await TableRowsAsync(i);
        return [.. common.Select((w, i) => new WordPostings { Rows = w.Rows, Frequencies = w.Frequencies, TableRows = tableRows[i] })];
    }

    /// <summary>
    /// The search's words not held read as bit sets (<see cref="SearchPostingsReader.ReadWordBitsAsync"/>), when the rows
    /// they share are too many to read with their counts and the search has a filter or several words: SQL then counts
    /// and tiers every match, a look-up of its posts row each under a filter (10–60 ms for a frequent word on the
    /// benchmark site), where FTS5 walks a word's list at about 0.05 µs a row. Then ordered by the tiers from the bits as
    /// a word held that way (bm25, at most the rank-all limit's visible matches, needs the counts: then SQL). A word in
    /// more of the site's rows than a word held with its counts may have occurrences (<see cref="SearchPostingsReader.MaxInstances"/>)
    /// is one the background would read as bit sets anyway: it is kept (<see cref="PostingsHolder{TSite, TWord}.Keep"/>),
    /// so such a word's first search is its read; a rarer one is used for this search only (the background reads it
    /// with its counts by the holder's rule). False when a read failed (a row the site lacks).
    /// </summary>
    private async Task<bool> ReadBitsAsync(SearchPostingsReader reader, long siteId, SitePostings site, IReadOnlyList<string> terms, WordPostings?[] words,
        CancellationToken ct)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i] is not null) continue;
            if (await reader.ReadWordBitsAsync(site, terms[i], ct) is not { } word) return false;
            words[i] = word;
            if (word.RowsInSite() > maxInstances) _held.Keep(siteId, site, terms[i], word);
        }
        Interlocked.Increment(ref _readAsBits);
        return true;
    }

    /// <summary>
    /// The visible matches: rows holding every word, not hidden (<c>NOT hidden</c>), and, for the protected posts the
    /// reader may not edit, only with every word in the title (PostSearch.Match); <paramref name="visible"/> counts them.
    /// Of those, the matches past the restriction (the author's classes, each term set), each as its row and, per word,
    /// its place in that word's list, in ascending row order. The rows holding every word: with several words each with
    /// a bit set (<see cref="WordPostings.Bits"/>), the sets ANDed 64 rows at a time and each word's place counted from
    /// its bits below the row; otherwise the rarest word's list walked, each row tested against the others' bit sets
    /// first and sought in the lists of the rest. A word held as bit sets alone (<see cref="WordPostings.TiersOnly"/>) has
    /// no list: its "place" in a match is the row itself, and it is only ever tested by its bits (a single such word: its
    /// bits walked).
    /// </summary>
    private static Matches Intersect(SitePostings site, WordPostings[] words, bool[] hidden, bool[]? protectedHidden, bool[]? author, RowSet[] sets,
        out int visible, out bool bySets)
    {
        var order = Enumerable.Range(0, words.Length).OrderBy(i => words[i].Rows?.Length ?? int.MaxValue).ToArray();
        var cursors = new int[words.Length];
        var places = new int[words.Length];
        var matches = new Matches(words.Length);
        var count = 0;
        // A row holding every word, its places in the lists known or sought (the cursors only move forward): the rest of the tests.
        void Shared(int row, int skip, bool placesKnown)
        {
            var facets = site.Classes[row];
            if (hidden[facets]) return;
            if (!placesKnown)
                for (var i = 0; i < words.Length; i++)
                    if (i != skip) places[i] = words[i].TiersOnly ? row : cursors[i] = Seek(words[i].Rows!, cursors[i], row);
            if (protectedHidden is not null && protectedHidden[facets] && !InTitle(words, row, places)) return;
            count++;
            if (author is not null && !author[facets]) return;
            if (!RowSet.InEvery(sets, row)) return;
            matches.Add(places);
        }
        bySets = (words.Length > 1 || words[0].TiersOnly) && words.All(w => w.Bits is not null);
        if (bySets)
        {
            // 64 rows at a time: the rows every word holds, and each word's rows before them (its place in its list is
            // those plus its rows below the shared row in the block), so no list is searched.
            var before = new int[words.Length];
            var blocks = words[0].Bits!.Length;
            for (var b = 0; b < blocks; b++)
            {
                var set = words[order[0]].Bits![b];
                for (var o = 1; o < order.Length && set != 0; o++) set &= words[order[o]].Bits![b];
                for (; set != 0; set &= set - 1)
                {
                    var bit = System.Numerics.BitOperations.TrailingZeroCount(set);
                    var below = (1UL << bit) - 1;
                    var row = (b << 6) + bit;
                    for (var i = 0; i < words.Length; i++)
                        places[i] = words[i].TiersOnly ? row : before[i] + System.Numerics.BitOperations.PopCount(words[i].Bits![b] & below);
                    Shared(row, skip: -1, placesKnown: true);
                }
                for (var i = 0; i < words.Length; i++) before[i] += System.Numerics.BitOperations.PopCount(words[i].Bits![b]);
            }
        }
        else
        {
            var rarest = words[order[0]].Rows!;
            for (var k = 0; k < rarest.Length; k++)
            {
                var row = rarest[k];
                var all = true;
                // The bit sets first (one test each), then a search of the lists without one.
                for (var o = 1; o < order.Length && all; o++)
                    if (words[order[o]].Bits is { } bits) all = (bits[row >> 6] & (1UL << row)) != 0;
                for (var o = 1; o < order.Length && all; o++)
                {
                    var i = order[o];
                    if (words[i].Bits is not null) continue;
                    var at = Seek(words[i].Rows!, cursors[i], row);
                    cursors[i] = at < 0 ? ~at : at;
                    all = at >= 0;
                }
                if (!all) continue;
                places[order[0]] = k;
                Shared(row, skip: order[0], placesKnown: false);
            }
        }
        visible = count;
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
        int RowOf(int m) => words[0].Rows is { } rows ? rows[matches.Place(m, 0)] : matches.Place(m, 0);
        int TierOf(int m)
        {
            var row = RowOf(m);
            var (title, head) = (true, true);
            for (var i = 0; i < words.Length && head; i++)
            {
                var place = matches.Place(m, i);
                title &= words[i].InTitle(row, place);
                head &= title || words[i].InHead(row, place);
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
                else page.Add(site.Ids[RowOf(m)]);
            }
        return new Ranked(page, matches.Count);
    }

    /// <summary>
    /// The tiers when every word is held as bit sets alone (<see cref="WordPostings.TiersOnly"/>), 64 rows at a time: the
    /// rows holding every word, those with every word in the title, and in title or excerpt, are ANDs of the words' sets,
    /// so a row's tier is two bits and nothing is recorded per match; each shared row's facet class is tested as
    /// <see cref="Intersect"/> tests it. One pass counts (the visible matches, and the matches past the restriction per
    /// tier); the page is then walked from the newest row of the tier it starts in. Null when the visible matches are at
    /// most the rank-all limit (bm25 orders them). Why: such words are each in a fifth to all of the posts, and recording
    /// every match and working out each one's tier again per pass cost about 10 ns a match, 1 ms for a word in every post.
    /// </summary>
    private static Ranked? TiersOfBits(SitePostings site, WordPostings[] words, bool[] hidden, bool[]? protectedHidden, bool[]? author, RowSet[] sets,
        long offset, int perPage, SearchRanking ranking)
    {
        var blocks = words[0].Bits!.Length;
        (ulong All, ulong Title, ulong Head) Block(int b)
        {
            var (all, title, head) = (ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);
            foreach (var word in words)
            {
                all &= word.Bits![b];
                title &= word.TitleBits![b];
                head &= word.HeadBits![b];
            }
            return (all, title & all, head & all);
        }
        // Visible (not hidden; a protected post the reader may not edit only with every word in its title), then past the restriction.
        bool Visible(int row, bool inTitle)
        {
            var facets = site.Classes[row];
            return !hidden[facets] && (protectedHidden is null || !protectedHidden[facets] || inTitle);
        }
        bool Restricted(int row) => (author is null || author[site.Classes[row]]) && RowSet.InEvery(sets, row);
        long visible = 0;
        var counts = new long[3];
        for (var b = 0; b < blocks; b++)
        {
            var (all, title, head) = Block(b);
            for (var set = all; set != 0; set &= set - 1)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(set);
                var row = (b << 6) + bit;
                var inTitle = (title & (1UL << bit)) != 0;
                if (!Visible(row, inTitle)) continue;
                visible++;
                if (Restricted(row)) counts[inTitle ? 0 : (head & (1UL << bit)) != 0 ? 1 : 2]++;
            }
        }
        if (Math.Min(visible, ranking.ExactTotalLimit + 1L) <= ranking.RankAllLimit) return null;
        var page = new List<long>(perPage);
        var skip = offset;
        for (var tier = 0; tier < 3 && page.Count < perPage; tier++)
        {
            if (skip >= counts[tier])
            {
                skip -= counts[tier];
                continue;
            }
            for (var b = blocks - 1; b >= 0 && page.Count < perPage; b--)
            {
                var (all, title, head) = Block(b);
                var inTier = tier switch { 0 => title, 1 => head & ~title, _ => all & ~head };
                for (var set = inTier; set != 0 && page.Count < perPage; set &= ~(1UL << (63 - System.Numerics.BitOperations.LeadingZeroCount(set))))
                {
                    var bit = 63 - System.Numerics.BitOperations.LeadingZeroCount(set);
                    var row = (b << 6) + bit;
                    if (!Visible(row, tier == 0) || !Restricted(row)) continue;
                    if (skip > 0) skip--;
                    else page.Add(site.Ids[row]);
                }
            }
        }
        return new Ranked(page, counts[0] + counts[1] + counts[2]);
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
    /// where it would be. A few places are looked at in turn first: for lists alike in size (three frequent words, each in
    /// an eighth of the posts) the next row is nearly always a place or two ahead, where a binary search per row cost most
    /// of the intersection. Then galloping (steps 1, 2, 4… and a binary search), so a walk of ascending rows costs about the
    /// shorter list's length when the lists are far apart in size (a rare and a frequent word). Also the readers' walk of
    /// a site's ascending ids (<see cref="HeldSite{TWord}.RowOf"/>: uint on SQLite, long on PostgreSQL).
    /// </summary>
    internal static int Seek<T>(T[] rows, int from, T row) where T : struct, System.Numerics.IComparisonOperators<T, T, bool> =>
        Seek(rows, rows.Length, from, row);

    /// <summary><see cref="Seek{T}(T[], int, T)"/> over the first <paramref name="length"/> places of <paramref name="rows"/> (a pooled array).</summary>
    internal static int Seek<T>(T[] rows, int length, int from, T row) where T : struct, System.Numerics.IComparisonOperators<T, T, bool>
    {
        var near = Math.Min(from + 4, length);
        for (; from < near; from++)
        {
            var at = rows[from];
            if (at >= row) return at == row ? from : ~from;
        }
        var step = 1;
        var hi = from;
        while (hi < length && rows[hi] < row)
        {
            from = hi + 1;
            hi += step;
            step <<= 1;
        }
        var top = Math.Min(hi, length - 1);
        while (from <= top)
        {
            var middle = (from + top) >>> 1;
            var at = rows[middle];
            if (at == row) return middle;
            if (at < row) from = middle + 1;
            else top = middle - 1;
        }
        return ~from;
    }

    private static bool InTitle(WordPostings[] words, int row, int[] places)
    {
        for (var i = 0; i < words.Length; i++)
            if (!words[i].InTitle(row, places[i])) return false;
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

    private readonly ConcurrentDictionary<string, long> _tableRows = new(StringComparer.Ordinal);

    /// <summary>Words' rows of the whole table kept per site and stamp (about 60 bytes each, so at most about 500 KB).</summary>
    private const int MaxWordTableRows = 8_192;

    /// <summary>The rows of the whole table holding <paramref name="term"/>, when read for this stamp; null otherwise.</summary>
    public long? WordTableRows(string term) => _tableRows.TryGetValue(term, out var rows) ? rows : null;

    /// <summary>Keeps a word's rows of the whole table read for this stamp (bounded by <see cref="MaxWordTableRows"/>), and returns them.</summary>
    public long KeepWordTableRows(string term, long rows)
    {
        if (_tableRows.Count >= MaxWordTableRows) _tableRows.Clear();
        return _tableRows[term] = rows;
    }
}

/// <summary>A set of a site's rows (places in <see cref="SitePostings.Ids"/>), one bit a row.</summary>
internal sealed class RowSet(int rows)
{
    private readonly ulong[] _bits = new ulong[(rows + 63) / 64];

    public void Add(int row) => _bits[row >> 6] |= 1UL << row;

    public bool Contains(int row) => (_bits[row >> 6] & (1UL << row)) != 0;

    /// <summary>Whether every one of <paramref name="sets"/> holds <paramref name="row"/> (each term filter is one set; both engines).</summary>
    public static bool InEvery(RowSet[] sets, int row)
    {
        foreach (var set in sets)
            if (!set.Contains(row)) return false;
        return true;
    }
}

/// <summary>
/// One word in one site: its rows ascending, and per row the occurrences in title, excerpt and content packed (10, 10
/// and 12 bits); and the number of rows of the whole table holding it (bm25's idf). A held word in at least a sixteenth
/// of the site's rows also has its rows as a bit set (<see cref="Bits"/>). A word too frequent to read its occurrences is
/// held as bit sets alone, Rows null (<see cref="TiersOnly"/>). Neither: not held (an occurrence count too large to
/// pack, a row the site lacks), so searches with it go to SQL.
/// </summary>
internal sealed class WordPostings : HeldWord
{
    public uint[]? Frequencies { get; init; }

    public long TableRows { get; init; }

    /// <summary>
    /// The word's rows as one bit a site row (<see cref="BitsOf"/>), or null. Why: frequent words' lists are alike in
    /// size, so walking the rarest one and seeking the others cost about 13 ns a row, 150 µs for three words each in an
    /// eighth of 100,000 posts, most of such a search's CPU; the bit sets are ANDed 64 rows at a time (a few µs), and a
    /// shared row's place in each list is the word's bits below it (docs/performance.md, Search).
    /// </summary>
    public ulong[]? Bits { get; init; }

    /// <summary>
    /// A word too frequent to hold with its counts (more than <see cref="SearchPostingsReader.MaxInstances"/> occurrences in
    /// the whole table) is held as three bit sets of the site's rows instead: every row holding it (<see cref="Bits"/>), the
    /// rows with it in the title, and those with it in title or excerpt; <see cref="Rows"/> and <see cref="Frequencies"/>
    /// null. That is all WordPress's tiers and the protected-post rule ask of a word, and a large match set is ordered
    /// by the tiers (bm25 only at most <see cref="SearchRanking.RankAllLimit"/> visible matches, whose counts the search
    /// then reads, <see cref="SearchPostingsReader.ReadCommonRowsAsync"/>). Why: such words (about a hundred on the
    /// benchmark site, each in 21,000–100,000 of its posts) sent every search naming them to SQL, and with a filter or a
    /// second such word SQL counted and tiered tens of thousands of matches, 10–46 ms a search, the whole-vocabulary mix's
    /// tail (docs/performance.md, Search). 12.5 KB a set for 100,000 posts.
    /// </summary>
    public ulong[]? TitleBits { get; init; }

    /// <summary>The rows with the word in title or excerpt, for a word held as bit sets (<see cref="TitleBits"/>).</summary>
    public ulong[]? HeadBits { get; init; }

    /// <summary>The site's rows holding the word: its list's length, or its bits' count.</summary>
    public long RowsInSite()
    {
        if (Rows is not null) return Rows.Length;
        long rows = 0;
        foreach (var block in Bits ?? []) rows += System.Numerics.BitOperations.PopCount(block);
        return rows;
    }

    /// <summary>Held as bit sets alone, without its rows' counts (<see cref="TitleBits"/>).</summary>
    public bool TiersOnly => Rows is null && Bits is not null;

    public override bool Held => Rows is not null || Bits is not null;

    /// <summary>
    /// Held as bit sets alone, a word goes only after every word with counts: such words are few (about a hundred on the
    /// benchmark site, 37.5 KB each there, about 4 MB in all) and each is searched rarely, so the least-recently-used
    /// rule, with the whole-vocabulary mix reading hundreds of words a minute, evicted each before its next search, while
    /// a search without it costs 10–60 ms on SQL against about 2 ms for a word with counts.
    /// </summary>
    public override bool EvictedLast => TiersOnly;

    /// <summary>The floor is FTS5's own measure, rows of the whole table (<see cref="SearchPostings.DefaultMinTableRows"/>).</summary>
    public override long FloorRows => TableRows;

    public override long Bytes => 64 + 8L * (Rows?.Length ?? 0) + 8L * ((Bits?.Length ?? 0) + (TitleBits?.Length ?? 0) + (HeadBits?.Length ?? 0));

    /// <summary>At most what a word held as bit sets is charged in a site of at most <paramref name="siteRows"/> rows.</summary>
    public static long TiersCharge(long siteRows) => 64 + 3 * 8 * ((siteRows + 63) / 64);

    /// <summary>Whether <paramref name="row"/> has the word in its title (a word held with its counts: at its place in <see cref="Rows"/>).</summary>
    public bool InTitle(int row, int place) => TiersOnly ? IsSet(TitleBits!, row) : Title(Frequencies![place]) > 0;

    /// <summary>Whether <paramref name="row"/> has the word in title or excerpt.</summary>
    public bool InHead(int row, int place)
    {
        if (TiersOnly) return IsSet(HeadBits!, row);
        var packed = Frequencies![place];
        return Title(packed) > 0 || Excerpt(packed) > 0;
    }

    private static bool IsSet(ulong[] bits, int row) => (bits[row >> 6] & (1UL << row)) != 0;

    /// <summary>
    /// At most what a word of <paramref name="rows"/> rows is charged: 64 bytes and 8 a posting (its row and packed
    /// counts), and its bit set, kept only where it costs at most 2 bytes a posting (<see cref="BitsOf"/>).
    /// </summary>
    public static long Charge(long rows) => 64 + 10 * rows;

    /// <summary>
    /// <paramref name="rows"/> (ascending places in a site of <paramref name="siteRows"/> rows) as a bit set, when the word
    /// is in at least a sixteenth of the rows (the set then costs at most 2 bytes a posting); otherwise null.
    /// </summary>
    public static ulong[]? BitsOf(int[] rows, int siteRows)
    {
        if (rows.Length == 0 || 16L * rows.Length < siteRows) return null;
        var bits = new ulong[(siteRows + 63) / 64];
        foreach (var row in rows) bits[row >> 6] |= 1UL << row;
        return bits;
    }

    public const int MaxTitle = (1 << 10) - 1;
    public const int MaxExcerpt = (1 << 10) - 1;
    public const int MaxContent = (1 << 12) - 1;

    public static uint Pack(int title, int excerpt, int content) => (uint)title | ((uint)excerpt << 10) | ((uint)content << 20);

    public static int Title(uint packed) => (int)(packed & MaxTitle);

    public static int Excerpt(uint packed) => (int)((packed >> 10) & MaxExcerpt);

    public static int Content(uint packed) => (int)(packed >> 20);
}
