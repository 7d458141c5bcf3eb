using System.Net;
using System.Text.Json;
using PressMcp.Abilities;

namespace PressMcp.Tests.Mcp;

/// <summary><c>wpcom-mcp-site-settings</c> and <c>wpcom-mcp-site-users</c>: administrators only, by section, output schemas kept.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SiteToolTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<JsonElement> CallAsync(string token, string tool, object arguments)
    {
        var response = await _s.CallToolAsync(token, tool, arguments);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await OAuthTestServer.JsonOf(response)).GetProperty("result");
    }

    private static string Message(JsonElement result) => result.GetProperty("content")[0].GetProperty("text").GetString()!;

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
