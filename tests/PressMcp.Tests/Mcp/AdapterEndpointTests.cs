using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using PressMcp.Accounts;
using static PressMcp.Tests.Infrastructure.AdapterCalls;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// A site's MCP Adapter endpoint over real HTTP: Basic with Application Passwords (made by the real command line),
/// the failure limit, revocation, lockout, bearer tokens for the site's own resource, routing by path and host name.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AdapterEndpointTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;
    private string _garden = "";
    private string _password = "";

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["PressMcp:RateLimits:AppPasswordFailures:PermitLimit"] = "3",
            ["PressMcp:RateLimits:AppPasswordFailures:WindowSeconds"] = "300",
        });
        _garden = _s.SiteEndpoint("garden");
        _password = await CreatePasswordAsync(_s.Server.Store, "alice", "Laptop agent");
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string body, AuthenticationHeaderValue? auth, string? url = null, Action<HttpRequestMessage>? tweak = null) =>
        AdapterCalls.PostAsync(_s.Anonymous(), url ?? _garden, body, auth, tweak);

    private async Task<List<string>> ToolNamesAsync(AuthenticationHeaderValue auth)
    {
        var response = await PostAsync(Rpc("tools/list"), auth);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonOf(response)).GetProperty("result").GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
    }

    [Fact]
    public async Task Basic_AppPassword_ListsTheThreeTools()
    {
        Assert.Matches("^[A-Za-z0-9]{4}( [A-Za-z0-9]{4}){5}$", _password);
        Assert.Equal(["mcp-adapter-discover-abilities", "mcp-adapter-get-ability-info", "mcp-adapter-execute-ability"], await ToolNamesAsync(Basic("alice", _password)));
    }

    [Fact]
    public async Task Basic_SpacesIgnored_LoginAnyCase()
    {
        Assert.Equal(3, (await ToolNamesAsync(Basic("ALICE", _password.Replace(" ", "", StringComparison.Ordinal)))).Count);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("alice", "AAAA BBBB CCCC DDDD EEEE FFFF")]
    [InlineData("alice", "correct horse battery")]
    [InlineData("nobody", null)]
    public async Task Basic_WrongLoginOrPassword_Is401_InWordPressShape(string login, string? password)
    {
        // Includes the account's own password: it does not open the API; only application passwords do.
        var response = await PostAsync(Rpc("tools/list"), Basic(login, password ?? _password));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"PressMcp\"", response.Headers.WwwAuthenticate.ToString());
        var json = await JsonOf(response);
        Assert.Equal("invalid_application_password", json.GetProperty("code").GetString());
        Assert.Equal(401, json.GetProperty("data").GetProperty("status").GetInt32());
        Assert.Contains("not valid", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic bm9jb2xvbg==")]
    public async Task Basic_Malformed_Is401(string header)
    {
        var response = await PostAsync(Rpc("tools/list"), null, tweak: r => r.Headers.TryAddWithoutValidation("Authorization", header));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_application_password", (await JsonOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Basic_OpensNothingElse_NotPagesNorTheWpcomEndpoint()
    {
        var page = new HttpRequestMessage(HttpMethod.Get, "/account");
        page.Headers.Authorization = Basic("alice", _password);
        var account = await _s.Anonymous().SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.StartsWith("/login", account.Headers.Location!.ToString(), StringComparison.Ordinal);

        var wpcom = await PostAsync(Rpc("tools/list"), Basic("alice", _password), _s.Wpcom);
        Assert.Equal(HttpStatusCode.Unauthorized, wpcom.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", wpcom.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredentials_Is401_OfferingBothBearerAndBasic()
    {
        var response = await PostAsync(Rpc("tools/list"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenges = response.Headers.WwwAuthenticate.Select(h => h.ToString()).ToList();
        Assert.Contains($"Bearer resource_metadata=\"{_s.BaseUrl}/.well-known/oauth-protected-resource/sites/garden/wp-json/mcp/mcp-adapter-default-server\", scope=\"auth\"", challenges);
        Assert.Contains("Basic realm=\"PressMcp\"", challenges);
        Assert.Equal("rest_not_logged_in", (await JsonOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task RepeatedFailures_Are429WithRetryAfter_ThenTheWindowEnds()
    {
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Rpc("tools/list"), Basic("alice", "guess" + i))).StatusCode);

        // Past the limit even the right password is refused, so the answer tells a guesser nothing.
        var limited = await PostAsync(Rpc("tools/list"), Basic("alice", _password));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 300);
        Assert.Equal("too_many_failed_attempts", (await JsonOf(limited)).GetProperty("code").GetString());

        _s.Clock.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal(3, (await ToolNamesAsync(Basic("alice", _password))).Count);
    }

    [Fact]
    public async Task SuccessfulCalls_AreNotCounted()
    {
        for (var i = 0; i < 6; i++) Assert.Equal(3, (await ToolNamesAsync(Basic("alice", _password))).Count);
    }

    [Fact]
    public async Task Revoke_TakesEffectOnTheNextCall()
    {
        var auth = Basic("alice", _password);
        Assert.Equal(3, (await ToolNamesAsync(auth)).Count);
        var revoke = await CliRunner.RunAsync(_s.Server.Store, "app-password", "revoke", "--login", "alice", "--name", "laptop AGENT");
        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Rpc("tools/list"), auth)).StatusCode);
    }

    [Fact]
    public async Task LockedWebSignIn_DoesNotRefuseAppPasswords()
    {
        // A lock of the web sign-in (failed account passwords, which anyone can send) must not shut the user's agents out.
        Assert.Equal(3, (await ToolNamesAsync(Basic("alice", _password))).Count);
        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync("alice"))!, DateTimeOffset.UtcNow.AddYears(100));
        }
        Assert.Equal(3, (await ToolNamesAsync(Basic("alice", _password))).Count);
    }

    [Fact]
    public async Task LastUsed_IsRecorded_AtMostOnceADay()
    {
        async Task<string> ListAsync() => (await CliRunner.RunAsync(_s.Server.Store, "app-password", "list", "--login", "alice")).Out;
        string Now() => _s.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("never", await ListAsync(), StringComparison.Ordinal);

        _s.Clock.Advance(TimeSpan.FromHours(1));
        await ToolNamesAsync(Basic("alice", _password));
        var firstUse = Now();
        var listed = await ListAsync();
        Assert.Contains(firstUse, listed, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", listed, StringComparison.Ordinal);

        _s.Clock.Advance(TimeSpan.FromHours(2));
        await ToolNamesAsync(Basic("alice", _password));
        listed = await ListAsync();
        Assert.Contains(firstUse, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(Now(), listed, StringComparison.Ordinal);

        _s.Clock.Advance(TimeSpan.FromHours(22));
        await ToolNamesAsync(Basic("alice", _password));
        Assert.Contains(Now(), await ListAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_ForThisSitesEndpoint_IsAccepted_AWpcomTokenIsNot()
    {
        var (_, site) = await _s.ConnectAsync(resource: _garden, sites: ["Garden Notes"]);
        Assert.Equal(3, (await ToolNamesAsync(new AuthenticationHeaderValue("Bearer", site.AccessToken))).Count);

        var (_, wpcom) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var refused = await PostAsync(Rpc("tools/list"), new AuthenticationHeaderValue("Bearer", wpcom.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // And the site's token is refused at another site's adapter endpoint.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Rpc("tools/list"), new AuthenticationHeaderValue("Bearer", site.AccessToken), _s.SiteEndpoint("kitchen"))).StatusCode);
    }

    [Fact]
    public async Task GetIs405_DeleteNeedsCredentials_UnknownSiteIs404()
    {
        var get = await _s.Anonymous().GetAsync(_garden);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("POST", get.Content.Headers.Allow.Single());
        // DELETE ends a session (AdapterProtocolTests), so it is authenticated like POST.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.Anonymous().DeleteAsync(_garden)).StatusCode);

        var missing = await PostAsync(Rpc("tools/list"), Basic("alice", _password), _s.SiteEndpoint("nowhere"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("rest_no_route", (await JsonOf(missing)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task SitesOwnHostName_ServesTheSameEndpoint()
    {
        var created = await CliRunner.RunAsync(_s.Server.Store, "site", "create", "--slug", "blog", "--title", "Blog", "--owner", "alice", "--host", "blog.example.com");
        Assert.Equal(0, created.ExitCode);
        var response = await PostAsync(Execute("site/settings", new { sections = new[] { "general" } }), Basic("alice", _password),
            _s.BaseUrl + "/wp-json/mcp/mcp-adapter-default-server", r => r.Headers.Host = "blog.example.com");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Blog", TextResult(await JsonOf(response)).GetProperty("general").GetProperty("title").GetString());

        // Without credentials it names the host endpoint's own metadata (its resource).
        var anonymous = await PostAsync(Rpc("tools/list"), null, _s.BaseUrl + "/wp-json/mcp/mcp-adapter-default-server", r => r.Headers.Host = "blog.example.com");
        Assert.Contains("resource_metadata=\"https://blog.example.com/.well-known/oauth-protected-resource/wp-json/mcp/mcp-adapter-default-server\"",
            anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>Application Passwords over plain http: refused unless the client is on this machine (simulated through a trusted proxy).</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AdapterTransportTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _password = "";

    public async ValueTask InitializeAsync()
    {
        // The test client connects from 127.0.0.1, named as a trusted proxy, so X-Forwarded-For/Proto say who the client "really" is.
        _server = await TestServer.StartAsync(trustedProxies: ["127.0.0.1"]);
        await _server.CreateUserAsync("carol", "quiet river stones");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "notes", "--title", "Notes", "--owner", "carol")).ExitCode);
        _password = await CreatePasswordAsync(_server.Store, "carol", "cli");
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> FromAsync(string clientIp, string proto) =>
        AdapterCalls.PostAsync(_server.CreateClient(), $"{_server.BaseUrl}/sites/notes/wp-json/mcp/mcp-adapter-default-server", Rpc("tools/list"),
            Basic("carol", _password), r =>
            {
                r.Headers.Add("X-Forwarded-For", clientIp);
                r.Headers.Add("X-Forwarded-Proto", proto);
            });

    [Fact]
    public async Task PlainHttpFromARemoteClient_IsRefused_SayingToUseHttps()
    {
        var response = await FromAsync("203.0.113.9", "http");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal("application_passwords_https_required", json.GetProperty("code").GetString());
        Assert.Contains("https", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsFromARemoteClient_AndHttpFromLoopback_AreAccepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await FromAsync("203.0.113.9", "https")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FromAsync("127.0.0.1", "http")).StatusCode);
    }
}
