using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Import;
using PressMcp.Sites;

namespace PressMcp.Tests.Import;

/// <summary>Valid exports in the shapes WordPress has written over the years: versions, CDATA, scripts, drafts.</summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class WxrFormatTests : IAsyncLifetime
{
    private ImportHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await ImportHarness.CreateAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private Task<List<Post>> PostsAsync(Site site) =>
        _harness.WithDbAsync(db => db.Posts.AsNoTracking().Where(p => p.SiteId == site.Id).OrderBy(p => p.Id).ToListAsync());

    [Fact]
    public async Task Import_CdataSplitAcrossSections_JoinsTheText()
    {
        var site = await _harness.CreateSiteAsync("news");
        var item = WxrFiles.Item(1, "x", "split").Replace("<content:encoded><![CDATA[Body of x]]></content:encoded>",
            "<content:encoded><![CDATA[if (a[b[0]]]]><![CDATA[> 1) { }]]> &amp; <![CDATA[<p>end</p>]]></content:encoded>", StringComparison.Ordinal)
            .Replace("<title><![CDATA[x]]></title>", "<title>Fish <![CDATA[&]]> <![CDATA[Chips]]></title>", StringComparison.Ordinal);

        await _harness.ImportAsync(site, _harness.Write("split.xml", WxrFiles.Wxr(item)));

        var post = Assert.Single(await PostsAsync(site));
        Assert.Equal("if (a[b[0]]> 1) { } & <p>end</p>", post.Content);
        Assert.Equal("Fish & Chips", post.Title);
    }

    [Fact]
    public async Task Import_TextInEveryScript_IsKeptExactly()
    {
        var site = await _harness.CreateSiteAsync("news");
        string[] titles = ["مرحبا بالعالم", "你好，世界 こんにちは 안녕하세요", "Emoji 🎉🚀👩‍💻 and ✓", "Ελληνικά και русский текст", "עברית ও বাংলা"];
        var items = string.Concat(titles.Select((t, i) => WxrFiles.Item(i + 1, t, "", type: "post")
            .Replace("<wp:post_name><![CDATA[]]></wp:post_name>", $"<wp:post_name><![CDATA[{Uri.EscapeDataString(Slugs.FromTitle(t))}]]></wp:post_name>", StringComparison.Ordinal)));

        await _harness.ImportAsync(site, _harness.Write("scripts.xml", WxrFiles.Wxr(WxrFiles.Alice + items)));

        var posts = await PostsAsync(site);
        Assert.Equal(titles, posts.Select(p => p.Title));
        Assert.Equal(titles.Select(t => "Body of " + t), posts.Select(p => p.Content));
        Assert.Equal(titles.Select(Slugs.FromTitle), posts.Select(p => p.Slug));
        Assert.Equal("مرحبا-بالعالم", posts[0].Slug);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    [InlineData("1.2")]
    public async Task Import_EachWxrVersionNamespace_ImportsItems(string version)
    {
        var site = await _harness.CreateSiteAsync("v" + version.Replace(".", "", StringComparison.Ordinal));
        var file = WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Versioned", "versioned", """<category domain="category" nicename="news"><![CDATA[News]]></category>"""))
            .Replace("export/1.2/", $"export/{version}/", StringComparison.Ordinal)
            .Replace("<wp:wxr_version>1.2</wp:wxr_version>", $"<wp:wxr_version>{version}</wp:wxr_version>", StringComparison.Ordinal);

        var report = await _harness.ImportAsync(site, _harness.Write("v.xml", file));

        Assert.Equal(version, report.Version);
        Assert.Equal((1, 1), (report.Counts[ImportKind.Posts].Created, report.Counts[ImportKind.Categories].Created));
        var post = Assert.Single(await PostsAsync(site));
        Assert.Equal(("Versioned", "versioned", "Body of Versioned"), (post.Title, post.Slug, post.Content));
    }

    [Fact]
    public async Task Import_Wxr10WithoutAuthorList_TakesAuthorsFromCreatorsAndTagDomain()
    {
        var site = await _harness.CreateSiteAsync("old");
        // WXR 1.0 as WordPress 2.x wrote it: no wp:author elements, categories without ids, tags as domain="tag".
        var file = WxrFiles.Wxr("""
            <wp:category><wp:category_nicename>parent</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Parent]]></wp:cat_name></wp:category>
            <wp:category><wp:category_nicename>child</wp:category_nicename><wp:category_parent>parent</wp:category_parent><wp:cat_name><![CDATA[Child]]></wp:cat_name></wp:category>
            """ + WxrFiles.Item(3, "Old post", "old-post", """<category domain="tag" nicename="retro"><![CDATA[retro]]></category><category><![CDATA[Child]]></category><category domain="category" nicename="child"><![CDATA[Child]]></category>"""))
            .Replace("export/1.2/", "export/1.0/", StringComparison.Ordinal);

        var report = await _harness.ImportAsync(site, _harness.Write("old.xml", file));

        Assert.Equal(new ImportCount(1, 0, 0), report.Counts[ImportKind.Authors]);
        await _harness.WithDbAsync(async db =>
        {
            var post = await db.Posts.SingleAsync(p => p.SiteId == site.Id);
            Assert.Equal("alice", await db.Users.Where(u => u.Id == post.AuthorId).Select(u => u.UserName).SingleAsync());
            Assert.Equal($"alice@{AuthorImport.PlaceholderDomain}", await db.Users.Where(u => u.Id == post.AuthorId).Select(u => u.Email).SingleAsync());
            var terms = await db.Terms.Where(t => t.SiteId == site.Id).ToListAsync();
            Assert.Equal(terms.Single(t => t.Slug == "parent").Id, terms.Single(t => t.Slug == "child").ParentId);
            Assert.Equal(Taxonomies.Tag, terms.Single(t => t.Slug == "retro").Taxonomy);
            Assert.Equal(2, await db.PostTerms.CountAsync(pt => pt.SiteId == site.Id && pt.PostId == post.Id));
            return 0;
        });
    }

    [Fact]
    public async Task Import_DraftWithZeroGmtDates_UsesTheSiteTimeZone()
    {
        var site = await _harness.CreateSiteAsync("paris", "Europe/Paris");
        var item = WxrFiles.Item(1, "Unsent", "", WxrReimportTests.Comment(4, 0, "0", "Held", date: "2024-07-01 20:30:00", dateGmt: "0000-00-00 00:00:00"),
            status: "draft", date: "2024-01-15 10:00:00", dateGmt: "0000-00-00 00:00:00");

        await _harness.ImportAsync(site, _harness.Write("draft.xml", WxrFiles.Wxr(WxrFiles.Alice + item)));

        var post = Assert.Single(await PostsAsync(site));
        Assert.Equal(new DateTime(2024, 1, 15, 9, 0, 0, DateTimeKind.Utc), post.DateUtc);
        Assert.Equal("", post.Slug);
        var comment = await _harness.WithDbAsync(db => db.Comments.SingleAsync(c => c.SiteId == site.Id));
        Assert.Equal(new DateTime(2024, 7, 1, 18, 30, 0, DateTimeKind.Utc), comment.DateUtc);
        Assert.Equal(CommentStatuses.Hold, comment.Status);
    }

    [Fact]
    public async Task Import_OtherPostTypesAndTaxonomies_AreSkippedAndCounted()
    {
        var site = await _harness.CreateSiteAsync("news");
        var file = WxrFiles.Wxr(WxrFiles.Alice +
            "<wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy><wp:term_slug>main</wp:term_slug><wp:term_name><![CDATA[Main]]></wp:term_name></wp:term>" +
            "<wp:term><wp:term_id>10</wp:term_id><wp:term_taxonomy>genre</wp:term_taxonomy><wp:term_slug>jazz</wp:term_slug><wp:term_name><![CDATA[Jazz]]></wp:term_name></wp:term>" +
            WxrFiles.Item(1, "Kept", "kept", """<category domain="genre" nicename="jazz"><![CDATA[Jazz]]></category>""") +
            WxrFiles.Item(2, "Menu entry", "2", type: "nav_menu_item") +
            WxrFiles.Item(3, "Block", "block", type: "wp_block") +
            WxrFiles.Item(4, "Book", "book", type: "book") +
            WxrFiles.Item(1, "Kept", "kept"));

        var report = await _harness.ImportAsync(site, _harness.Write("mixed.xml", file));

        Assert.Equal(1, report.Counts[ImportKind.Posts].Created);
        Assert.Equal(new Dictionary<string, int> { ["book"] = 1, ["nav_menu_item"] = 1, ["wp_block"] = 1 }, report.SkippedItemTypes);
        Assert.Equal(new Dictionary<string, int> { ["genre"] = 1, ["nav_menu"] = 1 }, report.SkippedTaxonomies);
        Assert.Equal(1, report.DuplicateItems);
        Assert.Equal("1 book item, 1 nav_menu_item item, 1 wp_block item, 1 genre term, 1 nav_menu term, 1 duplicate item", report.DescribeOthers());
        Assert.Single(await PostsAsync(site));
        Assert.Equal(0, await _harness.WithDbAsync(db => db.Terms.CountAsync(t => t.SiteId == site.Id)));
    }

    [Fact]
    public async Task Import_HttpsExportNamespace_ImportsAndReportsTheFilesVersion()
    {
        // The theme directory's preview data declares the namespaces with https://, as WordPress.com writes them.
        var site = await _harness.CreateSiteAsync("https");
        var file = WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Secure", "secure"))
            .Replace("http://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/", StringComparison.Ordinal)
            .Replace("<wp:wxr_version>1.2</wp:wxr_version>", "<wp:wxr_version>1.1</wp:wxr_version>", StringComparison.Ordinal);

        var report = await _harness.ImportAsync(site, _harness.Write("https.xml", file));

        Assert.Equal("1.1", report.Version);
        Assert.Equal(("Secure", "Body of Secure"), (Assert.Single(await PostsAsync(site)).Title, (await PostsAsync(site))[0].Content));
    }

    [Fact]
    public async Task ImportWxr_ItemWithoutPostId_IsImportedOnceByItsGuid_AndOneWithoutGuidIsSkippedByLine()
    {
        var site = await _harness.CreateSiteAsync("news");
        var noId = WxrFiles.Item(1, "No id", "no-id", WxrReimportTests.Comment(5, 0, "1", "On it"))
            .Replace("<wp:post_id>1</wp:post_id>", "", StringComparison.Ordinal)
            .Replace("https://old.example.com/?p=1", "https://old.example.com/no-id", StringComparison.Ordinal);
        var nothing = WxrFiles.Item(2, "Nameless", "nameless").Replace("<wp:post_id>2</wp:post_id>", "", StringComparison.Ordinal)
            .Replace("<guid isPermaLink=\"false\">https://old.example.com/?p=2</guid>", "", StringComparison.Ordinal)
            .Replace("<item>", "<item marker=\"nameless\">", StringComparison.Ordinal);
        var content = WxrFiles.Wxr(WxrFiles.Alice + noId + nothing + WxrFiles.Item(3, "Plain", "plain"));
        var path = _harness.Write("ids.xml", content);
        var line = content[..content.IndexOf("<item marker=\"nameless\">", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var first = await CliRunner.RunAsync(_harness.Store, "import", "wxr", path, "--site", "news");
        var second = await CliRunner.RunAsync(_harness.Store, "import", "wxr", path, "--site", "news");

        Assert.Equal((0, ""), (first.ExitCode, first.Error));
        Assert.Matches($@"(?m)^warning: ids\.xml:{line}:\d+: an item with neither wp:post_id nor guid skipped", first.Out);
        Assert.Matches(@"(?m)^posts\s+2\s+0\s+0$", first.Out);
        Assert.Matches(@"(?m)^posts\s+0\s+0\s+2$", second.Out);
        Assert.Matches(@"(?m)^comments\s+0\s+0\s+1$", second.Out);
        var titles = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == site.Id).Select(p => p.Title).ToListAsync());
        Assert.Equal(["No id", "Plain"], titles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ImportWxr_ContentLongerThanTheBound_SkipsThatItemWithAWarningNamingLineAndBound()
    {
        var site = await _harness.CreateSiteAsync("news");
        var bound = ContentLimits.DefaultMaxContentLength;
        var huge = WxrFiles.Item(2, "Huge", "huge").Replace("Body of Huge", new string('x', bound + 1), StringComparison.Ordinal)
            .Replace("<item>", "<item marker=\"huge\">", StringComparison.Ordinal);
        var longComment = WxrFiles.Item(3, "Talked", "talked", WxrReimportTests.Comment(8, 0, "1", new string('y', bound + 1)) + WxrReimportTests.Comment(9, 0, "1", "Short"));
        var content = WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Fine", "fine") + huge + longComment);
        var path = _harness.Write("huge.xml", content);
        int LineOf(string marker) => content[..content.IndexOf(marker, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var r = await CliRunner.RunAsync(_harness.Store, "import", "wxr", path, "--site", "news");

        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        Assert.Matches($@"(?m)^warning: huge\.xml:{LineOf("<item marker=\"huge\">")}:\d+: item 2 skipped: its content:encoded is longer than the content bound of 4,194,304 characters \(Content:MaxContentLength\)$", r.Out);
        Assert.Matches($@"(?m)^warning: huge\.xml:{LineOf("<wp:comment><wp:comment_id>8<")}:\d+: a comment of item 3 skipped: its wp:comment_content is longer than the content bound of 4,194,304 characters", r.Out);
        Assert.Matches(@"(?m)^posts\s+2\s+0\s+0$", r.Out);
        Assert.Matches(@"(?m)^comments\s+1\s+0\s+0$", r.Out);
        var titles = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == site.Id).Select(p => p.Title).ToListAsync());
        Assert.Equal(["Fine", "Talked"], titles.Order(StringComparer.Ordinal));
    }
}
