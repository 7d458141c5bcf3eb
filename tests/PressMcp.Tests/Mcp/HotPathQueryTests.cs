using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Mcp.Settings;
using PressMcp.Storage;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// The merged queries of the MCP hot path (the token with its grant and user, the three MCP settings tables in one
/// query, the site with the caller's role), and the caches in front of them: whatever a call cached, a change made
/// between two calls (by a service or by bulk SQL behind the application's back) shows in the second call, because
/// the database's access version moved.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class HotPathQueryTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task GrantRemoved_TokenRefusedOnTheNextCall()
    {
        var (_, tokens) = await _s.ConnectAsync();
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var alice = await db.Users.SingleAsync(u => u.UserName == "alice");
            await db.OAuthGrants.Where(g => g.UserId == alice.Id).ExecuteDeleteAsync();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task ServerAdminFlag_IsReadWithTheToken_OnEveryCall()
    {
        var (_, tokens) = await _s.ConnectAsync();
        var before = await ProfileAsync(tokens.AccessToken);
        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Users.Where(u => u.UserName == "alice").ExecuteUpdateAsync(u => u.SetProperty(x => x.IsServerAdmin, x => !x.IsServerAdmin));
        }
        var after = await ProfileAsync(tokens.AccessToken);
        Assert.NotEqual(before.GetProperty("server_admin").GetBoolean(), after.GetProperty("server_admin").GetBoolean());
    }

    [Fact]
    public async Task Settings_AllThreeTables_ReadTogether()
    {
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<PressDbContext>();
        var store = sp.GetRequiredService<McpSettingsStore>();
        var alice = (await db.Users.SingleAsync(u => u.UserName == "alice")).Id;
        var garden = (await db.Sites.SingleAsync(s => s.Slug == "garden")).Id;
        var kitchen = (await db.Sites.SingleAsync(s => s.Slug == "kitchen")).Id;

        Assert.False((await store.LoadAsync(alice)).Enabled);
        await store.SetEnabledAsync(alice, true);
        await store.SetToolsAsync(alice, new Dictionary<string, bool> { ["posts/search"] = false, ["posts/create"] = true });
        await store.SetSiteModeAsync(alice, garden, SiteMcpMode.Blocked);
        await store.SetSiteModeAsync(alice, kitchen, SiteMcpMode.ReadOnly);

        var settings = await store.LoadAsync(alice);
        Assert.True(settings.Enabled);
        Assert.True(settings.HasExplicitSwitch("posts/search"));
        Assert.True(settings.HasExplicitSwitch("posts/create"));
        Assert.False(settings.HasExplicitSwitch("posts/get"));
        Assert.Equal(SiteMcpMode.Blocked, settings.ModeOn(garden));
        Assert.Equal(SiteMcpMode.ReadOnly, settings.ModeOn(kitchen));
        Assert.Equal(SiteMcpMode.Inherit, settings.ModeOn(999_999));

        // Off: nothing else matters for a call, but the settings page still sees the switches.
        await store.SetEnabledAsync(alice, false);
        Assert.False((await store.LoadAsync(alice)).HasExplicitSwitch("posts/search"));
        var whole = await store.LoadAsync(alice, whole: true);
        Assert.False(whole.Enabled);
        Assert.True(whole.HasExplicitSwitch("posts/search"));
        Assert.Equal(SiteMcpMode.Blocked, whole.ModeOn(garden));
    }

    [Fact]
    public async Task SiteAndRole_ResolvedTogether_ByIdSlugOrHost()
    {
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<PressDbContext>();
        var resolver = sp.GetRequiredService<PressMcp.Sites.SiteResolver>();
        var alice = (await db.Users.SingleAsync(u => u.UserName == "alice")).Id;
        var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
        await db.Sites.Where(s => s.Id == garden.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.HostName, "garden.example"));

        foreach (var reference in new[] { garden.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "garden", " GARDEN ", "garden.example." })
        {
            var found = await resolver.ResolveWithActorAsync(reference, alice, isServerAdmin: false);
            Assert.True(found.Succeeded, reference);
            Assert.Equal(garden.Id, found.Value.Site.Id);
            Assert.Equal("administrator", found.Value.Actor.Role);
        }
        var kitchen = await resolver.ResolveWithActorAsync("kitchen", alice, isServerAdmin: false);
        Assert.Equal("contributor", kitchen.Value.Actor.Role);
        var nobody = await resolver.ResolveWithActorAsync("kitchen", alice + 1000, isServerAdmin: true);
        Assert.Null(nobody.Value.Actor.Role);
        Assert.True(nobody.Value.Actor.IsServerAdmin);
        Assert.False((await resolver.ResolveWithActorAsync("nowhere", alice, false)).Succeeded);
        Assert.False((await resolver.ResolveWithActorAsync("", alice, false)).Succeeded);
    }

    [Fact]
    public async Task RoleSiteAndGrantChanges_BetweenTwoCalls_ApplyToTheSecond()
    {
        var (_, tokens) = await _s.ConnectAsync(enableMcp: true);
        async Task<JsonElement> SearchAsync(string site)
        {
            var json = await OAuthTestServer.JsonOf(await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = site }));
            return json.GetProperty("result");
        }
        // Twice, so the second answer comes from the caches (token, settings, site and role).
        Assert.False((await SearchAsync("garden")).GetProperty("isError").GetBoolean());
        Assert.False((await SearchAsync("garden")).GetProperty("isError").GetBoolean());

        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var alice = await db.Users.SingleAsync(u => u.UserName == "alice");
            var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
            // A subscriber may not search posts: the role is read again.
            await db.SiteMembers.Where(m => m.UserId == alice.Id && m.SiteId == garden.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Role, "subscriber"));
        }
        var refused = await SearchAsync("garden");
        Assert.True(refused.GetProperty("isError").GetBoolean());

        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var alice = await db.Users.SingleAsync(u => u.UserName == "alice");
            await db.SiteMembers.Where(m => m.UserId == alice.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Role, "administrator"));
            // Renamed: the old slug no longer names it, the new one does.
            await db.Sites.Where(s => s.Slug == "garden").ExecuteUpdateAsync(u => u.SetProperty(s => s.Slug, "orchard"));
        }
        Assert.True((await SearchAsync("garden")).GetProperty("isError").GetBoolean());
        Assert.False((await SearchAsync("orchard")).GetProperty("isError").GetBoolean());

        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            // The token itself revoked in bulk SQL: the next call is refused at the door.
            await db.OAuthTokens.ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedUtc, DateTime.UtcNow));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "orchard" })).StatusCode);
    }

    private async Task<JsonElement> ProfileAsync(string token)
    {
        var response = await _s.CallToolAsync(token, "wpcom-mcp-user-profile");
        var json = await OAuthTestServer.JsonOf(response);
        var result = json.GetProperty("result");
        Assert.False(result.GetProperty("isError").GetBoolean());
        return result.GetProperty("structuredContent");
    }
}
