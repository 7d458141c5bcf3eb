using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Mcp;
using PressMcp.Storage;
using static PressMcp.Tests.Infrastructure.AdapterCalls;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// A tool result is copied into the reply as its serializer wrote it (<see cref="AbilityResultJson"/>), where it used to be
/// parsed into a document and written again token by token. These tests hold the reply to exactly what that wrote: the
/// same bytes, with text that every escaping rule touches (quotes, backslashes, HTML characters, non-ASCII, a character
/// outside the BMP, control characters, U+2028), in every protocol revision and in a batch.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ToolResultWireTests : IAsyncLifetime
{
    private const string Tricky = "\"quoted\" back\\slash <b>&amp;</b> 'apos' é ü 日本 😀 \u0001 tab\t line\u2028sep\nnew line +";

    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var alice = await db.Users.SingleAsync(u => u.UserName == "alice");
        alice.DisplayName = "Alice " + Tricky;
        alice.Bio = Tricky + Tricky;
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    /// <summary>
    /// What the reply was before: the result serialized to an element, then written through a node tree (the JSON-RPC
    /// envelope, the text block, the element), with what a 2026-07-28 reply adds.
    /// </summary>
    private static string OldReply(JsonNode id, JsonElement value, byte[]? serverInfo)
    {
        var result = new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = value.GetRawText() }),
            ["structuredContent"] = JsonNode.Parse(value.GetRawText()),
            ["isError"] = false,
        };
        if (serverInfo is not null)
        {
            result["resultType"] = "complete";
            result["_meta"] = new JsonObject { ["io.modelcontextprotocol/serverInfo"] = JsonNode.Parse(serverInfo) };
        }
        return Encoding.UTF8.GetString(RawJsonNode.Serialize(JsonRpcMessage.Result(id, result)));
    }

    private static string Written(McpReply.ToolResult reply)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) reply.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The JSON written again token by token by a default writer: what every reply written from nodes and elements is.</summary>
    private static string Rewritten(string json) => Encoding.UTF8.GetString(RawJsonNode.Serialize(JsonNode.Parse(json)!));

    public static TheoryData<string, bool> Ids => new() { { "5", false }, { "5", true }, { "\"id <\\\"é>\"", false }, { "\"id <\\\"é>\"", true } };

    [Theory]
    [MemberData(nameof(Ids))]
    public void ToolResult_WrittenFromSerializedBytes_IsByteForByteTheNodePath(string idJson, bool complete)
    {
        var profile = new ProfileResult(7, "alice", "Alice " + Tricky, "alice@example.com", false, "https://example.com/?a=1&b=<2>", Tricky, 2)
        {
            PrimaryBlog = 3,
            PrimaryBlogUrl = "https://example.com/sites/garden",
        };
        var serverInfo = complete ? Encoding.UTF8.GetBytes("""{"name":"pressmcp","title":"PressMcp","version":"1.2.3"}""") : null;
        var id = JsonNode.Parse(idJson)!;
        var reply = new McpReply.ToolResult(id, AbilityResultJson.Of(profile, UserJson.Default.ProfileResult)) { CompleteWithServerInfo = serverInfo };

        var expected = OldReply(id, JsonSerializer.SerializeToElement(profile, UserJson.Default.ProfileResult), serverInfo);

        Assert.Equal(expected, Written(reply));
        // In a batch: the same message, in its place in the array.
        Assert.Equal("[" + expected + "," + expected + "]", Encoding.UTF8.GetString(RawJsonNode.Serialize(new JsonArray(RawJsonNode.Of(reply), RawJsonNode.Of(reply)))));
    }

    [Fact]
    public void AbilityResult_Element_IsTheSerializedValue()
    {
        var profile = new ProfileResult(7, "alice", Tricky, "alice@example.com", true, "", "", 0);
        var result = AbilityResultJson.Of(profile, UserJson.Default.ProfileResult);

        Assert.Equal(Tricky, result.Element.GetProperty("display_name").GetString());
        Assert.Equal(JsonSerializer.Serialize(profile, UserJson.Default.ProfileResult), result.Element.GetRawText());
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task UserProfile_EveryRevision_ReplyIsWhatTheNodePathWrote(string version)
    {
        var token = (await _s.ConnectAsync(sites: ["Garden Notes"])).Tokens.AccessToken;
        var parameters = new JsonObject { ["name"] = "wpcom-mcp-user-profile", ["arguments"] = new JsonObject() };
        var request = new HttpRequestMessage(HttpMethod.Post, _s.Wpcom);
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", version);
        if (version == "2026-07-28")
        {
            parameters["_meta"] = new JsonObject
            {
                ["io.modelcontextprotocol/protocolVersion"] = version,
                ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "wire-test", ["version"] = "1" },
                ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
            };
            request.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
            request.Headers.TryAddWithoutValidation("Mcp-Name", "wpcom-mcp-user-profile");
        }
        request.Content = new StringContent(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 5, ["method"] = "tools/call", ["params"] = parameters }.ToJsonString(),
            Encoding.UTF8, "application/json");

        var response = await _s.Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(Rewritten(body), body);
        var result = JsonDocument.Parse(body).RootElement.GetProperty("result");
        var structured = result.GetProperty("structuredContent");
        Assert.Equal("Alice " + Tricky, structured.GetProperty("display_name").GetString());
        Assert.Equal(Tricky + Tricky, structured.GetProperty("bio").GetString());
        // The text block holds the structured result's JSON exactly, as the serializer wrote it.
        Assert.Equal(structured.GetRawText(), OAuthTestServer.TextOf(result));
        if (version == "2026-07-28")
        {
            Assert.Equal("complete", result.GetProperty("resultType").GetString());
            Assert.Equal("pressmcp", result.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
        }
        else
        {
            Assert.False(result.TryGetProperty("resultType", out _));
        }
    }

    [Fact]
    public async Task Batch_OnTheAdapter_EachResultIsWhatTheNodePathWrote()
    {
        var alice = Basic("alice", await CreatePasswordAsync(_s.Server.Store, "alice", "agent"));
        var batch = "[" + string.Join(",",
            Call("mcp-adapter-execute-ability", new { ability_name = "user/profile", parameters = new { } }, id: 1),
            Rpc("ping", id: 2),
            Call("mcp-adapter-execute-ability", new { ability_name = "user/profile", parameters = new { } }, id: 3)) + "]";

        var response = await PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), batch, alice);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(Rewritten(body), body);
        var replies = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], replies.Select(r => r.GetProperty("id").GetInt32()));
        foreach (var reply in new[] { replies[0], replies[2] })
        {
            var profile = TextResult(reply);
            Assert.Equal("Alice " + Tricky, profile.GetProperty("display_name").GetString());
            Assert.Equal(profile.GetRawText(), reply.GetProperty("result").GetProperty("structuredContent").GetRawText());
        }
    }
}
