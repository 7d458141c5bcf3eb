using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.Accounts;

/// <summary>
/// A disabled account stops working everywhere at once: the sign-in page, a session already open in a browser, an
/// OAuth access token on the MCP endpoint, an Application Password on a site's MCP Adapter endpoint; enabling it
/// restores all but the ended session.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class DisabledAccountTests : IAsyncLifetime
{
    private const string RootPassword = "operator passphrase";
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        await _s.Server.CreateUserAsync("root", RootPassword, serverAdmin: true);
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task DisableFromUsersPage_EndsSessionTokensAndAppPasswords_EnableRestoresThem()
    {
        var (_, tokens) = await _s.ConnectAsync();
        var appPassword = AdapterCalls.Basic("alice", await AdapterCalls.CreatePasswordAsync(_s.Server.Store, "alice", "Laptop"));
        var browser = await _s.AliceAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdapterList(appPassword)).StatusCode);

        var root = await _s.Server.SignedInClientAsync("root", RootPassword);
        var disabled = await TestServer.PostFormAsync(root, "/account/admin/users?handler=Disable", new() { ["id"] = await IdOf("alice") }, "/account/admin/users");
        Assert.Equal(HttpStatusCode.SeeOther, disabled.StatusCode);

        // The open session ends on its very next request, and its cookie is deleted.
        var after = await browser.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdapterList(appPassword)).StatusCode);

        var signIn = await TestServer.PostFormAsync(_s.Anonymous(), "/login", new() { ["Login"] = "alice", ["Password"] = OAuthTestServer.Password });
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Contains("This account is disabled", TestServer.Parse(await signIn.Content.ReadAsStringAsync()).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        // A wrong password is answered as for anyone: the state of the account is not told to a guesser.
        var wrong = await TestServer.PostFormAsync(_s.Anonymous(), "/login", new() { ["Login"] = "alice", ["Password"] = "not her password" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var enabled = await CliRunner.RunAsync(_s.Server.Store, "user", "enable", "--login", "alice");
        Assert.Equal(0, enabled.ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdapterList(appPassword)).StatusCode);
        var again = await _s.AliceAsync();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task DisableCommand_RefusesTheAuthorizePageSignIn_AndTheLastServerAdministrator()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_s.Server.Store, "user", "disable", "--login", "alice")).ExitCode);
        var browser = _s.Anonymous();
        var clientId = await _s.RegisterClientAsync();
        var authorize = OAuthTestServer.AuthorizePath(clientId, Pkce.New());
        // The consent page sends her to sign in, and the sign-in refuses her.
        var consent = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var signIn = await TestServer.PostFormAsync(browser, "/login", new() { ["Login"] = "alice", ["Password"] = OAuthTestServer.Password, ["ReturnUrl"] = authorize });
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(authorize)).StatusCode);

        var last = await CliRunner.RunAsync(_s.Server.Store, "user", "disable", "--login", "root");
        Assert.NotEqual(0, last.ExitCode);
        Assert.Contains("last enabled server administrator", last.ToString(), StringComparison.Ordinal);
        using var scope = _s.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        Assert.Null(await db.Users.Where(u => u.UserName == "root").Select(u => u.DisabledUtc).SingleAsync());
    }

    private Task<HttpResponseMessage> AdapterList(System.Net.Http.Headers.AuthenticationHeaderValue auth) =>
        AdapterCalls.PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), AdapterCalls.Rpc("tools/list"), auth);

    private async Task<string> IdOf(string login)
    {
        using var scope = _s.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var id = await db.Users.Where(u => u.UserName == login).Select(u => u.Id).SingleAsync();
        return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
