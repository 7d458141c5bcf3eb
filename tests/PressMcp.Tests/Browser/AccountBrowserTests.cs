using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PressMcp.Tests.Browser;

/// <summary>The first-run setup and sign-in pages in a real browser: forms, CSRF tokens, cookies, redirects.</summary>
[Trait(Category.Name, Category.Browser)]
public sealed partial class AccountBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [GeneratedRegex(@"setup code: ([A-Z0-9-]{19})")]
    private static partial Regex CodeLine();

    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    [Fact]
    public async Task Setup_InBrowser_CreatesAdmin_ThenLogoutAndLoginAgain()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Set it up" }).ClickAsync();
        await page.FillAsync("#code", CodeLine().Match(_server.ConsoleOutput).Groups[1].Value);
        await page.FillAsync("#login", "operator");
        await page.FillAsync("#email", "operator@example.com");
        await page.FillAsync("#password", "correct horse battery");
        await page.FillAsync("#confirm", "correct horse battery");
        await page.FillAsync("#display", "Olga Operator");
        await page.FillAsync("#site-title", "Field Notes");
        await page.FillAsync("#site-slug", "notes");
        // The page's script chose the browser's time zone (Chromium's here: TZ of the test process, or UTC).
        Assert.False(string.IsNullOrEmpty(await page.InputValueAsync("#site-zone")));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create administrator and site" }).ClickAsync();

        await page.WaitForAddressAsync("**/account/welcome");
        Assert.Equal("PressMcp is ready", await page.Locator("h1").TextContentAsync());
        Assert.Equal(_server.BaseUrl + "/wpcom/v2/mcp/v1", await page.Locator("[data-mcp-url]").TextContentAsync());
        Assert.Equal("Field Notes", await page.Locator("[data-site-link=notes]").TextContentAsync());
        Assert.Contains("operator", await page.Locator("nav").TextContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForAddressAsync("**/login");

        // Setup is gone once an administrator exists.
        var gone = await page.GotoAsync("/setup");
        Assert.Equal(404, gone!.Status);

        await page.GotoAsync("/account");
        await page.WaitForAddressAsync("**/login?ReturnUrl=%2Faccount");
        await page.FillAsync("#login", "operator");
        await page.FillAsync("#password", "wrong password here");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        Assert.Contains("Unknown login or wrong password", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);

        await page.FillAsync("#password", "correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForAddressAsync("**/account");
        Assert.Equal("My sites", await page.Locator("h1").TextContentAsync());
    }

    [Fact]
    public async Task AccountPage_ShowsSitesAndRoles_AndCannotBeFramed()
    {
        await _server.CreateUserAsync("alice", "correct horse battery");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        var page = await NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#login", "alice");
        await page.FillAsync("#password", "correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForAddressAsync("**/account");
        Assert.Equal("administrator", await page.Locator("td[data-role]").First.TextContentAsync());

        // A page of another origin cannot frame the account page (X-Frame-Options and CSP frame-ancestors). The framing
        // page is served from another loopback port: another origin but the same site, so the browser sends the sign-in
        // cookie and the frame asks for the real account page, not the login form.
        using var framing = FramingPage($"<iframe id=f src=\"{_server.BaseUrl}/account\" onload=\"window.frameLoaded = true\"></iframe>", out var framingUrl);
        var framed = await page.Context.NewPageAsync();
        var served = framed.WaitForResponseAsync(r => r.Url == $"{_server.BaseUrl}/account");
        await framed.GotoAsync(framingUrl);
        var response = await served;
        Assert.Equal(200, response.Status); // signed in: the account page itself (a stranger is redirected to the login form)
        Assert.Equal("DENY", await response.HeaderValueAsync("x-frame-options"));
        Assert.Contains("frame-ancestors 'none'", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        // The frame has finished (its load event fires for a refused page too): it holds an error page, not the account page.
        await framed.WaitForFunctionAsync("() => window.frameLoaded === true");
        var frame = await (await framed.QuerySelectorAsync("#f"))!.ContentFrameAsync();
        Assert.NotNull(frame);
        Assert.False(frame.Url.StartsWith(_server.BaseUrl, StringComparison.Ordinal), $"the frame shows {frame.Url}");
        var content = await frame.ContentAsync();
        Assert.DoesNotContain("Garden Notes", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedInPages_OnAPhone_NoPolicyViolation_NoEmptyAlert_NoSidewaysScrolling()
    {
        await _server.CreateUserAsync("alice", "correct horse battery");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl, ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Add($"{page.Url}: console error: {message.Text}");
        };
        await page.GotoAsync("/login");
        await page.FillAsync("#login", "alice");
        await page.FillAsync("#password", "correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForAddressAsync("**/account");

        foreach (var path in new[] { "/account", "/account/welcome", "/account/connect", "/account/mcp", "/account/apps", "/account/activity", "/account/password", "/account/app-passwords", "/account/sites/garden/media" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await page.WaitForLoadStateAsync(LoadState.Load);
            var width = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            if (width[0] > width[1]) problems.Add($"{path}: {width[0]} px wide on a {width[1]} px screen");
            foreach (var alert in await page.Locator("[role=alert]").AllAsync())
                if (await alert.IsVisibleAsync() && string.IsNullOrWhiteSpace(await alert.TextContentAsync())) problems.Add($"{path}: an empty alert is shown");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Serves <paramref name="html"/> for every request on a free loopback port until disposed.</summary>
    private static HttpListener FramingPage(string html, out string url)
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        url = $"http://127.0.0.1:{port}/";
        var listener = new HttpListener();
        listener.Prefixes.Add(url);
        listener.Start();
        var body = System.Text.Encoding.UTF8.GetBytes(html);
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
        return listener;
    }
}
