using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content;
using PressMcp.Publishing.Statistics;
using PressMcp.Storage;

namespace PressMcp.Tests.Mcp;

/// <summary><c>wpcom-mcp-site-statistics</c>: periods ending today in the site's zone, per post, top posts of published content only.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class StatisticsToolTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;
    private DateOnly _today;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
        var writer = new ContentSeed(scope.ServiceProvider);
        await writer.CreateAsync(garden, new NewPost { Title = "Popular", Status = PostStatuses.Publish });
        await writer.CreateAsync(garden, new NewPost { Title = "Hidden draft", Status = PostStatuses.Draft });
        _today = DateOnly.FromDateTime(_s.Clock.GetUtcNow().UtcDateTime);
        db.SiteDailyViews.AddRange(
            new SiteDailyViews { SiteId = garden.Id, Day = _today, Views = 5, Visitors = 2 },
            new SiteDailyViews { SiteId = garden.Id, Day = _today.AddDays(-1), Views = 3, Visitors = 1 },
            new SiteDailyViews { SiteId = garden.Id, Day = _today.AddDays(-40), Views = 7, Visitors = 4 });
        db.SiteDailyReferrers.AddRange(
            new SiteDailyReferrers { SiteId = garden.Id, Day = _today, Host = "news.example.com", Views = 2 },
            new SiteDailyReferrers { SiteId = garden.Id, Day = _today.AddDays(-1), Host = "news.example.com", Views = 1 },
            new SiteDailyReferrers { SiteId = garden.Id, Day = _today, Host = "blog.example.org", Views = 1 },
            new SiteDailyReferrers { SiteId = garden.Id, Day = _today.AddDays(-40), Host = "old.example.net", Views = 9 });
        db.SiteDailyDevices.AddRange(
            new SiteDailyDevices { SiteId = garden.Id, Day = _today, Device = "desktop", Views = 4 },
            new SiteDailyDevices { SiteId = garden.Id, Day = _today, Device = "mobile", Views = 1 },
            new SiteDailyDevices { SiteId = garden.Id, Day = _today.AddDays(-1), Device = "bot", Views = 6 });
        db.PostDailyViews.AddRange(
            new PostDailyViews { SiteId = garden.Id, PostId = 1, Day = _today, Views = 4 },
            new PostDailyViews { SiteId = garden.Id, PostId = 2, Day = _today, Views = 9 });
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<JsonElement> CallAsync(string token, object arguments)
    {
        var response = await _s.CallToolAsync(token, "wpcom-mcp-site-statistics", arguments);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await OAuthTestServer.JsonOf(response)).GetProperty("result");
        Assert.False(result.GetProperty("isError").GetBoolean(), result.GetProperty("content")[0].GetProperty("text").GetString());
        return result.GetProperty("structuredContent");
    }

    [Fact]
    public async Task Statistics_ByDayWeekMonth_AndTopPosts()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var days = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", period = "day", num = 3 });
        Assert.Equal([0L, 3L, 5L], days.GetProperty("views").EnumerateArray().Select(v => v.GetProperty("views").GetInt64()));
        Assert.Equal(_today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), days.GetProperty("views")[2].GetProperty("start").GetString());
        Assert.Equal(8, days.GetProperty("total").GetInt64());
        // The draft's 9 views are not listed: top posts are published posts.
        var top = days.GetProperty("top_posts").EnumerateArray().ToList();
        Assert.Equal(["Popular"], top.Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(4, top[0].GetProperty("views").GetInt64());
        Assert.Null(_s.Server.Services.GetRequiredService<AbilityRegistry>().Find("stats/views")!.Output.Validate(days));

        var weeks = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", period = "week", num = 2 });
        Assert.All(weeks.GetProperty("views").EnumerateArray(), w => Assert.Equal(DayOfWeek.Monday, DateOnly.Parse(w.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture).DayOfWeek));
        var months = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", period = "month", num = 3 });
        Assert.Equal(15, months.GetProperty("total").GetInt64());

        var post = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", post_id = 1, num = 1 });
        Assert.Equal(4, post.GetProperty("total").GetInt64());
        Assert.Empty(post.GetProperty("top_posts").EnumerateArray());
    }

    [Fact]
    public async Task Statistics_VisitorsReferrersAndDevices_OverTheSpan()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var days = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", period = "day", num = 3 });
        Assert.Equal([0L, 1L, 2L], days.GetProperty("views").EnumerateArray().Select(v => v.GetProperty("visitors").GetInt64()));
        Assert.Equal(3, days.GetProperty("visitors").GetInt64());
        // Hosts summed over the span, most views first; the 40-day-old link is outside it.
        Assert.Equal([("news.example.com", 3L), ("blog.example.org", 1L)],
            days.GetProperty("referrers").EnumerateArray().Select(r => (r.GetProperty("host").GetString(), r.GetProperty("views").GetInt64())));
        Assert.Equal([("desktop", 4L), ("mobile", 1L), ("tablet", 0L), ("bot", 6L)],
            days.GetProperty("devices").EnumerateArray().Select(d => (d.GetProperty("device").GetString(), d.GetProperty("views").GetInt64())));
        Assert.Null(_s.Server.Services.GetRequiredService<AbilityRegistry>().Find("stats/views")!.Output.Validate(days));

        var one = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", num = 3, top_referrers = 1 });
        Assert.Equal(["news.example.com"], one.GetProperty("referrers").EnumerateArray().Select(r => r.GetProperty("host").GetString()));
        var months = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", period = "month", num = 3 });
        Assert.Equal(7, months.GetProperty("visitors").GetInt64());

        // One post: views only (visitors, referrers and devices are the site's).
        var post = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", post_id = 1, num = 1 });
        Assert.False(post.TryGetProperty("visitors", out _));
        Assert.Empty(post.GetProperty("referrers").EnumerateArray());

        var bad = await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-site-statistics", new { wpcom_site = "garden", top_referrers = 101 });
        var error = (await OAuthTestServer.JsonOf(bad)).GetProperty("result");
        Assert.True(error.GetProperty("isError").GetBoolean());
        Assert.Contains("top_referrers", error.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
