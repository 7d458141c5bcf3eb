using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Mcp.Settings;
using PressMcp.Storage;
using static PressMcp.Tests.Infrastructure.AdapterCalls;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// The adapter's three tools with an Application Password: alice is administrator of garden and contributor of
/// kitchen. Every outcome in its wire shape: results as JSON text, failed abilities as -32000, protocol errors.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AdapterToolTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;
    private AuthenticationHeaderValue _alice = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        _alice = Basic("alice", await CreatePasswordAsync(_s.Server.Store, "alice", "agent"));
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<JsonElement> RpcAsync(string body, string site = "garden")
    {
        var response = await PostAsync(_s.Anonymous(), _s.SiteEndpoint(site), body, _alice);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal(1, json.GetProperty("id").GetInt32());
        return json;
    }

    private async Task<long> AliceIdAsync()
    {
        await using var scope = _s.Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PressDbContext>().Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync();
    }

    private static List<string> Names(JsonElement discovered) =>
        discovered.GetProperty("abilities").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task Initialize_NamesTheServerAndExplainsTheTools()
    {
        var result = (await RpcAsync(Rpc("initialize", new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "t", version = "1" } }))).GetProperty("result");
        Assert.Equal("2025-06-18", result.GetProperty("protocolVersion").GetString());
        Assert.Contains("mcp-adapter-discover-abilities", result.GetProperty("instructions").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolsList_DescribesEachToolWithSchemaAndAnnotations()
    {
        var tools = (await RpcAsync(Rpc("tools/list"))).GetProperty("result").GetProperty("tools").EnumerateArray().ToList();
        var execute = tools.Single(t => t.GetProperty("name").GetString() == "mcp-adapter-execute-ability");
        Assert.Equal(["ability_name"], execute.GetProperty("inputSchema").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.False(execute.GetProperty("annotations").GetProperty("readOnlyHint").GetBoolean());
        var discover = tools.Single(t => t.GetProperty("name").GetString() == "mcp-adapter-discover-abilities");
        Assert.True(discover.GetProperty("annotations").GetProperty("readOnlyHint").GetBoolean());
    }

    [Fact]
    public async Task Discover_ListsThePublicAbilitiesTheRoleMayRunOnThisSite()
    {
        var garden = TextResult(await RpcAsync(Call("mcp-adapter-discover-abilities")));
        var names = Names(garden);
        Assert.Contains("posts/search", names);
        Assert.Contains("site/settings", names);
        Assert.Contains("site/users", names);
        Assert.Contains("stats/views", names);
        var search = garden.GetProperty("abilities").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "posts/search");
        Assert.False(string.IsNullOrEmpty(search.GetProperty("label").GetString()));
        Assert.False(string.IsNullOrEmpty(search.GetProperty("description").GetString()));
        Assert.False(string.IsNullOrEmpty(search.GetProperty("category").GetString()));

        // On kitchen alice is a contributor: administrators' abilities are not offered.
        var kitchen = Names(TextResult(await RpcAsync(Call("mcp-adapter-discover-abilities"), "kitchen")));
        Assert.Contains("posts/search", kitchen);
        Assert.DoesNotContain("site/settings", kitchen);
        Assert.DoesNotContain("site/users", kitchen);

        // Only public abilities: every listed one is marked so in the registry.
        var registry = _s.Server.Services.GetRequiredService<AbilityRegistry>();
        Assert.All(names, n => Assert.True(registry.Find(n)!.PublicOverMcp));
    }

    [Fact]
    public async Task Discover_WithArguments_IsInvalidParams()
    {
        var (code, message) = Error(await RpcAsync(Call("mcp-adapter-discover-abilities", new { surprise = 1 })));
        Assert.Equal(-32602, code);
        Assert.Contains("unknown field 'surprise'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAbilityInfo_SchemasWithoutTheSiteArgument_AndAnnotations()
    {
        var info = TextResult(await RpcAsync(Call("mcp-adapter-get-ability-info", new { ability_name = "posts/search" })));
        Assert.Equal("posts/search", info.GetProperty("name").GetString());
        var input = info.GetProperty("input_schema");
        Assert.False(input.GetProperty("properties").TryGetProperty("wpcom_site", out _));
        Assert.True(input.GetProperty("properties").TryGetProperty("search", out _));
        Assert.False(input.TryGetProperty("required", out var required) && required.EnumerateArray().Any(r => r.GetString() == "wpcom_site"));
        Assert.Equal("object", info.GetProperty("output_schema").GetProperty("type").GetString());
        Assert.True(info.GetProperty("meta").GetProperty("annotations").GetProperty("readonly").GetBoolean());
        Assert.Equal("edit_posts", info.GetProperty("meta").GetProperty("capability").GetString());
    }

    [Fact]
    public async Task GetAbilityInfo_UnknownAbilityIs32000_MissingNameIs32602()
    {
        var (code, message) = Error(await RpcAsync(Call("mcp-adapter-get-ability-info", new { ability_name = "posts/nope" })));
        Assert.Equal(-32000, code);
        Assert.Contains("no ability named 'posts/nope'", message, StringComparison.Ordinal);
        Assert.Equal(-32602, Error(await RpcAsync(Call("mcp-adapter-get-ability-info"))).Code);
    }

    [Fact]
    public async Task Execute_Success_IsTheAbilitysResultAsJsonText()
    {
        var rpc = await RpcAsync(Execute("site/settings", new { sections = new[] { "general" } }));
        var result = rpc.GetProperty("result");
        Assert.Equal("text", result.GetProperty("content")[0].GetProperty("type").GetString());
        var value = TextResult(rpc);
        Assert.Equal("Garden Notes", value.GetProperty("general").GetProperty("title").GetString());
        Assert.Equal(value.GetRawText(), result.GetProperty("structuredContent").GetRawText());
        Assert.Null(_s.Server.Services.GetRequiredService<AbilityRegistry>().Find("site/settings")!.Output.Validate(value));
    }

    [Fact]
    public async Task Execute_WithoutParameters_RunsWithDefaults()
    {
        var rpc = await RpcAsync(Call("mcp-adapter-execute-ability", new { ability_name = "posts/search" }));
        Assert.True(TextResult(rpc).TryGetProperty("posts", out _));
    }

    [Fact]
    public async Task Execute_ContributorRunningAnAdministratorsAbility_Is32000NamingTheCapability()
    {
        var (code, message) = Error(await RpcAsync(Execute("site/settings"), "kitchen"));
        Assert.Equal(-32000, code);
        Assert.StartsWith("Ability execution failed: ", message, StringComparison.Ordinal);
        Assert.Contains("manage_options", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_BadParameters_Is32000NamingTheField()
    {
        var (code, message) = Error(await RpcAsync(Execute("posts/search", new { per_page = 500 })));
        Assert.Equal(-32000, code);
        Assert.Equal("Ability execution failed: invalid arguments: per_page must be at most 100", message);
    }

    [Fact]
    public async Task Execute_AbilityNotFoundInsideItsOwnRun_Is32000()
    {
        var (code, message) = Error(await RpcAsync(Execute("posts/get", new { post_id = 4242 })));
        Assert.Equal(-32000, code);
        Assert.StartsWith("Ability execution failed: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_UnknownAbility_Is32000_UnknownToolAndMalformedAreStandardErrors()
    {
        var unknownAbility = Error(await RpcAsync(Execute("posts/delete-everything")));
        Assert.Equal(-32000, unknownAbility.Code);
        Assert.Contains("no ability named 'posts/delete-everything'", unknownAbility.Message, StringComparison.Ordinal);

        // Unknown tools and methods as the adapter answers them (-32003 and -32601 with HTTP 404): AdapterProtocolTests.
        var unknownTool = await PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), Call("wpcom-mcp-user-sites"), _alice);
        Assert.Equal(HttpStatusCode.NotFound, unknownTool.StatusCode);
        Assert.Equal((-32003, "Tool not found: wpcom-mcp-user-sites"), Error(await JsonOf(unknownTool)));

        Assert.Equal(-32602, Error(await RpcAsync(Call("mcp-adapter-execute-ability", new { ability_name = "posts/search", parameters = "all" }))).Code);
        Assert.Equal(-32601, Error(await JsonOf(await PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), Rpc("resources/templates/list"), _alice))).Code);

        var notJson = await PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"), "{oops", _alice);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(-32700, Error(await JsonOf(notJson)).Code);
    }

    [Fact]
    public async Task McpSettings_Apply_OffRefusesEveryTool_SwitchedOffAbilityIsRefused()
    {
        var userId = await AliceIdAsync();
        await using (var scope = _s.Server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<McpSettingsStore>().SetToolsAsync(userId, new Dictionary<string, bool> { ["site/settings"] = false });
        Assert.DoesNotContain("site/settings", Names(TextResult(await RpcAsync(Call("mcp-adapter-discover-abilities")))));
        var off = Error(await RpcAsync(Execute("site/settings")));
        Assert.Equal(-32000, off.Code);
        Assert.Contains("switched off site/settings", off.Message, StringComparison.Ordinal);

        await using (var scope = _s.Server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<McpSettingsStore>().SetEnabledAsync(userId, false);
        Assert.Contains("MCP access is turned off", Error(await RpcAsync(Execute("posts/search"))).Message, StringComparison.Ordinal);
        Assert.Contains("MCP access is turned off", Error(await RpcAsync(Call("mcp-adapter-discover-abilities"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivityLog_RecordsAdapterCalls_WithThePasswordsName()
    {
        await RpcAsync(Execute("site/settings", new { sections = new[] { "reading" } }));
        await RpcAsync(Execute("site/settings"), "kitchen");
        await _s.Server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();

        await using var scope = _s.Server.Services.CreateAsyncScope();
        var entries = await scope.ServiceProvider.GetRequiredService<PressDbContext>().ActivityLog.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal("adapter", e.Endpoint);
            Assert.Equal("app-password:agent", e.Client);
            Assert.Equal("mcp-adapter-execute-ability", e.Tool);
            Assert.Equal("site/settings", e.Ability);
        });
        Assert.Equal(CallOutcome.Succeeded, entries[0].Outcome);
        Assert.Equal(CallOutcome.Refused, entries[1].Outcome);
        Assert.Contains("manage_options", entries[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_AtTheAdapter_ActsWithinTheGrant()
    {
        var endpoint = _s.SiteEndpoint("garden");
        var (clientId, tokens) = await _s.ConnectAsync(resource: endpoint, sites: ["Garden Notes"]);
        var response = await PostAsync(_s.Anonymous(), endpoint, Execute("user/sites"), new AuthenticationHeaderValue("Bearer", tokens.AccessToken));
        var sites = TextResult(await JsonOf(response)).GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("slug").GetString()).ToList();
        Assert.Equal(["garden"], sites);

        await _s.Server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var entry = await scope.ServiceProvider.GetRequiredService<PressDbContext>().ActivityLog.SingleAsync();
        Assert.Equal(clientId, entry.Client);
        Assert.Equal("adapter", entry.Endpoint);
    }
}
