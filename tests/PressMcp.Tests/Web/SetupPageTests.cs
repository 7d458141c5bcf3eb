using System.Net;
using System.Text.RegularExpressions;

namespace PressMcp.Tests.Web;

[Trait(Category.Name, Category.Integration)]
public sealed partial class SetupPageTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [GeneratedRegex(@"setup code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")]
    private static partial Regex CodeLine();

    private string SetupCode => CodeLine().Match(_server.ConsoleOutput).Groups[1].Value;

    private static Dictionary<string, string> Form(string code, string password = "correct horse battery") => new()
    {
        ["SetupCode"] = code,
        ["Login"] = "operator",
        ["Email"] = "operator@example.com",
        ["Password"] = password,
        ["ConfirmPassword"] = password,
        ["DisplayName"] = "Olga Operator",
        ["SiteTitle"] = "Field Notes",
        ["SiteSlug"] = "notes",
        ["TimeZone"] = "Europe/Madrid",
    };

    [Fact]
    public async Task Serve_OnEmptyDatabase_PrintsOneTimeCode()
    {
        Assert.Matches(CodeLine(), _server.ConsoleOutput);
        Assert.Contains($"{_server.BaseUrl}/setup", _server.ConsoleOutput, StringComparison.Ordinal);
        var client = _server.CreateClient();
        var page = await client.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_WrongCode_IsRefusedAndCreatesNobody()
    {
        var client = _server.CreateClient();
        var response = await TestServer.PostFormAsync(client, "/setup", Form("AAAA-BBBB-CCCC-DDDD"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("setup code is wrong", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/setup")).StatusCode);
        Assert.DoesNotContain("operator", (await CliRunner.RunAsync(_server.Store, "user", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_WeakPassword_IsRefusedWithReason()
    {
        var response = await TestServer.PostFormAsync(_server.CreateClient(), "/setup", Form(SetupCode, "short"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at least 10 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_WithoutAntiforgeryToken_IsRejected()
    {
        var client = _server.CreateClient();
        await client.GetAsync("/setup");
        var response = await client.PostAsync("/setup", new FormUrlEncodedContent(Form(SetupCode)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("operator", (await CliRunner.RunAsync(_server.Store, "user", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_CreatesFirstAdmin_ThenIsGone()
    {
        var client = _server.CreateClient();
        var response = await TestServer.PostFormAsync(client, "/setup", Form(SetupCode.ToLowerInvariant()));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/account/welcome", response.Headers.Location?.ToString());

        // Signed in as the new administrator, who administers the new site; the next page says what to do next.
        var welcome = TestServer.Parse(await client.GetStringAsync("/account/welcome"));
        Assert.Equal($"{_server.BaseUrl}/wpcom/v2/mcp/v1", welcome.QuerySelector("[data-mcp-url]")!.TextContent);
        Assert.Equal($"{_server.BaseUrl}/sites/notes/wp-json/mcp/mcp-adapter-default-server", welcome.QuerySelector("[data-adapter-url]")!.TextContent);
        Assert.Equal("Field Notes", welcome.QuerySelector("[data-site-link=notes]")!.TextContent);
        Assert.Contains("pressmcp import wxr export.xml --site notes", welcome.Body!.TextContent, StringComparison.Ordinal);
        var account = TestServer.Parse(await client.GetStringAsync("/account"));
        Assert.Equal("administrator", account.QuerySelector("[data-role]")!.TextContent);
        Assert.Matches(@"(?m)^1\s+operator\s+operator@example\.com\s+Olga Operator\s+yes\s+no$", (await CliRunner.RunAsync(_server.Store, "user", "list")).Out);
        var site = (await CliRunner.RunAsync(_server.Store, "site", "list")).Out;
        Assert.Contains("notes", site, StringComparison.Ordinal);
        Assert.Contains("Field Notes", site, StringComparison.Ordinal);

        // The page is gone for everyone, and the code no longer works.
        Assert.Equal(HttpStatusCode.NotFound, (await _server.CreateClient().GetAsync("/setup")).StatusCode);
        var again = await _server.CreateClient().PostAsync("/setup", new FormUrlEncodedContent(Form(SetupCode)));
        Assert.NotEqual(HttpStatusCode.SeeOther, again.StatusCode);
    }

    [Theory]
    [InlineData("SiteSlug", "Not A Slug", "may contain only lower-case letters")]
    [InlineData("SiteSlug", "wpcom", "is reserved")]
    [InlineData("SiteTitle", "", "the title is empty")]
    [InlineData("TimeZone", "Mars/Olympus", "unknown time zone")]
    [InlineData("Email", "not-an-address", "e-mail")]
    public async Task Setup_InvalidSiteOrAccount_IsRefusedWithReason_NothingCreated_PageStillOpen(string field, string value, string message)
    {
        var client = _server.CreateClient();
        var form = Form(SetupCode);
        form[field] = value;
        var response = await TestServer.PostFormAsync(client, "/setup", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, TestServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[role=alert]")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("operator", (await CliRunner.RunAsync(_server.Store, "user", "list")).Out, StringComparison.Ordinal);
        Assert.DoesNotContain("notes", (await CliRunner.RunAsync(_server.Store, "site", "list")).Out, StringComparison.Ordinal);

        // Corrected, the same code still works.
        var again = await TestServer.PostFormAsync(client, "/setup", Form(SetupCode));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
    }

    [Fact]
    public async Task Serve_WithExistingUser_HasNoSetup()
    {
        await _server.CreateUserAsync("someone", "correct horse battery");
        await using var second = await TestServer.StartAsync(_server.Store);
        Assert.DoesNotContain("setup code", second.ConsoleOutput, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await second.CreateClient().GetAsync("/setup")).StatusCode);
    }
}
