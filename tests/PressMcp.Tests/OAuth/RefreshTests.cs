using System.Net;

namespace PressMcp.Tests.OAuth;

/// <summary>Refresh token rotation, the 60-second grace for concurrent refreshes, reuse detection and scope narrowing (SQLite and PostgreSQL).</summary>
[Trait(Category.Name, Category.Storage)]
public sealed class RefreshTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<(HttpStatusCode Status, string? Error, TokenSet? Tokens)> RefreshAsync(string clientId, string refreshToken, string? scope = null)
    {
        var form = OAuthTestServer.RefreshForm(clientId, refreshToken);
        if (scope is not null) form["scope"] = scope;
        var (response, json) = await _s.TokenAsync(form);
        return response.StatusCode == HttpStatusCode.OK
            ? (response.StatusCode, null, OAuthTestServer.ToTokens(json))
            : (response.StatusCode, json.GetProperty("error").GetString(), null);
    }

    [Fact]
    public async Task Refresh_Rotates_NewPairWorks()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        var (status, _, t1) = await RefreshAsync(clientId, t0.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(t0.RefreshToken, t1!.RefreshToken);
        Assert.NotEqual(t0.AccessToken, t1.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(t1.AccessToken)).StatusCode);
        var (status2, _, _) = await RefreshAsync(clientId, t1.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, status2);
    }

    [Fact]
    public async Task Refresh_ForADisabledAccount_IsRefused_AndWorksAgainOnceEnabled()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        Assert.Equal(0, (await CliRunner.RunAsync(_s.Server.Store, "user", "disable", "--login", "alice")).ExitCode);
        var (status, error, _) = await RefreshAsync(clientId, t0.RefreshToken);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (status, error));
        Assert.Equal(0, (await CliRunner.RunAsync(_s.Server.Store, "user", "enable", "--login", "alice")).ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(clientId, t0.RefreshToken)).Status);
    }

    [Fact]
    public async Task Refresh_ReplacedTokenWithinGrace_YieldsAnotherPairOfTheSameFamily()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        var (_, _, a) = await RefreshAsync(clientId, t0.RefreshToken);
        _s.Clock.Advance(TimeSpan.FromSeconds(30));
        var (status, _, b) = await RefreshAsync(clientId, t0.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, status);
        // Both successors work: the concurrent refreshes of one client both succeeded.
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(a!.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(b!.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(clientId, b.RefreshToken)).Status);
    }

    [Fact]
    public async Task Refresh_ConcurrentRefreshes_AllSucceed()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RefreshAsync(clientId, t0.RefreshToken)));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
    }

    [Fact]
    public async Task Refresh_ReplacedTokenAfterGrace_RevokesTheFamily()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        var (_, _, t1) = await RefreshAsync(clientId, t0.RefreshToken);
        _s.Clock.Advance(TimeSpan.FromSeconds(61));
        var (status, error, _) = await RefreshAsync(clientId, t0.RefreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", error);
        // Every token of the family is gone, also the legitimate successor.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(t1!.AccessToken)).StatusCode);
        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, t1.RefreshToken)).Error);
    }

    [Fact]
    public async Task Refresh_ReplacedTokenAfterSuccessorWasUsed_RevokesTheFamily()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        var (_, _, t1) = await RefreshAsync(clientId, t0.RefreshToken);
        var (_, _, t2) = await RefreshAsync(clientId, t1!.RefreshToken);
        _s.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, t0.RefreshToken)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(t2!.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task Refresh_ReuseDetected_ApprovalStays_AndAppsPageTellsWhatHappened()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        await RefreshAsync(clientId, t0.RefreshToken);
        _s.Clock.Advance(TimeSpan.FromMinutes(2));
        await RefreshAsync(clientId, t0.RefreshToken);

        var alice = await _s.AliceAsync();
        var html = await (await alice.GetAsync("/account/apps")).Content.ReadAsStringAsync();
        Assert.Contains("Test Agent", html, StringComparison.Ordinal);
        Assert.Contains("Refresh token reuse detected: all tokens of this connection were ended", html, StringComparison.Ordinal);

        // The approval stays: the app can be authorized again without the consent page.
        var again = await alice.GetAsync(OAuthTestServer.AuthorizePath(clientId, Pkce.New()));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.True(OAuthTestServer.QueryOf(again.Headers.Location!).ContainsKey("code"));
    }

    [Fact]
    public async Task Refresh_NarrowerScope_IsGranted_WiderIsInvalidScope()
    {
        var (clientId, t0) = await _s.ConnectAsync(scope: "content:read comments:read");
        var (status, _, narrowed) = await RefreshAsync(clientId, t0.RefreshToken, "content:read");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("content:read", narrowed!.Json.GetProperty("scope").GetString());
        Assert.Equal("invalid_scope", (await RefreshAsync(clientId, narrowed.RefreshToken, "content:read comments:read")).Error);
        Assert.Equal("invalid_scope", (await RefreshAsync(clientId, narrowed.RefreshToken, "auth")).Error);
    }

    [Fact]
    public async Task Refresh_UnknownScope_IsInvalidScope()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        Assert.Equal("invalid_scope", (await RefreshAsync(clientId, t0.RefreshToken, "content:read admin")).Error);
    }

    [Fact]
    public async Task Refresh_Revoked_IsInvalidGrant()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        await _s.Anonymous().PostAsync("/oauth2-1/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = t0.RefreshToken, ["client_id"] = clientId }));
        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, t0.RefreshToken)).Error);
    }

    [Fact]
    public async Task Refresh_OtherClient_IsInvalidGrant()
    {
        var (_, t0) = await _s.ConnectAsync();
        var other = await _s.RegisterClientAsync(name: "Other");
        Assert.Equal("invalid_grant", (await RefreshAsync(other, t0.RefreshToken)).Error);
    }

    [Fact]
    public async Task Refresh_OtherResource_IsInvalidTarget()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        var form = OAuthTestServer.RefreshForm(clientId, t0.RefreshToken);
        form["resource"] = _s.SiteEndpoint("garden");
        var (_, json) = await _s.TokenAsync(form);
        Assert.Equal("invalid_target", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_Expired_IsInvalidGrant()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        _s.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, t0.RefreshToken)).Error);
    }

    [Fact]
    public async Task Refresh_Missing_IsInvalidRequest()
    {
        var clientId = await _s.RegisterClientAsync();
        var (_, json) = await _s.TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = clientId });
        Assert.Equal("invalid_request", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_WithAccessToken_IsInvalidGrant()
    {
        var (clientId, t0) = await _s.ConnectAsync();
        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, t0.AccessToken)).Error);
    }
}
