using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Storage;
using PressMcp.Abilities;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// Text in a request that is not Unicode: an escaped lone UTF-16 surrogate (<c>"\ud800"</c>, valid JSON grammar)
/// or bytes that are not UTF-8 inside a string. Each place a client's string is read answers with the protocol's
/// error for that place, on both endpoints, and a tool call that reaches an ability is in the activity log.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class InvalidTextTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;
    private string _token = "";
    private AuthenticationHeaderValue _basic = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        _token = (await _s.ConnectAsync()).Tokens.AccessToken;
        _basic = AdapterCalls.Basic("alice", await AdapterCalls.CreatePasswordAsync(_s.Server.Store, "alice", "Probe"));
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string endpoint, byte[] body, Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint == "wpcom" ? _s.Wpcom : _s.SiteEndpoint("garden")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Authorization = endpoint == "wpcom" ? new AuthenticationHeaderValue("Bearer", _token) : _basic;
        tweak?.Invoke(request);
        return _s.Anonymous().SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(string endpoint, string body, Action<HttpRequestMessage>? tweak = null) =>
        PostAsync(endpoint, Encoding.UTF8.GetBytes(body), tweak);

    private static string ToolCall(string tool, string arguments) =>
        $$$"""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}}}""";

    private static string AdapterExecute(string ability, string parameters) =>
        ToolCall("mcp-adapter-execute-ability", $$$"""{"ability_name":"{{{ability}}}","parameters":{{{parameters}}}}""");

    private async Task<List<ActivityEntry>> ActivityAsync()
    {
        await _s.Server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PressDbContext>().ActivityLog.OrderBy(a => a.Id).ToListAsync();
    }

    private static async Task<(int Code, string Message, JsonElement Id)> ErrorOf(HttpResponseMessage response)
    {
        var json = await OAuthTestServer.JsonOf(response);
        var error = json.GetProperty("error");
        return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!, json.GetProperty("id"));
    }

    [Theory]
    [InlineData("wpcom")]
    [InlineData("adapter")]
    public async Task LoneSurrogate_InTheId_IsInvalidRequest(string endpoint)
    {
        var response = await PostAsync(endpoint, """{"jsonrpc":"2.0","id":"a\ud800","method":"tools/list"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message, id) = await ErrorOf(response);
        Assert.Equal(-32600, code);
        Assert.Equal("id is not valid Unicode text (a lone UTF-16 surrogate escape or bytes that are not UTF-8)", message);
        Assert.Equal(JsonValueKind.Null, id.ValueKind);
    }

    [Theory]
    [InlineData("wpcom")]
    [InlineData("adapter")]
    public async Task LoneSurrogate_InTheMethod_IsInvalidRequest(string endpoint)
    {
        var response = await PostAsync(endpoint, """{"jsonrpc":"2.0","id":3,"method":"tools/\udc00list"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message, _) = await ErrorOf(response);
        Assert.Equal(-32600, code);
        Assert.StartsWith("method is not valid Unicode text", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wpcom", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"\\ud800\":{}}")]
    [InlineData("adapter", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"\\ud800\":{}}")]
    [InlineData("wpcom", "{\"\\udc00\\ud800\":1,\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")]
    [InlineData("adapter", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"\\ud800\":1}}")]
    [InlineData("wpcom", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":{\"\\ud800\":1}}}")]
    public async Task LoneSurrogate_InAMemberName_IsInvalidRequest(string endpoint, string body)
    {
        // Found by the fuzzer: every look-up by name decodes the names it passes, so such a name failed with a 500.
        var response = await PostAsync(endpoint, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message, _) = await ErrorOf(response);
        Assert.Equal(-32600, code);
        Assert.StartsWith("a member name of the request is not valid Unicode text", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adapter_LoneSurrogate_InAMemberNameOfExecuteArguments_IsNotAServerError()
    {
        var response = await PostAsync("adapter", ToolCall("mcp-adapter-execute-ability", """{"\ud800":1,"ability_name":"posts/search","parameters":{}}"""));
        Assert.True((int)response.StatusCode < 500, $"answered {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("wpcom")]
    [InlineData("adapter")]
    public async Task LoneSurrogate_InTheToolName_IsInvalidParams_WithTheRequestsId(string endpoint)
    {
        var response = await PostAsync(endpoint, ToolCall("\\ud800", "{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (code, message, id) = await ErrorOf(response);
        Assert.Equal(-32602, code);
        Assert.StartsWith("tools/call params.name is not valid Unicode text", message, StringComparison.Ordinal);
        Assert.Equal(7, id.GetInt32());
    }

    [Theory]
    [InlineData("wpcom")]
    [InlineData("adapter")]
    public async Task LoneSurrogate_InTheProtocolVersionOfMeta_IsInvalidParams(string endpoint)
    {
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28\ud800","io.modelcontextprotocol/clientCapabilities":{}}}}""";
        var response = await PostAsync(endpoint, body, r => r.Headers.Add("MCP-Protocol-Version", "2026-07-28"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32602, (await ErrorOf(response)).Code);
    }

    [Theory]
    [InlineData("wpcom")]
    [InlineData("adapter")]
    public async Task BytesThatAreNotUtf8_InAString_AreAParseError(string endpoint)
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"search":"a""")
            .Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}}}")).ToArray();
        var response = await PostAsync(endpoint, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message, _) = await ErrorOf(response);
        Assert.Equal(-32700, code);
        Assert.Contains("not UTF-8", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wpcom_LoneSurrogate_InToolArguments_IsAToolError_AndTheCallIsLogged()
    {
        var value = await PostAsync("wpcom", ToolCall("wpcom-mcp-posts-search", """{"wpcom_site":"garden","search":"tomato \ud800"}"""));
        var name = await PostAsync("wpcom", ToolCall("wpcom-mcp-posts-search", """{"wpcom_site":"garden","\udc00x":1}"""));

        foreach (var (response, expected) in new[] { (value, "search is not valid Unicode text"), (name, "the field name '\uFFFDx' is not valid Unicode text") })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var result = (await OAuthTestServer.JsonOf(response)).GetProperty("result");
            Assert.True(result.GetProperty("isError").GetBoolean());
            Assert.Contains(expected, result.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        }
        var entries = await ActivityAsync();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(CallOutcome.Invalid, e.Outcome));
        Assert.All(entries, e => Assert.Equal("posts/search", e.Ability));
        Assert.Contains("search=\"tomato \uFFFD\"", entries[0].Arguments, StringComparison.Ordinal);
        Assert.Contains("\uFFFDx=1", entries[1].Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wpcom_LoneSurrogate_InContentAuthoringParams_IsAToolError_AndTheOperationIsLogged()
    {
        var response = await PostAsync("wpcom", ToolCall("wpcom-mcp-content-authoring",
            """{"wpcom_site":"garden","action":"execute","operation":"posts.create","user_confirmed":true,"params":{"title":"Beans \ud83d"}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await OAuthTestServer.JsonOf(response)).GetProperty("result");
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Contains("title is not valid Unicode text", result.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var entry = Assert.Single(await ActivityAsync());
        Assert.Equal(("wpcom-mcp-content-authoring", "posts/create", CallOutcome.Invalid), (entry.Tool, entry.Ability, entry.Outcome));
        Assert.Contains("title=\"Beans \uFFFD\"", entry.Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adapter_LoneSurrogate_InAbilityParameters_IsAbilityExecutionFailed_AndTheCallIsLogged()
    {
        var response = await PostAsync("adapter", AdapterExecute("posts/search", """{"search":"\udfff tomato"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (code, message, id) = await ErrorOf(response);
        Assert.Equal(-32000, code);
        Assert.StartsWith("Ability execution failed: invalid arguments: search is not valid Unicode text", message, StringComparison.Ordinal);
        Assert.Equal(7, id.GetInt32());
        var entry = Assert.Single(await ActivityAsync());
        Assert.Equal(("adapter", "posts/search", CallOutcome.Invalid), (entry.Endpoint, entry.Ability, entry.Outcome));
        Assert.Contains("search=\"\uFFFD tomato\"", entry.Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adapter_LoneSurrogate_InTheAbilityName_IsInvalidParams()
    {
        var response = await PostAsync("adapter", AdapterExecute("posts/\\ud800", "{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (code, message, _) = await ErrorOf(response);
        Assert.Equal(-32602, code);
        Assert.Contains("ability_name is not valid Unicode text", message, StringComparison.Ordinal);
    }
}
