using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Mcp;
using PressMcp.Sites;
using PressMcp.Sites.Abilities;
using PressMcp.Tests.Mcp;

namespace PressMcp.Tests.Sites;

/// <summary>
/// <c>site/update-settings</c> over MCP (the content-authoring facade's <c>settings.update</c>, OAuth): the scope
/// <c>settings:write</c> steps up, the role decides, all or nothing; and the site's MCP policy end to end: set by the
/// administrator in the settings page, it refuses an agent's writes (read-only) or every tool (blocked), while the
/// person goes on writing in the browser.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SiteSettingsAbilityTests : IAsyncLifetime
{
    private AuthoringHarness _h = null!;

    public async ValueTask InitializeAsync() => _h = await AuthoringHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private Task<Site> GardenAsync() => _h.WithDbAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Slug == "garden"));

    [Fact]
    public async Task UpdateSettings_ChangesAndAnswersEverySection_WithChangeRecordOfTheValuesBefore()
    {
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
        var result = await _h.SucceedAsync(token, "garden", "settings.update",
            new { title = "Garden Journal", timezone = "Asia/Tokyo", posts_per_page = 5, blog_public = false, comment_moderation = true, thumbnail_size_w = 200 });
        Assert.Equal("Garden Journal", result.GetProperty("general").GetProperty("title").GetString());
        Assert.Equal("Asia/Tokyo", result.GetProperty("general").GetProperty("timezone").GetString());
        Assert.Equal(5, result.GetProperty("reading").GetProperty("posts_per_page").GetInt32());
        Assert.False(result.GetProperty("reading").GetProperty("blog_public").GetBoolean());
        Assert.True(result.GetProperty("discussion").GetProperty("comment_moderation").GetBoolean());
        Assert.Equal(200, result.GetProperty("media").GetProperty("thumbnail_size_w").GetInt32());

        var site = await GardenAsync();
        Assert.Equal(("Garden Journal", "Asia/Tokyo"), (site.Title, site.TimeZone));
        var change = Assert.Single(await _h.ChangesAsync());
        Assert.Equal((SiteSettingsStore.ObjectType, "update", site.Id), (change.ObjectType, change.Action, change.ObjectId));
        using var before = JsonDocument.Parse(change.Before!);
        Assert.Equal("Garden Notes", before.RootElement.GetProperty("title").GetString());
        Assert.Equal("UTC", before.RootElement.GetProperty("timezone").GetString());
        Assert.Equal(JsonValueKind.Null, before.RootElement.GetProperty("posts_per_page").ValueKind);

        // The read ability answers the same at once (no cache keeps the old site).
        var read = await _h.ToolAsync(token, "wpcom-mcp-site-settings", new { wpcom_site = "garden" });
        Assert.Equal("Garden Journal", read.GetProperty("structuredContent").GetProperty("general").GetProperty("title").GetString());
    }

    [Fact]
    public async Task UpdateSettings_PermalinkStructure_LinksInTheNextResultFollow()
    {
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
        var created = await _h.SucceedAsync(token, "garden", "posts.create", new { title = "Beans", status = "publish" });
        var id = created.GetProperty("id").GetInt64();
        Assert.Matches(@"/sites/garden/\d{4}/\d{2}/\d{2}/beans/$", created.GetProperty("link").GetString());

        var settings = await _h.SucceedAsync(token, "garden", "settings.update", new { permalink_structure = "/archives/%post_id%" });
        Assert.Equal("/archives/%post_id%", settings.GetProperty("permalinks").GetProperty("permalink_structure").GetString());
        Assert.Equal("/archives/%post_id%", (await GardenAsync()).PermalinkStructure);

        // The very next call builds links from the new structure (the cached site was dropped with the access version).
        var updated = await _h.SucceedAsync(token, "garden", "posts.update", new { post_id = id, title = "Beans and peas" });
        Assert.EndsWith($"/sites/garden/archives/{id}", updated.GetProperty("link").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"title\":\"New\",\"timezone\":\"Mars/Olympus_Mons\"}", "unknown time zone 'Mars/Olympus_Mons'")]
    [InlineData("{\"title\":\"New\",\"posts_per_page\":0}", "posts_per_page")]
    [InlineData("{\"title\":\"New\",\"posts_per_page\":101}", "posts_per_page")]
    [InlineData("{\"title\":\"New\",\"language\":\"not a tag\"}", "language must be a language tag")]
    [InlineData("{\"title\":\"New\",\"date_format\":\"" + "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY" + "\"}", "date_format")]
    [InlineData("{\"title\":\"\\u0007\"}", "title contains control characters")]
    [InlineData("{}", "name at least one setting to change")]
    [InlineData("{\"title\":\"New\",\"permalink_structure\":\"/%category%/%postname%/\"}", "permalink_structure")]
    public async Task UpdateSettings_AnyValueInvalid_NothingChanges(string parameters, string message)
    {
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
        var error = await _h.FailAsync(token, "garden", "settings.update", JsonDocument.Parse(parameters).RootElement);
        Assert.Contains(message, error, StringComparison.Ordinal);
        var site = await GardenAsync();
        Assert.Equal(("Garden Notes", "UTC", "en-US"), (site.Title, site.TimeZone, site.Language));
        Assert.Empty(await _h.ChangesAsync());
    }

    [Fact]
    public async Task UpdateSettings_WithoutSettingsWriteScope_IsStepUp403()
    {
        var token = await _h.ConnectAsync(scope: "settings:read content:write");
        await _h.EnableWritesAsync();
        var response = await _h.S.CallToolAsync(token, ContentAuthoringTool.Name,
            new { wpcom_site = "garden", action = "execute", operation = "settings.update", @params = new { title = "x" }, user_confirmed = true });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"settings:write\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("Garden Notes", (await GardenAsync()).Title);
    }

    [Fact]
    public async Task UpdateSettings_Contributor_IsRefused_ManageOptions()
    {
        // Alice is a contributor on kitchen.
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
        var error = await _h.FailAsync(token, "kitchen", "settings.update", new { title = "Mine now" });
        Assert.Contains("manage_options", error, StringComparison.Ordinal);
        Assert.Equal("Kitchen", (await _h.WithDbAsync(db => db.Sites.SingleAsync(s => s.Slug == "kitchen"))).Title);
    }

    [Fact]
    public async Task SitePolicy_SetInThePage_ReadOnlyRefusesAgentWrites_BlockedRefusesEveryTool_PersonStillWrites()
    {
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
        var alice = await _h.S.AliceAsync();
        const string settings = "/account/sites/garden/settings";
        async Task SetPolicyAsync(string policy) =>
            Assert.Equal(HttpStatusCode.SeeOther, (await TestServer.PostFormAsync(alice, settings, new() { ["card"] = "mcp", ["mcp_policy"] = policy })).StatusCode);

        await SetPolicyAsync(SiteMcpPolicies.ReadOnly);
        Assert.Contains("allow MCP apps only to read on this site", await _h.FailAsync(token, "garden", "posts.create", new { title = "Agent draft" }), StringComparison.Ordinal);
        Assert.Contains("allow MCP apps only to read on this site", await _h.FailAsync(token, "garden", "settings.update", new { mcp_policy = "allow" }), StringComparison.Ordinal);
        var search = await _h.ToolAsync(token, "wpcom-mcp-posts-search", new { wpcom_site = "garden" });
        Assert.False(search.GetProperty("isError").GetBoolean(), search.ToString());

        await SetPolicyAsync(SiteMcpPolicies.Blocked);
        var blocked = await _h.ToolAsync(token, "wpcom-mcp-posts-search", new { wpcom_site = "garden" });
        Assert.True(blocked.GetProperty("isError").GetBoolean());
        Assert.Contains("blocked every MCP app on this site", blocked.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var settingsRead = await _h.ToolAsync(token, "wpcom-mcp-site-settings", new { wpcom_site = "garden" });
        Assert.True(settingsRead.GetProperty("isError").GetBoolean());
        // Kitchen's policy is its own: the same agent still works there.
        Assert.False((await _h.ToolAsync(token, "wpcom-mcp-posts-search", new { wpcom_site = "kitchen" })).GetProperty("isError").GetBoolean());

        // The person is not an agent: she still changes the site in the browser.
        var saved = await TestServer.PostFormAsync(alice, settings, new() { ["card"] = "reading", ["posts_per_page"] = "7", ["blog_public"] = "1" });
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        Assert.Equal(0, await _h.WithDbAsync(db => db.Posts.CountAsync(p => p.Type == "post")));
        Assert.Equal("7", await _h.WithDbAsync(db => db.SiteOptions.Where(o => o.SiteId == _h.GardenId && o.Name == "posts_per_page").Select(o => o.Value).SingleAsync()));
        Assert.Equal(SiteMcpPolicy.Blocked, (await GardenAsync()).McpPolicy);
    }

    [Fact]
    public void UpdateSettingsInput_NamesExactlyTheCatalogueWritableSettings()
    {
        // The input record describes the settings to clients; the catalogue decides them: the two lists stay equal.
        var ability = _h.S.Server.Services.GetRequiredService<AbilityRegistry>().Find(SiteWriteAbilities.UpdateSettings)!;
        var properties = ability.InputSchemaWithoutSite.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(SiteSettingsCatalog.All.Where(s => s.Writable).Select(s => s.Name).Order(StringComparer.Ordinal), properties);
        Assert.False(ability.InputSchemaWithoutSite.GetProperty("additionalProperties").GetBoolean());
    }
}

/// <summary><c>site/add-member</c>, <c>site/update-member-role</c>, <c>site/remove-member</c> over the MCP Adapter (Application Password).</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class MemberAbilityTests : IAsyncLifetime
{
    private AbilityHarness _h = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await AbilityHarness.StartAsync();
        await _h.EnableAsync("alice");
        await _h.AddMemberAsync("ed", "garden", "editor");
        await _h.EnableAsync("ed");
        await _h.Server.Server.CreateUserAsync("carol", "member secret phrase");
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Administrator_AddsByEmail_ChangesRole_Removes()
    {
        var added = await _h.OkAsync("alice", SiteWriteAbilities.AddMember, new { user = "carol@example.com", role = "author" });
        Assert.Equal(("carol", "author"), (added.GetProperty("login").GetString(), added.GetProperty("role").GetString()));
        var changed = await _h.OkAsync("alice", SiteWriteAbilities.UpdateMemberRole, new { user = "carol", role = "editor" });
        Assert.Equal("editor", changed.GetProperty("role").GetString());
        var removed = await _h.OkAsync("alice", SiteWriteAbilities.RemoveMember, new { user = "carol" });
        Assert.Equal("editor", removed.GetProperty("role").GetString());
        var users = await _h.OkAsync("alice", SiteUsersAbility.Name, new { });
        Assert.DoesNotContain("carol", users.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("login").GetString()));
    }

    [Fact]
    public async Task Editor_IsRefused_PromoteAndRemove_NothingChanges()
    {
        var add = await _h.CallAsync("ed", SiteWriteAbilities.AddMember, new { user = "carol", role = "administrator" });
        Assert.Equal(CallOutcome.Refused, add.Outcome);
        Assert.Contains("promote_users", add.Message, StringComparison.Ordinal);
        var promote = await _h.CallAsync("ed", SiteWriteAbilities.UpdateMemberRole, new { user = "ed", role = "administrator" });
        Assert.Equal(CallOutcome.Refused, promote.Outcome);
        var remove = await _h.CallAsync("ed", SiteWriteAbilities.RemoveMember, new { user = "alice" });
        Assert.Contains("remove_users", remove.Message, StringComparison.Ordinal);
        var users = await _h.OkAsync("alice", SiteUsersAbility.Name, new { });
        Assert.Equal([("alice", "administrator"), ("ed", "editor")],
            users.GetProperty("users").EnumerateArray().Select(u => (u.GetProperty("login").GetString(), u.GetProperty("role").GetString())));
    }

    [Fact]
    public async Task LastAdministrator_CannotDemoteOrRemoveThemselves()
    {
        var demote = await _h.CallAsync("alice", SiteWriteAbilities.UpdateMemberRole, new { user = "alice", role = "editor" });
        Assert.Equal(CallOutcome.Failed, demote.Outcome);
        Assert.Contains("is the last administrator of 'garden'", demote.Message, StringComparison.Ordinal);
        var remove = await _h.CallAsync("alice", SiteWriteAbilities.RemoveMember, new { user = "alice" });
        Assert.Contains("cannot be removed", remove.Message, StringComparison.Ordinal);
        var users = await _h.OkAsync("alice", SiteUsersAbility.Name, new { role = "administrator" });
        Assert.Equal(["alice"], users.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("login").GetString()));
    }
}
