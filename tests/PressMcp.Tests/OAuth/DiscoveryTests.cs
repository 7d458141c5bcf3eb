using System.Net;
using System.Text.Json;

namespace PressMcp.Tests.OAuth;

/// <summary>RFC 8414 and RFC 9728 documents: the issuer byte-identical everywhere, and one metadata document per MCP endpoint.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class DiscoveryTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await _s.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await OAuthTestServer.JsonOf(response);
    }

    [Fact]
    public async Task ServerMetadata_AdvertisesWhatTheServerDoes()
    {
        var m = await GetJsonAsync("/.well-known/oauth-authorization-server");
        Assert.Equal(_s.BaseUrl, m.GetProperty("issuer").GetString());
        Assert.Equal(_s.BaseUrl + "/oauth2-1/authorize", m.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(_s.BaseUrl + "/oauth2-1/token", m.GetProperty("token_endpoint").GetString());
        Assert.Equal(_s.BaseUrl + "/oauth2-1/register", m.GetProperty("registration_endpoint").GetString());
        Assert.Equal(_s.BaseUrl + "/oauth2-1/revoke", m.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(_s.BaseUrl + "/oauth2-1/token-info", m.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(["S256"], m.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("none", m.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(m.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.True(m.GetProperty("client_id_metadata_document_supported").GetBoolean());
        Assert.Equal(["code"], m.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["authorization_code", "refresh_token"], m.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        var scopes = m.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("auth", scopes);
        Assert.Contains("content:write", scopes);
        Assert.Equal(12, scopes.Count);
    }

    [Fact]
    public async Task OpenIdConfiguration_HasTheSameContent()
    {
        var a = await _s.Anonymous().GetStringAsync("/.well-known/oauth-authorization-server");
        var b = await _s.Anonymous().GetStringAsync("/.well-known/openid-configuration");
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Issuer_IsTheConfiguredPublicUrl_NotTheHostHeader()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        request.Headers.Host = "evil.example";
        var json = await OAuthTestServer.JsonOf(await _s.Anonymous().SendAsync(request));
        Assert.Equal(_s.BaseUrl, json.GetProperty("issuer").GetString());
        Assert.DoesNotContain("evil.example", json.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource")]
    [InlineData("/.well-known/oauth-protected-resource/wpcom/v2/mcp/v1")]
    public async Task ResourceMetadata_Wpcom_AtRootAndPathSuffixed(string path)
    {
        var m = await GetJsonAsync(path);
        Assert.Equal(_s.Wpcom, m.GetProperty("resource").GetString());
        Assert.Equal([_s.BaseUrl], m.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["header"], m.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ResourceMetadata_SiteEndpoint_NamesItsExactUrl()
    {
        var m = await GetJsonAsync("/.well-known/oauth-protected-resource/sites/garden/wp-json/mcp/mcp-adapter-default-server");
        Assert.Equal(_s.SiteEndpoint("garden"), m.GetProperty("resource").GetString());
    }

    [Fact]
    public async Task ResourceMetadata_HostNamedSite_OnItsOwnHost()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_s.Server.Store, "site", "create", "--slug", "blog", "--title", "Blog", "--owner", "alice", "--host", "blog.example.com")).ExitCode);
        var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-protected-resource/wp-json/mcp/mcp-adapter-default-server");
        request.Headers.Host = "blog.example.com";
        var json = await OAuthTestServer.JsonOf(await _s.Anonymous().SendAsync(request));
        Assert.Equal("https://blog.example.com/wp-json/mcp/mcp-adapter-default-server", json.GetProperty("resource").GetString());

        // A Host header that names no site gets nothing.
        var unknown = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-protected-resource/wp-json/mcp/mcp-adapter-default-server");
        unknown.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.NotFound, (await _s.Anonymous().SendAsync(unknown)).StatusCode);
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/sites/nope/wp-json/mcp/mcp-adapter-default-server")]
    [InlineData("/.well-known/oauth-protected-resource/other/path")]
    public async Task ResourceMetadata_UnknownEndpoint_Is404(string path) =>
        Assert.Equal(HttpStatusCode.NotFound, (await _s.Anonymous().GetAsync(path)).StatusCode);
}
