using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PressMcp.Abilities;

namespace PressMcp.Tests.Mcp;

/// <summary>The WordPress.com-style MCP endpoint over real HTTP with real OAuth tokens: transport rules and wire shapes.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class WpcomEndpointTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync(allowedOrigins: ["https://inspector.example"]);
        _token = (await _s.ConnectAsync(sites: ["Garden Notes"])).Tokens.AccessToken;
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<HttpResponseMessage> PostAsync(string body, Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _s.Wpcom) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", _token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        tweak?.Invoke(request);
        return await _s.Anonymous().SendAsync(request);
    }

    private async Task<JsonElement> RpcAsync(string method, object? parameters = null)
    {
        var response = await PostAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 7, method, @params = parameters ?? new { } }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await OAuthTestServer.JsonOf(response);
        Assert.Equal(7, json.GetProperty("id").GetInt32());
        return json;
    }

    [Theory]
    [InlineData("2025-06-18", "2025-06-18")]
    [InlineData("2025-11-25", "2025-11-25")]
    [InlineData("1999-01-01", "2025-11-25")]
    public async Task Initialize_NegotiatesTheVersion(string asked, string expected)
    {
        var json = await RpcAsync("initialize", new { protocolVersion = asked, capabilities = new { }, clientInfo = new { name = "t", version = "1" } });
        Assert.Equal(expected, json.GetProperty("result").GetProperty("protocolVersion").GetString());
        Assert.True(json.GetProperty("result").GetProperty("capabilities").TryGetProperty("tools", out _));
    }

    [Fact]
    public async Task NotificationsAndClientResponses_Are202WithoutBody()
    {
        var notification = await PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        Assert.Equal(HttpStatusCode.Accepted, notification.StatusCode);
        Assert.Equal("", await notification.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("""{"jsonrpc":"2.0","id":3,"result":{}}""")).StatusCode);
    }

    [Fact]
    public async Task PingAndUnknownMethod()
    {
        Assert.Equal(JsonValueKind.Object, (await RpcAsync("ping")).GetProperty("result").ValueKind);
        Assert.Equal(-32601, (await RpcAsync("nothing/here")).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("{not json", -32700)]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""", -32600)]
    [InlineData("""{"id":1,"method":"ping"}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}""", -32600)]
    public async Task MalformedMessages_GetTheSpecsJsonRpcError(string body, int code)
    {
        var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await OAuthTestServer.JsonOf(response)).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ToolsList_PublishesSchemasAndAnnotations()
    {
        var tools = (await RpcAsync("tools/list")).GetProperty("result").GetProperty("tools").EnumerateArray().ToList();
        var sites = tools.Single(t => t.GetProperty("name").GetString() == "wpcom-mcp-user-sites");
        Assert.Equal("object", sites.GetProperty("inputSchema").GetProperty("type").GetString());
        Assert.Equal("object", sites.GetProperty("outputSchema").GetProperty("type").GetString());
        Assert.True(sites.GetProperty("annotations").GetProperty("readOnlyHint").GetBoolean());
        Assert.False(sites.GetProperty("annotations").GetProperty("destructiveHint").GetBoolean());
    }

    [Fact]
    public async Task ToolsCall_ResultCarriesStructuredContentAndText_MatchingTheOutputSchema()
    {
        var result = (await RpcAsync("tools/call", new { name = "wpcom-mcp-user-sites", arguments = new { } })).GetProperty("result");
        Assert.False(result.GetProperty("isError").GetBoolean());
        var structured = result.GetProperty("structuredContent");
        var site = Assert.Single(structured.GetProperty("sites").EnumerateArray());
        Assert.Equal("garden", site.GetProperty("slug").GetString());
        Assert.Equal("administrator", site.GetProperty("role").GetString());
        // Alice is also a contributor on "kitchen", but this connection was granted "Garden Notes" only.
        var text = result.GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Equal(structured.GetRawText(), JsonDocument.Parse(text).RootElement.GetRawText());

        await using var scope = _s.Server.Services.CreateAsyncScope();
        var ability = _s.Server.Services.GetRequiredService<AbilityRegistry>().Find("user/sites")!;
        Assert.Null(ability.Output.Validate(structured));
    }

    [Fact]
    public async Task ToolsCall_UnknownToolIsProtocolError_BadArgumentsAreToolErrors()
    {
        var unknown = await RpcAsync("tools/call", new { name = "wpcom-mcp-nope", arguments = new { } });
        Assert.Equal(-32602, unknown.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("unknown tool 'wpcom-mcp-nope'", unknown.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var bad = (await RpcAsync("tools/call", new { name = "wpcom-mcp-user-profile", arguments = new { surprise = 1 } })).GetProperty("result");
        Assert.True(bad.GetProperty("isError").GetBoolean());
        Assert.Contains("unknown field 'surprise'", bad.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        var noName = await RpcAsync("tools/call", new { arguments = new { } });
        Assert.Equal(-32602, noName.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Origin_ForeignIs403_AllowedOrAbsentPasses()
    {
        var foreign = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => r.Headers.Add("Origin", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        var allowed = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => r.Headers.Add("Origin", "https://inspector.example"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task ProtocolVersionHeader_Unsupported_Is400()
    {
        var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => r.Headers.Add("MCP-Protocol-Version", "2024-01-01"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await OAuthTestServer.JsonOf(response)).GetProperty("error");
        Assert.Equal(-32022, error.GetProperty("code").GetInt32());
        Assert.Contains("Unsupported protocol version '2024-01-01'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var ok = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => r.Headers.Add("MCP-Protocol-Version", "2025-06-18"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Accept_EventStreamOnly_GetsOneSseEvent_HtmlOnlyIs406()
    {
        var sse = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => { r.Headers.Accept.Clear(); r.Headers.Accept.ParseAdd("text/event-stream"); });
        Assert.Equal("text/event-stream", sse.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1", await sse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var html = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => { r.Headers.Accept.Clear(); r.Headers.Accept.ParseAdd("text/html"); });
        Assert.Equal(HttpStatusCode.NotAcceptable, html.StatusCode);
    }

    [Fact]
    public async Task GetAndDelete_Are405_NoTokenIs401()
    {
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _s.Anonymous().GetAsync(_s.Wpcom)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _s.Anonymous().DeleteAsync(_s.Wpcom)).StatusCode);
        var anonymous = await _s.CallAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("resource_metadata=", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
