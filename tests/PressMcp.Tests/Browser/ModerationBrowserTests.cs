using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Tests.Content.Moderation;

namespace PressMcp.Tests.Browser;

/// <summary>
/// The dashboard, Comments (each tab), Categories and Tags meet the quality bar with realistic content for an
/// administrator and an editor (and the dashboard for a subscriber); real clicks through moderation and categories.
/// </summary>
[Trait(Category.Name, Category.Browser)]
public sealed class ModerationBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private ModerationSite _site = null!;

    public async ValueTask InitializeAsync()
    {
        _site = await ModerationSite.StartAsync();
        var veg = await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Vegetables");
        await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Beans", veg.Id);
        await _site.Seed.TermAsync(_site.Site, Taxonomies.Tag, "a-very-long-tag-name-that-has-to-wrap-on-a-phone-screen-somehow");
        await _site.Seed.PostAsync(_site.Site, new NewPost { Title = "An agent's draft about compost", Status = PostStatuses.Pending, TermIds = [veg.Id] });
        await _site.CommentAsync("Pat", "When should I sow the beans?\n\nThey are late this year.", CommentStatuses.Hold, 10);
        await _site.CommentAsync("Quinn", "Great post", CommentStatuses.Hold, 9, url: "https://quinn.example/a/very/long/address/that/should/wrap/on/narrow/screens");
        await _site.CommentAsync("Rae", "Thanks!", CommentStatuses.Hold, 8);
        await _site.CommentAsync("Ann", "Nice", CommentStatuses.Approved, 7);
        await _site.CommentAsync("Spammer", "Buy now", CommentStatuses.Spam, 6);
        await _site.CommentAsync("Gone", "Old", CommentStatuses.Trash, 5);
        var today = SiteTime.DayOf(_site.Site, DateTime.UtcNow);
        await _site.DbAsync(async db =>
        {
            db.SiteDailyViews.AddRange(Enumerable.Range(0, 30).Select(i => new SiteDailyViews { SiteId = _site.Site.Id, Day = today.AddDays(-i), Views = (i * 37) % 120 }));
            return await db.SaveChangesAsync();
        });
    }

    public async ValueTask DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Pages_MeetTheQualityBar_ForAnAdministratorAnEditorAndASubscriber()
    {
        var p = ModerationSite.Path;
        string[] paths = [p, p + "/comments", p + "/comments?status=pending", p + "/comments?status=approved", p + "/comments?status=spam", p + "/comments?status=trash",
            p + "/categories", p + "/tags"];
        var problems = new List<string>();
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _site.Server.BaseUrl, "alice", ModerationSite.Password, paths));
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _site.Server.BaseUrl, "ed", ModerationSite.Password, paths));
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _site.Server.BaseUrl, "sub", ModerationSite.Password, [p]));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Clicks_ApproveReplyBulkTrash_AndCreateAndRenameACategory()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _site.Server.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await PageQuality.SignInAsync(page, "alice", ModerationSite.Password);

        await page.GotoAsync(ModerationSite.Path + "/comments?status=pending");
        var pat = page.Locator("li.comment-row", new() { HasText = "Pat" });
        await pat.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Approved: comment");

        await page.GotoAsync(ModerationSite.Path + "/comments?status=approved");
        pat = page.Locator("li.comment-row", new() { HasText = "Pat" });
        await pat.Locator("summary", new() { HasText = "Reply" }).ClickAsync();
        await pat.GetByLabel("Your reply to Pat").FillAsync("Sow them in April.");
        await pat.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Reply posted");

        await page.GotoAsync(ModerationSite.Path + "/comments?status=pending");
        await page.Locator("li.comment-row", new() { HasText = "Quinn" }).Locator("input[type=checkbox]").CheckAsync();
        await page.Locator("li.comment-row", new() { HasText = "Rae" }).Locator("input[type=checkbox]").CheckAsync();
        await page.GetByLabel("Bulk action on the checked comments").SelectOptionAsync("trash");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToHaveTextAsync("Moved to the trash: 2 comments.");

        var statuses = await _site.DbAsync(db => db.Comments.Where(c => c.SiteId == _site.Site.Id).ToDictionaryAsync(c => c.AuthorName + ":" + c.Content, c => c.Status));
        Assert.Equal(CommentStatuses.Approved, statuses["Pat:When should I sow the beans?\n\nThey are late this year."]);
        Assert.Equal(CommentStatuses.Approved, statuses.Single(s => s.Key.EndsWith(":Sow them in April.", StringComparison.Ordinal)).Value);
        Assert.Equal((CommentStatuses.Trash, CommentStatuses.Trash), (statuses["Quinn:Great post"], statuses["Rae:Thanks!"]));

        await page.GotoAsync(ModerationSite.Path + "/categories");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Herbs");
        await page.GetByLabel("Parent category").SelectOptionAsync(new SelectOptionValue { Label = "Vegetables" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the category" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToHaveTextAsync("Created the category “Herbs”.");
        await page.Locator("tr", new() { HasText = "Herbs" }).GetByRole(AriaRole.Link, new() { Name = "Edit Herbs" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Kitchen herbs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToHaveTextAsync("Saved the category “Kitchen herbs”.");
        var herbs = await _site.DbAsync(db => db.Terms.SingleAsync(t => t.SiteId == _site.Site.Id && t.Slug == "herbs"));
        Assert.Equal("Kitchen herbs", herbs.Name);
        Assert.Equal(await _site.DbAsync(db => db.Terms.Where(t => t.Slug == "vegetables").Select(t => (long?)t.Id).SingleAsync()), herbs.ParentId);
    }
}
