using System.Net;
using Microsoft.Playwright;

namespace PressMcp.Tests.Browser;

/// <summary>The sign-in and consent pages of the authorization flow in headless Chromium.</summary>
[Trait(Category.Name, Category.Browser)]
public sealed class ConsentBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    /// <summary>A page whose requests to the client's redirect URI are answered by the test (nothing listens there).</summary>
    private async Task<IPage> NewPageAsync(string redirectPrefix = OAuthTestServer.Redirect)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _s.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.RouteAsync(redirectPrefix + "**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<p>back at the client</p>" }));
        return page;
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.WaitForAddressAsync("**/login?ReturnUrl=**");
        await page.FillAsync("#login", "alice");
        await page.FillAsync("#password", OAuthTestServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    [Fact]
    public async Task Consent_SignInThenApproveWithOneSite_RedirectsWithCode_TokenSeesOnlyThatSite()
    {
        var clientId = await _s.RegisterClientAsync(name: "Browser Agent");
        var pkce = Pkce.New();
        var page = await NewPageAsync();
        await page.GotoAsync(OAuthTestServer.AuthorizePath(clientId, pkce));
        await SignInAsync(page);

        await page.WaitForSelectorAsync("[data-client-name]");
        Assert.Equal("Browser Agent", await page.Locator("[data-client-name]").TextContentAsync());
        Assert.Equal("127.0.0.1", await page.Locator("[data-redirect-host]").TextContentAsync());
        Assert.Contains("Create, edit and delete posts and pages", await page.Locator("[data-permissions]").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Garden Notes").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await page.WaitForAddressAsync(OAuthTestServer.Redirect + "?**");
        var query = OAuthTestServer.QueryOf(new Uri(page.Url));
        Assert.Equal("st-123", query["state"]);
        Assert.Equal(_s.BaseUrl, query["iss"]);
        var (response, json) = await _s.TokenAsync(OAuthTestServer.CodeForm(clientId, query["code"], pkce));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sites = (await OAuthTestServer.JsonOf(await _s.CallToolAsync(OAuthTestServer.ToTokens(json).AccessToken, "wpcom-mcp-user-sites")))
            .GetProperty("result").GetProperty("structuredContent").GetProperty("sites");
        Assert.Equal(["garden"], sites.EnumerateArray().Select(s => s.GetProperty("slug").GetString()));

        // The connection is listed under Connected apps.
        await page.GotoAsync("/account/apps");
        Assert.Contains("Browser Agent", await page.Locator("section.connection h2").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("Garden Notes", await page.Locator("[data-sites]").TextContentAsync());
    }

    [Fact]
    public async Task Consent_Deny_RedirectsWithAccessDenied()
    {
        var clientId = await _s.RegisterClientAsync();
        var page = await NewPageAsync();
        await page.GotoAsync(OAuthTestServer.AuthorizePath(clientId, Pkce.New()));
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();
        await page.WaitForAddressAsync(OAuthTestServer.Redirect + "?**");
        Assert.Equal("access_denied", OAuthTestServer.QueryOf(new Uri(page.Url))["error"]);
    }

    [Fact]
    public async Task Consent_LocalhostOnlyClient_ShowsTheWarning_HttpsClientDoesNot()
    {
        var local = await _s.RegisterClientAsync("http://localhost:8080/callback", "Local Tool");
        var page = await NewPageAsync();
        await page.GotoAsync(OAuthTestServer.AuthorizePath(local, Pkce.New(), redirect: "http://localhost:8080/callback"));
        await SignInAsync(page);
        await page.WaitForSelectorAsync("[data-client-name]");
        Assert.Contains("only with addresses on your own computer", await page.Locator("[data-warning=localhost]").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-warning=first-time]").IsVisibleAsync());

        var web = await _s.RegisterClientAsync("https://app.example/callback", "Web App");
        await page.GotoAsync(OAuthTestServer.AuthorizePath(web, Pkce.New(), redirect: "https://app.example/callback"));
        await page.WaitForSelectorAsync("[data-client-name]");
        Assert.Equal(0, await page.Locator("[data-warning=localhost]").CountAsync());
        Assert.Equal("app.example", await page.Locator("[data-redirect-host]").TextContentAsync());
    }
}
