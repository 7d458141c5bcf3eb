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
/// The Posts and Pages lists, the editor (new and existing, with revisions) and the compare view meet the quality bar
/// for an administrator and a contributor; and a person writes a draft, previews it, publishes it, compares two
/// revisions and restores one, with real clicks in Chromium.
/// </summary>
[Trait(Category.Name, Category.Browser)]
public sealed class PostsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private TestServer _server = null!;
    private Site _garden = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice", Password);
        await _server.CreateUserAsync("carl", Password);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice", "--timezone", "Europe/Paris")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", "carl", "--role", "contributor")).ExitCode);
        await using var scope = _server.Services.CreateAsyncScope();
        _garden = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.AsNoTracking().SingleAsync(s => s.Slug == "garden");
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<long> RunAsync(string login, string role, string ability, JsonObject arguments) =>
        _server.RunAsPersonAsync(login, role, _garden, ability, arguments);

    [Fact]
    public async Task ListsEditorAndCompare_MeetTheQualityBar_ForAnAdministratorAndAContributor()
    {
        var post = await RunAsync("alice", Roles.Administrator, PostWriteAbilities.CreatePost, new JsonObject
        {
            ["title"] = "A rather long title about the tomatoes we planted along the southern fence this spring",
            ["content"] = "<p>First words.</p>\n<p>Second paragraph with a <a href=\"https://example.org/a/very/long/address/that/goes/on\">link</a>.</p>",
            ["status"] = "publish", ["tags"] = new JsonArray("tomatoes", "fence"), ["meta"] = new JsonObject { ["mood"] = "sunny" },
        });
        await RunAsync("alice", Roles.Administrator, PostWriteAbilities.UpdatePost, new JsonObject { ["post_id"] = post, ["content"] = "<p>First words, changed.</p>\n<p>Second paragraph.</p>" });
        await RunAsync("alice", Roles.Administrator, PostWriteAbilities.UpdatePost, new JsonObject { ["post_id"] = post, ["title"] = "Tomatoes", ["excerpt"] = "Short" });
        var page = await RunAsync("alice", Roles.Administrator, PostWriteAbilities.CreatePage, new JsonObject { ["title"] = "About", ["status"] = "publish" });
        var draft = await RunAsync("carl", Roles.Contributor, PostWriteAbilities.CreatePost, new JsonObject { ["title"] = "Carl's idea", ["content"] = "Maybe beans" });
        var trashed = await RunAsync("alice", Roles.Administrator, PostWriteAbilities.CreatePost, new JsonObject { ["title"] = "Old news" });
        await RunAsync("alice", Roles.Administrator, PostWriteAbilities.TrashPost, new JsonObject { ["post_id"] = trashed });

        var problems = new List<string>();
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _server.BaseUrl, "alice", Password,
        [
            "/account/sites/garden/posts", "/account/sites/garden/posts?status=trash", "/account/sites/garden/pages",
            "/account/sites/garden/posts/new", $"/account/sites/garden/posts/{post}", $"/account/sites/garden/pages/{page}",
            $"/account/sites/garden/posts/{post}/compare", "/account/sites/garden/pages/new",
        ]));
        problems.AddRange(await PageQuality.CheckAsync(browser.Browser, _server.BaseUrl, "carl", Password,
            ["/account/sites/garden/posts", "/account/sites/garden/posts/new", $"/account/sites/garden/posts/{draft}"]));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task WriteDraft_Preview_Publish_Compare_Restore_InTheBrowser()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error" && !m.Location.Contains("/favicon.ico", StringComparison.Ordinal)) problems.Add($"{m.Text} ({m.Location})"); };
        page.PageError += (_, e) => problems.Add(e);
        await PageQuality.SignInAsync(page, "alice", Password);

        // Write a draft.
        await page.GotoAsync("/account/sites/garden/posts");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add new post" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Planting beans");
        await page.GetByLabel("Content (HTML)").FillAsync("Beans like warm soil.\n\nWater them <em>often</em>.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Post saved (draft)");
        var editorUrl = new Uri(page.Url).AbsolutePath;

        // Preview an unsaved change: shown as the public site renders it, not saved.
        await page.GetByLabel("Content (HTML)").FillAsync("Beans like warm soil.\n\nWater them <em>every morning</em>.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.Locator("section.preview .entry-content em")).ToHaveTextAsync("every morning");
        await Assertions.Expect(page.Locator("section.preview .entry-content p")).ToHaveCountAsync(2);

        // Publish it (the previewed form is still the form).
        await page.GetByLabel("Published").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Post saved (published)");
        var publicUrl = await page.GetByRole(AriaRole.Link, new() { Name = "View on the site" }).GetAttributeAsync("href");

        // One more change, so there are two revisions to compare.
        await page.GetByLabel("Content (HTML)").FillAsync("Beans like warm soil.\n\nWater them at dusk.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("table.revision-list tbody tr")).ToHaveCountAsync(3);

        // Compare the two revisions: the older one from, the newer one to.
        await page.Locator("table.revision-list tbody tr").Nth(2).Locator("input[name=from]").CheckAsync();
        await page.Locator("table.revision-list tbody tr").Nth(1).Locator("input[name=to]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare the chosen versions" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Compare versions");
        await Assertions.Expect(page.Locator("table.diff tr.changed td.old del").First).ToContainTextAsync("often");
        await Assertions.Expect(page.Locator("table.diff tr.changed td.new ins").First).ToContainTextAsync("every morning");

        // Restore the older one: back in the editor, its words are the post's again.
        await page.Locator("form.restore-actions button").First.ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Revision restored");
        Assert.Equal(editorUrl, new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByLabel("Content (HTML)")).ToHaveValueAsync("Beans like warm soil.\n\nWater them <em>often</em>.");
        await Assertions.Expect(page.Locator("table.revision-list tbody tr")).ToHaveCountAsync(4);

        // The published post is on the public site, with the restored words.
        var visitor = await context.NewPageAsync();
        var response = await visitor.GotoAsync(publicUrl!);
        Assert.Equal(200, response!.Status);
        await Assertions.Expect(visitor.Locator(".entry-content em")).ToHaveTextAsync("often");
        await visitor.CloseAsync();

        // Leaving with unsaved changes asks first (editor.js).
        // The dialog is awaited as an event; dismissing it keeps the page open, so the page is then closed without
        // running beforeunload: a context torn down under a pending dialog has crashed Chromium in CI.
        var dialog = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Dialog += async (_, d) => { await d.DismissAsync(); dialog.TrySetResult(d.Type); };
        await page.GetByLabel("Title").FillAsync("Planting beans, unsaved");
        await page.CloseAsync(new() { RunBeforeUnload = true });
        Assert.Equal("beforeunload", await dialog.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.False(page.IsClosed);
        await page.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
