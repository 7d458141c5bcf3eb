using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.OAuth;

/// <summary>Single use of codes, and rotation, grace window and reuse detection of refresh tokens, with a controllable clock (SQLite and PostgreSQL).</summary>
[Trait(Category.Name, Category.Storage)]
public sealed class CodeReplayTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task Code_Replayed_IsRefused_AndRevokesEveryTokenIssuedFromIt()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        var (first, json) = await _s.TokenAsync(OAuthTestServer.CodeForm(clientId, code, pkce));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tokens = OAuthTestServer.ToTokens(json);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);

        var (replay, replayJson) = await _s.TokenAsync(OAuthTestServer.CodeForm(clientId, code, pkce));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", replayJson.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        var (refresh, refreshJson) = await _s.TokenAsync(OAuthTestServer.RefreshForm(clientId, tokens.RefreshToken));
        Assert.Equal("invalid_grant", refreshJson.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    [Fact]
    public async Task Code_ConcurrentRedemptions_OnlyOneWins()
    {
        var (clientId, pkce, code) = await _s.AuthorizeAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _s.TokenAsync(OAuthTestServer.CodeForm(clientId, code, pkce))));
        Assert.Single(results, r => r.Response.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tokens_AreStoredOnlyAsHashes()
    {
        var (_, tokens) = await _s.ConnectAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var hashes = await db.OAuthTokens.Select(t => t.Hash).ToListAsync();
        Assert.Equal(2, hashes.Count);
        Assert.All(hashes, h => Assert.Matches("^[0-9a-f]{64}$", h));
        Assert.DoesNotContain(tokens.AccessToken, hashes);
        Assert.Contains(PressMcp.OAuth.Secrets.Hash(tokens.AccessToken), hashes);
        Assert.All(await db.OAuthCodes.Select(c => c.Hash).ToListAsync(), h => Assert.Matches("^[0-9a-f]{64}$", h));
    }
}
