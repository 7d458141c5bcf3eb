using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.OAuth;

/// <summary>RFC 7591 registration: what is registered, and one test per refusal rule with its exact error code.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class RegisterTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task Register_PublicClient_Answers201WithMetadataAndNoSecret()
    {
        var (response, json) = await _s.RegisterAsync("""
            {"client_name": "My MCP client", "redirect_uris": ["http://localhost:8080/callback", "cursor://anysphere.cursor-mcp/oauth/callback"],
             "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"], "scope": "content:read",
             "application_type": "native", "client_uri": "https://client.example", "logo_uri": "https://client.example/logo.png"}
            """);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("client_id").GetString()));
        Assert.True(json.GetProperty("client_id_issued_at").GetInt64() > 1_700_000_000);
        Assert.Equal("My MCP client", json.GetProperty("client_name").GetString());
        Assert.Equal(2, json.GetProperty("redirect_uris").GetArrayLength());
        Assert.Equal("none", json.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("content:read", json.GetProperty("scope").GetString());
        Assert.Equal("native", json.GetProperty("application_type").GetString());
        Assert.Equal("https://client.example", json.GetProperty("client_uri").GetString());
        Assert.False(json.TryGetProperty("client_secret", out _));
    }

    [Theory]
    [InlineData("client_secret_post")]
    [InlineData("client_secret_basic")]
    public async Task Register_AskingForASecret_IsAnsweredWithNone(string method)
    {
        var (response, json) = await _s.RegisterAsync($$"""{"redirect_uris": ["https://app.example/cb"], "token_endpoint_auth_method": "{{method}}"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("none", json.GetProperty("token_endpoint_auth_method").GetString());
        Assert.False(json.TryGetProperty("client_secret", out _));
    }

    [Theory]
    [InlineData("https://app.example/callback")]
    [InlineData("http://localhost/callback")]
    [InlineData("http://127.0.0.1:33418/")]
    [InlineData("http://[::1]:5000/cb")]
    [InlineData("cursor://anysphere.cursor-mcp/oauth/callback")]
    [InlineData("vscode://vscode.github-authentication/did-authenticate")]
    public async Task Register_AllowedRedirectUri_IsAccepted(string uri)
    {
        var (response, _) = await _s.RegisterAsync($$"""{"redirect_uris": ["{{uri}}"]}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("http://app.example/callback", "not loopback")]
    [InlineData("https://app.example/callback#frag", "fragment")]
    [InlineData("javascript:alert(1)", "'javascript' scheme")]
    [InlineData("data:text/html,hi", "'data' scheme")]
    [InlineData("file:///etc/passwd", "'file' scheme")]
    [InlineData("/relative/callback", "not an absolute URI")]
    [InlineData("https://user:pw@app.example/cb", "user information")]
    public async Task Register_ForbiddenRedirectUri_IsInvalidRedirectUri(string uri, string reason)
    {
        var (response, json) = await _s.RegisterAsync($$"""{"redirect_uris": ["{{uri}}"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_redirect_uri", json.GetProperty("error").GetString());
        Assert.Contains(reason, json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_NoRedirectUris_IsInvalidRedirectUri()
    {
        var (_, json) = await _s.RegisterAsync("""{"client_name": "x"}""");
        Assert.Equal("invalid_redirect_uri", json.GetProperty("error").GetString());
        Assert.Contains("redirect_uris must be a non-empty array", json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "grant_types": ["client_credentials"]}""", "grant_types value 'client_credentials'")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "grant_types": ["implicit"]}""", "grant_types value 'implicit'")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "response_types": ["token"]}""", "response_types value 'token'")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "scope": "content:read admin"}""", "unknown scope 'admin'")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "application_type": "desktop"}""", "application_type 'desktop'")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "token_endpoint_auth_method": "private_key_jwt"}""", "'private_key_jwt' is not supported")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "client_uri": "http://a.example"}""", "client_uri 'http://a.example' is not an https URL")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "logo_uri": 5}""", "logo_uri must be a string")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "client_name": 42}""", "client_name must be a string")]
    [InlineData("""["https://a.example/cb"]""", "must be a JSON object")]
    [InlineData("""{"redirect_uris": """, "not valid JSON")]
    public async Task Register_BadMetadata_IsInvalidClientMetadata(string body, string reason)
    {
        var (response, json) = await _s.RegisterAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_client_metadata", json.GetProperty("error").GetString());
        Assert.Contains(reason, json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_FormBody_IsInvalidClientMetadata()
    {
        var response = await _s.Anonymous().PostAsync("/oauth2-1/register", new StringContent("redirect_uris=https://a.example/cb", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var json = await OAuthTestServer.JsonOf(response);
        Assert.Equal("invalid_client_metadata", json.GetProperty("error").GetString());
        Assert.Contains("application/json", json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "client_name": "\ud800"}""", "invalid_client_metadata", "client_name is not valid text")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "client_name": "ok\udfff"}""", "invalid_client_metadata", "client_name is not valid text")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "scope": "\ud800"}""", "invalid_client_metadata", "scope is not valid text")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "grant_types": ["\udc00"]}""", "invalid_client_metadata", "grant_types is not valid text")]
    [InlineData("""{"redirect_uris": ["https://a.example/\ud800"]}""", "invalid_redirect_uri", "redirect_uris is not valid text")]
    [InlineData("""{"redirect_uris": ["https://a.example/cb"], "\ud800": 1}""", "invalid_client_metadata", "a member name is not valid text")]
    [InlineData("""{"\udc00\ud800": "x", "redirect_uris": ["https://a.example/cb"]}""", "invalid_client_metadata", "a member name is not valid text")]
    public async Task Register_LoneSurrogateEscape_IsRefusedNot500(string body, string error, string reason)
    {
        var (response, json) = await _s.RegisterAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.Contains(reason, json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_InvalidUtf8InAString_IsInvalidClientMetadata()
    {
        var body = Encoding.UTF8.GetBytes("""{"redirect_uris": ["https://a.example/cb"], "client_name": "ab"}""").ToList();
        body.InsertRange(body.Count - 3, new byte[] { 0xC3, 0x28, 0xFF });
        var content = new ByteArrayContent([.. body]);
        content.Headers.ContentType = new("application/json");
        var response = await _s.Anonymous().PostAsync("/oauth2-1/register", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_client_metadata", (await OAuthTestServer.JsonOf(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("client_name", "\\u202EChatGPT", "U+202E")]
    [InlineData("client_name", "Claude\\u200B", "U+200B")]
    [InlineData("client_name", "Claude\\u200D", "U+200D")]
    [InlineData("client_name", "Line\\r\\nBreak", "U+000D")]
    [InlineData("client_name", "Nul\\u0000", "U+0000")]
    [InlineData("client_name", "Sep\\u2028arator", "U+2028")]
    [InlineData("client_name", "Tag\\udb40\\udc01", "U+E0001")]
    [InlineData("client_uri", "https://a.example/\\u2066x", "U+2066")]
    [InlineData("logo_uri", "https://a.example/\\ufeff.png", "U+FEFF")]
    public async Task Register_ControlOrFormatCharacter_IsInvalidClientMetadataNamingTheField(string field, string value, string character)
    {
        var (response, json) = await _s.RegisterAsync($$"""{"redirect_uris": ["https://a.example/cb"], "{{field}}": "{{value}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_client_metadata", json.GetProperty("error").GetString());
        Assert.StartsWith($"{field} contains a control or invisible formatting character ({character})", json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ZeroWidthCharacterInRedirectUri_IsInvalidRedirectUri()
    {
        var (response, json) = await _s.RegisterAsync("""{"redirect_uris": ["https://claude.ai\u200b/cb"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_redirect_uri", json.GetProperty("error").GetString());
        Assert.Contains("U+200B", json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client_name", 101, "client_name is longer than 100 characters")]
    [InlineData("client_uri", 513, "client_uri is longer than 512 characters")]
    [InlineData("logo_uri", 513, "logo_uri is longer than 512 characters")]
    public async Task Register_FieldOverItsBound_IsInvalidClientMetadata(string field, int length, string reason)
    {
        var value = field == "client_name" ? new string('n', length) : "https://a.example/" + new string('p', length - "https://a.example/".Length);
        var (response, json) = await _s.RegisterAsync($$"""{"redirect_uris": ["https://a.example/cb"], "{{field}}": "{{value}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, json.GetProperty("error_description").GetString());
        // At the bound itself it is accepted.
        var atBound = field == "client_name" ? value[..^1] : value[..^1];
        Assert.Equal(HttpStatusCode.Created, (await _s.RegisterAsync($$"""{"redirect_uris": ["https://a.example/cb"], "{{field}}": "{{atBound}}"}""")).Response.StatusCode);
    }

    [Fact]
    public async Task Register_RedirectUriOver512Characters_IsInvalidRedirectUri()
    {
        var (response, json) = await _s.RegisterAsync($$"""{"redirect_uris": ["https://a.example/{{new string('p', 500)}}"]}""");
        Assert.Equal("invalid_redirect_uri", json.GetProperty("error").GetString());
        Assert.Equal("redirect_uris is longer than 512 characters", json.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Register_BodyOver4KB_IsRefused()
    {
        var (response, json) = await _s.RegisterAsync($$"""{"redirect_uris": ["https://a.example/cb"], "software_statement": "{{new string('x', 4100)}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("the body is larger than 4096 bytes", json.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Register_BeyondTheUnapprovedCap_RemovesTheOldestUnapproved_KeepsApproved()
    {
        await using var s = await OAuthTestServer.StartAsync(new Dictionary<string, string?> { ["PressMcp:OAuth:MaxUnapprovedClients"] = "3" });
        var (approved, _) = await s.ConnectAsync();
        var registered = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            s.Clock.Advance(TimeSpan.FromSeconds(1));
            registered.Add(await s.RegisterClientAsync(name: "Agent " + i.ToString(CultureInfo.InvariantCulture)));
        }

        await using var scope = s.Server.Services.CreateAsyncScope();
        var ids = await scope.ServiceProvider.GetRequiredService<PressDbContext>().OAuthClients.Select(c => c.Id).ToListAsync();
        Assert.Equal(registered[2..].Append(approved).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Register_HugeBody_IsRefused()
    {
        var (response, json) = await _s.RegisterAsync($$"""{"redirect_uris": ["https://a.example/cb"], "client_name": "{{new string('x', 20_000)}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than", json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }
}
