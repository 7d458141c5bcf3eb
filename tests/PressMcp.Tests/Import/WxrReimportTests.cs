using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Import;
using PressMcp.Sites;

namespace PressMcp.Tests.Import;

/// <summary>Importing again: nothing new from the same file, updates from a changed one, and local ids whatever the file's ids are.</summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class WxrReimportTests : IAsyncLifetime
{
    private ImportHarness _harness = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ImportHarness.CreateAsync();
        _site = await _harness.CreateSiteAsync("news");
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Import_SameFileTwice_ChangesNothing()
    {
        var first = await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        var before = await _harness.SnapshotAsync();

        var second = await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);

        Assert.Equal(before, await _harness.SnapshotAsync());
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            var was = first.Counts[kind];
            Assert.Equal(new ImportCount(0, 0, was.Created + was.Updated + was.Skipped), second.Counts[kind]);
        }
        Assert.True(second.Counts[ImportKind.Posts].Skipped > 0);
    }

    [Fact]
    public async Task Import_PublishedItemWithoutSlug_GetsOneFromItsTitle_DraftKeepsNone_ReimportChangesNothing()
    {
        var file = _harness.Write("no-slugs.xml", WxrFiles.Wxr(WxrFiles.Alice +
            WxrFiles.Item(1, "Hello World", "") + WxrFiles.Item(2, "Hello World", "") + WxrFiles.Item(3, "Not yet", "", status: "draft")));

        await _harness.ImportAsync(_site, file);
        var slugs = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id).OrderBy(p => p.Title).ThenBy(p => p.Id)
            .Select(p => p.Slug).ToListAsync());
        Assert.Equal(["hello-world", "hello-world-2", ""], slugs);

        var before = await _harness.SnapshotAsync();
        var again = await _harness.ImportAsync(_site, file);
        Assert.Equal(new ImportCount(0, 0, 3), again.Counts[ImportKind.Posts]);
        Assert.Equal(before, await _harness.SnapshotAsync());
    }

    [Fact]
    public async Task Import_EditedTitle_UpdatesThatPostOnly()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        var before = await _harness.SnapshotAsync();
        var original = await File.ReadAllTextAsync(WxrFiles.ThemeUnitTestData);
        const string Title = "<title>Template: Sticky</title>";
        Assert.Contains(Title, original, StringComparison.Ordinal);
        var edited = _harness.Write("edited.xml", original.Replace(Title, "<title><![CDATA[Template: Sticky (edited)]]></title>", StringComparison.Ordinal));
        var id = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Title == "Template: Sticky").Select(p => p.Id).SingleAsync());

        var report = await _harness.ImportAsync(_site, edited);

        Assert.Equal(1, report.Counts[ImportKind.Posts].Updated);
        Assert.Equal(0, report.Counts[ImportKind.Posts].Created);
        Assert.All(report.Counts.Where(c => c.Key != ImportKind.Posts), c => Assert.Equal((0, 0), (c.Value.Created, c.Value.Updated)));
        Assert.Equal("Template: Sticky (edited)", await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Id == id).Select(p => p.Title).SingleAsync()));
        Assert.Equal(before, await _harness.SnapshotAsync());
    }

    [Fact]
    public async Task Import_ChangedCommentAndMeta_UpdatesThem()
    {
        var v1 = _harness.Write("v1.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(5, "Hello", "hello", Meta("color", "red") + Comment(9, 0, "1", "First!"))));
        var v2 = _harness.Write("v2.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(5, "Hello", "hello", Meta("color", "blue") + Comment(9, 0, "spam", "First!"))));
        await _harness.ImportAsync(_site, v1);

        var report = await _harness.ImportAsync(_site, v2);

        Assert.Equal(new ImportCount(0, 1, 0), report.Counts[ImportKind.Comments]);
        Assert.Equal(new ImportCount(0, 1, 0), report.Counts[ImportKind.Meta]);
        Assert.Equal(new ImportCount(0, 0, 1), report.Counts[ImportKind.Posts]);
        var (status, color, count) = await _harness.WithDbAsync(async db => (
            await db.Comments.Where(c => c.SiteId == _site.Id).Select(c => c.Status).SingleAsync(),
            await db.PostMeta.Where(m => m.SiteId == _site.Id && m.Key == "color").Select(m => m.Value).SingleAsync(),
            await db.Posts.Where(p => p.SiteId == _site.Id).Select(p => p.CommentCount).SingleAsync()));
        Assert.Equal(CommentStatuses.Spam, status);
        Assert.Equal("blue", color);
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task Import_IdsTakenOnTheSite_GetsLocalIdsAndMapsParents()
    {
        // The site already has posts 1 and 2 (from another export); the file's ids 1 and 2 must not overwrite them.
        await _harness.ImportAsync(_site, _harness.Write("other.xml", WxrFiles.Wxr(
            WxrFiles.Item(1, "Existing one", "existing-one").Replace("old.example.com", "other.example.com", StringComparison.Ordinal) +
            WxrFiles.Item(2, "Existing two", "existing-two").Replace("old.example.com", "other.example.com", StringComparison.Ordinal))));
        var file = _harness.Write("pages.xml", WxrFiles.Wxr(WxrFiles.Alice +
            WxrFiles.Item(2, "Child", "child", "<wp:post_parent>1</wp:post_parent>", type: "page") +
            WxrFiles.Item(1, "Parent", "parent", type: "page")));

        var report = await _harness.ImportAsync(_site, file);

        Assert.Equal(2, report.Counts[ImportKind.Pages].Created);
        var posts = await _harness.WithDbAsync(db => db.Posts.AsNoTracking().Where(p => p.SiteId == _site.Id).ToListAsync());
        Assert.Equal(4, posts.Count);
        Assert.Equal(["Existing one", "Existing two"], posts.Where(p => p.Id <= 2).OrderBy(p => p.Id).Select(p => p.Title));
        var parent = posts.Single(p => p.Title == "Parent");
        Assert.Equal(parent.Id, posts.Single(p => p.Title == "Child").ParentId);
        Assert.True(parent.Id > 2);
    }

    [Fact]
    public async Task Import_NewCommentsOnAnOldAndANewPost_AreThreadedLinkedAndCounted()
    {
        var v1 = _harness.Write("v1.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(5, "Hello", "hello", Comment(9, 0, "1", "First!"))));
        var byAlice = Comment(21, 20, "1", "Its reply").Replace("<wp:comment_user_id>0<", "<wp:comment_user_id>7<", StringComparison.Ordinal);
        var v2 = _harness.Write("v2.xml", WxrFiles.Wxr(WxrFiles.Alice
            + WxrFiles.Item(5, "Hello", "hello", Comment(9, 0, "1", "First!") + Comment(10, 9, "1", "Reply") + Comment(11, 0, "0", "Held"))
            + WxrFiles.Item(6, "Second", "second", Comment(20, 0, "1", "On the new post") + byAlice + Comment(22, 0, "spam", "Buy"))));
        await _harness.ImportAsync(_site, v1);

        var report = await _harness.ImportAsync(_site, v2);

        Assert.Equal(new ImportCount(5, 0, 1), report.Counts[ImportKind.Comments]);
        Assert.Equal(new ImportCount(1, 0, 1), report.Counts[ImportKind.Posts]);
        var (posts, comments, alice) = await _harness.WithDbAsync(async db => (
            await db.Posts.Where(p => p.SiteId == _site.Id).ToDictionaryAsync(p => p.Title),
            await db.Comments.Where(c => c.SiteId == _site.Id).ToDictionaryAsync(c => c.Content),
            await db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync()));
        // Approved comments only: the old post gained one (recounted), the new one was inserted with its count.
        Assert.Equal(2, posts["Hello"].CommentCount);
        Assert.Equal(2, posts["Second"].CommentCount);
        Assert.Equal(comments["First!"].Id, comments["Reply"].ParentId);
        Assert.Equal(posts["Hello"].Id, comments["Reply"].PostId);
        Assert.Equal(comments["On the new post"].Id, comments["Its reply"].ParentId);
        Assert.Equal(posts["Second"].Id, comments["Its reply"].PostId);
        Assert.Null(comments["On the new post"].ParentId);
        Assert.Equal(alice, comments["Its reply"].UserId);
        Assert.Null(comments["Buy"].UserId);
        Assert.Equal((CommentStatuses.Hold, CommentStatuses.Spam), (comments["Held"].Status, comments["Buy"].Status));
        Assert.Equal(new ImportCount(0, 0, 6), (await _harness.ImportAsync(_site, v2)).Counts[ImportKind.Comments]);
    }

    [Fact]
    public async Task Import_LeavesTheConnectionsAsTheyWere_AndNoStagingFile()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        await _harness.ImportAsync(_site, _harness.Write("one.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "One", "one"))));

        // Several contexts at once, so the pool hands out every connection it kept, the import's included.
        var scopes = Enumerable.Range(0, 4).Select(_ => _harness.Services.Scope()).ToList();
        try
        {
            foreach (var scope in scopes)
            {
                var db = scope.ServiceProvider.GetRequiredService<PressMcp.Storage.PressDbContext>();
                await db.Database.OpenConnectionAsync();
                if (!db.Database.IsSqlite()) continue;
                var schemas = await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM pragma_database_list").ToListAsync();
                Assert.DoesNotContain("staging", schemas);
                await using var cmd = db.Database.GetDbConnection().CreateCommand();
                cmd.CommandText = "PRAGMA mmap_size";
                Assert.Equal(long.Parse(PressMcp.Storage.Sql.SqliteConnectionSetup.MmapSize, System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            foreach (var scope in scopes) await scope.DisposeAsync();
        }
        Assert.Empty(Directory.GetFiles(_harness.Store.DataDirectory, "*.staging.db*"));
    }

    [Fact]
    public async Task Import_SlugTakenByAnotherPost_GetsSuffixAndKeepsItOnReimport()
    {
        await _harness.ImportAsync(_site, _harness.Write("mine.xml", WxrFiles.Wxr(
            WxrFiles.Item(1, "Mine", "hello").Replace("old.example.com", "mine.example.com", StringComparison.Ordinal))));
        var file = _harness.Write("theirs.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Theirs", "hello") + WxrFiles.Item(3, "Their page", "hello", type: "page")));

        await _harness.ImportAsync(_site, file);
        var again = await _harness.ImportAsync(_site, file);

        var slugs = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id).ToDictionaryAsync(p => p.Title, p => p.Slug));
        Assert.Equal("hello", slugs["Mine"]);
        Assert.Equal("hello-2", slugs["Theirs"]);
        // Unique per type: a page may share a post's slug.
        Assert.Equal("hello", slugs["Their page"]);
        Assert.Equal(new ImportCount(0, 0, 1), again.Counts[ImportKind.Posts]);
    }

    [Fact]
    public async Task Import_DeletedSinceFirstImport_IsImportedAgain()
    {
        var file = _harness.Write("one.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Gone", "gone")));
        await _harness.ImportAsync(_site, file);
        await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id).ExecuteDeleteAsync());

        var report = await _harness.ImportAsync(_site, file);

        Assert.Equal(new ImportCount(1, 0, 0), report.Counts[ImportKind.Posts]);
        Assert.Equal(1, await _harness.WithDbAsync(db => db.Posts.CountAsync(p => p.SiteId == _site.Id)));
    }

    internal static string Meta(string key, string value) =>
        $"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key><wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>";

    internal static string Comment(long id, long parent, string approved, string content, string date = "2024-05-02 08:00:00", string dateGmt = "2024-05-02 06:00:00") => $"""
        <wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author><![CDATA[Bob]]></wp:comment_author>
        <wp:comment_author_email><![CDATA[bob@example.com]]></wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>
        <wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP><wp:comment_date><![CDATA[{date}]]></wp:comment_date>
        <wp:comment_date_gmt><![CDATA[{dateGmt}]]></wp:comment_date_gmt><wp:comment_content><![CDATA[{content}]]></wp:comment_content>
        <wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]></wp:comment_type>
        <wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
        """;
}
