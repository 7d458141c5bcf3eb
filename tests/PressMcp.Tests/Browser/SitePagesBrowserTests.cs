namespace PressMcp.Tests.Browser;

/// <summary>The per-site pages' frame (site bar, tabs, switcher) meets the quality bar for an administrator and a subscriber.</summary>
[Trait(Category.Name, Category.Browser)]
public sealed class SitePagesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice", "correct horse battery");
        await _server.CreateUserAsync("sam", "correct horse battery");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "kitchen", "--title", "Kitchen", "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", "sam", "--role", "subscriber")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Dashboard_MeetsTheQualityBar_ForAnAdministratorAndASubscriber()
    {
        var problems = new List<string>();
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _server.BaseUrl, "alice", "correct horse battery", ["/account/sites/garden"]));
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _server.BaseUrl, "sam", "correct horse battery", ["/account/sites/garden"]));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
