using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PressMcp.Tests.Browser;

/// <summary>
/// The Members and Settings pages in Chromium: the quality bar for an administrator and a server administrator who is
/// not a member, and real clicks: add a member by e-mail, change their role, change the site's time zone and formats
/// and see the site's dates follow.
/// </summary>
[Trait(Category.Name, Category.Browser)]
public sealed partial class SiteSettingsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        foreach (var login in new[] { "alice", "ed", "sam", "newbie" }) await _server.CreateUserAsync(login, Password);
        await _server.CreateUserAsync("root", Password, serverAdmin: true);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", "ed", "--role", "editor")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", "sam", "--role", "subscriber")).ExitCode);
        await using var scope = _server.Services.CreateAsyncScope();
        var site = (await scope.ServiceProvider.GetRequiredService<PressMcp.Sites.SiteResolver>().ResolveAsync("garden")).Value!;
        // Noon UTC on New Year's Day: already January 2 on Kiritimati (UTC+14).
        await new ContentSeed(scope.ServiceProvider).CreateAsync(site, new NewPost
            { Title = "New Year in the garden", Content = "<p>Frost on the beds.</p>", Status = "publish", DateUtc = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc) });
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MembersAndSettings_MeetTheQualityBar()
    {
        string[] paths = ["/account/sites/garden/members", "/account/sites/garden/settings"];
        var problems = new List<string>();
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _server.BaseUrl, "alice", Password, paths));
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _server.BaseUrl, "root", Password, paths));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Administrator_AddsAMemberByEmail_ChangesTheirRole_ChangesTheTimeZone_AndDatesFollow()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl });
        var page = await context.NewPageAsync();
        await PageQuality.SignInAsync(page, "alice", Password);

        await page.GotoAsync("/account/sites/garden/members");
        await page.FillAsync("#add-user", "newbie@example.com");
        await page.SelectOptionAsync("#add-role", "author");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        Assert.Equal("Added newbie as author.", await page.Locator("p.notice").TextContentAsync());
        var row = page.Locator("tr[data-member=newbie]");
        Assert.Equal("author", (await row.Locator("td[data-label=Role]").TextContentAsync())!.Trim());

        await row.Locator("select").SelectOptionAsync("editor");
        await row.GetByRole(AriaRole.Button, new() { Name = "Change role of newbie" }).ClickAsync();
        Assert.Equal("newbie is now editor.", await page.Locator("p.notice").TextContentAsync());
        Assert.Equal("editor", (await page.Locator("tr[data-member=newbie] td[data-label=Role]").TextContentAsync())!.Trim());

        var publicPage = await context.NewPageAsync();
        await publicPage.GotoAsync("/sites/garden/");
        Assert.Contains("January 1, 2026", await publicPage.Locator("main").TextContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/account/sites/garden/settings");
        await page.SelectOptionAsync("#set-timezone", "Pacific/Kiritimati");
        await page.Locator("#general input[name=date_format][value=custom]").CheckAsync();
        await page.FillAsync("#set-date_format-custom", "Y-m-d");
        await page.Locator("#general input[name=time_format][value='H:i']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save general settings" }).ClickAsync();
        Assert.Equal("General settings saved.", await page.Locator("p.notice").TextContentAsync());
        Assert.Contains("(Pacific/Kiritimati)", await page.Locator("p.site-clock").TextContentAsync(), StringComparison.Ordinal);
        // The site's clock is shown with the new formats, fourteen hours ahead of UTC.
        var local = (await page.Locator("[data-local-time]").TextContentAsync())!;
        Assert.Matches(LocalTime(), local);
        var utcNow = DateTime.UtcNow;
        var shown = DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((shown - utcNow).TotalHours, 13.9, 14.1);

        // The public site follows the new zone and the new date format.
        await publicPage.GotoAsync("/sites/garden/");
        Assert.Contains("2026-01-02", await publicPage.Locator("main").TextContentAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")]
    private static partial Regex LocalTime();
}
