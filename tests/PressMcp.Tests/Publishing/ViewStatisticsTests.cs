using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Publishing;
using PressMcp.Publishing.Statistics;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Publishing;

/// <summary>
/// Daily view statistics through the real server, asserted in the database rows; run on SQLite and on PostgreSQL.
/// The background flush is slowed down so each test decides when views are written.
/// </summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class ViewStatisticsTests : IAsyncLifetime
{
    // 10:30 UTC on 14 January is 23:30 on the 14th in Auckland (UTC+13 in summer); 11:30 UTC is the 15th there.
    private static readonly DateTimeOffset BeforeMidnight = new(2026, 1, 14, 10, 30, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(BeforeMidnight);
    private TestStore _store = null!;
    private TestServer? _server;
    private PublicSiteSeed _seed = null!;
    private HttpClient _client = null!;
    private Site _site = null!;
    private Post _post = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        _server = await TestServer.StartAsync(_store, _clock.Serving(new PublishingOptions { ViewFlushInterval = TimeSpan.FromHours(1) }));
        _seed = new PublicSiteSeed(_server.Services);
        _client = _server.CreateClient();
        await _seed.UserAsync("writer");
        _site = await _seed.SiteAsync("stats", "writer", timeZone: "Pacific/Auckland");
        _post = await _seed.PublishedAsync(_site, "Counted", new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        await _store.DisposeAsync();
    }

    private const string PostPath = "/sites/stats/2026/01/02/counted/";

    private Task<int> FlushAsync() => _server!.Services.GetRequiredService<ViewFlusher>().FlushAsync();

    private async Task<HttpStatusCode> ViewAsync(string path, string? agent = PublicPages.BrowserAgent, HttpMethod? method = null, string? referer = null) =>
        (await PublicPages.GetAsync(_client, path, agent: agent, method: method, referer: referer)).Status;

    private Task<Dictionary<DateOnly, long>> SiteRowsAsync(PressDbContext db) =>
        db.SiteDailyViews.Where(v => v.SiteId == _site.Id).ToDictionaryAsync(v => v.Day, v => v.Views);

    private Task<Dictionary<DateOnly, long>> PostRowsAsync(PressDbContext db) =>
        db.PostDailyViews.Where(v => v.SiteId == _site.Id && v.PostId == _post.Id).ToDictionaryAsync(v => v.Day, v => v.Views);

    [Fact]
    public async Task Views_CountOncePerSuccessfulPersonView_NotFor404HeadOrRobots()
    {
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync("/sites/stats/"));
        // Not counted: a missing page, HEAD, robots and scripts, archives and search.
        Assert.Equal(HttpStatusCode.NotFound, await ViewAsync("/sites/stats/2026/01/03/counted/"));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath, method: HttpMethod.Head));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath, "curl/8.5.0"));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath, agent: null));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync("/sites/stats/?s=counted"));

        // Two sums: the site's day (2 post views + 1 home view) and the post's day.
        Assert.Equal(2, await FlushAsync());
        var day = new DateOnly(2026, 1, 14);
        Assert.Equal(new Dictionary<DateOnly, long> { [day] = 3 }, await _seed.DbAsync(SiteRowsAsync));
        Assert.Equal(new Dictionary<DateOnly, long> { [day] = 2 }, await _seed.DbAsync(PostRowsAsync));
        Assert.Equal(0, await FlushAsync());
    }

    private const string PhoneAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
    private const string TabletAgent = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

    [Fact]
    public async Task Visitors_CountedOncePerVisitorAndDay_WithReferrerHostsAndDeviceClasses()
    {
        var day = new DateOnly(2026, 1, 14);
        // Two visitors (the same address, two browsers): one views three times, from a link on another site with a path
        // and query, then from this site's own pages; the phone once; a robot loads the post too.
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath, referer: "https://News.Example.com/story/42?q=private+words"));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync("/sites/stats/", referer: "http://127.0.0.1/sites/stats/2026/01/02/counted/"));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath, PhoneAgent, referer: "https://news.example.com/"));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath, TabletAgent, referer: "android-app://com.example/"));
        Assert.Equal(HttpStatusCode.OK, await ViewAsync(PostPath, "Mozilla/5.0 (compatible; bingbot/2.0)"));
        await FlushAsync();

        var row = await _seed.DbAsync(db => db.SiteDailyViews.SingleAsync(v => v.SiteId == _site.Id));
        Assert.Equal((day, 5L, 3L), (row.Day, row.Views, row.Visitors));
        // The host alone, lower case; a link from the site itself and a non-web referrer are not referrers.
        var referrers = await _seed.DbAsync(db => db.SiteDailyReferrers.Where(r => r.SiteId == _site.Id).ToListAsync());
        Assert.Equal([("news.example.com", day, 2L)], referrers.Select(r => (r.Host, r.Day, r.Views)));
        var devices = await _seed.DbAsync(db => db.SiteDailyDevices.Where(d => d.SiteId == _site.Id).ToDictionaryAsync(d => d.Device, d => d.Views));
        Assert.Equal(new Dictionary<string, long> { ["desktop"] = 3, ["mobile"] = 1, ["tablet"] = 1, ["bot"] = 1 }, devices);

        // The same browser again that day: a view, not a visitor; the next day it is a visitor again.
        await ViewAsync(PostPath);
        await FlushAsync();
        _clock.Now = BeforeMidnight.AddDays(1);
        await ViewAsync(PostPath);
        await FlushAsync();
        var rows = await _seed.DbAsync(db => db.SiteDailyViews.Where(v => v.SiteId == _site.Id).ToDictionaryAsync(v => v.Day, v => (v.Views, v.Visitors)));
        Assert.Equal(new Dictionary<DateOnly, (long, long)> { [day] = (6, 3), [day.AddDays(1)] = (1, 1) }, rows);
    }

    [Fact]
    public async Task Views_CountOnTheSiteDay_AndAddToStoredRows()
    {
        await ViewAsync(PostPath);
        Assert.Equal(2, await FlushAsync());
        _clock.Now = BeforeMidnight.AddHours(1); // past midnight in Auckland, still the 14th in UTC
        await ViewAsync(PostPath);
        await ViewAsync(PostPath);
        _clock.Now = BeforeMidnight.AddMinutes(10);
        await ViewAsync(PostPath);
        // One upsert per (site, post, day): the 14th gets one more, the 15th is new.
        Assert.Equal(4, await FlushAsync());

        var expected = new Dictionary<DateOnly, long> { [new DateOnly(2026, 1, 14)] = 2, [new DateOnly(2026, 1, 15)] = 2 };
        Assert.Equal(expected, await _seed.DbAsync(SiteRowsAsync));
        Assert.Equal(expected, await _seed.DbAsync(PostRowsAsync));
    }

    [Fact]
    public async Task Views_OfAPostDeletedBeforeTheFlush_AreSkipped_SiteStillCounted()
    {
        await ViewAsync(PostPath);
        await _seed.DbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Id == _post.Id).ExecuteDeleteAsync());
        Assert.Equal(2, await FlushAsync());
        Assert.Equal(1, (await _seed.DbAsync(SiteRowsAsync)).Values.Single());
        Assert.Empty(await _seed.DbAsync(PostRowsAsync));
    }

    [Fact]
    public async Task Views_AreWrittenWhenTheServerStops()
    {
        await ViewAsync(PostPath);
        await ViewAsync("/sites/stats/");
        await _server!.DisposeAsync();
        _server = null;

        // A fresh set of services over the same database: what the stopped server left behind.
        var services = new ServiceCollection().AddLogging()
            .AddPressCore(_store.Settings, PublicUrl.TryParse("http://127.0.0.1:5000", out _)!)
            .BuildServiceProvider();
        await using (services)
        {
            var rows = await new PublicSiteSeed(services).DbAsync(async db => (await SiteRowsAsync(db), await PostRowsAsync(db)));
            Assert.Equal(2, rows.Item1.Values.Single());
            Assert.Equal(1, rows.Item2.Values.Single());
        }
    }
}
