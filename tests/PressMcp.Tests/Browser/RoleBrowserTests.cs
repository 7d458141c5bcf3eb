using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Abilities;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Browser;

/// <summary>
/// Each WordPress role in Chromium: the tabs it is shown are exactly the pages it may open (the others answer 403
/// with the reason), and what it may not do is refused when forced through the browser (a tampered form, a forged
/// post with the person's own antiforgery token), with nothing changed in the database.
/// </summary>
[Trait(Category.Name, Category.Browser)]
public sealed class RoleBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "correct horse battery";

    /// <summary>Each tab's page and the WordPress capability it needs.</summary>
    private static readonly (string Tab, string Capability)[] Tabs =
    [
        ("", "read"), ("posts", "edit_posts"), ("pages", "edit_pages"), ("media", "upload_files"), ("comments", "moderate_comments"),
        ("categories", "manage_categories"), ("tags", "manage_categories"), ("members", "list_users"), ("settings", "manage_options"),
    ];

    private TestServer _server = null!;
    private Site _garden = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        foreach (var login in new[] { "alice", "sam", "carl", "ann", "eve" }) await _server.CreateUserAsync(login, Password);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        foreach (var (login, role) in new[] { ("sam", "subscriber"), ("carl", "contributor"), ("ann", "author"), ("eve", "editor") })
            Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", login, "--role", role)).ExitCode);
        await using var scope = _server.Services.CreateAsyncScope();
        _garden = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.AsNoTracking().SingleAsync(s => s.Slug == "garden");
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<long> RunAsync(string login, string role, string ability, JsonObject arguments) =>
        _server.RunAsPersonAsync(login, role, _garden, ability, arguments);

    private async Task<T> DbAsync<T>(Func<PressDbContext, Task<T>> read)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    private async Task<IPage> SignedInAsync(IBrowserContext context, string login)
    {
        var page = await context.NewPageAsync();
        await PageQuality.SignInAsync(page, login, Password);
        return page;
    }

    /// <summary>
    /// A form post made by the page's own script with the person's antiforgery token (what a tampered page or a
    /// hand-made request sends): the status of the answer and its text, after following the redirect.
    /// </summary>
    private static async Task<(int Status, string Text)> ForgePostAsync(IPage page, string path, Dictionary<string, string> fields)
    {
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            """
            async ([path, fields]) => {
                const body = new URLSearchParams(fields);
                body.set('__RequestVerificationToken', document.querySelector('input[name=__RequestVerificationToken]').value);
                const response = await fetch(path, { method: 'POST', body, headers: { 'Accept': 'text/html' } });
                const text = await response.text();
                const doc = new DOMParser().parseFromString(text, 'text/html');
                return { status: response.status, text: (doc.querySelector('[role=alert], main h1, h1')?.textContent ?? '') + ' | ' + (doc.querySelector('main')?.textContent ?? '') };
            }
            """, new object[] { path, fields });
        return (result.GetProperty("status").GetInt32(), result.GetProperty("text").GetString() ?? "");
    }

    [Theory]
    [InlineData("sam", "dashboard")]
    [InlineData("carl", "dashboard posts")]
    [InlineData("ann", "dashboard posts media")]
    [InlineData("eve", "dashboard posts pages media comments categories tags")]
    [InlineData("alice", "dashboard posts pages media comments categories tags members settings")]
    public async Task EachRole_SeesExactlyTheTabsItMayOpen_OthersAnswer403WithTheReason(string login, string allowedText)
    {
        var allowed = allowedText.Split(' ');
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl });
        var page = await SignedInAsync(context, login);
        await page.GotoAsync("/account/sites/garden");
        var tabs = await page.Locator("nav.site-tabs a").AllTextContentsAsync();
        Assert.Equal(allowed.Select(Title), tabs.Select(t => t.Trim()));

        foreach (var (tab, capability) in Tabs)
        {
            var name = tab.Length == 0 ? "dashboard" : tab;
            var response = await page.GotoAsync("/account/sites/garden" + (tab.Length == 0 ? "" : "/" + tab));
            if (allowed.Contains(name))
            {
                Assert.True(response!.Status == 200, $"{login} on {name}: {response.Status}");
            }
            else
            {
                Assert.True(response!.Status == 403, $"{login} on {name}: {response.Status}, expected 403");
                // The page says why: the capability this role lacks on this site.
                await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"lacks the capability {capability} this page needs");
            }
        }

        static string Title(string name) => char.ToUpperInvariant(name[0]) + name[1..];
    }

    [Fact]
    public async Task Contributor_CannotPublish_EvenWithATamperedForm_TheDraftStaysADraftAndThePageSaysWhy()
    {
        var draft = await RunAsync("carl", Roles.Contributor, PostWriteAbilities.CreatePost, new JsonObject { ["title"] = "Carl's idea", ["content"] = "Maybe beans" });
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl });
        var page = await SignedInAsync(context, "carl");
        await page.GotoAsync($"/account/sites/garden/posts/{draft}");

        // The editor offers a contributor no way to publish.
        var offered = await page.Locator("input[name='Input.Status']").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        Assert.DoesNotContain(PostStatuses.Publish, offered);
        Assert.Contains(PostStatuses.Pending, offered);

        // Forcing it: the first status radio is made "publish", chosen, and the form saved.
        await page.Locator("input[name='Input.Status']").First.EvaluateAsync("i => { i.value = 'publish'; i.checked = true; }");
        await page.GetByLabel("Title").FillAsync("Carl's idea, published?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        // The words are saved (editing one's own draft is allowed); the publication is not, and the page says why.
        await Assertions.Expect(page.Locator("[role=status], [role=alert]").First).ToContainTextAsync("may not publish");

        var stored = await DbAsync(db => db.Posts.AsNoTracking().SingleAsync(p => p.Id == draft));
        Assert.Equal(PostStatuses.Draft, stored.Status);
        Assert.Equal("Carl's idea, published?", stored.Title);
    }

    [Fact]
    public async Task Author_CannotEditOrTrashSomeoneElsesPost_NothingChanges()
    {
        var theirs = await RunAsync("alice", Roles.Administrator, PostWriteAbilities.CreatePost, new JsonObject { ["title"] = "Alice's post", ["status"] = "publish" });
        var mine = await RunAsync("ann", Roles.Author, PostWriteAbilities.CreatePost, new JsonObject { ["title"] = "Ann's post", ["status"] = "publish" });
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl });
        var page = await SignedInAsync(context, "ann");

        // Her own post opens in the editor; someone else's does not.
        Assert.Equal(200, (await page.GotoAsync($"/account/sites/garden/posts/{mine}"))!.Status);
        Assert.Equal(403, (await page.GotoAsync($"/account/sites/garden/posts/{theirs}"))!.Status);

        // The list's bulk trash, forced with Alice's post among the chosen: hers is refused, Ann's goes.
        await page.GotoAsync("/account/sites/garden/posts");
        var (status, text) = await ForgePostAsync(page, "/account/sites/garden/posts?handler=Bulk",
            new() { ["action"] = "trash", ["ids"] = theirs.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(200, status);
        Assert.Contains("not", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(PostStatuses.Publish, await DbAsync(db => db.Posts.Where(p => p.Id == theirs).Select(p => p.Status).SingleAsync()));

        // Saving over Alice's post through the editor's handler: refused, her title unchanged.
        (status, _) = await ForgePostAsync(page, $"/account/sites/garden/posts/{theirs}",
            new() { ["Input.Title"] = "Taken over", ["Input.Status"] = "publish", ["save"] = "1" });
        Assert.Equal(403, status);
        Assert.Equal("Alice's post", await DbAsync(db => db.Posts.Where(p => p.Id == theirs).Select(p => p.Title).SingleAsync()));
    }

    [Fact]
    public async Task EditorAndSubscriber_ForgedPostsToPagesTheyMayNotOpen_AreRefused_NothingChanges()
    {
        var post = await RunAsync("alice", Roles.Administrator, PostWriteAbilities.CreatePost, new JsonObject { ["title"] = "Spring", ["status"] = "publish" });
        var comment = await RunAsync("alice", Roles.Administrator, CommentAbilities.Reply, new JsonObject { ["post_id"] = post, ["content"] = "First!" });
        await DbAsync(db => db.Comments.Where(c => c.Id == comment).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommentStatuses.Hold)));

        await using (var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl }))
        {
            // An editor may moderate but not change the site's settings or its members.
            var page = await SignedInAsync(context, "eve");
            await page.GotoAsync("/account/sites/garden/posts");
            var (status, _) = await ForgePostAsync(page, "/account/sites/garden/settings", new() { ["card"] = "general", ["title"] = "Eve's site", ["tagline"] = "", ["timezone"] = "UTC", ["language"] = "en-US" });
            Assert.Equal(403, status);
            (status, _) = await ForgePostAsync(page, "/account/sites/garden/members?handler=Role", new() { ["login"] = "eve", ["role"] = "administrator" });
            Assert.Equal(403, status);
        }
        Assert.Equal("Garden Notes", await DbAsync(db => db.Sites.Where(s => s.Slug == "garden").Select(s => s.Title).SingleAsync()));
        Assert.Equal(Roles.Editor, await DbAsync(db => db.SiteMembers.Where(m => m.SiteId == _garden.Id && db.Users.Any(u => u.Id == m.UserId && u.UserName == "eve")).Select(m => m.Role).SingleAsync()));

        await using (var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl }))
        {
            // A subscriber may read the dashboard, never moderate.
            var page = await SignedInAsync(context, "sam");
            await page.GotoAsync("/account/sites/garden");
            var (status, _) = await ForgePostAsync(page, "/account/sites/garden/comments?handler=Act", new() { ["id"] = comment.ToString(System.Globalization.CultureInfo.InvariantCulture), ["act"] = "approve" });
            Assert.Equal(403, status);
        }
        Assert.Equal(CommentStatuses.Hold, await DbAsync(db => db.Comments.Where(c => c.Id == comment).Select(c => c.Status).SingleAsync()));
    }
}
