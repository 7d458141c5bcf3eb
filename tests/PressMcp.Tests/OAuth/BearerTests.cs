using System.Net;
using System.Net.Http.Json;

namespace PressMcp.Tests.OAuth;

/// <summary>BearerAuthenticator at the MCP endpoints (WordPress.com-style and a site's adapter endpoint): challenges, resource binding, expiry, revocation, scopes.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class BearerTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task NoToken_Is401_WithResourceMetadataAndScope()
    {
        var response = await _s.CallAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer resource_metadata=\"{_s.BaseUrl}/.well-known/oauth-protected-resource/wpcom/v2/mcp/v1\", scope=\"auth\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task NoToken_AtSiteEndpoint_NamesThatEndpointsMetadata()
    {
        var response = await _s.CallAsync(null, endpoint: _s.SiteEndpoint("garden"));
        Assert.Contains($"resource_metadata=\"{_s.BaseUrl}/.well-known/oauth-protected-resource/sites/garden/wp-json/mcp/mcp-adapter-default-server\"",
            response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pmat_made-up-token")]
    [InlineData("not a token at all")]
    public async Task BadToken_Is401InvalidToken(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _s.Wpcom) { Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "tools/list" }) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var response = await _s.Anonymous().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_token", (await OAuthTestServer.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ExpiredToken_Is401InvalidToken()
    {
        var (_, tokens) = await _s.ConnectAsync();
        _s.Clock.Advance(TimeSpan.FromMinutes(61));
        var response = await _s.CallAsync(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenForAnotherResource_Is401InvalidToken()
    {
        var (_, tokens) = await _s.ConnectAsync(resource: _s.SiteEndpoint("garden"), sites: ["Garden Notes"]);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken, endpoint: _s.SiteEndpoint("garden"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(tokens.AccessToken, endpoint: _s.SiteEndpoint("kitchen"))).StatusCode);
    }

    [Fact]
    public async Task TokenInQueryString_IsIgnored()
    {
        var (_, tokens) = await _s.ConnectAsync();
        var response = await _s.Anonymous().PostAsJsonAsync(_s.Wpcom + "?access_token=" + tokens.AccessToken, new { jsonrpc = "2.0", id = 1, method = "tools/list" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsufficientScope_Is403_NamingTheScopeNeeded()
    {
        // At a site's adapter endpoint, site/settings needs settings:read; a content:read token gets the step-up.
        var endpoint = _s.SiteEndpoint("garden");
        var (_, tokens) = await _s.ConnectAsync(resource: endpoint, scope: "content:read", sites: ["Garden Notes"]);
        var call = new { ability_name = "site/settings", parameters = new { } };
        var response = await _s.CallToolAsync(tokens.AccessToken, "mcp-adapter-execute-ability", call, endpoint);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"settings:read\", resource_metadata=\"{_s.BaseUrl}/.well-known/oauth-protected-resource/sites/garden/wp-json/mcp/mcp-adapter-default-server\"",
            response.Headers.WwwAuthenticate.ToString());
        var (_, reader) = await _s.ConnectAsync(resource: endpoint, scope: "settings:read", sites: ["Garden Notes"]);
        var ok = await _s.CallToolAsync(reader.AccessToken, "mcp-adapter-execute-ability", call, endpoint);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True((await OAuthTestServer.JsonOf(ok)).TryGetProperty("result", out _));
    }

    [Fact]
    public async Task RevokedAccessToken_IsRefusedOnTheNextCall()
    {
        var (clientId, tokens) = await _s.ConnectAsync();
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        var revoke = await _s.Anonymous().PostAsync("/oauth2-1/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.AccessToken, ["client_id"] = clientId }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        // Revoking the access token alone leaves the refresh token working.
        var (refresh, _) = await _s.TokenAsync(OAuthTestServer.RefreshForm(clientId, tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task Revoke_ByAnotherClient_IsIgnored()
    {
        var (_, tokens) = await _s.ConnectAsync();
        var other = await _s.RegisterClientAsync(name: "Other");
        var revoke = await _s.Anonymous().PostAsync("/oauth2-1/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.AccessToken, ["client_id"] = other }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task Revoke_MissingToken_IsInvalidRequest_UnknownClientIsInvalidClient()
    {
        var clientId = await _s.RegisterClientAsync();
        var missing = await _s.Anonymous().PostAsync("/oauth2-1/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = clientId }));
        Assert.Equal("invalid_request", (await OAuthTestServer.JsonOf(missing)).GetProperty("error").GetString());
        var unknown = await _s.Anonymous().PostAsync("/oauth2-1/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "x", ["client_id"] = "nobody" }));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("invalid_client", (await OAuthTestServer.JsonOf(unknown)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AppsPage_Revoke_EndsEveryTokenOfTheGrant()
    {
        var (_, tokens) = await _s.ConnectAsync();
        var alice = await _s.AliceAsync();
        var page = TestServer.Parse(await (await alice.GetAsync("/account/apps")).Content.ReadAsStringAsync());
        var grantId = page.QuerySelector("section[data-grant]")!.GetAttribute("data-grant")!;

        // Without the antiforgery token the post is refused and nothing changes.
        var forged = await alice.PostAsync("/account/apps?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["grantId"] = grantId }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);

        var revoke = await TestServer.PostFormAsync(alice, "/account/apps?handler=Revoke", new() { ["grantId"] = grantId }, "/account/apps");
        Assert.Equal(HttpStatusCode.SeeOther, revoke.StatusCode);
        Assert.Equal("/account/apps?revoked=true", revoke.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        Assert.DoesNotContain("data-grant", await (await alice.GetAsync("/account/apps")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppsPage_OtherUsersGrant_CannotBeRevoked()
    {
        var (_, tokens) = await _s.ConnectAsync();
        var alicesPage = TestServer.Parse(await (await (await _s.AliceAsync()).GetAsync("/account/apps")).Content.ReadAsStringAsync());
        var grantId = alicesPage.QuerySelector("section[data-grant]")!.GetAttribute("data-grant")!;
        var bob = await _s.Server.SignedInClientAsync("bob", "kitchen secret phrase");
        var revoke = await TestServer.PostFormAsync(bob, "/account/apps?handler=Revoke", new() { ["grantId"] = grantId }, "/account/apps");
        Assert.Equal(HttpStatusCode.SeeOther, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
    }
}
