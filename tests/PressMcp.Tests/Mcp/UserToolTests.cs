using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content;
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
    public async Task UserSites_WordPressComArguments_FiltersPagesPlatformEnvironmentAndMetrics()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes", "Kitchen"]);
        var token = tokens.AccessToken;
        // WordPress.com's filters object holds the same filters as the top level.
        Assert.Equal(["Kitchen"], await TitlesAsync(token, new { filters = new { search = "KIT" } }));
        Assert.Equal(["Kitchen"], await TitlesAsync(token, new { filters = new { privacy = "private" } }));
        Assert.Equal(["Garden Notes"], await TitlesAsync(token, new { filters = new { status = "public", custom_domain = true } }));
        Assert.Contains("search and filters.search disagree", Message(await CallAsync(token, "wpcom-mcp-user-sites", new { search = "a", filters = new { search = "b" } })), StringComparison.Ordinal);

        // Every PressMcp site is a self-hosted production site.
        Assert.Equal(["Garden Notes", "Kitchen"], await TitlesAsync(token, new { platform = "all", ownership = "user", environment = "production" }));
        Assert.Equal(["Garden Notes", "Kitchen"], await TitlesAsync(token, new { platform = "jetpack", environment = "all" }));
        Assert.Empty(await TitlesAsync(token, new { platform = "simple" }));
        Assert.Empty(await TitlesAsync(token, new { environment = "staging" }));
        Assert.Contains("platform must be one of", Message(await CallAsync(token, "wpcom-mcp-user-sites", new { platform = "vip" })), StringComparison.Ordinal);

        // Pages: found counts every match.
        var second = (await CallAsync(token, "wpcom-mcp-user-sites", new { page = 2, per_page = 1 })).GetProperty("structuredContent");
        Assert.Equal((2, 2, 1), (second.GetProperty("found").GetInt32(), second.GetProperty("page").GetInt32(), second.GetProperty("per_page").GetInt32()));
        Assert.Equal(["Kitchen"], await TitlesAsync(token, new { page = 2, per_page = 1 }));
        Assert.Contains("per_page", Message(await CallAsync(token, "wpcom-mcp-user-sites", new { per_page = 101 })), StringComparison.Ordinal);

        // Metrics only when asked: published posts and pages, views over the last 30 days.
        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            db.SiteDailyViews.AddRange(
                new SiteDailyViews { SiteId = _gardenId, Day = today, Views = 5, Visitors = 2 },
                new SiteDailyViews { SiteId = _gardenId, Day = today.AddDays(-40), Views = 7, Visitors = 4 });
            await db.SaveChangesAsync();
        }
        Assert.False((await CallAsync(token, "wpcom-mcp-user-sites", new { })).GetProperty("structuredContent").GetProperty("sites")[0].TryGetProperty("metrics", out _));
        await TitlesAsync(token, new { include_metrics = true });
        var withMetrics = (await CallAsync(token, "wpcom-mcp-user-sites", new { include_metrics = true })).GetProperty("structuredContent").GetProperty("sites");
        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var published = await db.Posts.CountAsync(p => p.SiteId == _gardenId && (p.Type == "post" || p.Type == "page") && p.Status == "publish");
            Assert.Equal(published, withMetrics[0].GetProperty("metrics").GetProperty("posts").GetInt64());
        }
        Assert.Equal(5, withMetrics[0].GetProperty("metrics").GetProperty("views").GetInt64());
        Assert.Equal(0, withMetrics[1].GetProperty("metrics").GetProperty("views").GetInt64());
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
