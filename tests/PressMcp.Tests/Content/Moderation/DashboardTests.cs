using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content;
using PressMcp.Sites;

namespace PressMcp.Tests.Content.Moderation;

/// <summary>
/// The dashboard as each role: the views chart drawn from the stored daily views, recent posts and agents' drafts
/// with the app's name, comments awaiting moderation with buttons that moderate, and the site's activity with people
/// and agents side by side; each box only for the roles WordPress would show it to.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class DashboardTests : IAsyncLifetime
{
    private ModerationSite _site = null!;

    public async ValueTask InitializeAsync() => _site = await ModerationSite.StartAsync();

    public async ValueTask DisposeAsync() => await _site.DisposeAsync();

    private static IEnumerable<string?> Boxes(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelectorAll("[data-box]").Select(b => b.GetAttribute("data-box"));

    [Fact]
    public async Task ViewsChart_DrawsTheSeededDailyViews()
    {
        var today = SiteTime.DayOf(_site.Site, DateTime.UtcNow);
        await _site.DbAsync(async db =>
        {
            db.SiteDailyViews.AddRange(
                new SiteDailyViews { SiteId = _site.Site.Id, Day = today, Views = 40 },
                new SiteDailyViews { SiteId = _site.Site.Id, Day = today.AddDays(-3), Views = 160 },
                new SiteDailyViews { SiteId = _site.Site.Id, Day = today.AddDays(-29), Views = 80 },
                new SiteDailyViews { SiteId = _site.Site.Id, Day = today.AddDays(-30), Views = 999 });
            return await db.SaveChangesAsync();
        });
        var page = await _site.PageAsync(await _site.ClientAsync("au"), ModerationSite.Path);
        var svg = page.QuerySelector("svg.views-chart")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        var bars = svg.QuerySelectorAll("rect.bar").Select(r => (r.GetAttribute("data-day"), r.GetAttribute("data-views"), r.GetAttribute("height"), r.GetAttribute("y"))).ToList();
        Assert.Equal(30, bars.Count);
        string Day(int back) => today.AddDays(-back).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // The busiest day fills the 160-unit plot; the others in proportion; the day before the 30 is not drawn.
        Assert.Equal((Day(29), "80", "80", "80"), bars[0]);
        Assert.Equal((Day(3), "160", "160", "0"), bars[26]);
        Assert.Equal((Day(0), "40", "40", "120"), bars[29]);
        Assert.Equal(("0", "0"), (bars[1].Item2, bars[1].Item3));
        var summary = $"280 views in the last 30 days, 9.3 a day on average; the busiest day was {Day(3)} with 160.";
        Assert.Equal(summary, svg.QuerySelector("desc")!.TextContent);
        Assert.Equal(summary, page.QuerySelector("[data-summary]")!.TextContent);
        var table = page.QuerySelectorAll(".views-table tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(30, table.Count);
        Assert.Equal(Day(3) + "160", table[26]);
    }

    [Fact]
    public async Task Administrator_SeesAgentDrafts_PendingComments_AndTheActivityOfPeopleAndAgents()
    {
        // ContentSeed writes as an agent ("test"), so the draft carries the agent marker.
        var draft = await _site.Seed.PostAsync(_site.Site, new PressMcp.Tests.Infrastructure.NewPost { Title = "Agent's idea", Status = PostStatuses.Pending });
        var pending = await _site.CommentAsync("Pat", "Is it too late?", CommentStatuses.Hold);
        await _site.CommentAsync("Quinn", "Great", CommentStatuses.Hold, 5);
        var alice = await _site.ClientAsync("alice");

        var page = await _site.PageAsync(alice, ModerationSite.Path);
        Assert.Equal(["views", "agent-drafts", "recent-posts", "pending-comments", "activity"], Boxes(page));
        var item = page.QuerySelector($"[data-box=agent-drafts] li[data-post='{draft.Id}']")!;
        Assert.Equal($"{ModerationSite.Path}/posts/{draft.Id}", item.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("by test", item.QuerySelector(".agent-mark")!.TextContent);
        Assert.Contains("pending review", item.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Agent's idea", "Tomatoes in May"], page.QuerySelectorAll("[data-box=recent-posts] li a").Select(a => a.TextContent));
        Assert.Equal("(2)", page.QuerySelector("[data-pending-count]")!.TextContent);

        // The approve button of the dashboard posts to the comments page and comes back here.
        var form = page.QuerySelector($"[data-box=pending-comments] li[data-comment='{pending.Id}'] form")!;
        var response = await ModerationSite.PostAsync(alice, form.GetAttribute("action")!, new() { ["id"] = pending.Id.ToString(), ["act"] = "approve", ["back"] = "dashboard" });
        Assert.Equal(ModerationSite.Path, response.Headers.Location!.ToString());
        Assert.Equal(CommentStatuses.Approved, await _site.StatusOfAsync(pending.Id));

        await _site.BrowserActivityAsync();
        page = await _site.PageAsync(alice, ModerationSite.Path);
        Assert.Equal("(1)", page.QuerySelector("[data-pending-count]")!.TextContent);
        var rows = page.QuerySelectorAll("[data-box=activity] tbody tr").Select(r => r.QuerySelectorAll("td").Take(4).Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["alice", "in the browser", "comments: approve → comments/moderate", "Succeeded"], rows[0]);
    }

    [Fact]
    public async Task Author_SeesOwnAgentDraftsOnly_NoModerationNoActivity()
    {
        var auId = await _site.DbAsync(db => db.Users.Where(u => u.UserName == "au").Select(u => u.Id).SingleAsync());
        var mine = await _site.Seed.PostAsync(_site.Site, new PressMcp.Tests.Infrastructure.NewPost { Title = "Mine", AuthorId = auId });
        await _site.Seed.PostAsync(_site.Site, new PressMcp.Tests.Infrastructure.NewPost { Title = "Alice's draft" });
        await _site.CommentAsync("Pat", "Hello", CommentStatuses.Hold);
        var page = await _site.PageAsync(await _site.ClientAsync("au"), ModerationSite.Path);
        Assert.Equal(["views", "agent-drafts", "recent-posts"], Boxes(page));
        Assert.Equal(["Mine"], page.QuerySelectorAll("[data-box=agent-drafts] li a").Select(a => a.TextContent));
        Assert.Equal(["Mine", "Tomatoes in May"], page.QuerySelectorAll("[data-box=recent-posts] li a").Select(a => a.TextContent));
        Assert.DoesNotContain("Hello", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(mine.Id.ToString(), page.QuerySelector("[data-box=agent-drafts] li")!.GetAttribute("data-post"));
    }

    [Fact]
    public async Task Subscriber_SeesADashboardWithoutTheBoxes()
    {
        await _site.CommentAsync("Pat", "Hello", CommentStatuses.Hold);
        await _site.Seed.PostAsync(_site.Site, new PressMcp.Tests.Infrastructure.NewPost { Title = "Secret draft" });
        var sub = await _site.ClientAsync("sub");
        var response = await sub.GetAsync(ModerationSite.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = TestServer.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(Boxes(page));
        Assert.Null(page.QuerySelector("svg"));
        Assert.NotNull(page.QuerySelector("[data-reader]"));
        Assert.DoesNotContain("Secret draft", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contributor_SeesViewsAndOwnWork_ButNotTheModerationOrTheActivity()
    {
        var page = await _site.PageAsync(await _site.ClientAsync("co"), ModerationSite.Path);
        Assert.Equal(["views", "agent-drafts", "recent-posts"], Boxes(page));
        var editor = await _site.PageAsync(await _site.ClientAsync("ed"), ModerationSite.Path);
        Assert.Equal(["views", "agent-drafts", "recent-posts", "pending-comments", "activity"], Boxes(editor));
    }
}
