using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Sites;
using PressMcp.Sites.Abilities;
using PressMcp.Storage;

namespace PressMcp.Tests.Sites;

/// <summary>
/// <c>/account/sites/{slug}/settings</c>: each card saved through <c>site/update-settings</c> as the person, all or
/// nothing, taking effect on the public site at once; administrators and a server administrator who is not a member
/// may, every other role is refused and nothing changes.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SettingsPageTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Settings = "/account/sites/garden/settings";
    private const string AnyForm = "/account/app-passwords";
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        foreach (var login in new[] { "alice", "ed", "ann", "sam" }) await _server.CreateUserAsync(login, Password);
        await _server.CreateUserAsync("root", Password, serverAdmin: true);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        foreach (var (login, role) in new[] { ("ed", "editor"), ("ann", "author"), ("sam", "subscriber") })
            Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", login, "--role", role)).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<T> DbAsync<T>(Func<PressDbContext, Task<T>> body)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await body(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    private Task<Site> GardenAsync() => DbAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Slug == "garden"));

    private Task<Dictionary<string, string>> OptionsAsync() => DbAsync(async db =>
    {
        var site = await db.Sites.SingleAsync(s => s.Slug == "garden");
        return await db.SiteOptions.Where(o => o.SiteId == site.Id).ToDictionaryAsync(o => o.Name, o => o.Value);
    });

    private static Dictionary<string, string> General(string title = "Seed Notes", string timeZone = "Europe/Madrid") => new()
    {
        ["card"] = "general", ["title"] = title, ["tagline"] = "Seeds and soil", ["timezone"] = timeZone, ["language"] = "es-ES",
        ["date_format"] = SettingsModelCustom, ["date_format_custom"] = "Y-m-d", ["time_format"] = "H:i", ["start_of_week"] = "1",
    };

    private const string SettingsModelCustom = PressMcp.Sites.Pages.SettingsModel.CustomFormat;

    private static async Task<string> FollowAsync(HttpClient client, HttpResponseMessage posted)
    {
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        return await client.GetStringAsync(posted.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Page_Administrator_ShowsEverySectionWithCurrentValues()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        var page = TestServer.Parse(await alice.GetStringAsync(Settings));
        Assert.Equal(["general", "reading", "discussion", "media", "permalinks", "mcp"], page.QuerySelectorAll("section.card").Select(s => s.Id));
        Assert.Equal("Garden Notes", page.QuerySelector("#set-title")!.GetAttribute("value"));
        Assert.Equal("UTC", page.QuerySelector("#set-timezone option[selected]")!.TextContent);
        Assert.Equal("10", page.QuerySelector("#set-posts_per_page")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("#set-require_name_email[checked]"));
        Assert.NotNull(page.QuerySelector("input[name=mcp_policy][value=allow][checked]"));
        Assert.Contains("/sites/garden/", page.QuerySelector("#permalinks code")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"input[name=permalink_structure][value='{Permalinks.DayAndName}'][checked]"));
        Assert.Equal(5, page.QuerySelectorAll("input[name=permalink_structure]").Length);
    }

    [Fact]
    public async Task SavePermalinks_ChangesTheStructure_TheChoiceIsShownChecked()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        var page = TestServer.Parse(await FollowAsync(alice, await TestServer.PostFormAsync(alice, Settings,
            new() { ["card"] = "permalinks", ["permalink_structure"] = Permalinks.PostName })));
        Assert.Contains("Permalinks settings saved.", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"input[name=permalink_structure][value='{Permalinks.PostName}'][checked]"));
        var label = page.QuerySelectorAll("#permalinks label").Single(l => l.QuerySelector("input")!.GetAttribute("value") == Permalinks.PostName);
        Assert.EndsWith("/sites/garden/sample-post/", label.QuerySelector("code")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveGeneral_ChangesSiteAndOptions_PublicSiteFollowsAtOnce_LoggedWithChangeRecord()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        var publicHome = _server.CreateClient();
        Assert.Contains("Garden Notes", await publicHome.GetStringAsync("/sites/garden/"), StringComparison.Ordinal);

        var page = TestServer.Parse(await FollowAsync(alice, await TestServer.PostFormAsync(alice, Settings, General())));
        Assert.Equal("General settings saved.", page.QuerySelector("p.notice")!.TextContent);
        var site = await GardenAsync();
        Assert.Equal(("Seed Notes", "Seeds and soil", "Europe/Madrid", "es-ES"), (site.Title, site.Tagline, site.TimeZone, site.Language));
        var options = await OptionsAsync();
        Assert.Equal(("Y-m-d", "H:i"), (options["date_format"], options["time_format"]));
        Assert.NotNull(page.QuerySelector("input[name=date_format][value=Y-m-d][checked]"));
        Assert.Contains("(Europe/Madrid)", page.QuerySelector("p.site-clock")!.TextContent, StringComparison.Ordinal);

        var home = TestServer.Parse(await publicHome.GetStringAsync("/sites/garden/"));
        Assert.Equal("Seed Notes", home.QuerySelector(".site-title a")!.TextContent);
        Assert.Equal("es-ES", home.DocumentElement.GetAttribute("lang"));

        await _server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        var entry = await DbAsync(db => db.ActivityLog.AsNoTracking().SingleAsync(a => a.Ability == SiteWriteAbilities.UpdateSettings));
        Assert.Equal(("settings: general", PersonCalls.Endpoint, CallOutcome.Succeeded), (entry.Tool, entry.Endpoint, entry.Outcome));
        var change = await DbAsync(db => db.ChangeRecords.AsNoTracking().SingleAsync(c => c.ObjectType == SiteSettingsStore.ObjectType));
        Assert.Contains("\"title\":\"Garden Notes\"", change.Before, StringComparison.Ordinal);
        Assert.Contains("\"date_format\":null", change.Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveReading_PostsPerPage_IsUsedByThePublicSite()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var site = await scope.ServiceProvider.GetRequiredService<SiteResolver>().ResolveAsync("garden");
            for (var i = 1; i <= 4; i++)
                await new ContentSeed(scope.ServiceProvider).CreateAsync(site.Value!, new NewPost { Title = $"Post {i}", Status = "publish", DateUtc = new DateTime(2026, 1, i, 12, 0, 0, DateTimeKind.Utc) });
        }
        Assert.Equal(4, TestServer.Parse(await _server.CreateClient().GetStringAsync("/sites/garden/")).QuerySelectorAll("article").Length);
        await FollowAsync(alice, await TestServer.PostFormAsync(alice, Settings, new() { ["card"] = "reading", ["posts_per_page"] = "3" }));
        Assert.Equal(3, TestServer.Parse(await _server.CreateClient().GetStringAsync("/sites/garden/")).QuerySelectorAll("article").Length);
        // blog_public was left unchecked in the form: off, as a checkbox reads.
        Assert.Equal("0", (await OptionsAsync())["blog_public"]);
    }

    [Theory]
    [InlineData("timezone", "Mars/Olympus_Mons", "Unknown time zone 'Mars/Olympus_Mons'")]
    [InlineData("title", "   ", "Title is empty")]
    [InlineData("date_format_custom", "", "Invalid arguments: date_format must not be empty")]
    public async Task SaveGeneral_OneValueInvalid_NothingChanges_ErrorSaysWhich(string field, string value, string error)
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        var form = General(title: "Changed Title");
        form[field] = value;
        var page = TestServer.Parse(await FollowAsync(alice, await TestServer.PostFormAsync(alice, Settings, form)));
        Assert.StartsWith(error, page.QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        var site = await GardenAsync();
        Assert.Equal(("Garden Notes", "UTC", "en-US"), (site.Title, site.TimeZone, site.Language));
        Assert.DoesNotContain("date_format", (await OptionsAsync()).Keys);
    }

    [Fact]
    public async Task SaveReading_PostsPerPageOutOfBounds_IsRefused()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        foreach (var bad in new[] { "0", "101", "ten" })
        {
            var page = TestServer.Parse(await FollowAsync(alice, await TestServer.PostFormAsync(alice, Settings, new() { ["card"] = "reading", ["posts_per_page"] = bad, ["blog_public"] = "1" })));
            Assert.NotNull(page.QuerySelector("p.error"));
        }
        Assert.DoesNotContain("posts_per_page", (await OptionsAsync()).Keys);
    }

    [Theory]
    [InlineData("ed")]
    [InlineData("ann")]
    [InlineData("sam")]
    public async Task OtherRoles_AreRefused_PageAndSave_NothingChanges(string login)
    {
        var client = await _server.SignedInClientAsync(login, Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Settings)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TestServer.PostFormAsync(client, Settings, General(), AnyForm)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TestServer.PostFormAsync(client, Settings, new() { ["card"] = "mcp", ["mcp_policy"] = "blocked" }, AnyForm)).StatusCode);
        var site = await GardenAsync();
        Assert.Equal(("Garden Notes", "UTC", SiteMcpPolicy.Allow), (site.Title, site.TimeZone, site.McpPolicy));
        Assert.Equal(["admin_email"], (await OptionsAsync()).Keys);
    }

    [Fact]
    public async Task ServerAdministrator_NotAMember_SavesSettingsAndPolicy()
    {
        var root = await _server.SignedInClientAsync("root", Password);
        await FollowAsync(root, await TestServer.PostFormAsync(root, Settings, General(title: "Root's Title")));
        await FollowAsync(root, await TestServer.PostFormAsync(root, Settings, new() { ["card"] = "mcp", ["mcp_policy"] = "read-only" }));
        var site = await GardenAsync();
        Assert.Equal(("Root's Title", SiteMcpPolicy.ReadOnly), (site.Title, site.McpPolicy));
    }
}
