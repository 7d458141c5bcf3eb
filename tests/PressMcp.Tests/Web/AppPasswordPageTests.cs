using System.Net;
using AngleSharp.Html.Dom;
using static PressMcp.Tests.Infrastructure.AdapterCalls;

namespace PressMcp.Tests.Web;

/// <summary><c>/account/app-passwords</c> over HTTP as a browser uses it: antiforgery on every POST, shown once, revoke one or all.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AppPasswordPageTests : IAsyncLifetime
{
    private const string Page = "/account/app-passwords";
    private OAuthTestServer _s = null!;
    private HttpClient _alice = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        _alice = await _s.AliceAsync();
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<IHtmlDocument> GetAsync(HttpClient client)
    {
        var response = await client.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        return TestServer.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<string> CreateAsync(HttpClient client, string name, bool enableMcp = true)
    {
        var fields = new Dictionary<string, string> { ["name"] = name };
        if (enableMcp) fields["enable_mcp"] = "read";
        var response = await TestServer.PostFormAsync(client, Page + "?handler=Create", fields, Page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = TestServer.Parse(await response.Content.ReadAsStringAsync());
        return doc.QuerySelector("[data-new-password] [data-password]")!.TextContent;
    }

    private async Task<HttpStatusCode> ToolsListAsync(string password) =>
        (await PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), Rpc("tools/list"), Basic("alice", password))).StatusCode;

    [Fact]
    public async Task SignedOut_RedirectsToLogin_AccountPageLinksHere()
    {
        var response = await _s.Anonymous().GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var account = TestServer.Parse(await (await _alice.GetAsync("/account")).Content.ReadAsStringAsync());
        Assert.NotNull(account.QuerySelector($"a[href='{Page}']"));
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRefused()
    {
        foreach (var handler in new[] { "Create", "Revoke", "RevokeAll" })
        {
            var forged = await _alice.PostAsync($"{Page}?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "forged", ["id"] = "1" }));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        Assert.Empty((await GetAsync(_alice)).QuerySelectorAll("[data-app-password]"));
    }

    [Fact]
    public async Task Create_ShowsThePasswordOnce_ItWorksAtTheAdapter_AndIsListed()
    {
        var password = await CreateAsync(_alice, "Cursor");
        Assert.Matches("^[A-Za-z0-9]{4}( [A-Za-z0-9]{4}){5}$", password);
        Assert.Equal(HttpStatusCode.OK, await ToolsListAsync(password));

        var page = await GetAsync(_alice);
        Assert.Null(page.QuerySelector("[data-new-password]"));
        Assert.DoesNotContain(password, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        var row = Assert.Single(page.QuerySelectorAll("[data-app-password]"));
        Assert.Equal("Cursor", row.Children[0].TextContent);
        Assert.Contains(_s.SiteEndpoint("garden"), page.DocumentElement.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DuplicateOrEmptyName_SaysWhy()
    {
        await CreateAsync(_alice, "Cursor");
        var dup = await TestServer.PostFormAsync(_alice, Page + "?handler=Create", new() { ["name"] = "cursor" }, Page);
        Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);
        Assert.Contains("already exists", TestServer.Parse(await dup.Content.ReadAsStringAsync()).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        var empty = await TestServer.PostFormAsync(_alice, Page + "?handler=Create", new() { ["name"] = " " }, Page);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Create_OffersToTurnMcpOn_WhileItIsOff()
    {
        Assert.NotNull((await GetAsync(_alice)).QuerySelector("input[name=enable_mcp]"));
        var password = await CreateAsync(_alice, "without MCP", enableMcp: false);
        var refused = await PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), Execute("posts/search"), Basic("alice", password));
        Assert.Contains("MCP access is turned off", Error(await JsonOf(refused)).Message, StringComparison.Ordinal);

        await CreateAsync(_alice, "with MCP");
        Assert.Null((await GetAsync(_alice)).QuerySelector("input[name=enable_mcp]"));
        var ok = await PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), Execute("posts/search"), Basic("alice", password));
        Assert.True(TextResult(await JsonOf(ok)).TryGetProperty("posts", out _));
    }

    [Fact]
    public async Task RevokeOne_ThenAll_EachRefusedOnTheNextCall()
    {
        var first = await CreateAsync(_alice, "one");
        var second = await CreateAsync(_alice, "two");
        var id = (await GetAsync(_alice)).QuerySelectorAll("[data-app-password]").First(r => r.Children[0].TextContent == "one").GetAttribute("data-app-password")!;

        var revoke = await TestServer.PostFormAsync(_alice, Page + "?handler=Revoke", new() { ["id"] = id }, Page);
        Assert.Equal(HttpStatusCode.SeeOther, revoke.StatusCode);
        Assert.Equal(Page + "?revoked=one", revoke.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, await ToolsListAsync(first));
        Assert.Equal(HttpStatusCode.OK, await ToolsListAsync(second));

        var all = await TestServer.PostFormAsync(_alice, Page + "?handler=RevokeAll", [], Page);
        Assert.Equal(HttpStatusCode.SeeOther, all.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ToolsListAsync(second));
        Assert.Empty((await GetAsync(_alice)).QuerySelectorAll("[data-app-password]"));
    }

    [Fact]
    public async Task Revoke_AnotherUsersPassword_ChangesNothing()
    {
        var password = await CreateAsync(_alice, "alice's");
        var id = (await GetAsync(_alice)).QuerySelector("[data-app-password]")!.GetAttribute("data-app-password")!;
        var bob = await _s.Server.SignedInClientAsync("bob", "kitchen secret phrase");
        Assert.Equal(HttpStatusCode.SeeOther, (await TestServer.PostFormAsync(bob, Page + "?handler=Revoke", new() { ["id"] = id }, Page)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await TestServer.PostFormAsync(bob, Page + "?handler=RevokeAll", [], Page)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await ToolsListAsync(password));
    }
}
