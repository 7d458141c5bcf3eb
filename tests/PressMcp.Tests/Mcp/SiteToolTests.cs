using System.Net;
using System.Text.Json;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Tests.Mcp;

/// <summary><c>wpcom-mcp-site-settings</c> and <c>wpcom-mcp-site-users</c>: administrators only, by section, output schemas kept.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SiteToolTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private Task<JsonElement> CallAsync(string token, string tool, object arguments) => _s.ToolResultAsync(token, tool, arguments);

    private static string Message(JsonElement result) => OAuthTestServer.TextOf(result);

    [Fact]
    public async Task Settings_ChosenSections_TypedValues()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var all = await CallAsync(tokens.AccessToken, "wpcom-mcp-site-settings", new { wpcom_site = "garden" });
        Assert.False(all.GetProperty("isError").GetBoolean(), Message(all));
        var settings = all.GetProperty("structuredContent");
        Assert.Equal("Garden Notes", settings.GetProperty("general").GetProperty("title").GetString());
        Assert.Equal(10, settings.GetProperty("reading").GetProperty("posts_per_page").GetInt32());
        Assert.True(settings.GetProperty("discussion").GetProperty("thread_comments").GetBoolean());
        Assert.Equal("alice@example.com", settings.GetProperty("general").GetProperty("admin_email").GetString());
        Assert.Null(_s.Server.Services.GetRequiredService<AbilityRegistry>().Find("site/settings")!.Output.Validate(settings));

        // Writing, permalinks and privacy (the settings about who may see and use the site, gathered from other screens).
        Assert.Equal(0, settings.GetProperty("writing").GetProperty("default_category").GetInt64());
        Assert.Equal("/%year%/%monthnum%/%day%/%postname%/", settings.GetProperty("permalinks").GetProperty("permalink_structure").GetString());
        Assert.True(settings.GetProperty("privacy").GetProperty("blog_public").GetBoolean());
        Assert.Equal("allow", settings.GetProperty("privacy").GetProperty("mcp_policy").GetString());
        var privacy = (await CallAsync(tokens.AccessToken, "wpcom-mcp-site-settings", new { wpcom_site = "garden", sections = new[] { "privacy", "writing" } })).GetProperty("structuredContent");
        Assert.Equal(["writing", "privacy"], privacy.EnumerateObject().Select(p => p.Name));

        var reading = (await CallAsync(tokens.AccessToken, "wpcom-mcp-site-settings", new { wpcom_site = "garden", sections = new[] { "reading" } })).GetProperty("structuredContent");
        Assert.Equal(["reading"], reading.EnumerateObject().Select(p => p.Name));
        var bad = await CallAsync(tokens.AccessToken, "wpcom-mcp-site-settings", new { wpcom_site = "garden", sections = new[] { "plugins" } });
        Assert.Contains("sections[0] must be one of", Message(bad), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_ListsMembersWithRoles_AndFilters()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var result = await CallAsync(tokens.AccessToken, "wpcom-mcp-site-users", new { wpcom_site = "garden" });
        var users = result.GetProperty("structuredContent").GetProperty("users").EnumerateArray().ToList();
        Assert.Equal(["alice"], users.Select(u => u.GetProperty("login").GetString()));
        Assert.Equal("administrator", users[0].GetProperty("role").GetString());
        var editors = await CallAsync(tokens.AccessToken, "wpcom-mcp-site-users", new { wpcom_site = "garden", role = "editor" });
        Assert.Empty(editors.GetProperty("structuredContent").GetProperty("users").EnumerateArray());
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Users_LastLoginFromPasswordAndTokenUse_AndPublishedPostCounts()
    {
        // Bob writes on Garden as an author: two published posts count; a draft and a published page do not.
        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
            var bob = await db.Users.SingleAsync(u => u.UserName == "bob");
            db.SiteMembers.Add(new SiteMember { SiteId = garden.Id, UserId = bob.Id, Role = Roles.Author });
            await db.SaveChangesAsync();
            var writer = new ContentSeed(scope.ServiceProvider);
            await writer.CreateAsync(garden, new NewPost { Title = "One", Status = PostStatuses.Publish, AuthorId = bob.Id });
            await writer.CreateAsync(garden, new NewPost { Title = "Two", Status = PostStatuses.Publish, AuthorId = bob.Id });
            await writer.CreateAsync(garden, new NewPost { Title = "Draft", AuthorId = bob.Id });
            await writer.CreateAsync(garden, new NewPost { Title = "About", Type = PostTypes.Page, Status = PostStatuses.Publish, AuthorId = bob.Id });
        }

        // Connecting signs Alice in with her password (the consent page).
        var signedIn = _s.Clock.GetUtcNow();
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        async Task<Dictionary<string, JsonElement>> UsersAsync() =>
            (await CallAsync(tokens.AccessToken, "wpcom-mcp-site-users", new { wpcom_site = "garden" })).GetProperty("structuredContent").GetProperty("users")
                .EnumerateArray().ToDictionary(u => u.GetProperty("login").GetString()!);
        var users = await UsersAsync();
        Assert.Equal(Utc(signedIn), users["alice"].GetProperty("last_login").GetString());
        Assert.Equal(JsonValueKind.Null, users["bob"].GetProperty("last_login").ValueKind);
        Assert.Equal(2, users["bob"].GetProperty("post_count").GetInt32());
        Assert.Equal(0, users["alice"].GetProperty("post_count").GetInt32());

        // Using the token later is a sign-in too (recorded at most once a minute, with the grant's last use).
        _s.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(Utc(_s.Clock.GetUtcNow()), (await UsersAsync())["alice"].GetProperty("last_login").GetString());
        Assert.Null(_s.Server.Services.GetRequiredService<AbilityRegistry>().Find("site/users")!.Output.Validate(
            (await CallAsync(tokens.AccessToken, "wpcom-mcp-site-users", new { wpcom_site = "garden" })).GetProperty("structuredContent")));
    }

    [Fact]
    public async Task Contributor_IsRefusedBothAndDoesNotSeeThem()
    {
        // Alice is a contributor on Kitchen: settings and users are for administrators.
        var (_, tokens) = await _s.ConnectAsync(sites: ["Kitchen"]);
        Assert.Contains("manage_options", Message(await CallAsync(tokens.AccessToken, "wpcom-mcp-site-settings", new { wpcom_site = "kitchen" })), StringComparison.Ordinal);
        Assert.Contains("list_users", Message(await CallAsync(tokens.AccessToken, "wpcom-mcp-site-users", new { wpcom_site = "kitchen" })), StringComparison.Ordinal);
        var names = (await OAuthTestServer.JsonOf(await _s.CallAsync(tokens.AccessToken))).GetProperty("result").GetProperty("tools")
            .EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("wpcom-mcp-site-settings", names);
        Assert.DoesNotContain("wpcom-mcp-site-users", names);
        Assert.Contains("wpcom-mcp-posts-search", names);
    }

    [Fact]
    public async Task Users_WithoutUsersReadScope_IsStepUp()
    {
        var (_, tokens) = await _s.ConnectAsync(scope: "settings:read", sites: ["Garden Notes"]);
        var response = await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-site-users", new { wpcom_site = "garden" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("scope=\"users:read\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False((await CallAsync(tokens.AccessToken, "wpcom-mcp-site-settings", new { wpcom_site = "garden" })).GetProperty("isError").GetBoolean());
    }
}
