using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>
/// The search-result cache answers only while the site's content version is unchanged: every write raises it, whoever
/// makes it (an ability, raw SQL, another server on the same database), and readers with different rights never share
/// an answer. Real servers over a real database; runs on SQLite and on PostgreSQL.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class SearchResultCacheTests
{
    private const string Password = "correct horse battery";

    private static async Task<Site> SiteAsync(TestServer server)
    {
        await server.CreateUserAsync("alice", Password);
        Assert.Equal(0, (await CliRunner.RunAsync(server.Store, "site", "create", "--slug", "seas", "--title", "Seas", "--owner", "alice")).ExitCode);
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.AsNoTracking().SingleAsync(s => s.Slug == "seas");
    }

    private static Task<long> CreateAsync(TestServer server, Site site, string title, string status = PostStatuses.Publish) =>
        server.RunAsPersonAsync("alice", Roles.Administrator, site, "posts/create", new() { ["title"] = title, ["status"] = status });

    /// <summary>The titles a search finds, sorted (ties in relevance are not what these tests are about).</summary>
    private static async Task<string[]> TitlesAsync(TestServer server, Site site, PostQuery query, ReadAccess? reader = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<PostSearch>().SearchAsync(site.Id, query, reader ?? ReadAccess.Public);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return [.. result.Value!.Items.Select(p => p.Title).Order(StringComparer.Ordinal)];
    }

    private static Task<string[]> TitlesAsync(TestServer server, Site site, string text, ReadAccess? reader = null) =>
        TitlesAsync(server, site, new PostQuery { Text = text }, reader);

    private static long Hits(TestServer server) => server.Services.GetRequiredService<SearchResultCache>().Counts.Hits;

    private static async Task SqlAsync(TestServer server, string sql, params object[] values)
    {
        await using var scope = server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PressDbContext>().Database.ExecuteSqlRawAsync(sql, values);
    }

    [Fact]
    public async Task Search_AfterWriteThroughAbility_FindsTheNewPost()
    {
        await using var server = await TestServer.StartAsync();
        var site = await SiteAsync(server);
        await CreateAsync(server, site, "Walrus one");
        Assert.Equal(["Walrus one"], await TitlesAsync(server, site, "walrus"));
        var hits = Hits(server);
        Assert.Equal(["Walrus one"], await TitlesAsync(server, site, "walrus"));
        Assert.Equal(hits + 1, Hits(server));

        var second = await CreateAsync(server, site, "Walrus two");
        Assert.Equal(["Walrus one", "Walrus two"], await TitlesAsync(server, site, "walrus"));
        await server.RunAsPersonAsync("alice", Roles.Administrator, site, "posts/update", new() { ["post_id"] = second, ["title"] = "Narwhal two" });
        Assert.Equal(["Walrus one"], await TitlesAsync(server, site, "walrus"));
    }

    [Fact]
    public async Task Search_AfterRawSqlWrites_AnswersTheNewState()
    {
        await using var server = await TestServer.StartAsync();
        var site = await SiteAsync(server);
        var first = await CreateAsync(server, site, "Walrus one");
        await CreateAsync(server, site, "Walrus two");
        long category;
        await using (var scope = server.Services.CreateAsyncScope())
            category = (await new ContentSeed(scope.ServiceProvider).EnsureTermAsync(site, Taxonomies.Category, "Arctic")).Value!.Id;
        var inCategory = new PostQuery { Text = "walrus", CategoryId = category };
        Assert.Empty(await TitlesAsync(server, site, inCategory));
        Assert.Empty(await TitlesAsync(server, site, inCategory));
        Assert.Equal(["Walrus one", "Walrus two"], await TitlesAsync(server, site, "walrus"));

        // A post_terms row and an UPDATE of posts, as a plain SQL client would write them.
        await SqlAsync(server, "INSERT INTO post_terms (site_id, post_id, term_id) VALUES ({0}, {1}, {2})", site.Id, first, category);
        Assert.Equal(["Walrus one"], await TitlesAsync(server, site, inCategory));
        await SqlAsync(server, "UPDATE posts SET status = 'draft' WHERE site_id = {0} AND id = {1}", site.Id, first);
        Assert.Equal(["Walrus two"], await TitlesAsync(server, site, "walrus"));
        Assert.Empty(await TitlesAsync(server, site, inCategory));
        // And a DELETE.
        await SqlAsync(server, "DELETE FROM posts WHERE site_id = {0} AND id = {1}", site.Id, first);
        Assert.Equal(["Walrus two"], await TitlesAsync(server, site, "walrus"));
    }

    [Fact]
    public async Task Search_DraftVisibleToItsEditor_IsNeverServedToAPublicReader_NorTheReverse()
    {
        await using var server = await TestServer.StartAsync();
        var site = await SiteAsync(server);
        await CreateAsync(server, site, "Walrus published");
        await CreateAsync(server, site, "Walrus draft", PostStatuses.Draft);
        long alice;
        await using (var scope = server.Services.CreateAsyncScope())
            alice = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync();
        var editor = ReadAccess.For(new SiteActor(alice, false, Roles.Editor));

        Assert.Equal(["Walrus published"], await TitlesAsync(server, site, "walrus"));
        Assert.Equal(["Walrus draft", "Walrus published"], await TitlesAsync(server, site, "walrus", editor));
        Assert.Equal(["Walrus published"], await TitlesAsync(server, site, "walrus"));
        Assert.Equal(["Walrus draft", "Walrus published"], await TitlesAsync(server, site, "walrus", editor));
        // An author who did not write the draft reads what the public reads, not the editor's answer.
        var author = ReadAccess.For(new SiteActor(alice + 1000, false, Roles.Author));
        Assert.Equal(["Walrus published"], await TitlesAsync(server, site, "walrus", author));
    }

    [Fact]
    public async Task Search_WriteThroughAnotherServerOnTheSameDatabase_IsSeenByTheNextSearch()
    {
        await using var writer = await TestServer.StartAsync();
        await using var reader = await TestServer.StartAsync(writer.Store);
        var site = await SiteAsync(writer);
        await CreateAsync(writer, site, "Walrus one");
        Assert.Equal(["Walrus one"], await TitlesAsync(reader, site, "walrus"));
        var hits = Hits(reader);
        Assert.Equal(["Walrus one"], await TitlesAsync(reader, site, "walrus"));
        Assert.Equal(hits + 1, Hits(reader));

        await CreateAsync(writer, site, "Walrus two");
        Assert.Equal(["Walrus one", "Walrus two"], await TitlesAsync(reader, site, "walrus"));
    }
}

/// <summary>The cache's bounds and versions, on the cache alone.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class SearchResultCacheBoundTests
{
    [Fact]
    public void Cache_FarMoreAnswersThanItHolds_StaysWithinItsEntriesAndBytes()
    {
        using var cache = new SearchResultCache(maxBytes: 64 * 1024, maxEntries: 100);
        long[] ids = [.. Enumerable.Range(1, 10).Select(i => (long)i)];
        for (var i = 0; i < 5_000; i++)
        {
            cache.Set($"1|query {i}", 7, ids, 10, false);
            var (entries, bytes) = cache.Usage;
            Assert.InRange(entries, 0, 100);
            Assert.InRange(bytes, 0, 64 * 1024);
        }
        // Long keys are charged for their length: fewer of them fit, and still within the bytes.
        var longKey = new string('k', 4_000);
        for (var i = 0; i < 500; i++)
        {
            cache.Set($"{longKey}{i}", 7, ids, 10, false);
            Assert.InRange(cache.Usage.Bytes, 0, 64 * 1024);
        }
    }

    [Fact]
    public void Cache_EntryOfAnotherVersion_IsNotServed()
    {
        using var cache = new SearchResultCache();
        cache.Set("1|walrus", 7, [3, 2, 1], 3, false);
        Assert.Equal([3L, 2, 1], cache.TryGet("1|walrus", 7)!.Ids);
        Assert.Null(cache.TryGet("1|walrus", 8));
    }

    [Fact]
    public void Lookup_StoredForOneReader_IsServedToTheSameRightsOnly()
    {
        using var cache = new SearchResultCache();
        var query = new PostQuery { Text = "walrus" };
        var editor = ReadAccess.For(new SiteActor(5, false, Roles.Editor));
        cache.LookUp(7, 1, query, ["walrus"], editor).Store([3, 2, 1], 3, false);

        Assert.Null(cache.LookUp(7, 1, query, ["walrus"], ReadAccess.Public).Hit);
        Assert.Null(cache.LookUp(7, 1, query, ["walrus"], ReadAccess.For(new SiteActor(6, false, Roles.Editor))).Hit);
        Assert.Null(cache.LookUp(7, 2, query, ["walrus"], editor).Hit);
        // The same rights built afresh (another request of the same editor) find the entry.
        Assert.Equal([3L, 2, 1], cache.LookUp(7, 1, query, ["walrus"], ReadAccess.For(new SiteActor(5, false, Roles.Editor))).Hit!.Ids);
    }

    [Fact]
    public void AccessIdOf_PastItsBound_NeverGivesOneNumberToTwoTexts()
    {
        using var cache = new SearchResultCache();
        var textOf = new Dictionary<long, string>();
        // Three times the bound, then the first texts again: they are numbered anew, with numbers no other text had.
        var texts = Enumerable.Range(0, 3 * SearchResultCache.MaxAccessIds).Concat(Enumerable.Range(0, 10)).Select(i => $"u:{i}|r:post=publish/;");
        foreach (var text in texts)
        {
            var id = cache.AccessIdOf(text);
            Assert.Equal(text, textOf.TryGetValue(id, out var had) ? had : textOf[id] = text);
            Assert.Equal(id, cache.AccessIdOf(text));
        }
        Assert.Equal(3 * SearchResultCache.MaxAccessIds + 10, textOf.Count);
    }

    [Fact]
    public async Task AccessIdOf_ManyThreads_OneNumberATextAndATextANumber()
    {
        using var cache = new SearchResultCache();
        // More texts than the bound, asked for in overlapping orders by eight threads: clears and races included.
        var texts = Enumerable.Range(0, SearchResultCache.MaxAccessIds + 500).Select(i => $"u:{i}|r:post=publish/;").ToArray();
        var seen = new System.Collections.Concurrent.ConcurrentBag<(long Id, string Text)>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            for (var i = 0; i < 20_000; i++)
            {
                var text = texts[random.Next(texts.Length)];
                seen.Add((cache.AccessIdOf(text), text));
            }
        }, TestContext.Current.CancellationToken)));

        Assert.All(seen.GroupBy(s => s.Id), number => Assert.Single(number.Select(s => s.Text).Distinct()));
    }
}
