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
    public async Task Cors_AnyOrigin_OnMetadataRegistrationTokenAndRevocation_WithoutCredentials()
    {
        // The allowed-origin list names one origin; a browser-based client of any other origin is served all the same.
        await using var s = await OAuthTestServer.StartAsync(allowedOrigins: ["https://inspector.example"]);
        foreach (var path in new[] { "/oauth2-1/token", "/oauth2-1/register", "/oauth2-1/revoke", "/oauth2-1/token-info" })
        {
            var preflight = await PreflightAsync(s, path, "https://client.example");
            Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
            Assert.Equal("*", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
            Assert.False(preflight.Headers.Contains("Access-Control-Allow-Credentials"));
        }
        foreach (var path in new[] { "/.well-known/oauth-authorization-server", "/.well-known/oauth-protected-resource/wpcom/v2/mcp/v1" })
        {
            var metadata = new HttpRequestMessage(HttpMethod.Get, path);
            metadata.Headers.Add("Origin", "https://client.example");
            var response = await s.Anonymous().SendAsync(metadata);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        }
        var register = new HttpRequestMessage(HttpMethod.Post, "/oauth2-1/register")
        {
            Content = new StringContent("""{"redirect_uris":["https://client.example/cb"]}""", Encoding.UTF8, "application/json"),
        };
        register.Headers.Add("Origin", "https://client.example");
        var registered = await s.Anonymous().SendAsync(register);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal("*", registered.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Cors_NeverOnAuthorizeOrPages_McpOriginCheckUnchanged()
    {
        await using var s = await OAuthTestServer.StartAsync(allowedOrigins: ["https://inspector.example"]);
        foreach (var path in new[] { "/oauth2-1/authorize", "/login", "/account" })
        {
            var page = new HttpRequestMessage(HttpMethod.Get, path);
            page.Headers.Add("Origin", "https://inspector.example");
            Assert.False((await s.Anonymous().SendAsync(page)).Headers.Contains("Access-Control-Allow-Origin"));
            Assert.False((await PreflightAsync(s, path, "https://inspector.example")).Headers.Contains("Access-Control-Allow-Origin"));
        }
        // The MCP endpoint still refuses a page of an origin that is not on the list.
        var call = new HttpRequestMessage(HttpMethod.Post, s.Wpcom) { Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json") };
        call.Headers.Add("Origin", "https://client.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Anonymous().SendAsync(call)).StatusCode);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(OAuthTestServer s, string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return await s.Anonymous().SendAsync(request);
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
