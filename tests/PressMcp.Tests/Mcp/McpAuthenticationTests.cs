using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using PressMcp.Mcp;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// The MCP endpoints' credentials as ASP.NET Core authentication schemes (<see cref="McpAuthenticationSchemes"/>): each
/// endpoint requires its own scheme through the standard authorization metadata, any endpoint can require the same
/// scheme and read the caller, and a browser's sign-in cookie never stands in for an MCP credential.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class McpAuthenticationTests
{
    private const string WhoAmI = "/test/who-am-i";

    [Fact]
    public async Task McpEndpoints_RequireTheirOwnScheme_ThroughAuthorizationMetadata()
    {
        await using var s = await OAuthTestServer.StartAsync();
        var endpoints = s.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        string[] SchemesOf(string pattern) => endpoints
            .Where(e => e.RoutePattern.RawText == pattern && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .SelectMany(e => e.Metadata.GetOrderedMetadata<AuthorizationPolicy>())
            .SelectMany(p => p.AuthenticationSchemes)
            .ToArray();

        Assert.Equal([McpAuthenticationSchemes.Wpcom], SchemesOf("/wpcom/v2/mcp/v1"));
        Assert.Equal([McpAuthenticationSchemes.Adapter], SchemesOf(AdapterEndpoint.Route));
    }

    [Fact]
    public async Task AnotherEndpoint_RequiringTheWpcomScheme_GetsTheCaller_OrTheSameChallenge()
    {
        await using var s = await OAuthTestServer.StartAsync(endpoints: app =>
            app.MapPost(WhoAmI, (HttpContext http) => McpIdentity.Of(http).Caller.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .RequireAuthorization(McpAuthenticationSchemes.WpcomPolicy));
        var (_, tokens) = await s.ConnectAsync();
        long aliceId;
        await using (var scope = s.Server.Services.CreateAsyncScope())
            aliceId = (await scope.ServiceProvider.GetRequiredService<PressMcp.Accounts.UserAccounts>().FindByLoginAsync("alice"))!.Id;

        var request = new HttpRequestMessage(HttpMethod.Post, WhoAmI);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var answer = await s.Anonymous().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(aliceId.ToString(System.Globalization.CultureInfo.InvariantCulture), await answer.Content.ReadAsStringAsync());

        // Without a token: the very challenge of the MCP endpoint (RFC 9728 metadata and scope), not a redirect to sign-in.
        var anonymous = await s.Anonymous().PostAsync(WhoAmI, null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal($"Bearer resource_metadata=\"{s.BaseUrl}/.well-known/oauth-protected-resource/wpcom/v2/mcp/v1\", scope=\"auth\"",
            anonymous.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task SignedInBrowser_WithoutToken_IsChallengedAtBothEndpoints()
    {
        await using var s = await OAuthTestServer.StartAsync();
        var browser = await s.AliceAsync();
        foreach (var endpoint in new[] { s.Wpcom, s.SiteEndpoint("garden") })
        {
            var call = await browser.PostAsync(endpoint, new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
            Assert.Contains("Bearer resource_metadata=", call.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        // The MCP endpoints skip the default (cookie) authentication; the pages still read the same cookie.
        var page = await browser.GetAsync("/account/activity");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await s.Anonymous().GetAsync("/account/activity")).StatusCode);
    }

    [Fact]
    public async Task McpEndpoint_SignedInBrowserWithAToken_TheDefaultSchemeIsNeverRun_ButPagesRunIt()
    {
        // The authentication middleware marks every request it handles with IAuthenticationFeature before it runs the
        // default (cookie) scheme; an MCP endpoint's request must not have been through it at all, whatever the pipeline
        // adds on its own (WebApplication adds UseAuthentication at the front unless the app itself called it).
        await using var s = await OAuthTestServer.StartAsync(endpoints: app =>
        {
            app.MapPost(WhoAmI, (HttpContext http) => http.Features.Get<Microsoft.AspNetCore.Authentication.IAuthenticationFeature>() is null ? "skipped" : "ran")
                .RequireAuthorization(McpAuthenticationSchemes.WpcomPolicy);
            app.MapGet("/test/page-authentication", (HttpContext http) =>
                (http.Features.Get<Microsoft.AspNetCore.Authentication.IAuthenticationFeature>() is null ? "skipped" : "ran") + " " + (http.User.Identity?.Name ?? ""));
        });
        var (_, tokens) = await s.ConnectAsync();
        var browser = await s.AliceAsync();

        var request = new HttpRequestMessage(HttpMethod.Post, WhoAmI);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var answer = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("skipped", await answer.Content.ReadAsStringAsync());

        Assert.Equal("ran alice", await browser.GetStringAsync("/test/page-authentication"));
    }

    [Fact]
    public async Task McpEndpoint_ThatRequiresMoreThanItsScheme_IsDecidedByTheFramework_WithEverythingItRequires()
    {
        // The direct admission checks only "authenticated by the MCP scheme"; an endpoint that also requires a claim must
        // not be admitted on the scheme alone. The claim comes first, so the endpoint's last policy is still the MCP one.
        // The framework authenticates the scheme and then refuses the claim.
        var ran = 0;
        await using var s = await OAuthTestServer.StartAsync(endpoints: app =>
            app.MapPost(WhoAmI, (HttpContext http) => { Interlocked.Increment(ref ran); return "ran"; })
                .RequireAuthorization(p => p.RequireClaim("pressmcp-test-never-issued"))
                .RequireAuthorization(McpAuthenticationSchemes.WpcomPolicy));
        var (_, tokens) = await s.ConnectAsync();

        var request = new HttpRequestMessage(HttpMethod.Post, WhoAmI);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var answer = await s.Anonymous().SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal(0, Volatile.Read(ref ran));

        var anonymous = await s.Anonymous().PostAsync(WhoAmI, null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, Volatile.Read(ref ran));
    }

    [Fact]
    public async Task McpEndpoint_IsAdmittedByItsSchemeDirectly_PagesStillGoThroughTheFrameworksAuthorization()
    {
        // The framework's authorization middleware records the authentication it decided by (IAuthenticateResultFeature)
        // when it admits a request; an MCP endpoint's request is admitted by McpEndpointAuthorization instead, whatever the
        // pipeline adds on its own (WebApplication adds UseAuthorization at the front unless the app itself called it).
        static string Admission(HttpContext http) =>
            http.Features.Get<Microsoft.AspNetCore.Authentication.IAuthenticateResultFeature>() is null ? "direct" : "framework";
        await using var s = await OAuthTestServer.StartAsync(endpoints: app =>
        {
            app.MapPost(WhoAmI, (HttpContext http) => Admission(http) + " " + McpIdentity.Of(http).Caller.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .RequireAuthorization(McpAuthenticationSchemes.WpcomPolicy);
            app.MapGet("/test/signed-in", (HttpContext http) => Admission(http) + " " + http.User.Identity?.Name).RequireAuthorization();
        });
        var (_, tokens) = await s.ConnectAsync();
        var browser = await s.AliceAsync();
        long aliceId;
        await using (var scope = s.Server.Services.CreateAsyncScope())
            aliceId = (await scope.ServiceProvider.GetRequiredService<PressMcp.Accounts.UserAccounts>().FindByLoginAsync("alice"))!.Id;

        var request = new HttpRequestMessage(HttpMethod.Post, WhoAmI);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var answer = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal($"direct {aliceId}", await answer.Content.ReadAsStringAsync());

        // A page that requires a signed-in user: the framework's authorization, by the cookie; without it, the sign-in page.
        Assert.Equal("framework alice", await browser.GetStringAsync("/test/signed-in"));
        var anonymous = await s.Anonymous().GetAsync("/test/signed-in");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task McpEndpoint_RevokedToken_IsChallengedOnItsNextCall_AndTheEndpointDoesNotRun()
    {
        var ran = 0;
        await using var s = await OAuthTestServer.StartAsync(endpoints: app =>
            app.MapPost(WhoAmI, (HttpContext http) => { Interlocked.Increment(ref ran); return McpIdentity.Of(http).Caller.Client ?? ""; })
                .RequireAuthorization(McpAuthenticationSchemes.WpcomPolicy));
        var (clientId, tokens) = await s.ConnectAsync();
        HttpRequestMessage Call()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, WhoAmI);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            return request;
        }
        Assert.Equal(HttpStatusCode.OK, (await s.Anonymous().SendAsync(Call())).StatusCode);

        var revoke = await s.Anonymous().PostAsync("/oauth2-1/revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = tokens.AccessToken, ["client_id"] = clientId }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var refused = await s.Anonymous().SendAsync(Call());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // RFC 6750: the token was presented and is no longer valid.
        Assert.StartsWith("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task SignedInBrowser_WithAToken_IsTheTokensCaller_NotTheCookies()
    {
        await using var s = await OAuthTestServer.StartAsync(endpoints: app =>
            app.MapPost(WhoAmI, (HttpContext http) => McpIdentity.Of(http).Caller.Client ?? "")
                .RequireAuthorization(McpAuthenticationSchemes.WpcomPolicy));
        var (clientId, tokens) = await s.ConnectAsync();
        var browser = await s.AliceAsync();

        var request = new HttpRequestMessage(HttpMethod.Post, WhoAmI);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var answer = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(clientId, await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RefusedOrigin_WithAValidToken_Is403_BeforeTheTokenIsUsed()
    {
        await using var s = await OAuthTestServer.StartAsync(allowedOrigins: ["https://inspector.example"]);
        var (_, tokens) = await s.ConnectAsync();
        foreach (var origin in new[] { "https://inspector.example", "https://client.example" })
        {
            var call = new HttpRequestMessage(HttpMethod.Post, s.Wpcom) { Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json") };
            call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            call.Headers.Add("Origin", origin);
            var answer = await s.Anonymous().SendAsync(call);
            if (origin == "https://inspector.example")
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                continue;
            }
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.Equal("origin not allowed", (await OAuthTestServer.JsonOf(answer)).GetProperty("error").GetProperty("message").GetString());
            Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        }
    }
}
