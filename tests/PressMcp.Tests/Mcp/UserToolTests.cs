using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Mcp;

/// <summary><c>wpcom-mcp-user-sites</c> (search, status, custom domain) and <c>wpcom-mcp-user-profile</c> (primary site) through the endpoint.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class UserToolTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;
    private long _gardenId;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
        _gardenId = garden.Id;
        garden.HostName = "garden.example";
        var kitchen = await db.Sites.SingleAsync(s => s.Slug == "kitchen");
        db.SiteOptions.Add(new SiteOption { SiteId = kitchen.Id, Name = "blog_public", Value = "0" });
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private Task<JsonElement> CallAsync(string token, string tool, object arguments) => _s.ToolResultAsync(token, tool, arguments);

    private static string Message(JsonElement result) => OAuthTestServer.TextOf(result);

    private async Task<List<string>> TitlesAsync(string token, object arguments)
    {
        var result = await CallAsync(token, "wpcom-mcp-user-sites", arguments);
        Assert.False(result.GetProperty("isError").GetBoolean(), Message(result));
        Assert.Null(_s.Server.Services.GetRequiredService<AbilityRegistry>().Find("user/sites")!.Output.Validate(result.GetProperty("structuredContent")));
        return [.. result.GetProperty("structuredContent").GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("title").GetString()!)];
    }

    [Fact]
    public async Task UserSites_SearchStatusAndCustomDomain_Filter()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes", "Kitchen"]);
        var token = tokens.AccessToken;
        Assert.Equal(["Garden Notes", "Kitchen"], await TitlesAsync(token, new { }));
        Assert.Equal(["Kitchen"], await TitlesAsync(token, new { search = "KIT" }));
        Assert.Equal(["Garden Notes"], await TitlesAsync(token, new { search = "garden.EX" }));
        Assert.Equal(["Kitchen"], await TitlesAsync(token, new { status = "private" }));
        Assert.Equal(["Garden Notes"], await TitlesAsync(token, new { status = "public", search = "e" }));
        Assert.Equal(["Garden Notes"], await TitlesAsync(token, new { custom_domain = true }));
        Assert.Equal(["Kitchen"], await TitlesAsync(token, new { custom_domain = false }));

        var all = (await CallAsync(token, "wpcom-mcp-user-sites", new { })).GetProperty("structuredContent").GetProperty("sites");
        Assert.Equal(("public", "garden.example"), (all[0].GetProperty("status").GetString(), all[0].GetProperty("custom_domain").GetString()));
        Assert.Equal(JsonValueKind.Null, all[1].GetProperty("custom_domain").ValueKind);

        Assert.Contains("status must be one of", Message(await CallAsync(token, "wpcom-mcp-user-sites", new { status = "hidden" })), StringComparison.Ordinal);
        Assert.Contains("search", Message(await CallAsync(token, "wpcom-mcp-user-sites", new { search = new string('x', 201) })), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserProfile_DisplayNameSiteCountAndPrimarySite()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var result = await CallAsync(tokens.AccessToken, "wpcom-mcp-user-profile", new { });
        Assert.False(result.GetProperty("isError").GetBoolean(), Message(result));
        var profile = result.GetProperty("structuredContent");
        Assert.Equal("alice", profile.GetProperty("login").GetString());
        Assert.True(profile.TryGetProperty("display_name", out _));
        Assert.Equal(2, profile.GetProperty("site_count").GetInt32());
        // Garden is the first site she joined (she created it before being added to Kitchen).
        Assert.Equal(_gardenId, profile.GetProperty("primary_blog").GetInt64());
        var urls = _s.Server.Services.GetRequiredService<SiteUrls>();
        Assert.Equal(urls.BaseOf("garden", "garden.example"), profile.GetProperty("primary_blog_url").GetString());
        Assert.Null(_s.Server.Services.GetRequiredService<AbilityRegistry>().Find("user/profile")!.Output.Validate(profile));
    }
}
