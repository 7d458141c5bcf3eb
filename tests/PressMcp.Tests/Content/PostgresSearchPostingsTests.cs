using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Demo;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>
/// PostgreSQL's in-memory counts and tier orders (<see cref="PostgresSearchPostings"/>) give exactly what its statements
/// give: the same page of ids in the same order, the same total and lower-bound flag, for every reader, and never an
/// answer of an older state of the site. Each query is answered by both paths on a generated site with drafts, private,
/// pending, scheduled and password-protected posts by several authors. PostgreSQL only (the storage stage).
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class PostgresSearchPostingsTests
{
    /// <summary>One search through a PostSearch of its own: a cache that never answers, the given in-memory counts (or none).</summary>
    private static async Task<PostPage> SearchAsync(TestServer server, long siteId, PostQuery query, ReadAccess reader, SearchRanking ranking, PostgresSearchPostings postings)
    {
        await using var scope = server.Services.CreateAsyncScope();
        using var noCache = new SearchResultCache(maxBytes: 1, maxEntries: 1);
        var search = new PostSearch(scope.ServiceProvider.GetRequiredService<PressDbContext>(), server.Store.Settings, ranking, noCache, SearchPostings.Off, postings);
        var result = await search.SearchAsync(siteId, query, reader);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value!;
    }

    /// <summary>Both paths' answers, asserted equal; whether the in-memory one answered (else it went to SQL too).</summary>
    private static async Task<bool> BothAgreeAsync(TestServer server, long siteId, PostQuery query, ReadAccess reader, SearchRanking ranking, PostgresSearchPostings postings, bool build = true)
    {
        if (build) await postings.BuildAsync(siteId, query.Terms(), CancellationToken.None);
        var sql = await SearchAsync(server, siteId, query, reader, ranking, PostgresSearchPostings.Off);
        var before = postings.Counts.Answered;
        SearchEquivalenceSite.AssertSameAnswer(query, ranking, sql, await SearchAsync(server, siteId, query, reader, ranking, postings));
        return postings.Counts.Answered > before;
    }

    private static PostgresSearchPostings NewPostings(TestServer server, long maxBytes = SearchPostings.DefaultMaxBytes) =>
        new(server.Services.GetRequiredService<IServiceScopeFactory>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSearchPostings>.Instance, maxBytes, minRows: 0);

    /// <summary>
    /// What a holder with room for all is charged for the site's rows, then for each step's words (their lists, or their
    /// positions), read in turn: the bounds the full-bound tests set.
    /// </summary>
    private static async Task<long[]> ChargesAsync(TestServer server, long siteId, params (string[] Words, bool Positions)[] steps)
    {
        var probe = NewPostings(server, 64L << 20);
        await probe.BuildAsync(siteId, [], CancellationToken.None);
        var charges = new List<long> { probe.Bytes };
        foreach (var (words, positions) in steps)
        {
            var before = probe.Bytes;
            await probe.BuildAsync(siteId, words, positions, CancellationToken.None);
            charges.Add(probe.Bytes - before);
        }
        return [.. charges];
    }

    [Fact]
    public async Task RandomQueries_EveryReaderEveryOrdering_SameAnswerAsSql()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: true);
        await using var _ = server;
        var postings = NewPostings(server);
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        string[] stopWords = ["the", "of", "and", "with"];
        var random = new Random(16);
        // ts_rank_cd over the known matches (500), the tiers ordered in memory above a small limit (20), and a total that
        // becomes a lower bound (60).
        var answered = new Dictionary<SearchRanking, int> { [SearchRanking.Default] = 0, [new SearchRanking(20)] = 0, [new SearchRanking(20, ExactTotalLimit: 60)] = 0 };
        for (var i = 0; i < 240; i++)
        {
            var text = SearchEquivalenceSite.Text(random);
            if (random.Next(5) == 0) text = stopWords[random.Next(stopWords.Length)] + " " + text;
            if (random.Next(20) == 0) text = stopWords[random.Next(stopWords.Length)];
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
        }
        // Every query's words are held (no floor in this test), so nearly every search was answered in memory.
        foreach (var (ranking, count) in answered) Assert.True(count >= 200, $"answered in memory under {ranking}: {count} of 240");
        // And with their positions held, the pages ranked by ts_rank_cd (at most 500 or 20 matches) were ordered in memory.
        Assert.True(postings.RankedHere >= 150, $"ordered by ts_rank_cd in memory: {postings.RankedHere}");
    }

    [Fact]
    public async Task RandomSingleWords_ReadByTheSearch_SameAnswerAsSql_ThenHeld()
    {
        // A word not held, in a site whose rows are: the search reads the word itself and answers from it (ts_rank_cd as
        // PostgreSQL computed it in the read, or the tiers), then keeps it for the next search. Each query starts from a
        // holder with the site's rows alone, under three rankings (ranked, tiers, a lower bound past which the read stops:
        // twice the count's limit).
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: true);
        await using var _ = server;
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        string[] stopWords = ["the", "of", "and", "with"];
        var random = new Random(17);
        var rankings = SearchEquivalenceSite.Rankings;
        var (read, heldAfter, tooLong) = (0, 0, 0);
        for (var i = 0; i < 150; i++)
        {
            var word = SearchEquivalenceSite.Word(random);
            var query = new PostQuery
            {
                Text = random.Next(5) == 0 ? stopWords[random.Next(stopWords.Length)] + " " + word : word,
                Page = random.Next(4) == 0 ? random.Next(2, 4) : 1,
                PerPage = random.Next(3) == 0 ? 5 : 10,
                Types = random.Next(4) == 0 ? [PostTypes.Post, PostTypes.Page] : [PostTypes.Post],
            };
            var reader = readers[random.Next(readers.Length)];
            var ranking = rankings[i % rankings.Length];
            var postings = NewPostings(server);
            await postings.BuildAsync(site.Id, [], CancellationToken.None);
            var answered = await BothAgreeAsync(server, site.Id, query, reader, ranking, postings, build: false);
            if (postings.ReadBySearch == 1)
            {
                read++;
                Assert.True(answered);
                // Kept (no floor here): the next search of the word is answered from the held list, the same again.
                if (await BothAgreeAsync(server, site.Id, query with { Page = query.Page + 1 }, reader, ranking, postings, build: false)) heldAfter++;
                Assert.Equal(1, postings.ReadBySearch);
            }
            else tooLong++;
        }
        Assert.True(read >= 120, $"read by the search: {read} of 150");
        Assert.Equal(read, heldAfter);
        // The lower-bound ranking reads at most 122 posts: its frequent words went to SQL.
        Assert.True(tooLong >= 5, $"too long to read: {tooLong}");
    }

    [Fact]
    public async Task RandomFilteredQueries_HeldAndReadWords_SameAnswerAsSql()
    {
        // A category (with those below it), a tag, an author, or a category and an author, tested in memory over the held
        // site rows (the author's facet classes, each term's posts read once per stamp) exactly as the statements test them
        // on the posts row: pages 1-3, five readers, three rankings; half the queries with their words held, half a single
        // word read by the search from a holder with the site's rows alone.
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: true);
        await using var _ = server;
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        var (categories, tags, authors) = await SearchEquivalenceSite.FiltersAsync(server, site);
        var held = NewPostings(server);
        var rankings = SearchEquivalenceSite.Rankings;
        var random = new Random(29);
        var (answeredHeld, answeredRead, filteredOut) = (0, 0, 0);
        for (var i = 0; i < 240; i++)
        {
            var withHeld = i % 2 == 0;
            var query = SearchEquivalenceSite.Query(random, withHeld ? SearchEquivalenceSite.Text(random) : SearchEquivalenceSite.Word(random));
            query = SearchEquivalenceSite.Filtered(random, query, (categories, tags, authors));
            var reader = readers[random.Next(readers.Length)];
            var ranking = rankings[random.Next(rankings.Length)];
            var postings = held;
            if (!withHeld)
            {
                postings = NewPostings(server);
                await postings.BuildAsync(site.Id, [], CancellationToken.None);
            }
            var unfiltered = await SearchAsync(server, site.Id, query with { CategoryId = null, TagId = null, AuthorId = null, Page = 1 }, reader, ranking, PostgresSearchPostings.Off);
            var answered = await BothAgreeAsync(server, site.Id, query, reader, ranking, postings, build: withHeld);
            if (answered && withHeld) answeredHeld++;
            if (answered && !withHeld) answeredRead++;
            if (answered && unfiltered.Total > 0)
            {
                var filtered = await SearchAsync(server, site.Id, query, reader, ranking, PostgresSearchPostings.Off);
                if (filtered.Total < unfiltered.Total) filteredOut++;
            }
        }
        Assert.True(answeredHeld >= 100, $"answered in memory with held words: {answeredHeld} of 120");
        Assert.True(answeredRead >= 90, $"answered in memory with the word read by the search: {answeredRead} of 120");
        // The filters did filter: most answered queries with matches lost some of them to the filter.
        Assert.True(filteredOut >= 100, $"answered queries whose filter dropped matches: {filteredOut}");
    }

    [Fact]
    public async Task RandomSeveralWords_OneRareWordNotHeld_ReadByTheSearch_SameAnswerAsSql_ThenHeld()
    {
        // Two or three words, every one held but one rare word: the search reads that word itself, intersects the lists in
        // memory and keeps the word; the page by the tiers in memory, or by ts_rank_cd over the known matches in SQL (the
        // read word's positions are not held). Each query from a holder with the site's rows and the other words (with
        // their positions), a quarter of them filtered; then the next page, from the kept list without reading again.
        var (server, site) = await SearchEquivalenceSite.StartAsync(3000, postgres: true);
        await using var _ = server;
        // The statistics the search sizes the word by (a word in 2,000 posts or more is left to SQL and the background).
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PressDbContext>().Database.ExecuteSqlRawAsync("ANALYZE posts");
        var readers = await SearchEquivalenceSite.ReadersAsync(server, site);
        var filters = await SearchEquivalenceSite.FiltersAsync(server, site);
        var words = SearchEquivalenceSite.Words;
        var rankings = SearchEquivalenceSite.Rankings;
        var random = new Random(31);
        var (read, heldAfter, matched) = (0, 0, 0);
        for (var i = 0; i < 120; i++)
        {
            var rare = words[random.Next(400, words.Count)];
            var others = Enumerable.Range(0, random.Next(1, 3)).Select(_ => words[random.Next(5, 400)]).Where(w => w != rare).Distinct().ToList();
            var text = random.Next(2) == 0 ? string.Join(' ', others.Append(rare)) : string.Join(' ', others.Prepend(rare));
            var query = SearchEquivalenceSite.Query(random, text);
            if (random.Next(4) == 0) query = SearchEquivalenceSite.Filtered(random, query, filters);
            var reader = readers[random.Next(readers.Length)];
            var ranking = rankings[i % rankings.Length];
            var postings = NewPostings(server);
            await postings.BuildAsync(site.Id, others, CancellationToken.None);
            var answered = await BothAgreeAsync(server, site.Id, query, reader, ranking, postings, build: false);
            if (postings.ReadBySearch != 1) continue;
            read++;
            Assert.True(answered);
            if (await SearchAsync(server, site.Id, query, ReadAccess.Public, ranking, PostgresSearchPostings.Off) is { Total: > 0 }) matched++;
            if (await BothAgreeAsync(server, site.Id, query with { Page = query.Page + 1 }, reader, ranking, postings, build: false)) heldAfter++;
            Assert.Equal(1, postings.ReadBySearch);
        }
        Assert.True(read >= 100, $"read by the search: {read} of 120");
        Assert.Equal(read, heldAfter);
        // Not only empty intersections: many of the queries found posts.
        Assert.True(matched >= 30, $"queries with matches: {matched} of {read}");
    }

    [Fact]
    public async Task FullBound_PositionsGoBeforeListsInUse_NotBeforeListsUnusedPastTheirGrace()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(400, postgres: true);
        await using var _ = server;
        var words = SearchEquivalenceSite.Words;
        // Words in too few of the posts to be held as bit sets, which go last whatever their use (FullBound_AWordHeldAsBitSets_GoesLast).
        var (a, b) = (words[120], words[121]);
        // What the site's rows, the two lists and the first word's positions cost, with room for all.
        var charges = await ChargesAsync(server, site.Id, ([a, b], false), ([a], true));
        var (rows, lists, positions) = (charges[0], charges[1], charges[2]);
        Assert.True(lists > 0 && positions > 0, $"lists {lists} bytes, positions {positions}");

        // Room for the rows and both lists, not for the positions too: while the lists are in use, reading the positions
        // drops them, not a list (a search without its list goes to SQL whole; one without positions only has SQL rank
        // its known matches).
        var postings = NewPostings(server, rows + lists + positions - 1);
        await postings.BuildAsync(site.Id, [], CancellationToken.None);
        await postings.BuildAsync(site.Id, [a, b], positions: false, CancellationToken.None);
        await postings.BuildAsync(site.Id, [a], positions: true, CancellationToken.None);
        Assert.Equal(rows + lists, postings.Bytes);
        // So positions are asked for only when they would fit beside the lists in use: these would not, one byte less would.
        Assert.False(postings.Fits(positions));
        Assert.True(postings.Fits(positions - 1));
        Assert.True(await BothAgreeAsync(server, site.Id, new PostQuery { Text = $"{a} {b}" }, ReadAccess.Public, SearchRanking.Default, postings, build: false));
        // Lists unused past their grace give way: the positions fit now, and reading them drops the least recently used list.
        postings.Pass(PostgresWordPostings.ListGrace + HeldWord.InUseFor + 1);
        Assert.True(postings.Fits(positions));
        await postings.BuildAsync(site.Id, [a], positions: true, CancellationToken.None);
        Assert.InRange(postings.Bytes, rows + positions, rows + lists + positions - 1);

        // Positions count as room only once unused for a while: exactly at the bound, other positions as large do not fit
        // beside positions just read, and fit (those would go for them) some searches later; larger ones do not.
        var full = NewPostings(server, rows + lists + positions);
        await full.BuildAsync(site.Id, [], CancellationToken.None);
        await full.BuildAsync(site.Id, [a, b], positions: false, CancellationToken.None);
        await full.BuildAsync(site.Id, [a], positions: true, CancellationToken.None);
        Assert.Equal(rows + lists + positions, full.Bytes);
        Assert.False(full.Fits(1));
        full.Pass(HeldWord.InUseFor + 1);
        Assert.False(full.Fits(positions + 1));
        Assert.True(full.Fits(positions));
        // What was admitted is taken from the room until it is counted again: a second search asking for as much at
        // once does not see the same room.
        Assert.False(full.Fits(1));
    }

    [Fact]
    public async Task WordsBelowTheFloor_ReadByTheirSearch_AreKept_SeveralWordsNotHeldGoToSql()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(400, postgres: true);
        await using var _ = server;
        var words = SearchEquivalenceSite.Words;
        var postings = new PostgresSearchPostings(server.Services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSearchPostings>.Instance, minRows: 1_000_000);
        await postings.BuildAsync(site.Id, [], CancellationToken.None);
        // Two words, neither held: SQL answers (a search reads one word at most).
        Assert.False(await BothAgreeAsync(server, site.Id, new PostQuery { Text = $"{words[40]} {words[41]}" }, ReadAccess.Public, SearchRanking.Default, postings, build: false));
        Assert.Equal(0, postings.ReadBySearch);
        // One word: read and answered, and kept though below the floor (its search paid the read): its next search is
        // answered from the held list without reading it again.
        var one = new PostQuery { Text = words[40] };
        Assert.True(await BothAgreeAsync(server, site.Id, one, ReadAccess.Public, SearchRanking.Default, postings, build: false));
        Assert.True(await BothAgreeAsync(server, site.Id, one with { Page = 2 }, ReadAccess.Public, SearchRanking.Default, postings, build: false));
        Assert.Equal(1, postings.ReadBySearch);
        // The two words again: the one not held is read by the search and intersected with the held one.
        Assert.True(await BothAgreeAsync(server, site.Id, new PostQuery { Text = $"{words[40]} {words[41]}" }, ReadAccess.Public, SearchRanking.Default, postings, build: false));
        Assert.Equal(2, postings.ReadBySearch);
    }

    [Fact]
    public async Task StopWordAlone_TooFrequentForItsSearch_IsReadOnItsFirstAsk_ThenAnsweredInMemory()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(400, postgres: true);
        await using var _ = server;
        var postings = NewPostings(server);
        await postings.BuildAsync(site.Id, [], CancellationToken.None);
        // A count that stops at 60: a search reads at most 122 posts of its word itself, and "the" is in more.
        var ranking = new SearchRanking(20, ExactTotalLimit: 60);
        var query = new PostQuery { Text = "the" };
        Assert.False(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings, build: false));
        Assert.Equal(0, postings.ReadBySearch);
        // One ask is enough for a stop word (another word needs two): the background reads it, and from then on its
        // searches are answered in memory.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); postings.Reads.WordsRead == 0; await Task.Delay(20, TestContext.Current.CancellationToken))
            Assert.True(DateTime.UtcNow < deadline, "the stop word was not read after its first search");
        Assert.True(await BothAgreeAsync(server, site.Id, query with { Page = 2 }, ReadAccess.Public, ranking, postings, build: false));
    }

    [Fact]
    public async Task FullBound_AWordHeldAsBitSets_GoesLast()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(400, postgres: true);
        await using var _ = server;
        var words = SearchEquivalenceSite.Words;
        // "the" is in nearly every post (held as bit sets); these two in too few for that.
        var (a, b) = (words[120], words[121]);
        var charges = await ChargesAsync(server, site.Id, (["the"], false), ([a], false), ([b], false));
        var (rows, dense, first, second) = (charges[0], charges[1], charges[2], charges[3]);
        Assert.True(dense > 0 && first > 0 && second > 0 && first != dense && second != dense, $"the {dense} bytes, {a} {first}, {b} {second}");

        // Room for the rows, "the" and the larger list: "the" was read first and is the least recently used, yet the
        // next list, read by its own search (so whatever the admission says: the planner's statistics may or may not be
        // there yet), pushes out the other list, not it.
        var postings = NewPostings(server, rows + dense + Math.Max(first, second));
        await postings.BuildAsync(site.Id, [], CancellationToken.None);
        await postings.BuildAsync(site.Id, ["the"], positions: false, CancellationToken.None);
        await postings.BuildAsync(site.Id, [a], positions: false, CancellationToken.None);
        Assert.True(await BothAgreeAsync(server, site.Id, new PostQuery { Text = b }, ReadAccess.Public, SearchRanking.Default, postings, build: false));
        Assert.Equal(1, postings.ReadBySearch);
        Assert.True(postings.Bytes <= rows + dense + Math.Max(first, second), $"{postings.Bytes} bytes held");
        // "the" is still held: with a count that stops at 60 its search cannot read it itself, and is answered in memory.
        Assert.True(await BothAgreeAsync(server, site.Id, new PostQuery { Text = "the" }, ReadAccess.Public, new SearchRanking(20, ExactTotalLimit: 60), postings, build: false));
        Assert.Equal(1, postings.ReadBySearch);
        // The other list went: its search reads it again.
        Assert.True(await BothAgreeAsync(server, site.Id, new PostQuery { Text = a }, ReadAccess.Public, SearchRanking.Default, postings, build: false));
        Assert.Equal(2, postings.ReadBySearch);
    }

    [Fact]
    public async Task LongPosts_ClampedAndCappedPositions_SameOrderAsTsRankCd()
    {
        // Posts past PostgreSQL's limits of positional information: positions past 16,383 are all 16,383, and a lexeme
        // keeps at most 256 positions, so covers overlap and the noise goes negative (ts_rank_cd's own approximation).
        // Their words, in title, excerpt and content in varied measure, make ranks that differ, tie and clamp.
        var (server, site) = await SearchEquivalenceSite.StartAsync(200, postgres: true);
        await using var _ = server;
        string[] words = ["zeta", "omicron", "sigma", "upsilon"];
        string[] filler = ["lorem", "ipsum", "dolor", "amet", "sed", "elit"];
        var random = new Random(5);
        string Text(int length, double share) => string.Join(' ', Enumerable.Range(0, length)
            .Select(_ => random.NextDouble() < share ? words[random.Next(words.Length)] : filler[random.Next(filler.Length)]));
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var ids = await db.Posts.Where(p => p.SiteId == site.Id && p.Type == PostTypes.Post && p.Status == PostStatuses.Publish && p.Password == "")
                .OrderBy(p => p.Id).Select(p => p.Id).Take(24).ToListAsync();
            foreach (var (id, i) in ids.Select((id, i) => (id, i)))
                await db.Database.ExecuteSqlRawAsync("UPDATE posts SET title = {0}, excerpt = {1}, content = {2} WHERE site_id = {3} AND id = {4}",
                    Text(random.Next(0, 6), 0.5), Text(random.Next(0, 40), 0.2), Text(i % 3 == 0 ? random.Next(16_000, 19_000) : random.Next(5, 600), i % 2 == 0 ? 0.05 : 0.3), site.Id, id);
        }
        var postings = NewPostings(server);
        foreach (var text in new[] { "zeta", "zeta omicron", "sigma upsilon", "zeta omicron sigma", "omicron sigma upsilon zeta", "upsilon" })
            foreach (var page in new[] { 1, 2 })
                await BothAgreeAsync(server, site.Id, new PostQuery { Text = text, Page = page }, ReadAccess.Public, SearchRanking.Default, postings);
        Assert.Equal(12, postings.RankedHere);
    }

    [Fact]
    public async Task WriteAfterBuild_NextSearchIsNotAnsweredFromOldLists()
    {
        var (server, site) = await SearchEquivalenceSite.StartAsync(400, postgres: true);
        await using var _ = server;
        var postings = NewPostings(server);
        var words = SearchEquivalenceSite.Words;
        var query = new PostQuery { Text = $"{words[40]} {words[41]}" };
        var ranking = new SearchRanking(5);
        Assert.True(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings));

        // A plain SQL write (the triggers raise the version): the lists of the old state are not used, SQL answers.
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PressDbContext>().Database.ExecuteSqlRawAsync(
                "UPDATE posts SET title = {0} WHERE site_id = {1} AND id = (SELECT min(id) FROM posts WHERE site_id = {1} AND type = 'post' AND status = 'publish' AND password = '')",
                $"{words[40]} {words[41]}", site.Id);
        Assert.False(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings, build: false));
        // Rebuilt for the new state, memory answers again, the same as SQL (the new title is in the first tier).
        Assert.True(await BothAgreeAsync(server, site.Id, query, ReadAccess.Public, ranking, postings));
    }
}
