using System.Net;

namespace PressMcp.Tests.Web;

[Trait(Category.Name, Category.Integration)]
public sealed class AccountPageTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice", Password);
        await _server.CreateUserAsync("bob", "kitchen secret phrase");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "kitchen", "--title", "Kitchen", "--owner", "bob")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "kitchen", "--login", "alice", "--role", "contributor")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Account_WhenSignedOut_RedirectsToLogin()
    {
        var response = await _server.CreateClient().GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Faccount", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Login_ThenAccount_ListsSitesWithRoles()
    {
        var client = await _server.SignedInClientAsync("alice", Password);
        var html = await (await client.GetAsync("/account")).Content.ReadAsStringAsync();
        var rows = TestServer.Parse(html).QuerySelectorAll("tbody tr")
            .Select(r => (Site: r.Children[0].TextContent, Role: r.Children[1].TextContent.Trim()))
            .ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Site.Contains("Garden Notes", StringComparison.Ordinal) && r.Role == "administrator");
        Assert.Contains(rows, r => r.Site.Contains("Kitchen", StringComparison.Ordinal) && r.Role == "contributor");
        Assert.Contains($"{_server.BaseUrl}/sites/garden", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ReturnUrl_OnlyLocal()
    {
        var client = _server.CreateClient();
        var response = await TestServer.PostFormAsync(client, "/login", new() { ["Login"] = "alice", ["Password"] = Password, ["ReturnUrl"] = "https://evil.example/steal" });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/account", response.Headers.Location!.ToString());

        var local = await TestServer.PostFormAsync(_server.CreateClient(), "/login", new() { ["Login"] = "alice", ["Password"] = Password, ["ReturnUrl"] = "/account/password" });
        Assert.Equal("/account/password", local.Headers.Location!.ToString());
        var protocolRelative = await TestServer.PostFormAsync(_server.CreateClient(), "/login", new() { ["Login"] = "alice", ["Password"] = Password, ["ReturnUrl"] = "//evil.example" });
        Assert.Equal("/account", protocolRelative.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/%09/evil.example/path")]
    [InlineData("/\t/evil.example/path")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\v/evil.example")]
    [InlineData("/%0a")]
    [InlineData("/\u2028evil.example")]
    public async Task Login_ReturnUrlWithControlOrSlashTricks_RedirectsToAccount(string returnUrl)
    {
        var response = await TestServer.PostFormAsync(_server.CreateClient(), "/login", new() { ["Login"] = "alice", ["Password"] = Password, ["ReturnUrl"] = returnUrl });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/account", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_ReturnUrlNonAscii_IsSentPercentEncoded()
    {
        var response = await TestServer.PostFormAsync(_server.CreateClient(), "/login", new() { ["Login"] = "alice", ["Password"] = Password, ["ReturnUrl"] = "/sites/garden/caf\u00e9/" });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/sites/garden/caf%C3%A9/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_WrongPasswordsFromOneAddress_NeverLockTheAccount()
    {
        var client = _server.CreateClient();
        for (var i = 0; i < 9; i++)
        {
            var wrong = await TestServer.PostFormAsync(client, "/login", new() { ["Login"] = "bob", ["Password"] = "not the password" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("Unknown login or wrong password.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Identity's five-failure lockout would have shut bob out by now; he signs in from the same address.
        var right = await TestServer.PostFormAsync(client, "/login", new() { ["Login"] = "bob", ["Password"] = "kitchen secret phrase" });
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
    }

    [Fact]
    public async Task Logout_RequiresPostWithToken_ThenSignsOut()
    {
        var client = await _server.SignedInClientAsync("alice", Password);
        var forged = await client.PostAsync("/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account")).StatusCode);

        var response = await TestServer.PostFormAsync(client, "/logout", []);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_ChecksCurrentAndRules_ThenNewPasswordWorks()
    {
        var client = await _server.SignedInClientAsync("alice", Password);
        var wrongCurrent = await TestServer.PostFormAsync(client, "/account/password", new() { ["CurrentPassword"] = "nope nope nope", ["NewPassword"] = "a fresh passphrase", ["ConfirmPassword"] = "a fresh passphrase" });
        Assert.Contains("current password is wrong", await wrongCurrent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mismatch = await TestServer.PostFormAsync(client, "/account/password", new() { ["CurrentPassword"] = Password, ["NewPassword"] = "a fresh passphrase", ["ConfirmPassword"] = "different one!!" });
        Assert.Contains("do not match", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var weak = await TestServer.PostFormAsync(client, "/account/password", new() { ["CurrentPassword"] = Password, ["NewPassword"] = "short", ["ConfirmPassword"] = "short" });
        Assert.Contains("at least 10 characters", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var ok = await TestServer.PostFormAsync(client, "/account/password", new() { ["CurrentPassword"] = Password, ["NewPassword"] = "a fresh passphrase", ["ConfirmPassword"] = "a fresh passphrase" });
        Assert.Equal(HttpStatusCode.SeeOther, ok.StatusCode);
        // This session continues; the old password no longer signs in, the new one does.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account")).StatusCode);
        var old = await TestServer.PostFormAsync(_server.CreateClient(), "/login", new() { ["Login"] = "alice", ["Password"] = Password });
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        await _server.SignedInClientAsync("alice", "a fresh passphrase");
    }

    [Fact]
    public async Task ForwardedHeaders_FromUntrustedPeer_AreIgnored()
    {
        var client = _server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/account");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Host = "evil.example";
        var response = await client.SendAsync(request);
        // No absolute URL is built from the forged headers or the Host header.
        Assert.Equal("/login?ReturnUrl=%2Faccount", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ForwardedHeaders_FromATrustedProxy_AreHonoured()
    {
        await using var behindProxy = await TestServer.StartAsync(_server.Store, trustedProxies: ["127.0.0.1"]);
        var request = new HttpRequestMessage(HttpMethod.Post, "/login");
        var client = behindProxy.CreateClient();
        var page = await client.GetAsync("/login");
        var token = TestServer.AntiforgeryToken(await page.Content.ReadAsStringAsync())!;
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = Password, ["__RequestVerificationToken"] = token });
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        // The proxy said the client spoke https: the sign-in cookie is marked Secure.
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pressmcp.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);

        // The same request to the server that trusts no proxy: plain http, no Secure flag.
        var direct = _server.CreateClient();
        var token2 = TestServer.AntiforgeryToken(await (await direct.GetAsync("/login")).Content.ReadAsStringAsync())!;
        var plain = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = Password, ["__RequestVerificationToken"] = token2 }),
        };
        plain.Headers.Add("X-Forwarded-Proto", "https");
        var plainCookie = (await direct.SendAsync(plain)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pressmcp.auth=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", plainCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Stylesheet_IsServedFromTheExecutable()
    {
        var response = await _server.CreateClient().GetAsync("/assets/site.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("body", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
