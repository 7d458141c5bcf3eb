using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using PressMcp.Activity;
using PressMcp.Mcp.Settings;
using PressMcp.Storage;
using PressMcp.Abilities;

namespace PressMcp.Tests.Peers;

/// <summary>
/// Every WordPress.com-style tool, every permission layer, drafting with its confirmation rule and the activity log,
/// driven by the official MCP C# client (2.3.1) after the real OAuth flow, once per protocol revision.
/// </summary>
[Trait(Category.Name, Category.Peers)]
public sealed class McpClientToolMatrixTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    /// <summary>The SDK client, revision forced, approving as alice for the given sites (all when null).</summary>
    private async Task<McpClient> ConnectAsync(string version, string[]? sites = null)
    {
        var transport = await SdkClient.TransportAsync(_s, $"Matrix {version}", sites: sites);
        var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = version });
        Assert.Equal(version, client.NegotiatedProtocolVersion);
        return client;
    }

    private static Task<CallToolResult> CallAsync(McpClient client, string tool, object arguments) =>
        client.CallToolAsync(tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))).AsTask();

    private static JsonElement Ok(CallToolResult result)
    {
        Assert.True(result.IsError != true, Text(result));
        return result.StructuredContent!.Value;
    }

    private static string Refused(CallToolResult result)
    {
        Assert.True(result.IsError);
        return Text(result);
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(result.Content[0]).Text;

    private async Task WithSettingsAsync(Func<McpSettingsStore, long, Task> change)
    {
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var alice = await db.Users.SingleAsync(u => u.UserName == "alice");
        await change(scope.ServiceProvider.GetRequiredService<McpSettingsStore>(), alice.Id);
    }

    private async Task<long> SiteIdAsync(string slug)
    {
        await using var scope = _s.Server.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.SingleAsync(s => s.Slug == slug)).Id;
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task EveryTool_GoodAndBadInput_DraftingWithConfirmation_AndTheLog(string version)
    {
        await using var client = await ConnectAsync(version);
        var listed = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        // Write tools are off until chosen, so the authoring tool is not offered yet.
        Assert.DoesNotContain("wpcom-mcp-content-authoring", listed);
        Assert.Equal(
            ["wpcom-mcp-post-get", "wpcom-mcp-posts-search", "wpcom-mcp-site-comments-search", "wpcom-mcp-site-settings", "wpcom-mcp-site-statistics",
             "wpcom-mcp-site-users", "wpcom-mcp-user-profile", "wpcom-mcp-user-sites"],
            listed.Order(StringComparer.Ordinal));
        var refusedWrite = Refused(await CallAsync(client, "wpcom-mcp-content-authoring",
            new { wpcom_site = "garden", action = "execute", operation = "posts.create", @params = new { title = "x" }, user_confirmed = true }));
        Assert.Contains("posts/create", refusedWrite, StringComparison.Ordinal);

        await WithSettingsAsync((store, user) => store.SetToolsAsync(user, new Dictionary<string, bool> { ["posts/create"] = true, ["posts/update"] = true, ["comments/reply"] = true }));
        Assert.Contains("wpcom-mcp-content-authoring", (await client.ListToolsAsync()).Select(t => t.Name));

        // Drafting: without the user's confirmation nothing is written; with it, a post exists.
        var draft = new { wpcom_site = "garden", action = "execute", operation = "posts.create", @params = new { title = "Tomato diary", content = "<p>Day one: seedlings.</p>" } };
        Assert.Contains("user_confirmed", Refused(await CallAsync(client, "wpcom-mcp-content-authoring", draft)), StringComparison.Ordinal);
        Assert.Equal(0, Ok(await CallAsync(client, "wpcom-mcp-posts-search", new { wpcom_site = "garden", search = "diary" })).GetProperty("found").GetInt32());
        var created = Ok(await CallAsync(client, "wpcom-mcp-content-authoring",
            new { draft.wpcom_site, draft.action, draft.operation, draft.@params, user_confirmed = true })).GetProperty("result");
        var postId = created.GetProperty("id").GetInt64();
        Assert.Equal("draft", created.GetProperty("status").GetString());
        Assert.Contains("posts.create", Ok(await CallAsync(client, "wpcom-mcp-content-authoring", new { wpcom_site = "garden", action = "list" }))
            .GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation").GetString()));
        Assert.Contains("invalid arguments", Refused(await CallAsync(client, "wpcom-mcp-content-authoring",
            new { wpcom_site = "garden", action = "execute", operation = "posts.create", @params = new { content = "no title" }, user_confirmed = true })), StringComparison.Ordinal);

        // Every read tool with good input, and with bad input naming what was wrong.
        var sites = Ok(await CallAsync(client, "wpcom-mcp-user-sites", new { })).GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("slug").GetString()).ToList();
        Assert.Equal(["garden", "kitchen"], sites.Order(StringComparer.Ordinal));
        Assert.Contains("unknown field 'extra'", Refused(await CallAsync(client, "wpcom-mcp-user-sites", new { extra = 1 })), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("alice", Ok(await CallAsync(client, "wpcom-mcp-user-profile", new { })).GetProperty("login").GetString());

        var found = Ok(await CallAsync(client, "wpcom-mcp-posts-search", new { wpcom_site = "garden", search = "diary", status = "draft" }));
        Assert.Equal(postId, found.GetProperty("posts")[0].GetProperty("id").GetInt64());
        Assert.Contains("status", Refused(await CallAsync(client, "wpcom-mcp-posts-search", new { wpcom_site = "garden", status = "everything" })), StringComparison.Ordinal);

        var post = Ok(await CallAsync(client, "wpcom-mcp-post-get", new { wpcom_site = "garden", post_id = postId, include_comments = true }));
        Assert.Equal("Tomato diary", post.GetProperty("title").GetString());
        Assert.Contains("no such post", Refused(await CallAsync(client, "wpcom-mcp-post-get", new { wpcom_site = "garden", post_id = 999_999 })), StringComparison.OrdinalIgnoreCase);

        // WordPress.com's shapes through the official client: id, a {raw} title, the confirmation in params, include_fields.
        var renamed = Ok(await CallAsync(client, "wpcom-mcp-content-authoring", new
        {
            wpcom_site = "garden", action = "execute", operation = "posts.update",
            @params = new { id = postId, title = new { raw = "Tomato diary, week one" }, include_fields = new[] { "title" }, user_confirmed = true },
        })).GetProperty("result");
        Assert.Equal(["id", "title"], renamed.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Tomato diary, week one", renamed.GetProperty("title").GetProperty("raw").GetString());

        Ok(await CallAsync(client, "wpcom-mcp-content-authoring",
            new { wpcom_site = "garden", action = "execute", operation = "comments.reply", @params = new { post_id = postId, content = "Looking good" }, user_confirmed = true }));
        var comments = Ok(await CallAsync(client, "wpcom-mcp-site-comments-search", new { wpcom_site = "garden", search = "looking" }));
        Assert.Equal(1, comments.GetProperty("found").GetInt32());
        Assert.Contains("status", Refused(await CallAsync(client, "wpcom-mcp-site-comments-search", new { wpcom_site = "garden", status = "deleted" })), StringComparison.Ordinal);

        Assert.Equal("Garden Notes", Ok(await CallAsync(client, "wpcom-mcp-site-settings", new { wpcom_site = "garden", sections = new[] { "general" } }))
            .GetProperty("general").GetProperty("title").GetString());
        Assert.Contains("sections", Refused(await CallAsync(client, "wpcom-mcp-site-settings", new { wpcom_site = "garden", sections = new[] { "plugins" } })), StringComparison.Ordinal);
        Assert.Equal("alice", Ok(await CallAsync(client, "wpcom-mcp-site-users", new { wpcom_site = "garden" })).GetProperty("users")[0].GetProperty("login").GetString());
        Assert.Contains("role", Refused(await CallAsync(client, "wpcom-mcp-site-users", new { wpcom_site = "garden", role = "emperor" })), StringComparison.Ordinal);
        Assert.Equal(0, Ok(await CallAsync(client, "wpcom-mcp-site-statistics", new { wpcom_site = "garden", period = "day", num = 7 })).GetProperty("total").GetInt64());
        Assert.Contains("num", Refused(await CallAsync(client, "wpcom-mcp-site-statistics", new { wpcom_site = "garden", period = "day", num = 366 })), StringComparison.Ordinal);
        Assert.Contains("no site", Refused(await CallAsync(client, "wpcom-mcp-site-statistics", new { wpcom_site = "nowhere" })), StringComparison.Ordinal);

        // The log has every call, the refused and invalid ones included, for this app and this endpoint.
        await _s.Server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var log = await scope.ServiceProvider.GetRequiredService<PressDbContext>().ActivityLog.OrderBy(a => a.Id).ToListAsync();
        Assert.All(log, e => Assert.Equal("wpcom", e.Endpoint));
        Assert.Single(log.Select(e => e.Client).Distinct());
        var create = Assert.Single(log, e => e.Ability == "posts/create" && e.Outcome == CallOutcome.Succeeded);
        Assert.Equal("wpcom-mcp-content-authoring", create.Tool);
        Assert.True(create.IsWrite);
        Assert.Contains(log, e => e.Ability == "posts/create" && e.Outcome == CallOutcome.Refused);
        Assert.Contains(log, e => e.Ability == "posts/create" && e.Outcome == CallOutcome.Invalid);
        Assert.Contains(log, e => e.Tool == "wpcom-mcp-site-statistics" && e.Outcome == CallOutcome.NotFound);
        var changes = await scope.ServiceProvider.GetRequiredService<PressDbContext>().ChangeRecords.Where(c => c.CallId == create.CallId).ToListAsync();
        Assert.Equal(postId, Assert.Single(changes).ObjectId);
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task EveryPermissionLayer_RefusesWithItsReason(string version)
    {
        await using var gardenOnly = await ConnectAsync(version, sites: ["Garden Notes"]);
        await using var both = await ConnectAsync(version);
        var search = (string site) => new { wpcom_site = site, search = "x" };

        // Site not granted to this connection.
        Assert.Contains("not granted", Refused(await CallAsync(gardenOnly, "wpcom-mcp-posts-search", search("kitchen"))), StringComparison.Ordinal);
        // Role: alice is a contributor on kitchen, and the users tool is for administrators.
        Assert.Contains("list_users", Refused(await CallAsync(both, "wpcom-mcp-site-users", new { wpcom_site = "kitchen" })), StringComparison.Ordinal);
        Ok(await CallAsync(both, "wpcom-mcp-posts-search", search("kitchen")));

        // A tool switched off.
        await WithSettingsAsync((store, user) => store.SetToolsAsync(user, new Dictionary<string, bool> { ["posts/search"] = false }));
        Assert.Contains("switched off posts/search", Refused(await CallAsync(both, "wpcom-mcp-posts-search", search("garden"))), StringComparison.Ordinal);
        await WithSettingsAsync((store, user) => store.SetToolsAsync(user, new Dictionary<string, bool> { ["posts/search"] = true }));

        // A site blocked: refused there, the other site untouched.
        var garden = await SiteIdAsync("garden");
        await WithSettingsAsync((store, user) => store.SetSiteModeAsync(user, garden, SiteMcpMode.Blocked));
        Assert.Contains("blocked all MCP tools", Refused(await CallAsync(both, "wpcom-mcp-posts-search", search("garden"))), StringComparison.Ordinal);
        Ok(await CallAsync(both, "wpcom-mcp-posts-search", search("kitchen")));
        await WithSettingsAsync((store, user) => store.SetSiteModeAsync(user, garden, SiteMcpMode.Inherit));
        Ok(await CallAsync(both, "wpcom-mcp-posts-search", search("garden")));

        // MCP off: every tool refused, and none listed.
        await WithSettingsAsync((store, user) => store.SetEnabledAsync(user, false));
        Assert.Contains("MCP access is turned off", Refused(await CallAsync(both, "wpcom-mcp-user-profile", new { })), StringComparison.Ordinal);
        Assert.Empty(await both.ListToolsAsync());
    }
}
