using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Demo;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>
/// The in-memory search (<see cref="SearchPostings"/>) gives exactly what the SQL statements give: the same page of ids
/// in the same order, the same total and lower-bound flag, for every reader, and never an answer of an older state of
/// the site or of the table (another site's write changes bm25's statistics). Each query is answered by both paths on a
/// generated site with drafts, private, pending, scheduled and password-protected posts by several authors.
/// SQLite only (the in-memory search is SQLite's).
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class SearchPostingsTests
{
    private const string Password = "correct horse battery";

    /// <summary>One search through a PostSearch of its own: a cache that never answers, the given in-memory search (or none).</summary>
    private static async Task<PostPage> SearchAsync(TestServer server, long siteId, PostQuery query, ReadAccess reader, SearchRanking ranking, SearchPostings postings)
    {
        await using var scope = server.Services.CreateAsyncScope();
        using var noCache = new SearchResultCache(maxBytes: 1, maxEntries: 1);
        var search = new PostSearch(scope.ServiceProvider.GetRequiredService<PressDbContext>(), server.Store.Settings, ranking, noCache, postings);
        var result = await search.SearchAsync(siteId, query, reader);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value!;
    }

    /// <summary>Both paths' answers, asserted equal; whether the in-memory one answered (else it went to SQL too).</summary>
    private static async Task<bool> BothAgreeAsync(TestServer server, long siteId, PostQuery query, ReadAccess reader, SearchRanking ranking, SearchPostings postings, bool build = true)
    {
        if (build) await postings.BuildAsync(siteId, query.Terms(), CancellationToken.None);
        var sql = await SearchAsync(server, siteId, query, reader, ranking, SearchPostings.Off);
        var before = postings.Counts.Answered;
        SearchEquivalenceSite.AssertSameAnswer(query, ranking, sql, await SearchAsync(server, siteId, query, reader, ranking, postings));
        return postings.Counts.Answered > before;
    }

    private static SearchPostings NewPostings(TestServer server, long minTableRows = 0) =>
        new(server.Services.GetRequiredService<IServiceScopeFactory>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<SearchPostings>.Instance, minTableRows: minTableRows);

    /// <summary>
    /// An in-memory search holding only the site's rows and no word (every word is below its floor, so none is ever
    /// read in the background): a search it answers read the rows its words share from FTS5 with their frequencies
    /// (<see cref="SearchPostingsReader.ReadCommonRowsAsync"/>: rare words, a rare word beside a frequent one not held).
    /// </summary>
    private static async Task<SearchPostings> NoWordHeldAsync(TestServer server, long siteId)
    {
        var postings = NewPostings(server, minTableRows: long.MaxValue);
        await postings.BuildAsync(siteId, [], CancellationToken.None);
        return postings;
    }

    [Fact]
    public async Task RandomQueries_EveryReaderBothRankings_SameAnswerAsSql()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: false);
        await using var _ = server;
        var postings = NewPostings(server);
        var reading = await NoWordHeldAsync(server, site.Id);
        var readAnswered = 0;
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        string[] stopWords = ["the", "of", "and", "with"];
        var random = new Random(16);
        // bm25 over every match (500), the tiers above a small limit (20), and a total that becomes a lower bound (60).
        var answered = new Dictionary<SearchRanking, int> { [SearchRanking.Default] = 0, [new SearchRanking(20)] = 0, [new SearchRanking(20, ExactTotalLimit: 60)] = 0 };
        for (var i = 0; i < 240; i++)
        {
            var text = SearchEquivalenceSite.Text(random);
            if (random.Next(5) == 0) text = stopWords[random.Next(stopWords.Length)] + " " + text;
            var query = new PostQuery
            {
                Text = text,
                Page = random.Next(4) == 0 ? random.Next(2, 4) : 1,
                PerPage = random.Next(3) == 0 ? 5 : 10,
                Types = random.Next(4) == 0 ? [PostTypes.Post, PostTypes.Page] : [PostTypes.Post],
            };
            var reader = readers[random.Next(readers.Length)];
            foreach (var ranking in answered.Keys.ToList())
                if (await BothAgreeAsync(server, site.Id, query, reader, ranking, postings)) answered[ranking]++;
            if (await BothAgreeAsync(server, site.Id, query, reader, answered.Keys.ElementAt(i % 3), reading, build: false)) readAnswered++;
        }
        // Read by the search itself: those whose words share at most SearchPostings.CommonRowsMax rows (a single word: in at
        // most SearchPostings.SingleWordRowsMax rows of the table).
        Assert.True(readAnswered >= 100, $"answered from the rows the words share, read by the search: {readAnswered} of 240");
        // Each ranking was answered in memory often enough for the comparison to mean something (the rest went to SQL:
        // words too frequent to hold).
        foreach (var (ranking, count) in answered) Assert.True(count >= 150, $"answered in memory under {ranking}: {count} of 240");
        // Several words were intersected both ways: by their bit sets (every word in a sixteenth of the rows or more) and by
        // walking the rarest list (tested against the others' bit sets, or sought in their lists).
        var (bySets, byWalk) = postings.Intersections;
        Assert.True(bySets >= 30 && byWalk >= 30, $"intersections by bit sets: {bySets}, by the rarest list: {byWalk}");
    }

    /// <summary>
    /// Random queries with a category (and those below it), a tag or an author, some with two of them, pages 1–3: the same
    /// answer by both paths, with words held (read before) and with the rows the words share read by the search itself
    /// (only the site's rows held), each under the three rankings' cases.
    /// </summary>
    [Fact]
    public async Task RandomFilteredQueries_HeldAndReadWords_SameAnswerAsSql()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: false);
        await using var _ = server;
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        var (categories, tags, authors) = await SearchEquivalenceSite.FiltersAsync(server, site);
        var held = NewPostings(server);
        // Only the site's rows: every search reads the rows its words share (with a filter, up to SearchPostings.CommonRowsMax).
        var reading = await NoWordHeldAsync(server, site.Id);
        var rankings = SearchEquivalenceSite.Rankings;
        var random = new Random(23);
        var answered = new Dictionary<bool, int> { [true] = 0, [false] = 0 };
        for (var i = 0; i < 240; i++)
        {
            var text = SearchEquivalenceSite.Text(random);
            var query = SearchEquivalenceSite.Query(random, text);
            query = SearchEquivalenceSite.Filtered(random, query, (categories, tags, authors));
            var reader = readers[random.Next(readers.Length)];
            var withHeld = i % 2 == 0;
            if (await BothAgreeAsync(server, site.Id, query, reader, rankings[random.Next(rankings.Length)], withHeld ? held : reading, build: withHeld))
                answered[withHeld]++;
        }
        // Both ways answered most of their 120 queries in memory (the rest: words too frequent to hold, or in half the
        // table's rows with few matches, where bm25's idf is clamped).
        Assert.True(answered[true] >= 80, $"answered in memory with held words: {answered[true]} of 120");
        Assert.True(answered[false] >= 80, $"answered in memory with the rows the words share read by the search: {answered[false]} of 120");
        var (bySets, byWalk) = held.Intersections;
        Assert.True(bySets >= 5 && byWalk >= 30, $"intersections by bit sets: {bySets}, by the rarest list: {byWalk}");
    }

    /// <summary>
    /// Words too frequent to hold with their counts are held as bit sets alone (<see cref="WordPostings.TiersOnly"/>; the
    /// ceiling lowered so that the test site has many): random queries of such words, alone, together, beside held and
    /// rare words, with and without an author, category or tag filter, every reader, pages 1–3, under the three rankings'
    /// cases, give SQL's answer. Large match sets are ordered by the tiers from the bits; few visible matches by bm25 over
    /// the counts read for them.
    /// </summary>
    [Fact]
    public async Task RandomQueries_WordsHeldAsBitSets_SameAnswerAsSql()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: false);
        await using var _ = server;
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        var (categories, tags, authors) = await SearchEquivalenceSite.FiltersAsync(server, site);
        // Every word held (as bit sets or with its counts); and only words in at least 300 rows, so that a rarer word beside
        // one held as bit sets is read with it by the search (the rows they share, SearchPostingsReader.ReadCommonRowsAsync).
        SearchPostings Postings(long minTableRows) => new(server.Services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SearchPostings>.Instance, minTableRows: minTableRows, maxInstances: BitSetsCeiling);
        SearchPostings[] postings = [Postings(0), Postings(300)];
        var words = SearchEquivalenceSite.Words;
        var rankings = SearchEquivalenceSite.Rankings;
        var random = new Random(18);
        var answered = 0;
        for (var i = 0; i < 240; i++)
        {
            // At least one word among the most frequent (held as bit sets), the others of every frequency.
            var text = string.Join(' ', new[] { words[random.Next(0, 40)] }.Concat(Enumerable.Range(0, random.Next(0, 3)).Select(_ => random.Next(2) == 0 ? words[random.Next(0, 60)] : SearchEquivalenceSite.Word(random))));
            var query = SearchEquivalenceSite.Query(random, text);
            query = random.Next(6) switch
            {
                0 => query with { CategoryId = categories[random.Next(categories.Length)] },
                1 => query with { TagId = tags[random.Next(tags.Length)] },
                2 => query with { AuthorId = authors[random.Next(authors.Length)] },
                _ => query,
            };
            if (await BothAgreeAsync(server, site.Id, query, readers[random.Next(readers.Length)], rankings[random.Next(rankings.Length)], postings[i % 2])) answered++;
        }
        Assert.True(answered >= 150, $"answered in memory: {answered} of 240");
        Assert.True(postings[0].TiersOnlyAnswers >= 40 && postings[1].TiersOnlyAnswers >= 20,
            $"ordered by the tiers from bit sets alone: {postings[0].TiersOnlyAnswers} with every word held, {postings[1].TiersOnlyAnswers} with words in 300 rows or more");
    }

    /// <summary>
    /// A search with a filter or several words whose words not held share more rows than it reads with their counts
    /// (the limit lowered to 40 rows) reads those words as bit sets itself (<see cref="SearchPostingsReader.ReadWordBitsAsync"/>)
    /// and orders by the tiers from them: random queries naming a frequent word, alone with a filter or beside others,
    /// every reader, pages 1–3, the three rankings' cases, give SQL's answer. Once with nothing kept (every word below the
    /// holder's floor), once with the words in more rows than the ceiling of a word held with its counts (lowered to
    /// 1,500) kept by the search that read them, so that later searches use them.
    /// </summary>
    [Fact]
    public async Task RandomQueries_WordsNotHeldReadAsBitSetsBySearch_SameAnswerAsSql()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: false);
        await using var _ = server;
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        var filters = await SearchEquivalenceSite.FiltersAsync(server, site);
        SearchPostings Postings(long minTableRows) => new(server.Services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SearchPostings>.Instance, minTableRows: minTableRows, maxInstances: BitSetsCeiling, commonRowsMax: 40);
        SearchPostings[] postings = [Postings(long.MaxValue), Postings(0)];
        foreach (var each in postings) await each.BuildAsync(site.Id, [], CancellationToken.None);
        var words = SearchEquivalenceSite.Words;
        var rankings = SearchEquivalenceSite.Rankings;
        var random = new Random(19);
        var answered = new int[2];
        for (var i = 0; i < 240; i++)
        {
            // A frequent word first (in a fifth of the posts or more), then none to two of every frequency; alone, it has a filter.
            var text = string.Join(' ', new[] { words[random.Next(5, 60)] }.Concat(Enumerable.Range(0, random.Next(0, 3)).Select(_ => random.Next(2) == 0 ? words[random.Next(5, 80)] : SearchEquivalenceSite.Word(random))));
            var query = SearchEquivalenceSite.Query(random, text);
            if (query.Terms().Count == 1 || random.Next(2) == 0) query = SearchEquivalenceSite.Filtered(random, query, filters);
            if (await BothAgreeAsync(server, site.Id, query, readers[random.Next(readers.Length)], rankings[random.Next(rankings.Length)], postings[i % 2], build: false))
                answered[i % 2]++;
        }
        Assert.True(answered[0] >= 80 && answered[1] >= 80, $"answered in memory: {answered[0]} and {answered[1]} of 120");
        Assert.True(postings[0].ReadAsBits >= 60 && postings[1].ReadAsBits >= 30,
            $"searches that read words as bit sets: {postings[0].ReadAsBits} with nothing kept, {postings[1].ReadAsBits} with frequent words kept");
        // A word in most posts, not a stop word, searched once with a filter (asked for once, so no background read): the search reads it
        // and keeps it, and the next search with it reads nothing.
        var kept = Postings(0);
        await kept.BuildAsync(site.Id, [], CancellationToken.None);
        var frequent = new PostQuery { Text = words.Skip(5).First(w => !SearchStopWords.Contains(w)), CategoryId = filters.Categories[0] };
        var rowsOnly = kept.Bytes;
        Assert.True(await BothAgreeAsync(server, site.Id, frequent, ReadAccess.Public, SearchRanking.Default, kept, build: false));
        Assert.Equal(1, kept.ReadAsBits);
        // Kept as a word held as bit sets is charged (the site's rows alone are charged 10 bytes a row).
        Assert.Equal(rowsOnly + WordPostings.TiersCharge(rowsOnly / 10), kept.Bytes);
        Assert.True(await BothAgreeAsync(server, site.Id, frequent with { CategoryId = null, AuthorId = filters.Authors[0] }, ReadAccess.Public, SearchRanking.Default, kept, build: false));
    }

    /// <summary>
    /// Searches running at once (sixteen at a time) each give SQL's answer: the pooled arrays a search grows its
    /// intersection's matches and the rows its words share in (<see cref="SearchPostings.Matches"/>, up to a word in every
    /// post) are never shared by two searches. Words held and words read by the search, each query searched four times over.
    /// </summary>
    [Fact]
    public async Task ConcurrentSearches_PooledArrays_EachSameAnswerAsSql()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: false);
        await using var _ = server;
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        var held = NewPostings(server);
        var reading = await NoWordHeldAsync(server, site.Id);
        var words = SearchEquivalenceSite.Words;
        var random = new Random(20);
        var cases = new List<(PostQuery Query, ReadAccess Reader, SearchPostings Postings, PostPage Sql)>();
        for (var i = 0; i < 60; i++)
        {
            // A word of the most frequent (the matches grow their arrays several times) or of every frequency, and up to two more.
            var first = i % 3 == 0 ? words[random.Next(0, 20)] : SearchEquivalenceSite.Word(random);
            var query = SearchEquivalenceSite.Query(random, string.Join(' ', new[] { first }.Concat(Enumerable.Range(0, random.Next(0, 3)).Select(_ => SearchEquivalenceSite.Word(random)))));
            var reader = readers[random.Next(readers.Length)];
            var postings = i % 2 == 0 ? held : reading;
            if (postings == held) await held.BuildAsync(site.Id, query.Terms(), CancellationToken.None);
            cases.Add((query, reader, postings, await SearchAsync(server, site.Id, query, reader, SearchRanking.Default, SearchPostings.Off)));
        }
        var answeredBefore = held.Counts.Answered + reading.Counts.Answered;

        await Parallel.ForEachAsync(Enumerable.Range(0, 4 * cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (n, _) =>
            {
                var (query, reader, postings, sql) = cases[n % cases.Count];
                SearchEquivalenceSite.AssertSameAnswer(query, SearchRanking.Default, sql, await SearchAsync(server, site.Id, query, reader, SearchRanking.Default, postings));
            });

        // Most were answered in memory (the rest by SQL: words too frequent to hold, or clamped idf), so the pools were used.
        var answered = held.Counts.Answered + reading.Counts.Answered - answeredBefore;
        Assert.True(answered >= 2 * cases.Count, $"answered in memory: {answered} of {4 * cases.Count}");
    }

    /// <summary>Occurrences above which <see cref="RandomQueries_WordsHeldAsBitSets_SameAnswerAsSql"/> holds a word as bit sets alone.</summary>
    private const int BitSetsCeiling = 1_500;

    [Fact]
    public async Task WriteAfterBuild_NextSearchIsNotAnsweredFromOldLists()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(400, postgres: false);
        await using var _ = server;
        var postings = NewPostings(server);
        var words = SearchEquivalenceSite.Words;
        var query = new PostQuery { Text = $"{words[40]} {words[41]}" };
        var ranking = SearchRanking.Default;
        Assert.True(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings));

        // A plain SQL write (the triggers raise the version): the lists of the old state are not used, SQL answers.
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PressDbContext>().Database.ExecuteSqlRawAsync(
                "UPDATE posts SET title = {0}, content_text = NULL, excerpt_text = NULL WHERE site_id = {1} AND id = (SELECT min(id) FROM posts WHERE site_id = {1} AND type = 'post' AND status = 'publish' AND password = '')",
                $"{words[40]} {words[41]} {words[40]}", site.Id);
        Assert.False(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings, build: false));
        // Rebuilt for the new state, memory answers again, the same as SQL (the new title ranks first).
        Assert.True(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings));
    }

    [Fact]
    public async Task WriteOnAnotherSite_ChangesBm25Statistics_NotAnsweredFromOldLists()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(400, postgres: false);
        await using var _ = server;
        await server.CreateUserAsync("alice", Password);
        Assert.Equal(0, (await CliRunner.RunAsync(server.Store, "site", "create", "--slug", "other", "--title", "Other", "--owner", "alice")).ExitCode);
        Site other;
        await using (var scope = server.Services.CreateAsyncScope())
            other = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.AsNoTracking().SingleAsync(s => s.Slug == "other");
        var postings = NewPostings(server);
        var words = SearchEquivalenceSite.Words;
        var query = new PostQuery { Text = $"{words[30]} {words[200]}" };
        var ranking = SearchRanking.Default;
        Assert.True(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings));

        // Many posts on the other site holding one of the words: the table's rows and that word's idf change for site A.
        for (var i = 0; i < 30; i++)
            await server.RunAsPersonAsync("alice", Roles.Administrator, other, "posts/create", new() { ["title"] = $"{words[30]} {i}", ["content"] = $"{words[30]} {words[30]}", ["status"] = "publish" });
        Assert.False(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings, build: false));
        Assert.True(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings));
    }

    [Fact]
    public async Task FullBudget_AWordThatWouldPushOutAWordSearchedMoreOften_IsNotRead()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(400, postgres: false);
        await using var _ = server;
        var words = SearchEquivalenceSite.Words;
        var (held, other) = (new PostQuery { Text = words[40] }, new PostQuery { Text = words[41] });
        // What the site's rows and each word cost, measured on a search with room for all.
        var probe = NewPostings(server);
        await probe.BuildAsync(site.Id, [], CancellationToken.None);
        var rows = probe.Bytes;
        await probe.BuildAsync(site.Id, held.Terms(), CancellationToken.None);
        var heldBytes = probe.Bytes - rows;
        await probe.BuildAsync(site.Id, other.Terms(), CancellationToken.None);
        var otherBytes = probe.Bytes - rows - heldBytes;

        // Room for the rows and one of the two words: the held word, searched once, is not pushed out by a word never searched.
        var postings = new SearchPostings(server.Services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SearchPostings>.Instance, maxBytes: rows + Math.Max(heldBytes, otherBytes), minTableRows: 0);
        Assert.True(await BothAgreeAsync(server, site.Id, held, ReadAccess.Public, SearchRanking.Default, postings));
        // The other word is not held (its search reads the rows it is in for itself: SearchPostings.SingleWordRowsMax).
        await BothAgreeAsync(server, site.Id, other, ReadAccess.Public, SearchRanking.Default, postings);
        Assert.Equal(rows + heldBytes, postings.Bytes);
        Assert.True(await BothAgreeAsync(server, site.Id, held, ReadAccess.Public, SearchRanking.Default, postings, build: false));
    }

    [Fact]
    public void FacetExpression_FollowsFts5Precedence()
    {
        var tokens = new HashSet<string> { "a", "c" };
        Assert.True(FacetExpression.Compile("facets : (\"a\" OR \"b\" AND \"x\")")!(tokens));
        Assert.False(FacetExpression.Compile("facets : ((\"a\" OR \"b\") AND \"x\")")!(tokens));
        Assert.False(FacetExpression.Compile("facets : (\"a\" NOT \"c\" OR \"x\")")!(tokens));
        Assert.True(FacetExpression.Compile("facets : (\"a\" AND \"b\" NOT \"x\" OR \"c\")")!(tokens));
        Assert.Null(FacetExpression.Compile("facets : (\"a\" \"c\")"));
        Assert.Null(FacetExpression.Compile("title : (\"a\")"));
    }
}
