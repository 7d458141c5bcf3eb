using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Storage;
using static PressMcp.Tests.Infrastructure.AdapterCalls;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// The adapter endpoint's protocol details as WordPress's MCP Adapter 0.5 answers them, over real HTTP: the
/// 2024-11-05 handshake, <c>Mcp-Session-Id</c> (issued by <c>initialize</c>, echoed, refused when it is not the
/// caller's, <c>DELETE</c>), JSON-RPC batches, and the adapter's codes for unknown tools and methods. alice is
/// administrator of garden and contributor of kitchen; bob owns kitchen.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AdapterProtocolTests : IAsyncLifetime
{
    private const string SessionHeader = "Mcp-Session-Id";
    private OAuthTestServer _s = null!;
    private AuthenticationHeaderValue _alice = null!;
    private AuthenticationHeaderValue _bob = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        _alice = Basic("alice", await CreatePasswordAsync(_s.Server.Store, "alice", "agent"));
        _bob = Basic("bob", await CreatePasswordAsync(_s.Server.Store, "bob", "agent"));
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string body, string site = "garden", AuthenticationHeaderValue? auth = null, string? session = null) =>
        AdapterCalls.PostAsync(_s.Anonymous(), _s.SiteEndpoint(site), body, auth ?? _alice, r =>
        {
            if (session is not null) r.Headers.Add(SessionHeader, session);
        });

    private static string Initialize(string version) =>
        Rpc("initialize", new { protocolVersion = version, capabilities = new { }, clientInfo = new { name = "adapter-test", version = "1" } });

    private async Task<string> SessionOfAsync(string site = "garden", AuthenticationHeaderValue? auth = null)
    {
        var init = await PostAsync(Initialize("2025-06-18"), site, auth);
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        return init.Headers.GetValues(SessionHeader).Single();
    }

    private async Task<HttpResponseMessage> DeleteAsync(string? session, string site = "garden", AuthenticationHeaderValue? auth = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, _s.SiteEndpoint(site));
        request.Headers.Authorization = auth ?? _alice;
        if (session is not null) request.Headers.Add(SessionHeader, session);
        return await _s.Anonymous().SendAsync(request);
    }

    [Fact]
    public async Task Initialize_2024_11_05_IsAnsweredWithThatRevision_AndItsHeaderIsAccepted()
    {
        var init = await PostAsync(Initialize("2024-11-05"));
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        Assert.Equal("2024-11-05", (await JsonOf(init)).GetProperty("result").GetProperty("protocolVersion").GetString());

        var list = await AdapterCalls.PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), Rpc("tools/list"), _alice,
            r => r.Headers.Add("MCP-Protocol-Version", "2024-11-05"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(3, (await JsonOf(list)).GetProperty("result").GetProperty("tools").GetArrayLength());

        // The other revisions as before; an unknown one gets the newest.
        foreach (var version in new[] { "2025-11-25", "2025-06-18" })
            Assert.Equal(version, (await JsonOf(await PostAsync(Initialize(version)))).GetProperty("result").GetProperty("protocolVersion").GetString());
        Assert.Equal("2025-11-25", (await JsonOf(await PostAsync(Initialize("1999-01-01")))).GetProperty("result").GetProperty("protocolVersion").GetString());
    }

    [Fact]
    public async Task SessionId_IssuedByInitialize_EchoedOnLaterCalls_DeleteIs200()
    {
        var session = await SessionOfAsync();
        Assert.InRange(session.Length, 16, 512);
        Assert.Matches("^[\\x21-\\x7E]+$", session); // visible ASCII, as the transport requires

        var list = await PostAsync(Rpc("tools/list"), session: session);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(session, list.Headers.GetValues(SessionHeader).Single());
        var call = await PostAsync(Execute("posts/search"), session: session);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal(session, call.Headers.GetValues(SessionHeader).Single());

        // Two initializations are two sessions; a call without an id is still served (and gets none).
        Assert.NotEqual(session, await SessionOfAsync());
        var bare = await PostAsync(Rpc("tools/list"));
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.False(bare.Headers.Contains(SessionHeader));

        var deleted = await DeleteAsync(session);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SessionId_ForgedOrAnotherUsersOrAnotherSites_IsRefusedAsSessionNotFound()
    {
        var alices = await SessionOfAsync("kitchen");
        var bobs = await SessionOfAsync("kitchen", _bob);
        var tampered = alices[..^2] + (alices[^2] == 'A' ? "B" : "A") + alices[^1];
        foreach (var (session, site) in new[] { ("made-up-by-the-client", "kitchen"), (tampered, "kitchen"), (bobs, "kitchen"), (alices, "garden") })
        {
            var refused = await PostAsync(Rpc("tools/list"), site, session: session);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.False(refused.Headers.Contains(SessionHeader));
            var json = await JsonOf(refused);
            Assert.Equal(1, json.GetProperty("id").GetInt32());
            Assert.Equal((-32005, "Session not found: Invalid or expired session"), Error(json));
            Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(session, site)).StatusCode);
        }
        // Each is its owner's: bob's works for bob, alice's for alice on kitchen.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Rpc("tools/list"), "kitchen", _bob, bobs)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Rpc("tools/list"), "kitchen", session: alices)).StatusCode);
    }

    [Fact]
    public async Task SessionId_AfterItsLifetime_IsRefused()
    {
        var session = await SessionOfAsync();
        _s.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var refused = await PostAsync(Rpc("tools/list"), session: session);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(-32005, Error(await JsonOf(refused)).Code);
    }

    [Fact]
    public async Task Delete_WithoutSessionId_Is400_WithoutCredentials_Is401()
    {
        var missing = await DeleteAsync(null);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal((-32600, "Invalid Request: Missing Mcp-Session-Id header"), Error(await JsonOf(missing)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.Anonymous().DeleteAsync(_s.SiteEndpoint("garden"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _s.Anonymous().GetAsync(_s.SiteEndpoint("garden"))).StatusCode);
    }

    [Fact]
    public async Task Batch_OfN_AnswersN_EachDecidedAsASingleCall()
    {
        // On kitchen alice is a contributor: she may search posts but not read the site's settings.
        var batch = "[" + string.Join(",",
            Rpc("ping", id: 10),
            Call("mcp-adapter-execute-ability", new { ability_name = "posts/search", parameters = new { } }, id: 11),
            Call("mcp-adapter-execute-ability", new { ability_name = "site/settings", parameters = new { } }, id: 12),
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            Call("mcp-adapter-execute-ability", new { ability_name = "posts/search", parameters = new { per_page = 1000 } }, id: 13),
            Call("mcp-adapter-execute-ability", new { ability_name = "posts/search", parameters = new { search = "x" } }, id: 14)) + "]";
        var response = await PostAsync(batch, "kitchen");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = (await JsonOf(response)).EnumerateArray().ToList();
        Assert.Equal([10, 11, 12, 13, 14], replies.Select(r => r.GetProperty("id").GetInt32()));
        Assert.Equal(JsonValueKind.Object, replies[0].GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Array, TextResult(replies[1]).GetProperty("posts").ValueKind);
        var refused = Error(replies[2]);
        Assert.Equal(-32000, refused.Code);
        Assert.StartsWith("Ability execution failed: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("manage_options", refused.Message, StringComparison.Ordinal);
        Assert.Equal(-32000, Error(replies[3]).Code);
        Assert.Contains("per_page", Error(replies[3]).Message, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, TextResult(replies[4]).GetProperty("posts").ValueKind);

        // One activity entry per call, each with its own outcome.
        await _s.Server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var entries = await scope.ServiceProvider.GetRequiredService<PressDbContext>().ActivityLog.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([CallOutcome.Succeeded, CallOutcome.Refused, CallOutcome.Invalid, CallOutcome.Succeeded], entries.Select(e => e.Outcome));
        Assert.Equal(["posts/search", "site/settings", "posts/search", "posts/search"], entries.Select(e => e.Ability));
        Assert.Equal(4, entries.Select(e => e.CallId).Distinct().Count());
    }

    [Fact]
    public async Task Batch_UnknownToolAndBadMembers_AreErrorsInTheirPlaces_OnlyNotifications_Is202()
    {
        var batch = "[" + string.Join(",", Call("nope", id: 1), "42", """{"jsonrpc":"1.0","id":3,"method":"ping"}""", Rpc("nothing/here", id: 4)) + "]";
        var response = await PostAsync(batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = (await JsonOf(response)).EnumerateArray().ToList();
        Assert.Equal(4, replies.Count);
        Assert.Equal((-32003, "Tool not found: nope"), Error(replies[0]));
        Assert.Equal(-32600, Error(replies[1]).Code);
        Assert.Equal(JsonValueKind.Null, replies[1].GetProperty("id").ValueKind);
        Assert.Equal(-32600, Error(replies[2]).Code);
        Assert.Equal((-32601, "Method not found: nothing/here"), Error(replies[3]));

        var onlyNotifications = await PostAsync("""[{"jsonrpc":"2.0","method":"notifications/initialized"}]""");
        Assert.Equal(HttpStatusCode.Accepted, onlyNotifications.StatusCode);
        Assert.Empty(await onlyNotifications.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Batch_OverTheBound_OrEmpty_IsRefusedWhole()
    {
        var oversized = "[" + string.Join(",", Enumerable.Range(1, 21).Select(i => Rpc("ping", id: i))) + "]";
        var response = await PostAsync(oversized);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = Error(await JsonOf(response));
        Assert.Equal(-32600, code);
        Assert.Contains("at most 20 messages; this one holds 21", message, StringComparison.Ordinal);

        var exactly = "[" + string.Join(",", Enumerable.Range(1, 20).Select(i => Rpc("ping", id: i))) + "]";
        Assert.Equal(20, (await JsonOf(await PostAsync(exactly))).GetArrayLength());

        var empty = await PostAsync("[]");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(-32600, Error(await JsonOf(empty)).Code);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"\\udc00\":1,\"name\":\"x\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"\\ud800x\":1,\"method\":\"ping\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"_meta\":{\"\\udfff\":1}}}")]
    public async Task Batch_MemberNameThatIsNotText_InTheEnvelope_Is400_NotAServerError(string member)
    {
        // Member names of the envelope are checked before any look-up by name, one level deeper in a batch.
        var response = await PostAsync("[" + Rpc("ping", id: 9) + "," + member + "]");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, Error(await JsonOf(response)).Code);
    }

    [Fact]
    public async Task Batch_OnTheWpcomEndpoint_IsStillRefused()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var request = new HttpRequestMessage(HttpMethod.Post, _s.Wpcom) { Content = new StringContent("[" + Rpc("ping") + "]", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var response = await _s.Anonymous().SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("batches are not supported", Error(await JsonOf(response)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownToolAndMethod_AreTheAdaptersCodes_With404()
    {
        var tool = await PostAsync(Call("wpcom-mcp-user-sites"));
        Assert.Equal(HttpStatusCode.NotFound, tool.StatusCode);
        var toolJson = await JsonOf(tool);
        Assert.Equal(1, toolJson.GetProperty("id").GetInt32());
        Assert.Equal((-32003, "Tool not found: wpcom-mcp-user-sites"), Error(toolJson));

        var method = await PostAsync(Rpc("resources/templates/list"));
        Assert.Equal(HttpStatusCode.NotFound, method.StatusCode);
        Assert.Equal((-32601, "Method not found: resources/templates/list"), Error(await JsonOf(method)));
    }

    [Fact]
    public async Task Initialize_AdvertisesResourcesAndPrompts_AsTheAdapterDoes_WpcomEndpointToolsOnly()
    {
        var capabilities = (await JsonOf(await PostAsync(Initialize("2025-06-18")))).GetProperty("result").GetProperty("capabilities");
        Assert.Equal("""{"prompts":{"listChanged":false},"resources":{"subscribe":false,"listChanged":false},"tools":{"listChanged":false}}""",
            capabilities.GetRawText());

        // The WordPress.com-style endpoint has neither, and says so.
        var (_, tokens) = await _s.ConnectAsync();
        var wpcom = await _s.CallAsync(tokens.AccessToken, "initialize");
        Assert.Equal("""{"tools":{"listChanged":false}}""", (await JsonOf(wpcom)).GetProperty("result").GetProperty("capabilities").GetRawText());
    }

    [Fact]
    public async Task ResourcesAndPromptsLists_AreEmpty_NoAbilityIsAResourceOrPrompt()
    {
        var resources = await PostAsync(Rpc("resources/list"));
        Assert.Equal(HttpStatusCode.OK, resources.StatusCode);
        Assert.Equal("""{"resources":[]}""", (await JsonOf(resources)).GetProperty("result").GetRawText());

        var prompts = await PostAsync(Rpc("prompts/list"));
        Assert.Equal(HttpStatusCode.OK, prompts.StatusCode);
        Assert.Equal("""{"prompts":[]}""", (await JsonOf(prompts)).GetProperty("result").GetRawText());

        // In a batch, each in its place.
        var batch = (await JsonOf(await PostAsync("[" + Rpc("resources/list", id: 1) + "," + Rpc("prompts/list", id: 2) + "]"))).EnumerateArray().ToList();
        Assert.Equal(["resources", "prompts"], batch.Select(r => r.GetProperty("result").EnumerateObject().Single().Name));
    }

    [Fact]
    public async Task ResourcesRead_AndPromptsGet_AreTheAdaptersNotFoundAndMissingParameterErrors()
    {
        var read = await PostAsync(Rpc("resources/read", new { uri = " wordpress://site/info " }));
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal((-32002, "Resource not found: wordpress://site/info"), Error(await JsonOf(read)));

        var readWithoutUri = await PostAsync(Rpc("resources/read"));
        Assert.Equal(HttpStatusCode.OK, readWithoutUri.StatusCode);
        Assert.Equal((-32602, "Missing required parameter: uri"), Error(await JsonOf(readWithoutUri)));

        var get = await PostAsync(Rpc("prompts/get", new { name = "summarize-post", arguments = new { post_id = 1 } }));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal((-32004, "Prompt not found: summarize-post"), Error(await JsonOf(get)));

        var getWithoutName = await PostAsync(Rpc("prompts/get"));
        Assert.Equal(HttpStatusCode.OK, getWithoutName.StatusCode);
        Assert.Equal((-32602, "Missing required parameter: name"), Error(await JsonOf(getWithoutName)));

        var badArguments = await PostAsync(Rpc("prompts/get", new { name = "summarize-post", arguments = "post 1" }));
        Assert.Equal((-32602, "Invalid params: arguments must be an object"), Error(await JsonOf(badArguments)));
    }

    [Fact]
    public async Task AbilityFailure_KeepsTheDocumented32000Shape_AloneAndInABatch()
    {
        var alone = await PostAsync(Execute("site/settings"), "kitchen");
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        var json = await JsonOf(alone);
        Assert.Equal("2.0", json.GetProperty("jsonrpc").GetString());
        Assert.Equal(1, json.GetProperty("id").GetInt32());
        Assert.False(json.TryGetProperty("result", out _));
        Assert.Equal(["code", "message"], json.GetProperty("error").EnumerateObject().Select(p => p.Name));
        Assert.Equal(-32000, Error(json).Code);
        Assert.StartsWith("Ability execution failed: ", Error(json).Message, StringComparison.Ordinal);

        var inBatch = (await JsonOf(await PostAsync("[" + Execute("site/settings") + "]", "kitchen"))).EnumerateArray().Single();
        Assert.Equal(Error(json), Error(inBatch));
    }
}
