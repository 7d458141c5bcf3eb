using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content;
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
            new SiteDailyViews { SiteId = garden.Id, Day = _today, Views = 5 },
            new SiteDailyViews { SiteId = garden.Id, Day = _today.AddDays(-1), Views = 3 },
            new SiteDailyViews { SiteId = garden.Id, Day = _today.AddDays(-40), Views = 7 });
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
}
