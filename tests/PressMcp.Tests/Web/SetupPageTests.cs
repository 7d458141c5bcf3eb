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
        Assert.Equal("/account", response.Headers.Location?.ToString());

        // Signed in as the new administrator.
        var account = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Contains("operator", await account.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^1\s+operator\s+operator@example\.com\s+operator\s+yes$", (await CliRunner.RunAsync(_server.Store, "user", "list")).Out);

        // The page is gone for everyone, and the code no longer works.
        Assert.Equal(HttpStatusCode.NotFound, (await _server.CreateClient().GetAsync("/setup")).StatusCode);
        var again = await _server.CreateClient().PostAsync("/setup", new FormUrlEncodedContent(Form(SetupCode)));
        Assert.NotEqual(HttpStatusCode.SeeOther, again.StatusCode);
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
