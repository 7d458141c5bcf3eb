using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PressMcp.OAuth;
using PressMcp.OAuth.Hosting;
using PressMcp.Storage;

namespace PressMcp.Tests.OAuth;

/// <summary>Rate limits, CORS, the Origin policy, the allowed-origin option and the clean-up of unapproved clients.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class HostingTests
{
    [Fact]
    public async Task RateLimit_Token_Answers429WithRetryAfter()
    {
        await using var s = await OAuthTestServer.StartAsync(new Dictionary<string, string?> { ["PressMcp:RateLimits:Token:PermitLimit"] = "2" });
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = "x" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.TokenAsync(form)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.TokenAsync(form)).Response.StatusCode);
        var limited = (await s.TokenAsync(form)).Response;
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task RateLimit_RegisterAuthorizeAndLogin_AreLimited()
    {
        await using var s = await OAuthTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["PressMcp:RateLimits:Register:PermitLimit"] = "1",
            ["PressMcp:RateLimits:Authorize:PermitLimit"] = "1",
            ["PressMcp:RateLimits:Login:PermitLimit"] = "1",
        });
        var clientId = await s.RegisterClientAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await s.RegisterAsync("""{"redirect_uris": ["https://a.example/cb"]}""")).Response.StatusCode);

        var path = OAuthTestServer.AuthorizePath(clientId, Pkce.New());
        await s.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await s.Anonymous().GetAsync(path)).StatusCode);

        var client = s.Anonymous();
        await TestServer.PostFormAsync(client, "/login", new() { ["Login"] = "alice", ["Password"] = "wrong password" });
        // Showing the sign-in page is not limited; posting it is.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
        var limited = await TestServer.PostFormAsync(client, "/login", new() { ["Login"] = "alice", ["Password"] = OAuthTestServer.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task Cors_AllowedOrigin_OnMetadataAndToken_NeverOnAuthorize()
    {
        await using var s = await OAuthTestServer.StartAsync(allowedOrigins: ["https://inspector.example"]);
        async Task<HttpResponseMessage> Preflight(string path, string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return await s.Anonymous().SendAsync(request);
        }
        foreach (var path in new[] { "/oauth2-1/token", "/oauth2-1/register", "/oauth2-1/revoke" })
        {
            var allowed = await Preflight(path, "https://inspector.example");
            Assert.Equal("https://inspector.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.False((await Preflight(path, "https://evil.example")).Headers.Contains("Access-Control-Allow-Origin"));
        }
        var metadata = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        metadata.Headers.Add("Origin", "https://inspector.example");
        Assert.Equal("https://inspector.example", (await s.Anonymous().SendAsync(metadata)).Headers.GetValues("Access-Control-Allow-Origin").Single());

        var authorize = new HttpRequestMessage(HttpMethod.Get, "/oauth2-1/authorize");
        authorize.Headers.Add("Origin", "https://inspector.example");
        Assert.False((await s.Anonymous().SendAsync(authorize)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public void OriginPolicy_NoOriginAllowed_ListedAllowed_OthersRefused()
    {
        var policy = new OriginPolicy(["https://app.example"]);
        Assert.True(policy.IsAllowed(RequestWithOrigin(null)));
        Assert.True(policy.IsAllowed(RequestWithOrigin("https://app.example")));
        Assert.False(policy.IsAllowed(RequestWithOrigin("https://evil.example")));
        Assert.False(policy.IsAllowed(RequestWithOrigin("null")));
    }

    private static HttpRequest RequestWithOrigin(string? origin)
    {
        var http = new DefaultHttpContext();
        if (origin is not null) http.Request.Headers.Origin = origin;
        return http.Request;
    }

    [Fact]
    public async Task Serve_AllowedOrigin_IsValidated()
    {
        var bad = await CliRunner.RunRawAsync("serve", "--allowed-origin", "https://app.example/path", "--data", Path.GetTempPath());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("is not an origin", bad.Error, StringComparison.Ordinal);
        Assert.Equal(["https://app.example", "http://localhost:6274"],
            PressMcp.Cli.ServeCommand.ReadOrigins(["https://App.example/", "http://localhost:6274"], out _));
    }

    [Fact]
    public async Task Cleanup_DeletesClientsNobodyApprovedAfter30Days_KeepsApprovedOnes()
    {
        await using var s = await OAuthTestServer.StartAsync();
        var unapproved = await s.RegisterClientAsync(name: "Never approved");
        var (approved, _) = await s.ConnectAsync();
        var cleanup = s.Server.Services.GetRequiredService<OAuthCleanupService>();

        s.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await cleanup.CleanupAsync(CancellationToken.None));
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await cleanup.CleanupAsync(CancellationToken.None));

        await using var scope = s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var left = await db.OAuthClients.Select(c => c.Id).ToListAsync();
        Assert.DoesNotContain(unapproved, left);
        Assert.Contains(approved, left);
    }

    [Fact]
    public async Task Cleanup_RetentionIsConfigurable()
    {
        await using var s = await OAuthTestServer.StartAsync(new Dictionary<string, string?> { ["PressMcp:OAuth:UnapprovedClientRetentionDays"] = "2" });
        await s.RegisterClientAsync();
        s.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, await s.Server.Services.GetRequiredService<OAuthCleanupService>().CleanupAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Register_PostWithoutCookies_NeedsNoAntiforgery()
    {
        await using var s = await OAuthTestServer.StartAsync();
        var response = await s.Anonymous().PostAsync("/oauth2-1/register", new StringContent("""{"redirect_uris":["https://a.example/cb"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
