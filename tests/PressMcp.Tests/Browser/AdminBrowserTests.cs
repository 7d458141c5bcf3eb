using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PressMcp.Storage;

namespace PressMcp.Tests.Browser;

/// <summary>Profile and the server administrators' Sites and Users pages: the quality bar, and their main flows clicked through.</summary>
[Trait(Category.Name, Category.Browser)]
public sealed class AdminBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("root", Password, serverAdmin: true);
        await _server.CreateUserAsync("alice", Password);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes with a rather long title for a phone", "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "kitchen", "--title", "Kitchen", "--owner", "alice", "--host", "kitchen.example")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ProfileSitesAndUsers_MeetTheQualityBar_ForAServerAdministratorAndAUser()
    {
        var problems = new List<string>();
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _server.BaseUrl, "root", Password, ["/account/profile", "/account/admin/sites", "/account/admin/users"]));
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _server.BaseUrl, "alice", Password, ["/account/profile"]));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task CreateRenameDeleteSite_AndCreateDisableEnableUser_InTheBrowser()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync("/login");
        await page.FillAsync("#login", "root");
        await page.FillAsync("#password", Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForAddressAsync("**/account");

        // The header's account menu opens without script and leads to the Sites page.
        await page.Locator("details.account-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sites", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync("**/account/admin/sites");
        await page.GetByText("Add a site").ClickAsync();
        await page.FillAsync("#new-title", "Patio");
        await page.FillAsync("#new-slug", "patio");
        await page.FillAsync("#new-owner", "alice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add site" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Created the site Patio (patio)" }).WaitForAsync();

        var row = page.Locator("tr[data-site=patio]");
        await row.Locator("details.manage summary").ClickAsync();
        await row.Locator("input[name=title]").FillAsync("Patio Life");
        await row.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Renamed patio to Patio Life." }).WaitForAsync();

        await row.Locator("details.manage summary").ClickAsync();
        await row.Locator("input[name=confirm]").FillAsync("patio");
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete patio" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Deleted the site Patio Life (patio)" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("tr[data-site=patio]").CountAsync());

        await page.GotoAsync("/account/admin/users");
        await page.GetByText("Add a user").ClickAsync();
        await page.FillAsync("#new-login", "carol");
        await page.FillAsync("#new-email", "carol@example.com");
        await page.FillAsync("#new-display", "Carol Writer");
        await page.FillAsync("#new-password", "a long phrase for her");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Created the user carol" }).WaitForAsync();

        var carol = page.Locator("tr[data-user=carol]");
        await carol.Locator("details.manage summary").ClickAsync();
        await carol.GetByRole(AriaRole.Button, new() { Name = "Disable carol" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Disabled carol" }).WaitForAsync();
        Assert.Contains("disabled", await carol.Locator("[data-status]").TextContentAsync(), StringComparison.Ordinal);
        Assert.NotNull(await DisabledAsync("carol"));

        await carol.Locator("details.manage summary").ClickAsync();
        await carol.GetByRole(AriaRole.Button, new() { Name = "Enable carol" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Enabled carol." }).WaitForAsync();
        Assert.Null(await DisabledAsync("carol"));
        await context.CloseAsync();
    }

    private async Task<DateTime?> DisabledAsync(string login)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PressDbContext>().Users.Where(u => u.UserName == login).Select(u => u.DisabledUtc).SingleAsync();
    }
}
