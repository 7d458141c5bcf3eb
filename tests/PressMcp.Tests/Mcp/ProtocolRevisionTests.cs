using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// Each protocol revision's wire rules on the WordPress.com-style endpoint, over real HTTP with real OAuth tokens:
/// 2026-07-28 (stateless: per-request <c>_meta</c>, mirrored headers, <c>server/discover</c>, <c>resultType</c>,
/// caching hints, 404 for methods that do not exist) beside the handshake revisions 2025-06-18 and 2025-11-25,
/// which must keep working as before on the same endpoint.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ProtocolRevisionTests : IAsyncLifetime
{
    private const string Modern = "2026-07-28";
    private static readonly string[] AllVersions = ["2026-07-28", "2025-11-25", "2025-06-18"];
    private OAuthTestServer _s = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        _token = (await _s.ConnectAsync(sites: ["Garden Notes"])).Tokens.AccessToken;
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    /// <summary>The per-request fields a 2026-07-28 client sends; <paramref name="drop"/> leaves one out.</summary>
    private static JsonObject Meta(string version = Modern, string? drop = null)
    {
        var meta = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = version,
            ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "revision-test", ["version"] = "1" },
            ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
        };
        if (drop is not null) meta.Remove(drop);
        return meta;
    }

    private static string Body(string method, JsonObject? parameters, int id = 7)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null) body["params"] = parameters;
        return body.ToJsonString();
    }

    private async Task<HttpResponseMessage> PostAsync(string body, IDictionary<string, string>? headers = null, string accept = "application/json, text/event-stream", string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _s.Wpcom) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", token ?? _token);
        request.Headers.Accept.ParseAdd(accept);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        return await _s.Anonymous().SendAsync(request);
    }

    /// <summary>A well-formed 2026-07-28 request: <c>_meta</c> in params, the version, method and name headers.</summary>
    private Task<HttpResponseMessage> ModernAsync(string method, JsonObject? parameters = null, Action<Dictionary<string, string>>? headers = null, string? token = null)
    {
        parameters ??= [];
        parameters["_meta"] ??= Meta();
        var h = new Dictionary<string, string> { ["MCP-Protocol-Version"] = Modern, ["Mcp-Method"] = method };
        if (parameters["name"] is JsonValue name) h["Mcp-Name"] = name.GetValue<string>();
        headers?.Invoke(h);
        return PostAsync(Body(method, parameters), h, token: token);
    }

    private static async Task<JsonElement> ResultOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await OAuthTestServer.JsonOf(response);
        Assert.Equal(7, json.GetProperty("id").GetInt32());
        return json.GetProperty("result");
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string? messagePart = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(7, json.GetProperty("id").GetInt32());
        Assert.Equal(code, json.GetProperty("error").GetProperty("code").GetInt32());
        if (messagePart is not null) Assert.Contains(messagePart, json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Modern_Discover_ListsVersionsCapabilitiesIdentityAndCachingHints()
    {
        var result = await ResultOf(await ModernAsync("server/discover"));
        Assert.Equal("complete", result.GetProperty("resultType").GetString());
        Assert.Equal(AllVersions, result.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
        Assert.False(result.GetProperty("capabilities").GetProperty("tools").GetProperty("listChanged").GetBoolean());
        Assert.Contains("wpcom-mcp-user-sites", result.GetProperty("instructions").GetString(), StringComparison.Ordinal);
        var server = result.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo");
        Assert.Equal("pressmcp", server.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(server.GetProperty("version").GetString()));
        Assert.Equal("public", result.GetProperty("cacheScope").GetString());
        Assert.True(result.GetProperty("ttlMs").GetInt32() > 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task Legacy_DiscoverIsAnsweredToo(string? header)
    {
        var headers = header is null ? null : new Dictionary<string, string> { ["MCP-Protocol-Version"] = header };
        var result = await ResultOf(await PostAsync(Body("server/discover", null), headers));
        Assert.Equal(AllVersions, result.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Modern_ToolsList_IsCompletePrivateAndAlwaysStale_InTheSameOrderEveryTime()
    {
        var first = await ResultOf(await ModernAsync("tools/list"));
        Assert.Equal("complete", first.GetProperty("resultType").GetString());
        Assert.Equal("private", first.GetProperty("cacheScope").GetString());
        Assert.Equal(0, first.GetProperty("ttlMs").GetInt32());
        Assert.Equal("pressmcp", first.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
        var names = first.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("wpcom-mcp-posts-search", names);
        var again = await ResultOf(await ModernAsync("tools/list"));
        Assert.Equal(first.GetProperty("tools").GetRawText(), again.GetProperty("tools").GetRawText());
    }

    [Fact]
    public async Task Modern_ToolsCall_ResultsAndToolErrorsAreComplete_UnknownToolIsInvalidParams()
    {
        var ok = await ResultOf(await ModernAsync("tools/call", new JsonObject { ["name"] = "wpcom-mcp-user-sites", ["arguments"] = new JsonObject() }));
        Assert.Equal("complete", ok.GetProperty("resultType").GetString());
        Assert.False(ok.GetProperty("isError").GetBoolean());
        Assert.Equal("garden", ok.GetProperty("structuredContent").GetProperty("sites")[0].GetProperty("slug").GetString());
        Assert.Equal("pressmcp", ok.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());

        var bad = await ResultOf(await ModernAsync("tools/call", new JsonObject { ["name"] = "wpcom-mcp-posts-search", ["arguments"] = new JsonObject { ["wpcom_site"] = "garden", ["per_page"] = 1000 } }));
        Assert.Equal("complete", bad.GetProperty("resultType").GetString());
        Assert.True(bad.GetProperty("isError").GetBoolean());
        Assert.Contains("per_page", bad.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        await AssertErrorAsync(await ModernAsync("tools/call", new JsonObject { ["name"] = "wpcom-mcp-nope", ["arguments"] = new JsonObject() }),
            HttpStatusCode.OK, -32602, "unknown tool 'wpcom-mcp-nope'");
    }

    [Theory]
    [InlineData("_meta")]
    [InlineData("io.modelcontextprotocol/protocolVersion")]
    [InlineData("io.modelcontextprotocol/clientCapabilities")]
    public async Task Modern_MissingRequiredMeta_IsInvalidParams400(string missing)
    {
        var parameters = missing == "_meta" ? new JsonObject() : new JsonObject { ["_meta"] = Meta(drop: missing) };
        var response = await PostAsync(Body("tools/list", parameters), new Dictionary<string, string> { ["MCP-Protocol-Version"] = Modern, ["Mcp-Method"] = "tools/list" });
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, -32602, missing == "_meta" ? "io.modelcontextprotocol/protocolVersion" : missing);
    }

    [Fact]
    public async Task Modern_ClientInfoIsOptional()
    {
        var result = await ResultOf(await ModernAsync("server/discover", new JsonObject { ["_meta"] = Meta(drop: "io.modelcontextprotocol/clientInfo") }));
        Assert.Equal("complete", result.GetProperty("resultType").GetString());
    }

    [Theory]
    [InlineData("version header differs from _meta")]
    [InlineData("version header missing")]
    [InlineData("Mcp-Method missing")]
    [InlineData("Mcp-Method differs")]
    [InlineData("Mcp-Method in another case")]
    [InlineData("Mcp-Name missing")]
    [InlineData("Mcp-Name differs")]
    [InlineData("Mcp-Name broken base64")]
    public async Task Modern_HeadersThatDoNotMirrorTheBody_AreHeaderMismatch400(string fault)
    {
        var call = new JsonObject { ["name"] = "wpcom-mcp-user-sites", ["arguments"] = new JsonObject() };
        var response = await ModernAsync("tools/call", call, h =>
        {
            switch (fault)
            {
                case "version header differs from _meta": h["MCP-Protocol-Version"] = "2025-11-25"; break;
                case "version header missing": h.Remove("MCP-Protocol-Version"); break;
                case "Mcp-Method missing": h.Remove("Mcp-Method"); break;
                case "Mcp-Method differs": h["Mcp-Method"] = "tools/list"; break;
                case "Mcp-Method in another case": h["Mcp-Method"] = "TOOLS/CALL"; break;
                case "Mcp-Name missing": h.Remove("Mcp-Name"); break;
                case "Mcp-Name differs": h["Mcp-Name"] = "wpcom-mcp-user-profile"; break;
                case "Mcp-Name broken base64": h["Mcp-Name"] = "=?base64?not base64!?="; break;
            }
        });
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, -32020, "Header mismatch");
    }

    [Fact]
    public async Task Modern_HeaderNamesAnyCase_ValuesTrimmed_NameMayBeBase64()
    {
        var call = new JsonObject { ["name"] = "wpcom-mcp-user-sites", ["arguments"] = new JsonObject(), ["_meta"] = Meta() };
        var encoded = "=?base64?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("wpcom-mcp-user-sites")) + "?=";
        var response = await PostAsync(Body("tools/call", call), new Dictionary<string, string>
        {
            ["mcp-protocol-version"] = " " + Modern, ["MCP-METHOD"] = "tools/call  ", ["mcp-name"] = encoded,
        });
        Assert.False((await ResultOf(response)).GetProperty("isError").GetBoolean());
    }

    [Fact]
    public async Task UnknownVersion_IsUnsupportedProtocolVersion400_ListingWhatDiscoverLists()
    {
        var parameters = new JsonObject { ["_meta"] = Meta("2099-01-01") };
        var response = await PostAsync(Body("server/discover", parameters), new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2099-01-01", ["Mcp-Method"] = "server/discover" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await OAuthTestServer.JsonOf(response)).GetProperty("error");
        Assert.Equal(-32022, error.GetProperty("code").GetInt32());
        Assert.Equal("2099-01-01", error.GetProperty("data").GetProperty("requested").GetString());
        Assert.Equal(AllVersions, error.GetProperty("data").GetProperty("supported").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("initialize")]
    [InlineData("ping")]
    [InlineData("logging/setLevel")]
    [InlineData("prompts/list")]
    [InlineData("nothing/here")]
    public async Task Modern_MethodsThatDoNotExist_Are404MethodNotFound(string method) =>
        await AssertErrorAsync(await ModernAsync(method), HttpStatusCode.NotFound, -32601, method);

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task Legacy_Unchanged_InitializeNegotiates_NoSessionMinted_NoResultType(string version)
    {
        var init = await PostAsync(Body("initialize", new JsonObject { ["protocolVersion"] = version, ["capabilities"] = new JsonObject(), ["clientInfo"] = new JsonObject { ["name"] = "t", ["version"] = "1" } }));
        var result = await ResultOf(init);
        Assert.Equal(version, result.GetProperty("protocolVersion").GetString());
        Assert.Equal("pressmcp", result.GetProperty("serverInfo").GetProperty("name").GetString());
        Assert.False(init.Headers.Contains("Mcp-Session-Id"));

        var headers = new Dictionary<string, string> { ["MCP-Protocol-Version"] = version, ["Mcp-Session-Id"] = "made-up-by-the-client" };
        var list = await ResultOf(await PostAsync(Body("tools/list", null), headers));
        Assert.False(list.TryGetProperty("resultType", out _));
        Assert.False(list.TryGetProperty("ttlMs", out _));
        Assert.Equal(JsonValueKind.Object, (await ResultOf(await PostAsync(Body("ping", null), headers))).ValueKind);
        await AssertErrorAsync(await PostAsync(Body("nothing/here", null), headers), HttpStatusCode.OK, -32601);
    }

    [Fact]
    public async Task Initialize_AskingFor2026_GetsTheNewestHandshakeRevision()
    {
        var result = await ResultOf(await PostAsync(Body("initialize", new JsonObject { ["protocolVersion"] = Modern, ["capabilities"] = new JsonObject() })));
        Assert.Equal("2025-11-25", result.GetProperty("protocolVersion").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task Notifications_Are202WithoutBody_InEveryRevision(string? version)
    {
        var headers = version is null ? null : new Dictionary<string, string> { ["MCP-Protocol-Version"] = version };
        var response = await PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", headers);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task EventStreamOnlyClient_GetsTheAnswerAsOneSseEvent(string version)
    {
        var headers = new Dictionary<string, string> { ["MCP-Protocol-Version"] = version, ["Mcp-Method"] = "tools/list" };
        var parameters = version == Modern ? new JsonObject { ["_meta"] = Meta() } : null;
        var response = await PostAsync(Body("tools/list", parameters), headers, accept: "text/event-stream");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("event: message\ndata: ", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var message = JsonDocument.Parse(text["event: message\ndata: ".Length..].Trim()).RootElement;
        Assert.Equal(7, message.GetProperty("id").GetInt32());
        Assert.Equal(version == Modern, message.GetProperty("result").TryGetProperty("resultType", out _));
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task GetAndDelete_Are405AllowPost_InEveryRevision(string version)
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            var request = new HttpRequestMessage(method, _s.Wpcom);
            request.Headers.Authorization = new("Bearer", _token);
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Add("MCP-Protocol-Version", version);
            request.Headers.Add("Mcp-Session-Id", "anything");
            var response = await _s.Anonymous().SendAsync(request);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            Assert.Equal(["POST"], response.Content.Headers.Allow);
        }
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task MissingScope_IsHttp403StepUp_InEveryRevision(string version)
    {
        var readOnly = (await _s.ConnectAsync(scope: "content:read", sites: ["Garden Notes"])).Tokens.AccessToken;
        var call = new JsonObject { ["name"] = "wpcom-mcp-site-settings", ["arguments"] = new JsonObject { ["wpcom_site"] = "garden" } };
        var response = version == Modern
            ? await ModernAsync("tools/call", call, token: readOnly)
            : await PostAsync(Body("tools/call", call), new Dictionary<string, string> { ["MCP-Protocol-Version"] = version }, token: readOnly);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"settings:read\"", challenge, StringComparison.Ordinal);
        Assert.Contains("resource_metadata=", challenge, StringComparison.Ordinal);
    }
}
