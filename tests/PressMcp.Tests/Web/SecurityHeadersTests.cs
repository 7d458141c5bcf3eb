using System.Net;
using System.Net.Http.Headers;
using PressMcp.Web;

namespace PressMcp.Tests.Web;

/// <summary>
/// The security headers of every answer (<see cref="SecurityHeaders"/>): a page is never framed, sniffed or given a
/// loose policy; a JSON answer is never sniffed, framed or rendered, with one short policy line instead of the page's
/// three headers; an endpoint's own policy and referrer policy are kept.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SecurityHeadersTests
{
    private const string OwnPolicyJson = "/test/own-policy-json";
    private const string OwnReferrer = "/test/own-referrer";

    [Fact]
    public async Task McpAnswer_IsNosniffAndForbidsEverything_WithoutThePagesHeaders()
    {
        await using var s = await OAuthTestServer.StartAsync();
        var (_, tokens) = await s.ConnectAsync();

        var answer = await s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", answer.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(answer.Headers.CacheControl?.NoStore);
        Assert.False(answer.Headers.Contains("X-Frame-Options"));
        Assert.False(answer.Headers.Contains("Referrer-Policy"));
    }

    [Fact]
    public async Task OAuthJsonAnswer_GetsTheDataPolicy()
    {
        await using var s = await OAuthTestServer.StartAsync();

        var metadata = await s.Anonymous().GetAsync("/.well-known/oauth-authorization-server");

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal("nosniff", metadata.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(SecurityHeaders.DataPolicy, metadata.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Page_KeepsFrameDenialPagePolicyAndReferrerPolicy()
    {
        await using var s = await OAuthTestServer.StartAsync();

        var page = await s.Anonymous().GetAsync("/login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(SecurityHeaders.PagePolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("strict-origin-when-cross-origin", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task JsonWithItsOwnPolicy_KeepsIt_AndIsStillNotFramed()
    {
        // A media file's policy (a JSON upload's, say) need not forbid framing: with a policy of its own an answer keeps
        // X-Frame-Options whatever its type.
        await using var s = await OAuthTestServer.StartAsync(endpoints: app =>
            app.MapGet(OwnPolicyJson, (HttpContext http) =>
            {
                http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
                return Results.Json(new { ok = true });
            }));

        var answer = await s.Anonymous().GetAsync(OwnPolicyJson);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("default-src 'none'; sandbox", answer.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", answer.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task EndpointsOwnReferrerPolicy_IsNotOverwritten()
    {
        // As the export download sets it: the link is a credential, no referrer may carry it on.
        await using var s = await OAuthTestServer.StartAsync(endpoints: app =>
            app.MapGet(OwnReferrer, (HttpContext http) =>
            {
                http.Response.Headers["Referrer-Policy"] = "no-referrer";
                return Results.Text("archive", "application/zip");
            }));

        var answer = await s.Anonymous().GetAsync(OwnReferrer);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-referrer", answer.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", answer.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(SecurityHeaders.PagePolicy, answer.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task McpChallenge_WithoutBearer_IsStillNeitherFramedNorSniffed()
    {
        await using var s = await OAuthTestServer.StartAsync();
        var browser = await s.AliceAsync();
        var call = new HttpRequestMessage(HttpMethod.Post, s.Wpcom)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", new MediaTypeHeaderValue("application/json")),
        };

        var refused = await browser.SendAsync(call);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("nosniff", refused.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", refused.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("text/event-stream", true)]
    [InlineData("text/html; charset=utf-8", false)]
    [InlineData("text/plain", false)]
    [InlineData("application/jsonp", false)]
    [InlineData("image/svg+xml", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsDataAnswer_OnlyJsonAndEventStreams(string? contentType, bool expected) =>
        Assert.Equal(expected, SecurityHeaders.IsDataAnswer(contentType));
}
