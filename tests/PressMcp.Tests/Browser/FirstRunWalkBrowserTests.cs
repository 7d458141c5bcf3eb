using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;

namespace PressMcp.Tests.Browser;

/// <summary>
/// The whole first run on an empty server, as the README's quick start tells it: setup with the first site; the
/// official MCP C# client connected through the real consent page in Chromium; the client drafts a post; the person
/// finds it on the dashboard, edits it, compares it with the agent's version, publishes it; it is on the public site.
/// With <c>PRESSMCP_SCREENSHOTS=DIR</c> the walk saves the README's screenshots there (scripts/screenshots.sh).
/// </summary>
[Trait(Category.Name, Category.Browser)]
public sealed partial class FirstRunWalkBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Redirect = "http://localhost:1179/callback";
    private TestServer _server = null!;
    private readonly string? _shots = Environment.GetEnvironmentVariable("PRESSMCP_SCREENSHOTS");

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [GeneratedRegex(@"setup code: ([A-Z0-9-]{19})")]
    private static partial Regex CodeLine();

    private async Task ShotAsync(IPage page, string name)
    {
        if (string.IsNullOrEmpty(_shots)) return;
        Directory.CreateDirectory(_shots);
        await page.Locator("h1").First.WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_shots, name + ".png"), FullPage = true });
    }

    [Fact]
    public async Task FirstRun_SetupConnectDraftReviewPublish()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add($"{page.Url}: {m.Text}"); };

        // 1. Setup: the first administrator and the first site, in one form.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Set it up" }).ClickAsync();
        await page.FillAsync("#code", CodeLine().Match(_server.ConsoleOutput).Groups[1].Value);
        await page.FillAsync("#login", "olga");
        await page.FillAsync("#display", "Olga Owner");
        await page.FillAsync("#email", "olga@example.com");
        await page.FillAsync("#password", Password);
        await page.FillAsync("#confirm", Password);
        await page.FillAsync("#site-title", "Field Notes");
        await page.FillAsync("#site-slug", "notes");
        await ShotAsync(page, "1-setup");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create administrator and site" }).ClickAsync();
        await page.WaitForAddressAsync("**/account/welcome");
        await ShotAsync(page, "2-welcome");

        // 2. The page that says what to paste into an AI app.
        await page.GetByRole(AriaRole.Link, new() { Name = "Connect an app" }).First.ClickAsync();
        await page.WaitForAddressAsync("**/account/connect");
        var mcpUrl = await page.Locator("input[data-mcp-url]").InputValueAsync();
        Assert.Equal(_server.BaseUrl + "/wpcom/v2/mcp/v1", mcpUrl);
        await ShotAsync(page, "3-connect");

        // 3. Let agents write drafts: MCP on, and the one write tool the agent will use switched on.
        await page.GotoAsync("/account/mcp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn MCP access on" }).ClickAsync();
        await page.WaitForAddressAsync("**/account/mcp?saved=master");
        await page.Locator("input[data-ability='posts/create']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save tool switches" }).ClickAsync();
        await page.WaitForAddressAsync("**/account/mcp?saved=tools");
        Assert.True(await page.Locator("input[data-ability='posts/create']").IsCheckedAsync());

        // 4. The official MCP C# client connects; each authorization opens the real consent page in this browser.
        var consents = 0;
        // The client's redirect URI is not a server here: the browser's request to it is answered by this route, which
        // hands the address (code, state, iss) to the authorization in progress. One route for the whole walk, so a
        // late request to it never meets a closed port.
        TaskCompletionSource<string>? callback = null;
        await page.RouteAsync(Redirect + "**", async route =>
        {
            callback?.TrySetResult(route.Request.Url);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/plain", Body = "You can close this window." });
        });
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(mcpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            EnableStandaloneGetStream = false,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri(Redirect),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "Garden Agent" },
                AuthorizationCallbackHandler = async (authorization, ct) =>
                {
                    var current = callback = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                    await page.GotoAsync(authorization.AuthorizationUri.ToString());
                    Assert.Contains("Garden Agent", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
                    if (consents++ == 0) await ShotAsync(page, "4-consent");
                    await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
                    var url = new Uri(await current.Task.WaitAsync(TimeSpan.FromSeconds(20), ct));
                    // The route answers before the browser has finished that navigation: the walk's next page, opened
                    // meanwhile, would be interrupted by it (CI saw it once).
                    await page.WaitForURLAsync(Redirect + "**", new() { WaitUntil = WaitUntilState.Load });
                    var query = OAuthTestServer.QueryOf(url);
                    return new AuthorizationResult { Code = query["code"], State = query["state"], Iss = query["iss"] };
                },
            },
        };
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(options));

        // 5. The agent drafts a post (the user confirmed it, as the tool asks).
        const string title = "Tomatoes in a cold spring";
        var drafted = await client.CallToolAsync("wpcom-mcp-content-authoring", new Dictionary<string, object?>
        {
            ["wpcom_site"] = "notes",
            ["action"] = "execute",
            ["operation"] = "posts.create",
            ["params"] = new Dictionary<string, object?> { ["title"] = title, ["content"] = "<p>Tomatoes need sun.</p>" },
            ["user_confirmed"] = true,
        });
        Assert.NotEqual(true, drafted.IsError);
        var result = drafted.StructuredContent!.Value.GetProperty("result");
        var postId = result.GetProperty("id").GetInt64();
        Assert.Equal("draft", result.GetProperty("status").GetString());

        // 6. The person finds the agent's draft on the dashboard, marked with the app's name.
        await page.GotoAsync("/account/sites/notes");
        var draftLink = page.GetByRole(AriaRole.Link, new() { Name = title }).First;
        await Assertions.Expect(draftLink).ToBeVisibleAsync();
        Assert.Contains("Garden Agent", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "5-dashboard");
        await draftLink.ClickAsync();
        await page.WaitForAddressAsync($"**/account/sites/notes/posts/{postId}");

        // 7. Edits it in the editor (the agent's version becomes a revision).
        await page.FillAsync("#editor-content", "<p>Tomatoes need full sun and warm nights.</p>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync($"**/account/sites/notes/posts/{postId}");
        Assert.Equal("<p>Tomatoes need full sun and warm nights.</p>", await page.InputValueAsync("#editor-content"));
        await ShotAsync(page, "6-editor");

        // 8. Compares the agent's version with the current one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare the chosen versions" }).ClickAsync();
        await page.WaitForAddressAsync("**/compare**");
        var compared = await page.Locator("main").TextContentAsync();
        Assert.Contains("Tomatoes need sun.", compared, StringComparison.Ordinal);
        Assert.Contains("warm nights", compared, StringComparison.Ordinal);
        await ShotAsync(page, "7-compare");

        // 9. Publishes it.
        await page.GotoAsync($"/account/sites/notes/posts/{postId}");
        await page.Locator("input[name='Input.Status'][value='publish']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync($"**/account/sites/notes/posts/{postId}");
        Assert.True(await page.Locator("input[name='Input.Status'][value='publish']").IsCheckedAsync());

        // 10. It is on the public site, as the person wrote it.
        await page.GotoAsync("/sites/notes/");
        await page.GetByRole(AriaRole.Link, new() { Name = title }).First.ClickAsync();
        await page.WaitToLeaveAsync("/sites/notes/$");
        await Assertions.Expect(page.Locator("article")).ToContainTextAsync("warm nights");
        await ShotAsync(page, "8-public");

        Assert.True(consoleErrors.Count == 0, string.Join("\n", consoleErrors));
    }
}
