using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Storage;

namespace PressMcp.Tests.Demo;

[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class DemoCommandTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync();

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    private async Task<T> WithDbAsync<T>(Func<PressDbContext, IServiceProvider, Task<T>> body)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPressCore(_store.Settings, PressMcp.Sites.PublicUrl.TryParse("http://127.0.0.1:5000", out _)!);
        await using var sp = services.BuildServiceProvider();
        await using var scope = sp.CreateAsyncScope();
        return await body(scope.ServiceProvider.GetRequiredService<PressDbContext>(), scope.ServiceProvider);
    }

    [Fact]
    public async Task Demo_WritesACompleteSite_Deterministically()
    {
        var r = await CliRunner.RunAsync(_store, "demo", "--posts", "300", "--seed", "5");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("created site demo", r.Out, StringComparison.Ordinal);
        Assert.Contains("300 posts", r.Out, StringComparison.Ordinal);

        var facts = await WithDbAsync(async (db, _) =>
        {
            var site = await db.Sites.SingleAsync(s => s.Slug == "demo");
            return new
            {
                Posts = await db.Posts.CountAsync(p => p.SiteId == site.Id && p.Type == PostTypes.Post),
                Pages = await db.Posts.CountAsync(p => p.SiteId == site.Id && p.Type == PostTypes.Page),
                Media = await db.MediaFiles.CountAsync(m => m.SiteId == site.Id),
                ChildCategories = await db.Terms.CountAsync(t => t.SiteId == site.Id && t.Taxonomy == Taxonomies.Category && t.ParentId != null),
                Tags = await db.Terms.CountAsync(t => t.SiteId == site.Id && t.Taxonomy == Taxonomies.Tag),
                Comments = await db.Comments.CountAsync(c => c.SiteId == site.Id),
                Replies = await db.Comments.CountAsync(c => c.SiteId == site.Id && c.ParentId != null),
                Statuses = await db.Posts.Where(p => p.SiteId == site.Id && p.Type == PostTypes.Post).Select(p => p.Status).Distinct().CountAsync(),
                SiteDays = await db.SiteDailyViews.CountAsync(v => v.SiteId == site.Id),
                PostViewRows = await db.PostDailyViews.CountAsync(v => v.SiteId == site.Id),
                Members = await db.SiteMembers.CountAsync(m => m.SiteId == site.Id),
                FirstTitles = await db.Posts.Where(p => p.SiteId == site.Id && p.Type == PostTypes.Post).OrderBy(p => p.Id).Take(5).Select(p => p.Title).ToListAsync(),
                OrphanReplies = await db.Comments.CountAsync(c => c.SiteId == site.Id && c.ParentId != null &&
                    !db.Comments.Any(parent => parent.SiteId == c.SiteId && parent.Id == c.ParentId && parent.PostId == c.PostId)),
            };
        });
        Assert.Equal(300, facts.Posts);
        Assert.Equal(5, facts.Pages);
        Assert.Equal(30, facts.Media);
        Assert.Equal(20, facts.ChildCategories);
        Assert.Equal(60, facts.Tags);
        Assert.True(facts.Comments > 300, $"{facts.Comments} comments");
        Assert.True(facts.Replies > 0);
        Assert.Equal(0, facts.OrphanReplies);
        Assert.True(facts.Statuses >= 4, "a mix of statuses");
        Assert.Equal(365, facts.SiteDays);
        Assert.True(facts.PostViewRows > 300);
        Assert.Equal(4, facts.Members);

        // The same seed writes the same content into another database.
        await using var other = await TestStore.CreateAsync();
        Assert.Equal(0, (await CliRunner.RunAsync(other, "demo", "--posts", "20", "--seed", "5")).ExitCode);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPressCore(other.Settings, PressMcp.Sites.PublicUrl.TryParse("http://127.0.0.1:5000", out _)!);
        await using (var sp = services.BuildServiceProvider())
        {
            await using var scope = sp.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var titles = await db.Posts.Where(p => p.Type == PostTypes.Post).OrderBy(p => p.Id).Take(5).Select(p => p.Title).ToListAsync();
            Assert.Equal(facts.FirstTitles, titles);
        }

        // Generated posts are searchable at once: the index followed the bulk inserts.
        var found = await WithDbAsync(async (db, sp) =>
        {
            var site = await db.Sites.SingleAsync(s => s.Slug == "demo");
            var post = await db.Posts.Where(p => p.SiteId == site.Id && p.Status == PostStatuses.Publish && p.Type == PostTypes.Post).OrderBy(p => p.Id).FirstAsync();
            var word = post.Title.Split(' ').OrderByDescending(w => w.Length).First();
            var page = await sp.GetRequiredService<PostSearch>().SearchAsync(site.Id, new PostQuery { Text = post.Title, PerPage = 100 }, ReadAccess.Public);
            return page.Value!.Items.Any(p => p.Id == post.Id);
        });
        Assert.True(found);
    }

    [Fact]
    public async Task Demo_FillsAnExistingSite_AndRejectsBadCounts()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_store, "demo", "--posts", "10")).ExitCode);
        var again = await CliRunner.RunAsync(_store, "demo", "--posts", "10", "--seed", "2");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("filled site demo", again.Out, StringComparison.Ordinal);
        var posts = await WithDbAsync((db, _) => db.Posts.CountAsync(p => p.Type == PostTypes.Post));
        Assert.Equal(20, posts);
        var slugsUnique = await WithDbAsync(async (db, _) => await db.Posts.Where(p => p.Type == PostTypes.Post).Select(p => p.Slug).Distinct().CountAsync());
        Assert.Equal(20, slugsUnique);

        var bad = await CliRunner.RunAsync(_store, "demo", "--posts", "-5");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--posts must be between 0 and 1,000,000", bad.Error, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> MembersAsync(string slug) => await WithDbAsync(async (db, _) =>
        await (from m in db.SiteMembers
               join site in db.Sites on m.SiteId equals site.Id
               join u in db.Users on m.UserId equals u.Id
               where site.Slug == slug
               select new { u.UserName, m.Role }).ToDictionaryAsync(x => x.UserName!, x => x.Role));

    [Fact]
    public async Task Demo_AfterSetup_MakesTheFirstServerAdministratorItsAdministrator_AndSaysSo()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_store, "user", "create", "--login", "olga", "--email", "olga@example.com", "--password", "correct horse battery", "--server-admin")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_store, "user", "create", "--login", "max", "--email", "max@example.com", "--password", "correct horse battery", "--server-admin")).ExitCode);
        var r = await CliRunner.RunAsync(_store, "demo", "--posts", "5");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("administrator of demo: olga", r.Out, StringComparison.Ordinal);
        var members = await MembersAsync("demo");
        Assert.Equal("administrator", members["olga"]);
        Assert.False(members.ContainsKey("max"));

        // Filling the site again leaves its members as they are.
        var again = await CliRunner.RunAsync(_store, "demo", "--posts", "5", "--seed", "2");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("members of demo unchanged", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_Owner_MakesThatUserTheAdministrator_UnknownOwnerWritesNothing()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_store, "user", "create", "--login", "olga", "--email", "olga@example.com", "--password", "correct horse battery", "--server-admin")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_store, "user", "create", "--login", "bea", "--email", "bea@example.com", "--password", "correct horse battery")).ExitCode);

        var unknown = await CliRunner.RunAsync(_store, "demo", "--posts", "5", "--owner", "nobody");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no user with the login 'nobody' (--owner)", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync((db, _) => db.Sites.CountAsync()));
        Assert.Equal(0, await WithDbAsync((db, _) => db.Users.CountAsync(u => u.UserName!.StartsWith("demo-"))));

        var r = await CliRunner.RunAsync(_store, "demo", "--posts", "5", "--owner", "bea");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("administrator of demo: bea", r.Out, StringComparison.Ordinal);
        var members = await MembersAsync("demo");
        Assert.Equal("administrator", members["bea"]);
        Assert.False(members.ContainsKey("olga"));
    }

    [Fact]
    public async Task Demo_BeforeSetup_SaysWhoCanBeAdded()
    {
        var r = await CliRunner.RunAsync(_store, "demo", "--posts", "5");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("no administrator was added to demo", r.Out, StringComparison.Ordinal);
    }
}
