using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Import;
using PressMcp.Sites;

namespace PressMcp.Tests.Import;

/// <summary>Importing WordPress's own theme unit test export: every kind, exactly as the file has it.</summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class WxrImportTests : IAsyncLifetime
{
    private static readonly WxrExpectations Expected = new(WxrFiles.ThemeUnitTestData);
    private ImportHarness _harness = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ImportHarness.CreateAsync();
        _site = await _harness.CreateSiteAsync("news", "America/Los_Angeles");
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Import_ThemeUnitTestData_CreatesEveryKindTheFileHolds()
    {
        var report = await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);

        Assert.Equal("1.2", report.Version);
        Assert.Equal(Expected.Count("post"), report.Counts[ImportKind.Posts].Created);
        Assert.Equal(Expected.Count("page"), report.Counts[ImportKind.Pages].Created);
        Assert.Equal(Expected.Count("attachment"), report.Counts[ImportKind.Attachments].Created);
        Assert.Equal(Expected.Comments, report.Counts[ImportKind.Comments].Created);
        Assert.Equal(Expected.Categories.Count, report.Counts[ImportKind.Categories].Created);
        Assert.Equal(Expected.Tags.Count, report.Counts[ImportKind.Tags].Created);
        Assert.Equal(Expected.Authors.Count, report.Counts[ImportKind.Authors].Created);
        Assert.Equal(Expected.Meta, report.Counts[ImportKind.Meta].Created);
        // An empty site: nothing to update or skip.
        Assert.All(report.Counts.Values, c => Assert.Equal((0, 0), (c.Updated, c.Skipped)));

        await _harness.WithDbAsync(async db =>
        {
            var posts = db.Posts.Where(p => p.SiteId == _site.Id);
            Assert.Equal(Expected.Count("post"), await posts.CountAsync(p => p.Type == PostTypes.Post));
            Assert.Equal(Expected.Count("page"), await posts.CountAsync(p => p.Type == PostTypes.Page));
            Assert.Equal(Expected.Count("attachment"), await posts.CountAsync(p => p.Type == PostTypes.Attachment));
            Assert.Equal(Expected.Count("attachment"), await db.MediaFiles.CountAsync(m => m.SiteId == _site.Id && m.StoragePath == null));
            Assert.Equal(Expected.Comments, await db.Comments.CountAsync(c => c.SiteId == _site.Id));
            Assert.Equal(Expected.Meta, await db.PostMeta.CountAsync(m => m.SiteId == _site.Id));
            Assert.Equal(Expected.Categories, (await db.Terms.Where(t => t.SiteId == _site.Id && t.Taxonomy == Taxonomies.Category).Select(t => t.Slug).ToListAsync()).ToHashSet());
            Assert.Equal(Expected.Tags, (await db.Terms.Where(t => t.SiteId == _site.Id && t.Taxonomy == Taxonomies.Tag).Select(t => t.Slug).ToListAsync()).ToHashSet());
            var authors = await (from m in db.SiteMembers join u in db.Users on m.UserId equals u.Id
                                 where m.SiteId == _site.Id && m.Role == "author" select new { u.UserName, u.PasswordHash }).ToListAsync();
            Assert.Equal(Expected.Authors.Order(), authors.Select(a => a.UserName!).Order());
            Assert.All(authors, a => Assert.Null(a.PasswordHash));
            return 0;
        });
        Assert.Empty(Directory.GetFiles(_harness.Store.DataDirectory, "*.staging.db*"));
    }

    [Fact]
    public async Task Import_ThemeUnitTestData_KeepsCategoryHierarchy()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);

        var parents = await _harness.WithDbAsync(async db =>
        {
            var terms = await db.Terms.Where(t => t.SiteId == _site.Id && t.Taxonomy == Taxonomies.Category).ToListAsync();
            var byId = terms.ToDictionary(t => t.Id);
            return terms.Where(t => t.ParentId is not null).ToDictionary(t => t.Slug, t => byId[t.ParentId!.Value].Slug);
        });
        Assert.NotEmpty(Expected.CategoryParents);
        Assert.Equal(Expected.CategoryParents.OrderBy(p => p.Key), parents.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Import_ThemeUnitTestData_KeepsFieldsOfChosenItems()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);

        var posts = await _harness.WithDbAsync(db => db.Posts.AsNoTracking().Where(p => p.SiteId == _site.Id).ToListAsync());
        Post Titled(string title) => posts.Single(p => p.Title == title);

        var sticky = Titled("Template: Sticky");
        Assert.True(sticky.Sticky);
        Assert.Equal(Expected.Value(Expected.ItemTitled("Template: Sticky"), "post_name"), sticky.Slug);
        Assert.Single(posts, p => p.Sticky);

        var locked = Titled("Template: Password Protected (the password is \"enter\")");
        Assert.Equal("enter", locked.Password);

        var excerpt = Expected.ItemTitled("Template: Excerpt (Defined)");
        var withExcerpt = Titled("Template: Excerpt (Defined)");
        Assert.Equal((string)excerpt.Element(XName.Get("encoded", "http://purl.org/rss/1.0/modules/content/"))!, withExcerpt.Content);
        Assert.Equal((string)excerpt.Elements().Single(e => e.Name.LocalName == "encoded" && e.Name.NamespaceName.EndsWith("/excerpt/", StringComparison.Ordinal)), withExcerpt.Excerpt);
        Assert.NotEmpty(withExcerpt.Excerpt);

        // Dates: the GMT field, taken as UTC.
        var scheduled = Titled("Scheduled");
        Assert.Equal(PostStatuses.Future, scheduled.Status);
        Assert.Equal(DateTime.Parse(Expected.Value(Expected.ItemTitled("Scheduled"), "post_date_gmt"), System.Globalization.CultureInfo.InvariantCulture), scheduled.DateUtc);
        Assert.Equal(PostStatuses.Draft, Titled("Draft").Status);

        // Page tree and menu order.
        Assert.Equal(Titled("Level 2").Id, Titled("Level 3").ParentId);
        Assert.Equal(int.Parse(Expected.Value(Expected.ItemTitled("Page B"), "menu_order"), System.Globalization.CultureInfo.InvariantCulture), Titled("Page B").MenuOrder);

        // Slugs WordPress percent-encodes are kept readable.
        Assert.Equal("επίπεδο-2", Titled("Επίπεδο 2 -Second Greek level").Slug);

        // Formats come from the post_format taxonomy.
        Assert.Equal("gallery", Titled("Post Format: Gallery").Format);
    }

    [Fact]
    public async Task Import_ThemeUnitTestData_KeepsTermsAndMetaOfAPost()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        var item = Expected.ItemTitled("Template: Featured Image (Horizontal)");

        var (terms, meta) = await _harness.WithDbAsync(async db =>
        {
            var post = await db.Posts.SingleAsync(p => p.SiteId == _site.Id && p.Title == "Template: Featured Image (Horizontal)");
            var slugs = await (from pt in db.PostTerms join t in db.Terms on new { pt.SiteId, Id = pt.TermId } equals new { t.SiteId, t.Id }
                               where pt.SiteId == _site.Id && pt.PostId == post.Id select t.Taxonomy + ":" + t.Slug).ToListAsync();
            var values = await db.PostMeta.Where(m => m.SiteId == _site.Id && m.PostId == post.Id).OrderBy(m => m.Id).Select(m => m.Key + "=" + m.Value).ToListAsync();
            return (slugs, values);
        });
        var expectedTerms = item.Elements("category").Where(c => (string?)c.Attribute("domain") is "category" or "post_tag")
            .Select(c => (string)c.Attribute("domain")! + ":" + (string)c.Attribute("nicename")!).Distinct();
        Assert.Equal(expectedTerms.Order(), terms.Order());
        var expectedMeta = item.Elements(Expected.Wp + "postmeta").Select(m => Expected.Value(m, "meta_key") + "=" + (string)m.Element(Expected.Wp + "meta_value")!);
        Assert.Equal(expectedMeta, meta);
        Assert.Contains(meta, m => m.StartsWith("_thumbnail_id=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_ThemeUnitTestData_KeepsCommentThreadsAndStatuses()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        var item = Expected.ItemTitled("Page with comments");
        var fileComments = item.Elements(Expected.Wp + "comment").ToList();

        var (page, comments) = await _harness.WithDbAsync(async db =>
        {
            var p = await db.Posts.AsNoTracking().SingleAsync(x => x.SiteId == _site.Id && x.Title == "Page with comments");
            return (p, await db.Comments.AsNoTracking().Where(c => c.SiteId == _site.Id && c.PostId == p.Id).ToListAsync());
        });
        Assert.Equal(fileComments.Count, comments.Count);
        foreach (var fc in fileComments)
        {
            var local = comments.Single(c => c.Content == (string)fc.Element(Expected.Wp + "comment_content")!);
            Assert.Equal(Expected.Value(fc, "comment_approved") == "1" ? CommentStatuses.Approved : CommentStatuses.Hold, local.Status);
            Assert.Equal(Expected.Value(fc, "comment_author"), local.AuthorName);
            var parentId = Expected.Value(fc, "comment_parent");
            if (parentId == "0")
            {
                Assert.Null(local.ParentId);
                continue;
            }
            var parentContent = (string)fileComments.Single(p => Expected.Value(p, "comment_id") == parentId).Element(Expected.Wp + "comment_content")!;
            Assert.Equal(comments.Single(c => c.Content == parentContent).Id, local.ParentId);
        }
        Assert.Contains(comments, c => c.ParentId is not null);
        Assert.Equal(comments.Count(c => c.Status == CommentStatuses.Approved), page.CommentCount);
    }

    [Fact]
    public async Task Import_ThemeUnitTestData_MakesAttachmentsMediaRecords()
    {
        await _harness.ImportAsync(_site, WxrFiles.ThemeUnitTestData);
        var item = Expected.ItemTitled("canola2");
        var alt = item.Elements(Expected.Wp + "postmeta").Single(m => Expected.Value(m, "meta_key") == "_wp_attachment_image_alt");

        var (post, media, parent) = await _harness.WithDbAsync(async db =>
        {
            var p = await db.Posts.AsNoTracking().SingleAsync(x => x.SiteId == _site.Id && x.Title == "canola2");
            var m = await db.MediaFiles.AsNoTracking().SingleAsync(x => x.SiteId == _site.Id && x.PostId == p.Id);
            var parentTitle = await db.Posts.Where(x => x.SiteId == _site.Id && x.Id == p.ParentId).Select(x => x.Title).SingleAsync();
            return (p, m, parentTitle);
        });
        Assert.Equal(PostTypes.Attachment, post.Type);
        Assert.Equal(PostStatuses.Inherit, post.Status);
        Assert.Equal("image/jpeg", post.MimeType);
        Assert.Equal(Expected.Value(item, "attachment_url"), media.SourceUrl);
        Assert.Equal("canola2.jpg", media.FileName);
        Assert.Equal((string)alt.Element(Expected.Wp + "meta_value")!, media.AltText);
        Assert.Null(media.StoragePath);
        var parentItem = Expected.Items.Single(i => Expected.Value(i, "post_id") == Expected.Value(item, "post_parent"));
        Assert.Equal((string)parentItem.Element("title")!, parent);
    }

    [Fact]
    public async Task Import_WhileTheFileIsRead_OthersCanStillWrite()
    {
        // Halfway through reading the file (pass 1), another writer changes the same site. Were the import holding
        // the write lock (SQLite) or the site's row (PostgreSQL) while reading, this write would wait and time out.
        var stream = new NotifyingStream(File.OpenRead(WxrFiles.ThemeUnitTestData), new FileInfo(WxrFiles.ThemeUnitTestData).Length / 2, () =>
            _harness.WithDbAsync(async db =>
            {
                var site = await db.Sites.SingleAsync(s => s.Id == _site.Id);
                site.Tagline = "written during the import";
                return await db.SaveChangesAsync();
            }).GetAwaiter().GetResult());

        Outcome<ImportReport> result;
        await using (var scope = _harness.Services.Scope())
            result = await scope.ServiceProvider.GetRequiredService<WxrImporter>().ImportAsync(_site, stream, "theme.xml");

        Assert.True(stream.Called);
        Assert.True(result.Succeeded, result.Problem?.Message);
        Assert.Equal(Expected.Count("post"), result.Value!.Counts[ImportKind.Posts].Created);
        Assert.Equal("written during the import", await _harness.WithDbAsync(db => db.Sites.Where(s => s.Id == _site.Id).Select(s => s.Tagline).SingleAsync()));
    }
}
