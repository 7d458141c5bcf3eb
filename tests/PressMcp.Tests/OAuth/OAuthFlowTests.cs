using System.Net;

namespace PressMcp.Tests.OAuth;

/// <summary>The whole flow through the real HTTP pipeline: register → authorize (login, consent) → token → MCP call → refresh → revoke.</summary>
[Trait(Category.Name, Category.Storage)]
public sealed class OAuthFlowTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task FullFlow_RegisterAuthorizeTokenCallRefreshRevoke_Works()
    {
        // Register.
        var clientId = await _s.RegisterClientAsync();

        // Authorize: a signed-out browser is sent to the sign-in page and comes back to the same request.
        var pkce = Pkce.New();
        var authorize = OAuthTestServer.AuthorizePath(clientId, pkce, resource: _s.Wpcom);
        var browser = _s.Anonymous();
        var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginPath = toLogin.Headers.Location!.ToString();
        Assert.StartsWith("/login?ReturnUrl=", loginPath, StringComparison.Ordinal);
        var signedIn = await TestServer.PostFormAsync(browser, "/login", new() { ["Login"] = "alice", ["Password"] = OAuthTestServer.Password, ["ReturnUrl"] = authorize }, loginPath);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal(authorize, signedIn.Headers.Location!.ToString());

        // Consent: approve with one site chosen.
        var consent = await browser.GetAsync(authorize);
        Assert.True(consent.Headers.CacheControl?.NoStore);
        var approved = await OAuthTestServer.DecideAsync(browser, authorize, siteTitles: ["Garden Notes"]);
        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
        var location = approved.Headers.Location!;
        Assert.StartsWith(OAuthTestServer.Redirect + "?", location.ToString(), StringComparison.Ordinal);
        var query = OAuthTestServer.QueryOf(location);
        Assert.Equal("st-123", query["state"]);
        Assert.Equal(_s.BaseUrl, query["iss"]);

        // Token.
        var (tokenResponse, json) = await _s.TokenAsync(OAuthTestServer.CodeForm(clientId, query["code"], pkce));
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal("no-store", tokenResponse.Headers.CacheControl?.ToString());
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(3600, json.GetProperty("expires_in").GetInt32());
        Assert.Equal("auth", json.GetProperty("scope").GetString());
        var tokens = OAuthTestServer.ToTokens(json);

        // Call the real MCP endpoint: the connection reaches the one site chosen, as the user who approved it.
        var call = await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-user-sites");
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var result = (await OAuthTestServer.JsonOf(call)).GetProperty("result");
        Assert.False(result.GetProperty("isError").GetBoolean());
        Assert.Single(result.GetProperty("structuredContent").GetProperty("sites").EnumerateArray());
        var profile = (await OAuthTestServer.JsonOf(await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile"))).GetProperty("result");
        Assert.Equal("alice", profile.GetProperty("structuredContent").GetProperty("login").GetString());
        var info = await OAuthTestServer.JsonOf(await _s.Anonymous().PostAsync("/oauth2-1/token-info", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.AccessToken })));
        Assert.Equal(clientId, info.GetProperty("client_id").GetString());
        Assert.Equal(_s.Wpcom, info.GetProperty("resource").GetString());

        // Refresh: a new pair; the old refresh token is replaced.
        var (refreshResponse, refreshJson) = await _s.TokenAsync(OAuthTestServer.RefreshForm(clientId, tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.OK, refreshResponse.StatusCode);
        var rotated = OAuthTestServer.ToTokens(refreshJson);
        Assert.NotEqual(tokens.RefreshToken, rotated.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(rotated.AccessToken)).StatusCode);

        // Revoke the refresh token: its family ends, the access tokens with it, on the very next call.
        var revoke = await _s.Anonymous().PostAsync("/oauth2-1/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = rotated.RefreshToken, ["client_id"] = clientId, ["token_type_hint"] = "refresh_token",
        }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var refused = await _s.CallAsync(rotated.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var (again, againJson) = await _s.TokenAsync(OAuthTestServer.RefreshForm(clientId, rotated.RefreshToken));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_grant", againJson.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Authorize_ApprovedBefore_SkipsConsent()
    {
        var (clientId, _, _) = await _s.AuthorizeAsync(resource: _s.Wpcom);
        var browser = await _s.AliceAsync();
        var second = await browser.GetAsync(OAuthTestServer.AuthorizePath(clientId, Pkce.New(), resource: _s.Wpcom));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.True(OAuthTestServer.QueryOf(second.Headers.Location!).ContainsKey("code"));

        // A wider request than the approval shows the consent page again.
        var narrowClient = await _s.RegisterClientAsync(name: "Narrow");
        await _s.AuthorizeAsync(scope: "content:read", clientId: narrowClient);
        var wider = await browser.GetAsync(OAuthTestServer.AuthorizePath(narrowClient, Pkce.New(), scope: "content:read content:write"));
        Assert.Equal(HttpStatusCode.OK, wider.StatusCode);
    }

    [Fact]
    public async Task TokenInfo_LiveToken_DescribesIt_RevokedToken_IsInactive()
    {
        var (clientId, tokens) = await _s.ConnectAsync(scope: "content:read", sites: ["Kitchen"]);
        var info = await _s.Anonymous().PostAsync("/oauth2-1/token-info", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.AccessToken }));
        var json = await OAuthTestServer.JsonOf(info);
        Assert.True(json.GetProperty("active").GetBoolean());
        Assert.Equal("content:read", json.GetProperty("scope").GetString());
        Assert.Equal(clientId, json.GetProperty("client_id").GetString());
        Assert.Equal(_s.Wpcom, json.GetProperty("resource").GetString());
        Assert.Equal(1, json.GetProperty("sites").GetArrayLength());
        Assert.True(json.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        await _s.Anonymous().PostAsync("/oauth2-1/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.AccessToken, ["client_id"] = clientId }));
        var after = await OAuthTestServer.JsonOf(await _s.Anonymous().PostAsync("/oauth2-1/token-info", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.AccessToken })));
        Assert.Equal("""{"active":false}""", after.GetRawText());
    }
}
