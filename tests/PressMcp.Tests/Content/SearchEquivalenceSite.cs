using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Demo;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>
/// The generated site both engines' in-memory search equivalence tests answer queries on (<see cref="SearchPostingsTests"/>,
/// <see cref="PostgresSearchPostingsTests"/>), its readers and its words: one place, so that the queries' words and the
/// site come from the same seed (another seed shares only the common words, and its invented words match nothing).
/// </summary>
internal static class SearchEquivalenceSite
{
    /// <summary>The demo generator's seed of the site and of the queries' vocabulary.</summary>
    public const int Seed = 3;

    /// <summary>The site's words, most frequent first.</summary>
    public static IReadOnlyList<string> Words { get; } = new DemoText(Seed).VocabularyByFrequency();

    /// <summary>
    /// A server on the stage's database with a demo site of <paramref name="posts"/> posts (drafts, pending, scheduled
    /// and private posts by several authors), a seventh of its posts and pages password-protected; skipped unless the
    /// stage's database is the engine asked for.
    /// </summary>
    public static async Task<(TestServer Server, Site Site)> StartAsync(int posts, bool postgres)
    {
        var server = await TestServer.StartAsync();
        Assert.SkipUnless(server.Store.IsPostgres == postgres, postgres ? "PostgreSQL only" : "SQLite only");
        Assert.Equal(0, (await CliRunner.RunAsync(server.Store, "demo", "--posts", posts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Slug == "demo");
        // Protected posts of every status and author: found by their title alone by readers who may not edit them.
        await db.Database.ExecuteSqlRawAsync("UPDATE posts SET password = 'secret' WHERE site_id = {0} AND type IN ('post', 'page') AND id % 7 = 0", site.Id);
        return (server, site);
    }

    /// <summary>The site's categories, tags and post authors: what the filtered equivalence tests draw their filters from.</summary>
    public static async Task<(long[] Categories, long[] Tags, long[] Authors)> FiltersAsync(TestServer server, Site site)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var categories = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == Taxonomies.Category).Select(t => t.Id).ToArrayAsync();
        var tags = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == Taxonomies.Tag).Select(t => t.Id).ToArrayAsync();
        var authors = await db.Posts.Where(p => p.SiteId == site.Id && p.AuthorId != null).Select(p => p.AuthorId!.Value).Distinct().ToArrayAsync();
        Assert.True(categories.Length >= 3 && tags.Length >= 3 && authors.Length >= 2);
        return (categories, tags, authors);
    }

    /// <summary>The three rankings' cases the equivalence tests draw from: the defaults, a low rank-all limit, and a low exact-total limit.</summary>
    public static SearchRanking[] Rankings { get; } = [SearchRanking.Default, new SearchRanking(20), new SearchRanking(20, ExactTotalLimit: 60)];

    /// <summary>A query of <paramref name="text"/>: a third ask for page 2 or 3, a third for 5 a page, a quarter for pages too.</summary>
    public static PostQuery Query(Random random, string text) => new()
    {
        Text = text,
        Page = random.Next(3) == 0 ? random.Next(2, 4) : 1,
        PerPage = random.Next(3) == 0 ? 5 : 10,
        Types = random.Next(4) == 0 ? [PostTypes.Post, PostTypes.Page] : [PostTypes.Post],
    };

    /// <summary><paramref name="query"/> with a category, a tag, an author, or a category and an author, drawn from the site's.</summary>
    public static PostQuery Filtered(Random random, PostQuery query, (long[] Categories, long[] Tags, long[] Authors) filters) => random.Next(4) switch
    {
        0 => query with { CategoryId = filters.Categories[random.Next(filters.Categories.Length)] },
        1 => query with { TagId = filters.Tags[random.Next(filters.Tags.Length)] },
        2 => query with { AuthorId = filters.Authors[random.Next(filters.Authors.Length)] },
        _ => query with { CategoryId = filters.Categories[random.Next(filters.Categories.Length)], AuthorId = filters.Authors[random.Next(filters.Authors.Length)] },
    };

    /// <summary>Five readers: the public, an author and a contributor of the site's posts, an editor, a server administrator.</summary>
    public static async Task<ReadAccess[]> ReadersAsync(TestServer server, Site site)
    {
        long[] authors;
        await using (var scope = server.Services.CreateAsyncScope())
            authors = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Posts.Where(p => p.SiteId == site.Id && p.AuthorId != null)
                .Select(p => p.AuthorId!.Value).Distinct().OrderBy(a => a).ToArrayAsync();
        Assert.True(authors.Length >= 2);
        return
        [
            ReadAccess.Public,
            ReadAccess.For(new SiteActor(authors[0], false, Roles.Author)),
            ReadAccess.For(new SiteActor(authors[1], false, Roles.Contributor)),
            ReadAccess.For(new SiteActor(authors[1], false, Roles.Editor)),
            ReadAccess.For(new SiteActor(0, IsServerAdmin: true, Role: null)),
        ];
    }

    /// <summary>A word of every frequency, a quarter each: in most posts, common, uncommon, rare.</summary>
    public static string Word(Random random) => random.Next(4) switch
    {
        0 => Words[random.Next(5, 60)],
        1 => Words[random.Next(60, 400)],
        2 => Words[random.Next(400, 2000)],
        _ => Words[random.Next(2000, Words.Count)],
    };

    /// <summary>One to three words of <see cref="Word"/>, a search's text.</summary>
    public static string Text(Random random) => string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Word(random)));

    /// <summary>
    /// What both paths must agree on, asserted: the page's ids in order, the total, and whether it is a lower bound.
    /// </summary>
    public static void AssertSameAnswer(PostQuery query, SearchRanking ranking, PostPage sql, PostPage memory)
    {
        var (expected, actual) = (Answer(sql), Answer(memory));
        Assert.True(expected.Ids.SequenceEqual(actual.Ids), $"'{query.Text}' page {query.Page} ({string.Join(",", query.Types)}), {ranking}: SQL [{string.Join(", ", expected.Ids)}], memory [{string.Join(", ", actual.Ids)}]");
        Assert.Equal((expected.Total, expected.LowerBound), (actual.Total, actual.LowerBound));
    }

    private static (long[] Ids, long Total, bool LowerBound) Answer(PostPage page) => ([.. page.Items.Select(p => p.Id)], page.Total, page.TotalIsLowerBound);
}
