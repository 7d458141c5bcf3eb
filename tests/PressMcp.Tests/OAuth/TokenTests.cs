using System.Net;
using System.Text;

namespace PressMcp.Tests.OAuth;

/// <summary>The token endpoint's rules for the authorization_code grant, one test each with the exact RFC 6749 §5.2 code.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class TokenTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task AssertErrorAsync(Dictionary<string, string> form, string error, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var (response, json) = await _s.TokenAsync(form);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Token_JsonBody_IsInvalidRequest()
    {
        var response = await _s.Anonymous().PostAsync("/oauth2-1/token", new StringContent("""{"grant_type":"authorization_code"}""", Encoding.UTF8, "application/json"));
        Assert.Equal("invalid_request", (await OAuthTestServer.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_MissingGrantType_IsInvalidRequest() =>
        await AssertErrorAsync(new() { ["client_id"] = "x" }, "invalid_request");

    [Fact]
    public async Task Token_MissingClientId_IsInvalidRequest() =>
        await AssertErrorAsync(new() { ["grant_type"] = "authorization_code", ["code"] = "x" }, "invalid_request");

    [Fact]
    public async Task Token_UnknownClient_IsInvalidClient401() =>
        await AssertErrorAsync(new() { ["grant_type"] = "authorization_code", ["client_id"] = "nobody" }, "invalid_client", HttpStatusCode.Unauthorized);

    [Fact]
    public async Task Token_UnsupportedGrantType_IsUnsupportedGrantType()
    {
        var clientId = await _s.RegisterClientAsync();
        await AssertErrorAsync(new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId }, "unsupported_grant_type");
        await AssertErrorAsync(new() { ["grant_type"] = "password", ["client_id"] = clientId, ["username"] = "alice", ["password"] = OAuthTestServer.Password }, "unsupported_grant_type");
    }

    [Fact]
    public async Task Token_RepeatedParameter_IsInvalidRequest()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        var body = $"grant_type=authorization_code&client_id={clientId}&code={code}&code={code}&redirect_uri={Uri.EscapeDataString(OAuthTestServer.Redirect)}&code_verifier={pkce.Verifier}";
        var response = await _s.Anonymous().PostAsync("/oauth2-1/token", new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal("invalid_request", (await OAuthTestServer.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Code_Missing_IsInvalidRequest()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        var form = OAuthTestServer.CodeForm(clientId, code, pkce);
        form.Remove("code");
        await AssertErrorAsync(form, "invalid_request");
    }

    [Fact]
    public async Task Code_MissingVerifier_IsInvalidRequest()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        var form = OAuthTestServer.CodeForm(clientId, code, pkce);
        form.Remove("code_verifier");
        await AssertErrorAsync(form, "invalid_request");
    }

    [Fact]
    public async Task Code_MissingRedirectUri_IsInvalidRequest()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        var form = OAuthTestServer.CodeForm(clientId, code, pkce);
        form.Remove("redirect_uri");
        await AssertErrorAsync(form, "invalid_request");
    }

    [Fact]
    public async Task Code_MalformedVerifier_IsInvalidGrant()
    {
        var (clientId, _, code) = await _s.AuthorizeAsync();
        await AssertErrorAsync(OAuthTestServer.CodeForm(clientId, code, new Pkce("too-short", "")), "invalid_grant");
    }

    [Fact]
    public async Task TokenInfo_MissingToken_IsInvalidRequest()
    {
        var response = await _s.Anonymous().PostAsync("/oauth2-1/token-info", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await OAuthTestServer.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Code_Unknown_IsInvalidGrant()
    {
        var (clientId, pkce, _) = await _s.AuthorizeAsync();
        await AssertErrorAsync(OAuthTestServer.CodeForm(clientId, "pmac_not-a-real-code", pkce), "invalid_grant");
    }

    [Fact]
    public async Task Code_WrongVerifier_IsInvalidGrant()
    {
        var (clientId, _, code) = await _s.AuthorizeAsync();
        await AssertErrorAsync(OAuthTestServer.CodeForm(clientId, code, Pkce.New()), "invalid_grant");
    }

    [Fact]
    public async Task Code_WrongVerifier_DoesNotConsumeTheCode()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        await AssertErrorAsync(OAuthTestServer.CodeForm(clientId, code, Pkce.New()), "invalid_grant");
        var (response, _) = await _s.TokenAsync(OAuthTestServer.CodeForm(clientId, code, pkce));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Code_OtherClient_IsInvalidGrant()
    {
        var (_, pkce, code) = await _s.AuthorizeAsync();
        var other = await _s.RegisterClientAsync(name: "Other");
        await AssertErrorAsync(OAuthTestServer.CodeForm(other, code, pkce), "invalid_grant");
    }

    [Fact]
    public async Task Code_OtherRedirectUri_IsInvalidGrant()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        await AssertErrorAsync(OAuthTestServer.CodeForm(clientId, code, pkce, "http://127.0.0.1:9999/callback"), "invalid_grant");
    }

    [Fact]
    public async Task Code_OlderThanTenMinutes_IsInvalidGrant()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        _s.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await AssertErrorAsync(OAuthTestServer.CodeForm(clientId, code, pkce), "invalid_grant");
    }

    [Fact]
    public async Task Code_OtherResource_IsInvalidTarget()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync(resource: _s.Wpcom);
        var form = OAuthTestServer.CodeForm(clientId, code, pkce);
        form["resource"] = _s.SiteEndpoint("garden");
        await AssertErrorAsync(form, "invalid_target");
    }

    [Fact]
    public async Task Code_NarrowerScopeThanApproved_IsIssuedAsApproved()
    {
        var (_, tokens) = await _s.ConnectAsync(scope: "content:read comments:read");
        Assert.Equal("content:read comments:read", tokens.Json.GetProperty("scope").GetString());
    }
}
