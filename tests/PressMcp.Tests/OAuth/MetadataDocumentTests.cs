using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PressMcp.OAuth.Clients;

namespace PressMcp.Tests.OAuth;

/// <summary>Client ID Metadata Documents: fetched from fixtures (ChatGPT's real document among them) through the real fetcher and pipeline.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class MetadataDocumentTests : IAsyncLifetime
{
    /// <summary>
    /// ChatGPT's connector document as published at https://chatgpt.com/oauth/{connector id}/client.json (the
    /// content as captured in public test fixtures, 2026; the connector id replaced). It names private_key_jwt
    /// and lists "none" as supported; this server serves it as a public client with PKCE.
    /// </summary>
    public const string ChatGptUrl = "https://chatgpt.com/oauth/test-connector/client.json";
    public const string ChatGptRedirect = "https://chatgpt.com/connector/oauth/test-connector";
    public const string ChatGptDocument = """
        {
          "client_id": "https://chatgpt.com/oauth/test-connector/client.json",
          "client_uri": "https://chatgpt.com/",
          "redirect_uris": ["https://chatgpt.com/connector/oauth/test-connector"],
          "token_endpoint_auth_method": "private_key_jwt",
          "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
          "grant_types": ["authorization_code", "refresh_token"],
          "response_types": ["code"],
          "client_name": "ChatGPT",
          "logo_uri": "https://persistent.oaistatic.com/sonic/misc/openai-logo.png",
          "token_endpoint_auth_signing_alg": "RS256",
          "jwks_uri": "https://chatgpt.com/oauth/jwks.json"
        }
        """;

    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task ChatGptDocument_FullFlow_Works()
    {
        _s.Documents.Serve(ChatGptUrl, ChatGptDocument, "max-age=3600");
        var pkce = Pkce.New();
        var alice = await _s.AliceAsync();
        var path = OAuthTestServer.AuthorizePath(ChatGptUrl, pkce, redirect: ChatGptRedirect);
        var consent = await (await alice.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.Contains("Connect <span data-client-name>ChatGPT</span>", consent, StringComparison.Ordinal);
        Assert.Contains("<strong data-redirect-host>chatgpt.com</strong>", consent, StringComparison.Ordinal);

        var approved = await OAuthTestServer.DecideAsync(alice, path);
        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
        Assert.StartsWith(ChatGptRedirect + "?code=", approved.Headers.Location!.ToString(), StringComparison.Ordinal);
        var code = OAuthTestServer.QueryOf(approved.Headers.Location!)["code"];
        var (response, json) = await _s.TokenAsync(OAuthTestServer.CodeForm(ChatGptUrl, code, pkce, ChatGptRedirect));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(OAuthTestServer.ToTokens(json).AccessToken)).StatusCode);
        // Cached per its Cache-Control: two authorization requests, one fetch.
        Assert.Equal(1, _s.Documents.FetchesOf(ChatGptUrl));
    }

    [Fact]
    public async Task Document_NoStore_IsFetchedEachTime()
    {
        const string url = "https://tool.example/client.json";
        _s.Documents.Serve(url, $$"""{"client_id": "{{url}}", "client_name": "Tool", "redirect_uris": ["http://127.0.0.1/callback"]}""", "no-store");
        var alice = await _s.AliceAsync();
        await alice.GetAsync(OAuthTestServer.AuthorizePath(url, Pkce.New()));
        await alice.GetAsync(OAuthTestServer.AuthorizePath(url, Pkce.New()));
        Assert.Equal(2, _s.Documents.FetchesOf(url));
    }

    [Fact]
    public async Task Document_NamingAnotherClientId_IsRefused_NoRedirect()
    {
        const string url = "https://tool.example/client.json";
        _s.Documents.Serve(url, """{"client_id": "https://other.example/client.json", "redirect_uris": ["http://127.0.0.1/callback"]}""");
        var response = await (await _s.AliceAsync()).GetAsync(OAuthTestServer.AuthorizePath(url, Pkce.New()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("names a different client_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_RedirectNotListed_IsRefused_NoRedirect()
    {
        _s.Documents.Serve(ChatGptUrl, ChatGptDocument);
        var response = await (await _s.AliceAsync()).GetAsync(OAuthTestServer.AuthorizePath(ChatGptUrl, Pkce.New(), redirect: "https://evil.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "{}", "answered 404")]
    [InlineData(HttpStatusCode.OK, "not json", "is not JSON")]
    [InlineData(HttpStatusCode.OK, """{"client_id": "https://tool.example/client.json", "redirect_uris": ["javascript:alert(1)"]}""", "'javascript' scheme")]
    [InlineData(HttpStatusCode.OK, """{"client_id": "https://tool.example/client.json", "redirect_uris": ["https://a.example/cb"], "token_endpoint_auth_method": "client_secret_post"}""", "not supported")]
    [InlineData(HttpStatusCode.OK, """{"client_id": "https://tool.example/client.json", "redirect_uris": ["https://a.example/cb"], "client_secret": "s"}""", "must not contain a client_secret")]
    public async Task Document_Invalid_IsRefusedWithReason(HttpStatusCode status, string body, string reason)
    {
        const string url = "https://tool.example/client.json";
        _s.Documents.Serve(url, body, status: status);
        var response = await (await _s.AliceAsync()).GetAsync(OAuthTestServer.AuthorizePath(url, Pkce.New()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_TooLarge_IsRefused()
    {
        const string url = "https://tool.example/client.json";
        _s.Documents.Serve(url, $$"""{"client_id": "{{url}}", "redirect_uris": ["https://a.example/cb"], "client_name": "{{new string('x', 6000)}}"}""");
        var response = await (await _s.AliceAsync()).GetAsync(OAuthTestServer.AuthorizePath(url, Pkce.New()));
        Assert.Contains("larger than 5120 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1/client.json", "not public")]
    [InlineData("https://10.1.2.3/client.json", "not public")]
    [InlineData("https://[::1]/client.json", "not public")]
    [InlineData("https://[64:ff9b::a00:1]/client.json", "not public")]
    [InlineData("https://[64:ff9b:1::a00:1]/client.json", "not public")]
    [InlineData("https://[2002:a00:1::1]/client.json", "not public")]
    [InlineData("https://[fec0::1]/client.json", "not public")]
    [InlineData("https://localhost/client.json", "this machine")]
    [InlineData("https://tool.example/", "must have a path")]
    [InlineData("https://tool.example/a/../client.json", "dot segments")]
    public async Task DocumentUrl_NotAllowed_IsRefusedWithoutFetching(string url, string reason)
    {
        var fetcher = new MetadataDocumentFetcher(new MetadataDocumentHttp(_s.Documents), new PublicAddressPolicy(), TimeProvider.System, NullLogger<MetadataDocumentFetcher>.Instance);
        var (metadata, error) = await fetcher.FetchAsync(url, CancellationToken.None);
        Assert.Null(metadata);
        Assert.Equal("invalid_client", error!.Code);
        Assert.Contains(reason, error.Description, StringComparison.Ordinal);
        Assert.Equal(0, _s.Documents.FetchesOf(url));
    }

    [Theory]
    [InlineData("https://[64:ff9b:1::a00:1]/client.json")]
    [InlineData("https://[2002:c0a8:101::1]/client.json")]
    [InlineData("https://[fec0::1]/client.json")]
    public async Task Authorize_DocumentAtNat64SixToFourOrSiteLocalAddress_IsRefusedWithoutFetching(string url)
    {
        _s.Documents.Serve(url, $$"""{"client_id": "{{url}}", "redirect_uris": ["https://a.example/cb"]}""");
        var response = await (await _s.AliceAsync()).GetAsync(OAuthTestServer.AuthorizePath(url, Pkce.New(), redirect: "https://a.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("points at an address that is not public", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, _s.Documents.FetchesOf(url));
    }

    [Theory]
    [InlineData("\\u202EChatGPT", "client_name contains a control or invisible formatting character (U+202E)")]
    [InlineData("Chat\\u200BGPT", "client_name contains a control or invisible formatting character (U+200B)")]
    [InlineData("\\ud800", "client_name is not valid text")]
    public async Task Authorize_DocumentWithHiddenCharacterOrLoneSurrogateInName_IsRefusedNot500(string name, string reason)
    {
        const string url = "https://tool.example/client.json";
        _s.Documents.Serve(url, $$"""{"client_id": "{{url}}", "redirect_uris": ["https://tool.example/cb"], "client_name": "{{name}}"}""");
        var response = await (await _s.AliceAsync()).GetAsync(OAuthTestServer.AuthorizePath(url, Pkce.New(), redirect: "https://tool.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, TestServer.Parse(await response.Content.ReadAsStringAsync()).Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultHandler_RefusesToConnectToLoopback_EvenWhenDnsSaysSo()
    {
        // "localhost.localdomain"-style names resolve to loopback: the connect callback refuses the address itself.
        using var http = MetadataDocumentHttp.CreateDefault(new PublicAddressPolicy());
        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.Client.GetAsync("https://localhost:1/client.json"));
        Assert.Contains("no public address", ex.ToString(), StringComparison.Ordinal);
    }
}
