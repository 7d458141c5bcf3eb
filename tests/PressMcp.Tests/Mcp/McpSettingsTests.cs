using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using PressMcp.Mcp.Settings;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// MCP settings end to end: the consent page's offer, the settings page's switches and per-site modes, each
/// applying to the very next call through the real endpoint, and never widening what the role allows.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class McpSettingsTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<JsonElement> ToolAsync(string token, string tool, object? arguments = null)
    {
        var response = await _s.CallToolAsync(token, tool, arguments);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await OAuthTestServer.JsonOf(response)).GetProperty("result");
    }

    private async Task<List<string>> ToolNamesAsync(string token)
    {
        var json = await OAuthTestServer.JsonOf(await _s.CallAsync(token));
        return json.GetProperty("result").GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
    }

    private static string Text(JsonElement result) => result.GetProperty("content")[0].GetProperty("text").GetString()!;

    /// <summary>Posts a settings form as the signed-in browser would: the page's antiforgery token and the given fields.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string handler, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var html = await (await browser.GetAsync("/account/mcp")).Content.ReadAsStringAsync();
        var all = fields.ToList();
        if (withToken) all.Add(new("__RequestVerificationToken", TestServer.AntiforgeryToken(html)!));
        return await browser.PostAsync($"/account/mcp?handler={handler}", new FormUrlEncodedContent(all));
    }

    [Fact]
    public async Task NewAccount_McpIsOff_AndConsentOffersTurningItOn()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"], enableMcp: false);
        Assert.Empty(await ToolNamesAsync(tokens.AccessToken));
        var refused = await ToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile");
        Assert.True(refused.GetProperty("isError").GetBoolean());
        Assert.Contains("MCP access is turned off", Text(refused), StringComparison.Ordinal);

        // Connecting again (a new app) with the box ticked turns it on: read tools only.
        var (_, second) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var names = await ToolNamesAsync(second.AccessToken);
        Assert.Contains("wpcom-mcp-user-profile", names);
        Assert.Contains("wpcom-mcp-posts-search", names);
        Assert.False((await ToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile")).GetProperty("isError").GetBoolean());

        // Once on, the consent page no longer offers it.
        var browser = await _s.AliceAsync();
        var client = await _s.RegisterClientAsync();
        var page = await browser.GetAsync(OAuthTestServer.AuthorizePath(client, Pkce.New()));
        Assert.Null(TestServer.Parse(await page.Content.ReadAsStringAsync()).QuerySelector("input[name=enable_mcp]"));
    }

    [Fact]
    public async Task SettingsPage_ToolSwitchesApplyToTheNextCall()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var browser = await _s.AliceAsync();
        var html = await (await browser.GetAsync("/account/mcp")).Content.ReadAsStringAsync();
        var doc = TestServer.Parse(html);
        Assert.NotNull(doc.QuerySelector("[data-mcp-state=on]"));
        var boxes = doc.QuerySelectorAll("form[data-tools] input[name=on]").Cast<IHtmlInputElement>().ToList();
        Assert.Contains(boxes, b => b.Value == "posts/search" && b.IsChecked);
        Assert.Contains(boxes, b => b.Value == "user/profile" && b.IsChecked);

        // Untick posts/search, keep every other ticked box.
        var keep = boxes.Where(b => b.IsChecked && b.Value != "posts/search").Select(b => new KeyValuePair<string, string>("on", b.Value));
        Assert.Equal(HttpStatusCode.SeeOther, (await PostAsync(browser, "Tools", keep)).StatusCode);

        var refused = await ToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "garden" });
        Assert.True(refused.GetProperty("isError").GetBoolean());
        Assert.Contains("switched off posts/search", Text(refused), StringComparison.Ordinal);
        Assert.DoesNotContain("wpcom-mcp-posts-search", await ToolNamesAsync(tokens.AccessToken));
        Assert.False((await ToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile")).GetProperty("isError").GetBoolean());

        // The master switch off refuses everything, on restores the saved switches.
        Assert.Equal(HttpStatusCode.SeeOther, (await PostAsync(browser, "Master", [new("enabled", "false")])).StatusCode);
        Assert.Contains("turned off", Text(await ToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostAsync(browser, "Master", [new("enabled", "true")])).StatusCode);
        Assert.False((await ToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile")).GetProperty("isError").GetBoolean());
        Assert.True((await ToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "garden" })).GetProperty("isError").GetBoolean());
    }

    [Fact]
    public async Task SettingsPage_SiteBlockedOrReadOnly_OtherSitesUntouched()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes", "Kitchen"]);
        var browser = await _s.AliceAsync();
        var doc = TestServer.Parse(await (await browser.GetAsync("/account/mcp")).Content.ReadAsStringAsync());
        var selects = doc.QuerySelectorAll("form[data-sites] select").Cast<IHtmlSelectElement>().ToList();
        Assert.Equal(2, selects.Count);
        var garden = selects.Single(s => s.GetAttribute("aria-label")!.Contains("Garden", StringComparison.Ordinal)).Name!;
        var kitchen = selects.Single(s => s.GetAttribute("aria-label")!.Contains("Kitchen", StringComparison.Ordinal)).Name!;

        Assert.Equal(HttpStatusCode.SeeOther, (await PostAsync(browser, "Sites", [new(garden, "Blocked"), new(kitchen, "Inherit")])).StatusCode);
        var blocked = await ToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "garden" });
        Assert.True(blocked.GetProperty("isError").GetBoolean());
        Assert.Contains("blocked all MCP tools on this site", Text(blocked), StringComparison.Ordinal);
        Assert.False((await ToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "kitchen" })).GetProperty("isError").GetBoolean());
        // The site-users tool is usable only on garden (administrator there), which is blocked: no longer listed.
        Assert.DoesNotContain("wpcom-mcp-site-users", await ToolNamesAsync(tokens.AccessToken));

        Assert.Equal(HttpStatusCode.SeeOther, (await PostAsync(browser, "Sites", [new(garden, "ReadOnly")])).StatusCode);
        Assert.False((await ToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "garden" })).GetProperty("isError").GetBoolean());
        Assert.Contains("wpcom-mcp-site-users", await ToolNamesAsync(tokens.AccessToken));

        await using var scope = _s.Server.Services.CreateAsyncScope();
        var settings = await scope.ServiceProvider.GetRequiredService<McpSettingsStore>().LoadAsync(await AliceIdAsync(), whole: true);
        Assert.Equal(SiteMcpMode.ReadOnly, settings.ModeOn(await SiteIdAsync("garden")));

        var bad = await PostAsync(browser, "Sites", [new(garden, "Everything")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("unknown mode", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsPage_NeedsSignInAndAntiforgery()
    {
        var anonymous = await _s.Anonymous().GetAsync("/account/mcp");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var browser = await _s.AliceAsync();
        var forged = await PostAsync(browser, "Master", [new("enabled", "true")], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await using var scope = _s.Server.Services.CreateAsyncScope();
        Assert.False((await scope.ServiceProvider.GetRequiredService<McpSettingsStore>().LoadAsync(await AliceIdAsync())).Enabled);
    }

    private async Task<long> AliceIdAsync()
    {
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressMcp.Storage.PressDbContext>();
        return db.Users.Single(u => u.UserName == "alice").Id;
    }

    private async Task<long> SiteIdAsync(string slug)
    {
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressMcp.Storage.PressDbContext>();
        return db.Sites.Single(s => s.Slug == slug).Id;
    }
}
