using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Import;
using PressMcp.Sites;

namespace PressMcp.Tests.Import;

/// <summary>
/// The search index after an import: every imported post and page is found (on SQLite the import indexes its new
/// posts in one statement at the end of its transaction instead of through the triggers), and it follows later
/// edits and deletions like any other post.
/// </summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class WxrSearchIndexTests : IAsyncLifetime
{
    private static readonly ReadAccess Everything = ReadAccess.For(new SiteActor(0, IsServerAdmin: true, Role: null));

    private ImportHarness _harness = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ImportHarness.CreateAsync();
        _site = await _harness.CreateSiteAsync("news");
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private async Task<PostPage> SearchAsync(string text, ReadAccess? reader = null)
    {
        await using var scope = _harness.Services.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<PostSearch>()
            .SearchAsync(_site.Id, new PostQuery { Text = text, Types = [PostTypes.Post, PostTypes.Page], PerPage = PostQuery.MaxPerPage }, reader ?? Everything);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value!;
    }

    [Fact]
    public async Task Import_ThemeUnitTestData_EveryPostAndPageIsFoundByItsTitle()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);

        var posts = await _harness.WithDbAsync(db => db.Posts.AsNoTracking()
            .Where(p => p.SiteId == _site.Id && (p.Type == PostTypes.Post || p.Type == PostTypes.Page) && p.Status != PostStatuses.Trash)
            .Select(p => new { p.Id, p.Title }).ToListAsync());
        Assert.True(posts.Count > 50, $"only {posts.Count} posts and pages imported");
        var checkedTitles = 0;
        foreach (var post in posts)
        {
            // Titles with numbers or contractions ("WP 6.1", "it's") are split differently by the two engines' parsers.
            var terms = new PostQuery { Text = post.Title }.Terms();
            if (terms.Count == 0 || !post.Title.All(c => char.IsLetter(c) || c is ' ' or ':' or '-' or ',')) continue;
            var found = await SearchAsync(post.Title);
            Assert.Contains(post.Id, found.Items.Select(p => p.Id));
            checkedTitles++;
        }
        Assert.True(checkedTitles > 40, $"only {checkedTitles} titles checked");
        await AssertNoDeferredRangeAsync();
    }

    [Fact]
    public async Task Import_ThenEditAndDelete_IndexFollows()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        var id = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Title == "Template: Sticky").Select(p => p.Id).SingleAsync());
        Assert.Contains(id, (await SearchAsync("sticky")).Items.Select(p => p.Id));

        await _harness.WithDbAsync(async db =>
        {
            var post = await db.Posts.SingleAsync(p => p.SiteId == _site.Id && p.Id == id);
            (post.Title, post.Content, post.Excerpt) = ("Zeppelinwharf", "Nothing else.", "");
            return await db.SaveChangesAsync();
        });
        Assert.DoesNotContain(id, (await SearchAsync("sticky")).Items.Select(p => p.Id));
        Assert.Equal([id], (await SearchAsync("zeppelinwharf")).Items.Select(p => p.Id));

        await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Id == id).ExecuteDeleteAsync());
        Assert.Empty((await SearchAsync("zeppelinwharf")).Items);
    }

    [Fact]
    public async Task Import_SameFileAgain_SearchUnchanged_DeletedPostIsBackAndFound()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        var before = await SearchAsync("template");
        Assert.True(before.Total > 10);

        var second = await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        Assert.Equal(0, second.Counts[ImportKind.Posts].Created);
        var again = await SearchAsync("template");
        Assert.Equal(before.Total, again.Total);
        Assert.Equal(before.Items.Select(p => p.Id), again.Items.Select(p => p.Id));

        // Deleted since the first import: the next import creates it again under a new id, which must be searchable.
        var id = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Title == "Template: Sticky").Select(p => p.Id).SingleAsync());
        await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Id == id).ExecuteDeleteAsync());
        Assert.DoesNotContain(id, (await SearchAsync("sticky")).Items.Select(p => p.Id));
        var third = await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        Assert.Equal(1, third.Counts[ImportKind.Posts].Created);
        var back = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Title == "Template: Sticky").Select(p => p.Id).SingleAsync());
        Assert.NotEqual(id, back);
        Assert.Contains(back, (await SearchAsync("sticky")).Items.Select(p => p.Id));
        Assert.Equal(before.Total, (await SearchAsync("template")).Total);
        await AssertNoDeferredRangeAsync();
    }

    /// <summary>On SQLite, the import's range of deferred rowids must never outlive its transaction.</summary>
    private async Task AssertNoDeferredRangeAsync()
    {
        if (_harness.Store.IsPostgres) return;
        var ranges = await _harness.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM posts_fts_deferred").SingleAsync());
        Assert.Equal(0, ranges);
    }
}
