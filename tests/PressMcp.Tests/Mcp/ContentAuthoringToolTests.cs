using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Mcp;
using PressMcp.Abilities;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// <c>wpcom-mcp-content-authoring</c> over real HTTP after a real OAuth flow: list, describe, the confirmation rule,
/// write tools off until the user turns them on, and the activity log naming the tool and the operation's ability.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ContentAuthoringToolTests : IAsyncLifetime
{
    private AuthoringHarness _h = null!;

    public async ValueTask InitializeAsync() => _h = await AuthoringHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task WriteTools_AreOffByDefault_UntilTheUserTurnsThemOn()
    {
        var token = await _h.ConnectAsync();
        var tools = await _h.ToolNamesAsync(token);
        Assert.DoesNotContain(ContentAuthoringTool.Name, tools);
        Assert.Contains("wpcom-mcp-site-comments-search", tools);

        var refused = await _h.FailAsync(token, "garden", "posts.create", new { title = "Hello" });
        Assert.Contains("switched off posts/create", refused, StringComparison.Ordinal);
        Assert.Contains("write tools stay off until the user turns them on", refused, StringComparison.Ordinal);
        Assert.Equal(0, await _h.PostCountAsync());
        Assert.Empty(await _h.ChangesAsync());
        var list = (await _h.AuthorAsync(token, new { wpcom_site = "garden", action = "list" })).GetProperty("structuredContent");
        Assert.Empty(list.GetProperty("operations").EnumerateArray());
        Assert.Contains("switched off", list.GetProperty("unavailable")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);

        await _h.EnableWritesAsync();
        Assert.Contains(ContentAuthoringTool.Name, await _h.ToolNamesAsync(token));
        var created = await _h.SucceedAsync(token, "garden", "posts.create", new { title = "Hello" });
        Assert.Equal("draft", created.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Write_WithoutConfirmation_WritesNothingAndSaysHowToConfirm()
    {
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();

        var message = await _h.FailAsync(token, "garden", "posts.create", new { title = "Spring plan", content = "<p>Beans</p>" }, confirmed: false);
        Assert.Contains("needs the user's confirmation", message, StringComparison.Ordinal);
        Assert.Contains("user_confirmed: true", message, StringComparison.Ordinal);
        Assert.Contains("title=\"Spring plan\"", message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", message, StringComparison.Ordinal);
        Assert.Equal(0, await _h.PostCountAsync());
        Assert.Empty(await _h.ChangesAsync());

        // Bad params and refusals are reported before the user is asked about anything.
        Assert.Contains("title is required", await _h.FailAsync(token, "garden", "posts.create", new { content = "x" }, confirmed: false), StringComparison.Ordinal);
        Assert.Contains("no site 'nowhere'", await _h.FailAsync(token, "nowhere", "posts.create", new { title = "x" }, confirmed: false), StringComparison.Ordinal);
        Assert.Contains("edit_pages", await _h.FailAsync(token, "kitchen", "pages.create", new { title = "x" }, confirmed: false), StringComparison.Ordinal);

        // WordPress.com's agents put the confirmation inside params: that counts too.
        var result = await _h.AuthorAsync(token, new { wpcom_site = "garden", action = "execute", operation = "posts.create", @params = new { title = "Spring plan", user_confirmed = true } });
        Assert.False(result.GetProperty("isError").GetBoolean(), AuthoringHarness.Message(result));
        Assert.Equal(1, await _h.PostCountAsync());
    }

    [Fact]
    public async Task List_SiteOutsideTheGrant_IsRefusedWithoutNamingIt_DescribeAndExecuteNameNoSite()
    {
        // alice is a member of garden and kitchen; this connection was granted garden only.
        var token = (await _h.S.ConnectAsync(sites: ["Garden Notes"])).Tokens.AccessToken;
        await _h.EnableWritesAsync();

        foreach (object reference in new object[] { "kitchen", _h.KitchenId, _h.KitchenId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            var list = await _h.AuthorAsync(token, new { wpcom_site = reference, action = "list" });
            Assert.True(list.GetProperty("isError").GetBoolean(), list.ToString());
            Assert.Equal("this connection was not granted access to that site; the user can add it by connecting again", AuthoringHarness.Message(list));
            Assert.False(list.TryGetProperty("structuredContent", out _));
            Assert.DoesNotContain("\"slug\"", list.GetRawText(), StringComparison.Ordinal);
        }
        var describe = await _h.AuthorAsync(token, new { wpcom_site = _h.KitchenId, action = "describe", operation = "posts.create" });
        Assert.False(describe.GetProperty("structuredContent").TryGetProperty("site", out _));
        Assert.DoesNotContain("kitchen", describe.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var refused = await _h.FailAsync(token, _h.KitchenId.ToString(System.Globalization.CultureInfo.InvariantCulture), "posts.create", new { title = "x" });
        Assert.Equal("posts.create: this connection was not granted access to that site; the user can add it by connecting again", refused);
        Assert.Equal(0, await _h.PostCountAsync());

        // The granted site is listed with its id and slug, as before.
        var garden = (await _h.AuthorAsync(token, new { wpcom_site = "garden", action = "list" })).GetProperty("structuredContent").GetProperty("site");
        Assert.Equal((_h.GardenId, "garden"), (garden.GetProperty("id").GetInt64(), garden.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task List_GrantedSiteTheUserNoLongerBelongsTo_IsRefusedWithoutNamingIt()
    {
        var token = await _h.ConnectAsync();
        var removed = await CliRunner.RunAsync(_h.S.Server.Store, "site", "remove-user", "--site", "kitchen", "--login", "alice");
        Assert.Equal(0, removed.ExitCode);

        var list = await _h.AuthorAsync(token, new { wpcom_site = _h.KitchenId, action = "list" });
        Assert.True(list.GetProperty("isError").GetBoolean(), list.ToString());
        Assert.Equal("you are not a member of that site", AuthoringHarness.Message(list));
        Assert.DoesNotContain("kitchen", list.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task List_ShowsWhatTheRoleMayUseOnThatSite_DescribeShowsTheParams()
    {
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();

        var garden = (await _h.AuthorAsync(token, new { wpcom_site = "garden", action = "list" })).GetProperty("structuredContent");
        Assert.Null(ContentAuthoringTool.Output.Validate(garden));
        Assert.Equal(ContentAuthoringTool.Operations.Select(o => o.Operation).Order(),
            garden.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation").GetString()!).Order());

        // Alice is a contributor on kitchen: posts and comments, but no pages or terms, each with the reason.
        var kitchen = (await _h.AuthorAsync(token, new { wpcom_site = "kitchen", action = "list" })).GetProperty("structuredContent");
        Assert.Equal(["comments.create", "comments.delete", "comments.moderate", "comments.reply", "comments.update", "posts.create", "posts.delete", "posts.restore", "posts.restore-revision", "posts.trash", "posts.update"],
            kitchen.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation").GetString()!).Order());
        var reasons = kitchen.GetProperty("unavailable").EnumerateArray().ToDictionary(u => u.GetProperty("operation").GetString()!, u => u.GetProperty("reason").GetString()!);
        Assert.Contains("edit_pages", reasons["pages.create"], StringComparison.Ordinal);
        Assert.Contains("manage_categories", reasons["tags.create"], StringComparison.Ordinal);
        Assert.Contains("upload_files", reasons["media.update"], StringComparison.Ordinal);
        var causes = kitchen.GetProperty("unavailable").EnumerateArray().ToDictionary(u => u.GetProperty("operation").GetString()!, u => u.GetProperty("cause").GetString()!);
        Assert.Equal("role", causes["pages.create"]);

        var describe = (await _h.AuthorAsync(token, new { wpcom_site = "garden", action = "describe", operation = "posts.update" })).GetProperty("structuredContent");
        Assert.Null(ContentAuthoringTool.Output.Validate(describe));
        var input = describe.GetProperty("input_schema");
        Assert.False(input.GetProperty("properties").TryGetProperty("wpcom_site", out _));
        // WordPress.com names the post id; post_id stays accepted: one of the two is required.
        Assert.False(input.TryGetProperty("required", out _));
        Assert.Equal(["id", "post_id"], input.GetProperty("anyOf").EnumerateArray().Select(r => r.GetProperty("required")[0].GetString()));
        Assert.True(describe.GetProperty("annotations").GetProperty("destructive").GetBoolean());
        Assert.True(describe.GetProperty("needs_confirmation").GetBoolean());

        var unknown = await _h.AuthorAsync(token, new { wpcom_site = "garden", action = "describe", operation = "posts.explode" });
        Assert.Contains("operation must be one of", AuthoringHarness.Message(unknown), StringComparison.Ordinal);
        var noSite = await _h.AuthorAsync(token, new { action = "list" });
        Assert.Contains("list needs wpcom_site", AuthoringHarness.Message(noSite), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_IsLoggedWithTheToolAndTheOperationsAbility_ChangeJoinsByCallId()
    {
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
        var created = await _h.SucceedAsync(token, "garden", "posts.create", new { title = "Logged", content = "<p>secret body</p>" });

        var entry = (await _h.ActivityAsync()).Single(a => a.Ability == "posts/create");
        Assert.Equal(ContentAuthoringTool.Name, entry.Tool);
        Assert.Equal(CallOutcome.Succeeded, entry.Outcome);
        Assert.True(entry.IsWrite);
        Assert.Equal(_h.GardenId, entry.SiteId);
        Assert.DoesNotContain("secret body", entry.Arguments, StringComparison.Ordinal);
        var change = Assert.Single(await _h.ChangesAsync());
        Assert.Equal(entry.CallId, change.CallId);
        Assert.Equal(created.GetProperty("id").GetInt64(), change.ObjectId);
    }

    [Fact]
    public async Task Execute_WithoutContentWriteScope_IsStepUp403()
    {
        var token = await _h.ConnectAsync(scope: "content:read");
        await _h.EnableWritesAsync();
        var response = await _h.S.CallToolAsync(token, ContentAuthoringTool.Name,
            new { wpcom_site = "garden", action = "execute", operation = "posts.create", @params = new { title = "x" }, user_confirmed = true });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"content:write\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await _h.PostCountAsync());
    }

    [Fact]
    public async Task SiteSetReadOnly_RefusesWrites_SayingWhy()
    {
        var token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
        await using (var scope = _h.S.Server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PressMcp.Mcp.Settings.McpSettingsStore>().SetSiteModeAsync(_h.AliceId, _h.GardenId, PressMcp.Mcp.Settings.SiteMcpMode.ReadOnly);
        var message = await _h.FailAsync(token, "garden", "posts.create", new { title = "x" });
        Assert.Contains("allows only read tools on this site", message, StringComparison.Ordinal);
        Assert.Equal(0, await _h.WithDbAsync(db => db.Posts.CountAsync(p => p.Type == PostTypes.Post)));
    }
}
