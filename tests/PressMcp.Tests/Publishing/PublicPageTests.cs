using Microsoft.EntityFrameworkCore;
using System.Net;
using PressMcp.Content;
using PressMcp.Sites;

namespace PressMcp.Tests.Publishing;

/// <summary>Public site pages through the real server: routing, lists, single posts and pages, visibility.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class PublicPageTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private PublicSiteSeed _seed = null!;
    private HttpClient _client = null!;
    private long _writer;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _seed = new PublicSiteSeed(_server.Services);
        _client = _server.CreateClient();
        _writer = await _seed.UserAsync("writer", "Wendy Writer");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<PublicPages.Fetched> GetAsync(string path, string? host = null) => PublicPages.GetAsync(_client, path, host);

    private static DateTime Day(int month, int day, int hour = 12) => new(2025, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Home_ListsLatestPublished_PagedWithStickyFirst()
    {
        var site = await _seed.SiteAsync("news", "writer", title: "Daily News");
        await _seed.SetOptionAsync(site, "posts_per_page", "2");
        await _seed.PublishedAsync(site, "Oldest", Day(1, 1));
        await _seed.PublishedAsync(site, "Pinned", Day(1, 2), sticky: true);
        await _seed.PublishedAsync(site, "Third", Day(1, 3));
        await _seed.PublishedAsync(site, "Fourth", Day(1, 4));
        await _seed.PublishedAsync(site, "Newest", Day(1, 5), author: _writer);
        await _seed.PostAsync(site, new NewPost { Title = "Unfinished draft", Status = PostStatuses.Draft });

        var first = await GetAsync("/sites/news/");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(["Pinned", "Newest", "Fourth"], first.Titles());
        Assert.Contains("sticky", first.Document.QuerySelectorAll("article.entry")[0].ClassList);
        Assert.Equal("Daily News", first.Document.Title);
        Assert.Equal("by Wendy Writer", first.Document.QuerySelectorAll("article.entry")[1].QuerySelector(".author")!.TextContent);
        Assert.Equal($"{_server.BaseUrl}/sites/news/page/2/", first.Document.Single("a[rel=next]").GetAttribute("href"));
        Assert.Equal($"{_server.BaseUrl}/sites/news/", first.Canonical);
        PublicPages.AssertWellFormed(first);

        var second = await GetAsync("/sites/news/page/2/");
        Assert.Equal(["Third", "Pinned"], second.Titles());
        Assert.Equal($"{_server.BaseUrl}/sites/news/", second.Document.Single("a[rel=prev]").GetAttribute("href"));
        Assert.Equal($"{_server.BaseUrl}/sites/news/page/2/", second.Canonical);
        Assert.Equal(["Oldest"], (await GetAsync("/sites/news/page/3/")).Titles());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/news/page/4/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/news/page/0/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/sites/news")).Status);
    }

    [Fact]
    public async Task Post_Permalink_UsesTheSiteTimeZoneDate()
    {
        // 20:30 UTC on 31 December is already 1 January in Tokyo (UTC+9).
        var site = await _seed.SiteAsync("tokyo", "writer", timeZone: "Asia/Tokyo");
        var news = await _seed.TermAsync(site, Taxonomies.Category, "City News");
        var tag = await _seed.TermAsync(site, Taxonomies.Tag, "New Year");
        var post = await _seed.PublishedAsync(site, "Fireworks", new DateTime(2025, 12, 31, 20, 30, 0, DateTimeKind.Utc),
            "First line\nsecond line\n\nSecond paragraph", _writer, terms: [news.Id, tag.Id]);

        var page = await GetAsync("/sites/tokyo/2026/01/01/fireworks/");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var doc = page.Document;
        Assert.Equal("Fireworks", doc.Single("h1.entry-title").TextContent);
        Assert.Equal("2026-01-01T05:30:00+09:00", doc.Single("article.single time").GetAttribute("datetime"));
        Assert.Equal("January 1, 2026", doc.Single("article.single time").TextContent);
        Assert.Equal("by Wendy Writer", doc.Single("article.single .author").TextContent);
        Assert.Equal($"{_server.BaseUrl}/sites/tokyo/category/city-news/", doc.Single(".categories a").GetAttribute("href"));
        Assert.Equal("City News", doc.Single(".categories a").TextContent);
        Assert.Equal($"{_server.BaseUrl}/sites/tokyo/tag/new-year/", doc.Single(".tags a").GetAttribute("href"));
        Assert.Equal(2, doc.QuerySelectorAll(".entry-content p").Length);
        Assert.Single(doc.QuerySelectorAll(".entry-content p br"));
        Assert.Equal($"{_server.BaseUrl}/sites/tokyo/2026/01/01/fireworks/", page.Canonical);
        PublicPages.AssertWellFormed(page);

        // The UTC date is not the address; neither is any other day. The list links to the site-day address.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/tokyo/2025/12/31/fireworks/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/tokyo/2026/01/02/fireworks/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/tokyo/2026/02/30/fireworks/")).Status);
        Assert.Equal(page.Canonical, (await GetAsync("/sites/tokyo/")).Document.Single(".entry-title a").GetAttribute("href"));

        // WordPress's plain link (the GUID) leads to the permalink.
        var plain = await GetAsync($"/sites/tokyo/?p={post.Id}");
        Assert.Equal(HttpStatusCode.MovedPermanently, plain.Status);
        Assert.Equal(page.Canonical, plain.Response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Dates_FollowTheSiteDateAndTimeFormats_InListsPostsAndComments()
    {
        var site = await _seed.SiteAsync("formats", "writer", timeZone: "Europe/Paris");
        var post = await _seed.PublishedAsync(site, "Market day", new DateTime(2025, 3, 7, 8, 5, 0, DateTimeKind.Utc), "Stalls.", _writer);
        await _seed.CommentAsync(site, post.Id, "Ann", "See you there", new DateTime(2025, 3, 7, 17, 45, 0, DateTimeKind.Utc));
        var path = "/sites/formats/2025/03/07/market-day/";

        // WordPress's defaults first: "F j, Y" and "g:i a".
        var before = await GetAsync(path);
        Assert.Equal("March 7, 2025", before.Document.Single("article.single time").TextContent);
        Assert.Equal("March 7, 2025 at 6:45 pm", before.Document.Single(".comment time").TextContent);

        await _seed.SetOptionAsync(site, "date_format", @"l \t\h\e jS \o\f F Y");
        await _seed.SetOptionAsync(site, "time_format", "H:i");
        var after = await GetAsync(path);
        Assert.Equal("Friday the 7th of March 2025", after.Document.Single("article.single time").TextContent);
        Assert.Equal("2025-03-07T09:05:00+01:00", after.Document.Single("article.single time").GetAttribute("datetime"));
        Assert.Equal("Friday the 7th of March 2025 at 18:45", after.Document.Single(".comment time").TextContent);
        Assert.Equal("Friday the 7th of March 2025", (await GetAsync("/sites/formats/")).Document.Single("article.entry time").TextContent);
        PublicPages.AssertWellFormed(after);
    }

    [Fact]
    public async Task BlogPublicOff_EveryPageAsksSearchEnginesNotToIndex_OtherSitesUnchanged()
    {
        var hidden = await _seed.SiteAsync("hidden", "writer");
        var open = await _seed.SiteAsync("open", "writer");
        await _seed.PublishedAsync(hidden, "Quiet", Day(2, 1));
        await _seed.PublishedAsync(open, "Loud", Day(2, 1));
        await _seed.SetOptionAsync(hidden, "blog_public", "0");

        foreach (var path in new[] { "/sites/hidden/", "/sites/hidden/2025/02/01/quiet/", "/sites/hidden/?s=quiet", "/sites/hidden/no/such/page/" })
        {
            var page = await GetAsync(path);
            Assert.Equal("noindex, nofollow", page.Document.Single("meta[name=robots]").GetAttribute("content"));
        }
        Assert.Empty((await GetAsync("/sites/open/")).Document.QuerySelectorAll("meta[name=robots]"));
        Assert.Empty((await GetAsync("/sites/open/2025/02/01/loud/")).Document.QuerySelectorAll("meta[name=robots]"));
    }

    [Theory]
    [InlineData(Permalinks.DayAndName, "/sites/links/2025/03/07/market-day/")]
    [InlineData(Permalinks.MonthAndName, "/sites/links/2025/03/market-day/")]
    [InlineData(Permalinks.Numeric, "/sites/links/archives/{id}")]
    [InlineData(Permalinks.PostName, "/sites/links/market-day/")]
    [InlineData(Permalinks.Plain, "/sites/links/?p={id}")]
    public async Task Permalinks_EachStructure_LinksAndServesPosts_EveryOtherShapeRedirectsThere(string structure, string expectedTemplate)
    {
        var site = await _seed.SiteAsync("links", "writer", timeZone: "Europe/Paris");
        var post = await _seed.PublishedAsync(site, "Market day", new DateTime(2025, 3, 7, 8, 5, 0, DateTimeKind.Utc), "Stalls.", _writer);
        var page = await _seed.PostAsync(site, new NewPost { Title = "About", Type = PostTypes.Page, Status = PostStatuses.Publish });
        await _seed.DbAsync(db => db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.PermalinkStructure, structure)));
        var expected = _server.BaseUrl + expectedTemplate.Replace("{id}", post.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        // Lists link the post in the site's structure, and that address serves it.
        Assert.Equal(expected, (await GetAsync("/sites/links/")).Document.Single(".entry-title a").GetAttribute("href"));
        var served = await GetAsync(expected[_server.BaseUrl.Length..]);
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Equal("Market day", served.Document.Single("h1.entry-title").TextContent);
        Assert.Equal(expected, served.Canonical);

        // Every other shape of the same post leads there; a wrong day or month, or another id, is nothing.
        var shapes = new[] { "/sites/links/2025/03/07/market-day/", "/sites/links/2025/03/market-day/", $"/sites/links/archives/{post.Id}", "/sites/links/market-day/", $"/sites/links/?p={post.Id}" };
        foreach (var shape in shapes.Where(s => _server.BaseUrl + s != expected))
        {
            var moved = await GetAsync(shape);
            Assert.Equal(HttpStatusCode.MovedPermanently, moved.Status);
            Assert.Equal(expected, moved.Response.Headers.Location!.ToString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/links/2025/03/08/market-day/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/links/2025/04/market-day/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/sites/links/archives/{post.Id + 100}")).Status);

        // Pages keep their paths; a page's ?p= link leads to its path.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/sites/links/about/")).Status);
        var pageById = await GetAsync($"/sites/links/?p={page.Id}");
        Assert.Equal(HttpStatusCode.MovedPermanently, pageById.Status);
        Assert.Equal($"{_server.BaseUrl}/sites/links/about/", pageById.Response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Page_NestedPath_FollowsThePageTree()
    {
        var site = await _seed.SiteAsync("corp", "writer");
        var about = await _seed.PostAsync(site, new NewPost { Title = "About", Type = PostTypes.Page, Status = PostStatuses.Publish, Content = "Who we are" });
        var team = await _seed.PostAsync(site, new NewPost { Title = "Team", Type = PostTypes.Page, Status = PostStatuses.Publish, ParentId = about.Id });
        await _seed.PostAsync(site, new NewPost { Title = "Alice", Type = PostTypes.Page, Status = PostStatuses.Publish, ParentId = team.Id, Content = "Alice leads." });

        var alice = await GetAsync("/sites/corp/about/team/alice/");
        Assert.Equal(HttpStatusCode.OK, alice.Status);
        Assert.Equal("Alice", alice.Document.Single("h1").TextContent);
        Assert.Equal("Alice leads.", alice.Document.Single(".entry-content").TextContent.Trim());
        Assert.Null(alice.Document.QuerySelector("article.single time"));
        Assert.Equal($"{_server.BaseUrl}/sites/corp/about/team/alice/", alice.Canonical);
        PublicPages.AssertWellFormed(alice);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/sites/corp/about/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/sites/corp/About/Team")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/corp/alice/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/corp/team/alice/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/corp/about/alice/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/corp/about/team/alice/page/2/")).Status);
    }

    [Fact]
    public async Task Archives_CategoryIncludesChildren_TagsAndPaging()
    {
        var site = await _seed.SiteAsync("blog", "writer");
        await _seed.SetOptionAsync(site, "posts_per_page", "1");
        var parent = await _seed.TermAsync(site, Taxonomies.Category, "Sport");
        var child = await _seed.TermAsync(site, Taxonomies.Category, "Tennis", parent.Id);
        var tag = await _seed.TermAsync(site, Taxonomies.Tag, "Finals");
        await _seed.PublishedAsync(site, "Match report", Day(3, 1), terms: [child.Id, tag.Id]);
        await _seed.PublishedAsync(site, "Season start", Day(3, 2), terms: [parent.Id]);
        await _seed.PublishedAsync(site, "Unrelated", Day(3, 3));

        var sport = await GetAsync("/sites/blog/category/sport/");
        Assert.Equal(["Season start"], sport.Titles());
        Assert.Equal("Category: Sport", sport.Document.Single("h1").TextContent);
        Assert.Equal(["Match report"], (await GetAsync("/sites/blog/category/sport/page/2/")).Titles());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/blog/category/sport/page/3/")).Status);
        PublicPages.AssertWellFormed(sport);

        var tennis = await GetAsync("/sites/blog/category/sport/tennis/");
        Assert.Equal(["Match report"], tennis.Titles());
        Assert.Equal($"{_server.BaseUrl}/sites/blog/category/sport/tennis/", tennis.Canonical);
        Assert.Equal($"{_server.BaseUrl}/sites/blog/category/sport/tennis/", tennis.Document.Single(".terms a").GetAttribute("href"));
        Assert.Equal(["Match report"], (await GetAsync("/sites/blog/category/tennis/")).Titles());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/blog/category/golf/tennis/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/blog/category/golf/")).Status);

        var finals = await GetAsync("/sites/blog/tag/finals/");
        Assert.Equal(["Match report"], finals.Titles());
        Assert.Equal("Tag: Finals", finals.Document.Single("h1").TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/blog/tag/nothing/")).Status);
    }

    [Fact]
    public async Task Search_FindsPublishedPostsAndPages_Paged()
    {
        var site = await _seed.SiteAsync("garden", "writer");
        await _seed.SetOptionAsync(site, "posts_per_page", "1");
        await _seed.PublishedAsync(site, "Tomato basics", Day(4, 1), "How to grow tomatoes.");
        await _seed.PublishedAsync(site, "Winter", Day(4, 2), "Tomatoes hate frost.");
        await _seed.PostAsync(site, new NewPost { Title = "Tomato guide", Type = PostTypes.Page, Status = PostStatuses.Publish, Content = "All about tomato plants." });
        await _seed.PostAsync(site, new NewPost { Title = "Secret tomato", Status = PostStatuses.Draft, Content = "tomato" });

        var first = await GetAsync("/sites/garden/?s=tomato");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("Search results for “tomato”", first.Document.Single("h1").TextContent);
        Assert.Equal("tomato", first.Document.Single("input[name=s]").GetAttribute("value"));
        var second = await GetAsync("/sites/garden/page/2/?s=tomato");
        var found = first.Titles().Concat(second.Titles()).ToList();
        Assert.Single(first.Titles());
        Assert.Equal(new HashSet<string> { "Tomato basics", "Tomato guide" }, found.ToHashSet());
        Assert.Equal($"{_server.BaseUrl}/sites/garden/page/2/?s=tomato", first.Document.Single("a[rel=next]").GetAttribute("href"));
        Assert.Contains($"{_server.BaseUrl}/sites/garden/tomato-guide/", first.Document.QuerySelectorAll(".entry-title a").Concat(second.Document.QuerySelectorAll(".entry-title a")).Select(a => a.GetAttribute("href")));
        PublicPages.AssertWellFormed(first);

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/garden/page/3/?s=tomato")).Status);
        Assert.Equal(["Winter"], (await GetAsync("/sites/garden/?s=frost")).Titles());
        var none = await GetAsync("/sites/garden/?s=secret");
        Assert.Equal(HttpStatusCode.OK, none.Status);
        Assert.Empty(none.Titles());
        Assert.Equal("Nothing found.", none.Document.Single(".nothing").TextContent);
        var tooLong = await GetAsync("/sites/garden/?s=" + new string('a', 501));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains("longer than 500", tooLong.Document.Single("p.problem").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpublished_AndUnknownAddresses_Answer404()
    {
        var site = await _seed.SiteAsync("hidden", "writer");
        var day = Day(5, 5);
        foreach (var status in new[] { PostStatuses.Draft, PostStatuses.Pending, PostStatuses.Private })
        {
            await _seed.PostAsync(site, new NewPost { Title = $"Post {status}", Status = status, DateUtc = day });
            await _seed.PostAsync(site, new NewPost { Title = $"Page {status}", Type = PostTypes.Page, Status = status });
        }
        var trashed = await _seed.PublishedAsync(site, "Post trash", day);
        await _seed.SetStatusAsync(site, trashed.Id, PostStatuses.Trash);
        var future = await _seed.PostAsync(site, new NewPost { Title = "Post future", Status = PostStatuses.Publish, DateUtc = DateTime.UtcNow.AddDays(3) });
        Assert.Equal(PostStatuses.Future, future.Status);
        var futureDay = SiteTime.DayOf(site, future.DateUtc);

        string[] missing =
        [
            "/sites/hidden/2025/05/05/post-draft/", "/sites/hidden/2025/05/05/post-pending/", "/sites/hidden/2025/05/05/post-private/",
            "/sites/hidden/2025/05/05/post-trash/", $"/sites/hidden/{futureDay:yyyy}/{futureDay:MM}/{futureDay:dd}/post-future/",
            "/sites/hidden/page-draft/", "/sites/hidden/page-pending/", "/sites/hidden/page-private/",
            "/sites/hidden/no-such-page/", "/sites/hidden/2025/05/05/no-such-post/", "/sites/hidden/2025/5/5/post-trash/",
            "/sites/hidden/page/abc/", "/sites/hidden/tag/", $"/sites/hidden/?p={trashed.Id}",
        ];
        foreach (var path in missing)
        {
            var page = await GetAsync(path);
            Assert.True(page.Status == HttpStatusCode.NotFound, $"{path}: {page.Status}");
            Assert.Equal("Not found", page.Document.Single("h1").TextContent);
            PublicPages.AssertWellFormed(page);
        }
        Assert.Empty((await GetAsync("/sites/hidden/")).Titles());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/no-such-site/")).Status);
    }

    [Fact]
    public async Task ReservedSlugs_NeverPagePaths_AndNewPagesGetASuffix()
    {
        var site = await _seed.SiteAsync("shop", "writer");
        var page = await _seed.PostAsync(site, new NewPost { Title = "wp-json", Type = PostTypes.Page, Status = PostStatuses.Publish });
        var admin = await _seed.PostAsync(site, new NewPost { Title = "Admin", Slug = "admin", Type = PostTypes.Page, Status = PostStatuses.Publish });
        Assert.Equal("wp-json-2", page.Slug);
        Assert.Equal("admin-2", admin.Slug);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/sites/shop/wp-json-2/")).Status);
        foreach (var path in new[] { "/sites/shop/wp-json/", "/sites/shop/wp-json/wp/v2/posts", "/sites/shop/wp-admin/", "/sites/shop/admin/", "/sites/shop/ADMIN" })
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(path)).Status);
    }

    [Fact]
    public async Task HostName_ServesTheSiteAtItsRoot_AndSitesPathRedirectsThere()
    {
        var site = await _seed.SiteAsync("mag", "writer", host: "mag.example.com", title: "The Magazine");
        await _seed.PublishedAsync(site, "Cover story", Day(6, 1));

        var home = await GetAsync("/", host: "mag.example.com");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal("The Magazine", home.Document.Single(".site-title a").TextContent);
        Assert.Equal("https://mag.example.com/", home.Canonical);
        Assert.Equal("https://mag.example.com/2025/06/01/cover-story/", home.Document.Single(".entry-title a").GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/2025/06/01/cover-story/", host: "MAG.example.com.")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/wp-admin/", host: "mag.example.com")).Status);
        // Another site's path under this host is not that site.
        await _seed.SiteAsync("other", "writer");
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/sites/other/", host: "mag.example.com")).Status);

        var redirect = await GetAsync("/sites/mag/2025/06/01/cover-story/?x=1");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.Status);
        Assert.Equal("https://mag.example.com/2025/06/01/cover-story/?x=1", redirect.Response.Headers.Location!.ToString());

        // Any other host at / keeps the server's own start page.
        foreach (var host in new[] { (string?)null, "unknown.example.org" })
        {
            var start = await GetAsync("/", host: host);
            Assert.Equal(HttpStatusCode.OK, start.Status);
            Assert.Equal("PressMcp", start.Document.Single("h1").TextContent);
        }
    }

    [Fact]
    public async Task SitesPath_LookAlikeSlug_IsNotFound_ValidSlugRedirectsByWholeSegment()
    {
        await _seed.SiteAsync("kite", "writer", host: "kite.example.com", title: "Kites");
        // %E2%84%AA is the Kelvin sign, which lower-cases to "k": it names no site, and is never redirected.
        foreach (var path in new[] { "/sites/%E2%84%AAite/x/", "/sites/%E2%84%AAITE/", "/sites/k%C4%B1te/x/" })
        {
            var lookAlike = await GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, lookAlike.Status);
            Assert.Null(lookAlike.Response.Headers.Location);
        }
        foreach (var path in new[] { "/sites/KITE/x/?a=1", "/sites/%6Bite/x/?a=1" })
        {
            var redirect = await GetAsync(path);
            Assert.Equal(HttpStatusCode.MovedPermanently, redirect.Status);
            Assert.Equal("https://kite.example.com/x/?a=1", redirect.Response.Headers.Location!.ToString());
        }
    }

    [Fact]
    public async Task Pages_EscapeAuthorText_SanitizeBodies_AndSetHeaders()
    {
        var site = await _seed.SiteAsync("safe", "writer");
        await _seed.SetOptionAsync(site, "blogdescription", "unused");
        var post = await _seed.PublishedAsync(site, "<script>alert('t')</script> & friends", Day(7, 1),
            "<p>Hello <img src=x onerror=\"alert(1)\"><a href=\"javascript:alert(2)\">link</a> <a href=\"https://elsewhere.example/\">out</a></p><script>alert(3)</script>");
        var top = await _seed.CommentAsync(site, post.Id, "<b>Eve</b>", "<script>alert(4)</script>\nsecond line", Day(7, 2), url: "javascript:alert(5)");
        await _seed.CommentAsync(site, post.Id, "Bob", "A reply", Day(7, 3), parentId: top.Id, url: "https://bob.example/");
        await _seed.CommentAsync(site, post.Id, "Spammer", "Buy now", Day(7, 4), CommentStatuses.Spam);
        await _seed.CommentAsync(site, post.Id, "Waiting", "Held", Day(7, 5), CommentStatuses.Hold);

        var page = await GetAsync("/sites/safe/2025/07/01/script-alert-t-script-friends/");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var doc = page.Document;
        Assert.Equal("<script>alert('t')</script> & friends", doc.Single("h1.entry-title").TextContent);
        Assert.StartsWith("<script>alert('t')</script> & friends – ", doc.Title, StringComparison.Ordinal);
        Assert.Empty(doc.QuerySelectorAll("script"));
        Assert.Null(doc.Single(".entry-content img").GetAttribute("onerror"));
        Assert.Null(doc.QuerySelectorAll(".entry-content a")[0].GetAttribute("href"));
        Assert.Equal("nofollow noopener", doc.QuerySelectorAll(".entry-content a")[1].GetAttribute("rel"));

        var comments = doc.QuerySelectorAll(".comment-list > li.comment");
        Assert.Single(comments);
        Assert.Equal("<b>Eve</b>", comments[0].QuerySelector(".comment-author")!.TextContent);
        Assert.Equal("span", comments[0].QuerySelector(".comment-author")!.LocalName); // javascript: URL is not a link
        Assert.Equal("<script>alert(4)</script>", comments[0].QuerySelector(".comment-content p")!.ChildNodes[0].TextContent.Trim());
        Assert.Single(comments[0].QuerySelectorAll(".comment-content br"));
        var reply = comments[0].QuerySelector("ol.children > li.comment")!;
        Assert.Equal("https://bob.example/", reply.QuerySelector("a.comment-author")!.GetAttribute("href"));
        Assert.DoesNotContain("Buy now", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Held", page.Html, StringComparison.Ordinal);
        PublicPages.AssertWellFormed(page);

        var csp = page.Response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("img-src *", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-cache", page.Response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Canonical_ComesFromThePublicUrl_NeverTheHostHeader()
    {
        var site = await _seed.SiteAsync("plain", "writer");
        await _seed.PublishedAsync(site, "Hello", Day(8, 1));

        var page = await GetAsync("/sites/plain/2025/08/01/hello/", host: "evil.example.net");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"{_server.BaseUrl}/sites/plain/2025/08/01/hello/", page.Canonical);
        Assert.Equal($"{_server.BaseUrl}/assets/public.css", page.Document.Single("link[rel=stylesheet]").GetAttribute("href"));
        Assert.DoesNotContain("evil.example.net", page.Html, StringComparison.Ordinal);

        var css = await _client.GetAsync("/assets/public.css");
        Assert.Equal("text/css; charset=utf-8", css.Content.Headers.ContentType!.ToString());
        var head = await PublicPages.GetAsync(_client, "/sites/plain/2025/08/01/hello/", method: HttpMethod.Head);
        Assert.Equal(HttpStatusCode.OK, head.Status);
        Assert.Empty(head.Html);
        // Read-only: a form post is refused (antiforgery first), never rendered.
        var post = await _client.PostAsync("/sites/plain/", new FormUrlEncodedContent([]));
        Assert.Contains(post.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.MethodNotAllowed });
    }
}
