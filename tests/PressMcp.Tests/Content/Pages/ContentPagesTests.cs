using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Content.Authoring;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content.Pages;

/// <summary>
/// The Posts and Pages lists, the editor, preview, revisions and compare, through HTTP as each role: what each may do,
/// and for what they may not, the refusal and an unchanged database. Garden's members: alice (administrator), ed
/// (editor), amy (author), carl (contributor), sam (subscriber). The site's clock is Europe/Paris.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ContentPagesTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private TestServer _server = null!;
    private Site _garden = null!;
    private readonly Dictionary<string, long> _ids = [];

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        foreach (var login in new[] { "alice", "ed", "amy", "carl", "sam" }) await _server.CreateUserAsync(login, Password);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice", "--timezone", "Europe/Paris")).ExitCode);
        foreach (var (login, role) in new[] { ("ed", "editor"), ("amy", "author"), ("carl", "contributor"), ("sam", "subscriber") })
            Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", login, "--role", role)).ExitCode);
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        _garden = await db.Sites.AsNoTracking().SingleAsync(s => s.Slug == "garden");
        foreach (var u in await db.Users.AsNoTracking().ToListAsync()) _ids[u.UserName!] = u.Id;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<Post> SeedAsync(string title, string status, string author, string content = "", string type = PostTypes.Post, IReadOnlyList<KeyValuePair<string, string>>? meta = null)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var post = await new ContentSeed(scope.ServiceProvider).CreateAsync(_garden,
            new NewPost { Title = title, Status = status, AuthorId = _ids[author], Content = content, Type = type, Meta = meta ?? [] });
        Assert.True(post.Succeeded, post.Problem?.Message);
        return post.Value!;
    }

    private async Task<T> DbAsync<T>(Func<PressDbContext, Task<T>> read)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    private Task<Post?> PostAsync(long id) => DbAsync(db => db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == _garden.Id && p.Id == id));

    private Task<HttpClient> AsAsync(string login) => _server.SignedInClientAsync(login, Password);

    /// <summary>Posts a form (repeated names allowed) with the antiforgery token of <paramref name="formPage"/>.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string formPage, string path, params (string Name, string Value)[] fields)
    {
        var html = await (await client.GetAsync(formPage)).Content.ReadAsStringAsync();
        var token = TestServer.AntiforgeryToken(html) ?? throw new InvalidOperationException($"no form on {formPage}");
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token));
        return await client.PostAsync(path, new FormUrlEncodedContent(all));
    }

    /// <summary>Follows a 303 and returns the page it leads to.</summary>
    private static async Task<IHtmlDocument> FollowAsync(HttpClient client, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return TestServer.Parse(await client.GetStringAsync(response.Headers.Location));
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task List_SearchWithMoreMatchesThanCountedExactly_SaysMoreThan_AndKeepsTheNextPage()
    {
        // Search counts exactly up to a limit (10,000; 3 here) and reports a lower bound above it.
        await using var server = await TestServer.StartAsync(configureHost: b => b.Services.AddSingleton(new PressMcp.Content.Search.SearchRanking(500, ExactTotalLimit: 3)));
        await server.CreateUserAsync("alice", Password);
        Assert.Equal(0, (await CliRunner.RunAsync(server.Store, "site", "create", "--slug", "herbs", "--title", "Herbs", "--owner", "alice")).ExitCode);
        Site herbs;
        await using (var scope = server.Services.CreateAsyncScope())
            herbs = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.AsNoTracking().SingleAsync(x => x.Slug == "herbs");
        for (var i = 0; i < 25; i++) await server.RunAsPersonAsync("alice", PressMcp.Accounts.Roles.Administrator, herbs, "posts/create", new() { ["title"] = $"Basil {i}", ["status"] = "publish" });
        var alice = await server.SignedInClientAsync("alice", Password);

        var found = TestServer.Parse(await alice.GetStringAsync("/account/sites/herbs/posts?s=basil"));
        Assert.Equal("More than 3 posts · page 1", found.QuerySelector("nav.pager span")!.TextContent.Trim());
        Assert.NotNull(found.QuerySelector("nav.pager a[rel=next]"));
        var all = TestServer.Parse(await alice.GetStringAsync("/account/sites/herbs/posts"));
        Assert.StartsWith("25 posts · page 1 of ", all.QuerySelector("nav.pager span")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Subscriber_IsRefusedWith403_AndAuthorIsRefusedPages()
    {
        var sam = await AsAsync("sam");
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync("/account/sites/garden/posts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync("/account/sites/garden/posts/new")).StatusCode);
        var amy = await AsAsync("amy");
        Assert.Equal(HttpStatusCode.Forbidden, (await amy.GetAsync("/account/sites/garden/pages")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await amy.GetAsync("/account/sites/garden/posts")).StatusCode);
    }

    [Fact]
    public async Task List_Administrator_CountsByStatus_SearchesWithTheSearchService_AndMarksAgentsWork()
    {
        await SeedAsync("Tomatoes in June", PostStatuses.Publish, "alice", "Red tomatoes ripen");
        await SeedAsync("Beans", PostStatuses.Draft, "ed");
        await SeedAsync("Peas", PostStatuses.Pending, "carl");
        var trashed = await SeedAsync("Weeds", PostStatuses.Draft, "alice");
        var byAgent = await SeedAsync("Drafted by an agent", PostStatuses.Draft, "alice", meta: [new(AgentMarker.MetaKey, "app-password:laptop")]);
        var alice = await AsAsync("alice");
        await FollowAsync(alice, await PostAsync(alice, "/account/sites/garden/posts", "/account/sites/garden/posts?handler=Bulk", ("action", "trash"), ("ids", Id(trashed.Id))));

        var page = TestServer.Parse(await alice.GetStringAsync("/account/sites/garden/posts"));
        var tabs = page.QuerySelectorAll(".status-tabs a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["All (4)", "Published (1)", "Drafts (2)", "Pending (1)", "Trash (1)"], tabs);
        Assert.Equal(4, page.QuerySelectorAll("table.content-list tbody tr").Length);
        var agentRow = page.QuerySelectorAll("table.content-list tbody tr").Single(r => r.TextContent.Contains("Drafted by an agent", StringComparison.Ordinal));
        Assert.Contains("Application Password “laptop”", agentRow.QuerySelector(".agent-mark")!.TextContent, StringComparison.Ordinal);
        var published = page.QuerySelectorAll("table.content-list tbody tr").Single(r => r.TextContent.Contains("Tomatoes", StringComparison.Ordinal));
        Assert.NotNull(published.QuerySelector("a.view-link"));
        Assert.Contains("Published", published.TextContent, StringComparison.Ordinal);

        var found = TestServer.Parse(await alice.GetStringAsync("/account/sites/garden/posts?s=ripen"));
        Assert.Equal(["Tomatoes in June"], found.QuerySelectorAll("table.content-list td.title strong").Select(s => s.TextContent));
        var trash = TestServer.Parse(await alice.GetStringAsync("/account/sites/garden/posts?status=trash"));
        Assert.Equal(["Weeds"], trash.QuerySelectorAll("table.content-list td.title strong").Select(s => s.TextContent));
        Assert.Equal(byAgent.Id, (await PostAsync(byAgent.Id))!.Id);
    }

    [Fact]
    public async Task List_Author_SeesOthersPosts_WithoutEditLinkOrCheckbox()
    {
        var mine = await SeedAsync("Amy's post", PostStatuses.Publish, "amy");
        var theirs = await SeedAsync("Ed's post", PostStatuses.Publish, "ed");
        var amy = await AsAsync("amy");
        var page = TestServer.Parse(await amy.GetStringAsync("/account/sites/garden/posts"));
        Assert.NotNull(page.QuerySelector($"a[href='/account/sites/garden/posts/{Id(mine.Id)}']"));
        Assert.NotNull(page.QuerySelector($"input[name=ids][value='{Id(mine.Id)}']"));
        Assert.Null(page.QuerySelector($"a[href='/account/sites/garden/posts/{Id(theirs.Id)}']"));
        Assert.Null(page.QuerySelector($"input[name=ids][value='{Id(theirs.Id)}']"));
        Assert.Contains("Ed's post", page.QuerySelector("table.content-list")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PagesOfTwenty_WithTotalAndPreviousNext()
    {
        for (var i = 0; i < 23; i++) await SeedAsync($"Note {i:00}", PostStatuses.Publish, "alice");
        var alice = await AsAsync("alice");
        var first = TestServer.Parse(await alice.GetStringAsync("/account/sites/garden/posts"));
        Assert.Equal(20, first.QuerySelectorAll("table.content-list tbody tr").Length);
        Assert.Contains("23 posts · page 1 of 2", first.QuerySelector("nav.pager")!.TextContent, StringComparison.Ordinal);
        var next = first.QuerySelector("nav.pager a[rel=next]")!.GetAttribute("href")!;
        var second = TestServer.Parse(await alice.GetStringAsync(next));
        Assert.Equal(3, second.QuerySelectorAll("table.content-list tbody tr").Length);
        Assert.NotNull(second.QuerySelector("nav.pager a[rel=prev]"));
    }

    [Fact]
    public async Task Bulk_Author_TrashesOwn_OthersRefusedEachOnItsOwn_AndNothingElseChanges()
    {
        var mine = await SeedAsync("Mine", PostStatuses.Draft, "amy");
        var theirs = await SeedAsync("Theirs", PostStatuses.Publish, "ed");
        var amy = await AsAsync("amy");
        var response = await PostAsync(amy, "/account/sites/garden/posts", "/account/sites/garden/posts?handler=Bulk",
            ("action", "trash"), ("ids", Id(mine.Id)), ("ids", Id(theirs.Id)));
        var page = await FollowAsync(amy, response);
        Assert.Contains("Moved 1 post to the trash", page.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"1 post was not changed: {Id(theirs.Id)}: your role (author) may not trash post", page.QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(PostStatuses.Trash, (await PostAsync(mine.Id))!.Status);
        Assert.Equal(PostStatuses.Publish, (await PostAsync(theirs.Id))!.Status);
        await _server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        var log = await DbAsync(db => db.ActivityLog.AsNoTracking().Where(a => a.UserId == _ids["amy"]).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([("posts list: bulk trash", CallOutcome.Succeeded), ("posts list: bulk trash", CallOutcome.Refused)], log.Select(l => (l.Tool, l.Outcome)));
        Assert.All(log, l => Assert.Equal(PersonCalls.Endpoint, l.Endpoint));
    }

    [Fact]
    public async Task Bulk_Editor_RestoresToThePreviousStatus_ThenDeletesPermanently()
    {
        var post = await SeedAsync("Round trip", PostStatuses.Publish, "amy");
        var ed = await AsAsync("ed");
        const string list = "/account/sites/garden/posts";
        await FollowAsync(ed, await PostAsync(ed, list, list + "?handler=Bulk", ("action", "trash"), ("ids", Id(post.Id))));
        var restored = await FollowAsync(ed, await PostAsync(ed, list, list + "?handler=Bulk", ("action", "restore"), ("ids", Id(post.Id))));
        Assert.Contains("Restored 1 post from the trash", restored.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(PostStatuses.Publish, (await PostAsync(post.Id))!.Status);

        // Not in the trash: delete permanently is refused, and the post stays.
        var refused = await FollowAsync(ed, await PostAsync(ed, list, list + "?handler=Bulk", ("action", "delete"), ("ids", Id(post.Id))));
        Assert.Contains("is not in the trash", refused.QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(await PostAsync(post.Id));

        await FollowAsync(ed, await PostAsync(ed, list, list + "?handler=Bulk", ("action", "trash"), ("ids", Id(post.Id))));
        var deleted = await FollowAsync(ed, await PostAsync(ed, list, list + "?handler=Bulk", ("action", "delete"), ("ids", Id(post.Id))));
        Assert.Contains("Deleted 1 post permanently", deleted.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Null(await PostAsync(post.Id));
        Assert.Equal(0, await DbAsync(db => db.Posts.CountAsync(p => p.SiteId == _garden.Id && p.ParentId == post.Id)));
    }

    [Fact]
    public async Task Bulk_Contributor_IsNotOfferedPublish_AndTheServerDoesNotPublish()
    {
        var draft = await SeedAsync("Carl's draft", PostStatuses.Draft, "carl");
        var carl = await AsAsync("carl");
        var page = TestServer.Parse(await carl.GetStringAsync("/account/sites/garden/posts"));
        Assert.DoesNotContain("publish", page.QuerySelectorAll("#bulk-action option").Select(o => o.GetAttribute("value")));
        var response = await PostAsync(carl, "/account/sites/garden/posts", "/account/sites/garden/posts?handler=Bulk", ("action", "publish"), ("ids", Id(draft.Id)));
        var after = await FollowAsync(carl, response);
        Assert.Contains("may not publish", after.QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(after.QuerySelector("p.notice"));
        Assert.Equal(PostStatuses.Draft, (await PostAsync(draft.Id))!.Status);
    }

    [Fact]
    public async Task Editor_Contributor_IsOfferedDraftAndReviewOnly_AndAskingToPublishSavesADraft()
    {
        var carl = await AsAsync("carl");
        var form = TestServer.Parse(await carl.GetStringAsync("/account/sites/garden/posts/new"));
        Assert.Equal(["draft", "pending"], form.QuerySelectorAll("input[name='Input.Status']").Select(i => i.GetAttribute("value")));
        Assert.Null(form.QuerySelector("input[name='Input.Sticky']"));

        var response = await PostAsync(carl, "/account/sites/garden/posts/new", "/account/sites/garden/posts/new",
            ("Input.Title", "Carl wants it out"), ("Input.Content", "Words"), ("Input.Status", "publish"), ("Input.Date", ""), ("Input.DateWas", ""));
        var page = await FollowAsync(carl, response);
        Assert.Contains("saved (draft)", page.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("may not publish", page.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        var post = await DbAsync(db => db.Posts.AsNoTracking().SingleAsync(p => p.SiteId == _garden.Id && p.Title == "Carl wants it out"));
        Assert.Equal((PostStatuses.Draft, _ids["carl"]), (post.Status, post.AuthorId));
    }

    [Fact]
    public async Task Editor_Author_CannotOpenOrSaveAnEditorsPost_AndNothingChanges()
    {
        var theirs = await SeedAsync("Ed's draft", PostStatuses.Draft, "ed", "Original words");
        var amy = await AsAsync("amy");
        var path = $"/account/sites/garden/posts/{Id(theirs.Id)}";
        Assert.Equal(HttpStatusCode.Forbidden, (await amy.GetAsync(path)).StatusCode);
        // A forged POST (with a valid token from another form) is refused the same way.
        var response = await PostAsync(amy, "/account/sites/garden/posts/new", path, ("Input.Title", "Hijacked"), ("Input.Content", "New words"), ("Input.Status", "draft"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var after = await PostAsync(theirs.Id);
        Assert.Equal(("Ed's draft", "Original words"), (after!.Title, after.Content));
        Assert.Equal(0, await DbAsync(db => db.Posts.CountAsync(p => p.SiteId == _garden.Id && p.ParentId == theirs.Id)));
    }

    [Fact]
    public async Task Editor_Administrator_SavesEveryField_ScheduledInTheSitesTimeZone_AndTheLogNamesHer()
    {
        long image;
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var id = image = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(_garden.Id, 1);
            db.Posts.Add(new Post { SiteId = _garden.Id, Id = id, Type = PostTypes.Attachment, Status = PostStatuses.Inherit, Title = "Sunflower", MimeType = "image/png", AuthorId = _ids["alice"], DateUtc = DateTime.UtcNow, ModifiedUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var alice = await AsAsync("alice");
        var response = await PostAsync(alice, "/account/sites/garden/posts/new", "/account/sites/garden/posts/new",
            ("Input.Title", "Summer plan"), ("Input.Content", "<p>Plant beans</p>"), ("Input.Excerpt", "Beans"), ("Input.Slug", "summer-plan"),
            ("Input.Status", "future"), ("Input.Date", "2031-07-01T09:30"), ("Input.DateWas", ""),
            ("Input.NewCategory", "Vegetables"), ("Input.Tags", "beans, summer"), ("Input.Sticky", "true"), ("Input.CommentsOpen", "false"),
            ("Input.FeaturedMedia", Id(image)), ("Input.FeaturedWas", "0"), ("Input.NewFieldKey", "mood"), ("Input.NewFieldValue", "sunny"));
        var page = await FollowAsync(alice, response);
        Assert.Contains("saved (scheduled)", page.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        var post = await DbAsync(db => db.Posts.AsNoTracking().SingleAsync(p => p.SiteId == _garden.Id && p.Slug == "summer-plan"));
        // 09:30 in Paris in July (CEST, UTC+2) is 07:30 UTC.
        Assert.Equal(new DateTime(2031, 7, 1, 7, 30, 0), post.DateUtc);
        Assert.Equal((PostStatuses.Future, true, OpenClosed.Closed), (post.Status, post.Sticky, post.CommentStatus));
        var meta = await DbAsync(db => db.PostMeta.AsNoTracking().Where(m => m.SiteId == _garden.Id && m.PostId == post.Id).Select(m => m.Key + "=" + m.Value).ToListAsync());
        Assert.Contains($"_thumbnail_id={Id(image)}", meta);
        Assert.Contains("mood=sunny", meta);
        var terms = await DbAsync(db => db.PostTerms.Where(t => t.SiteId == _garden.Id && t.PostId == post.Id)
            .Join(db.Terms, pt => new { pt.SiteId, Id = pt.TermId }, t => new { t.SiteId, t.Id }, (pt, t) => t.Name).ToListAsync());
        Assert.Equal(["beans", "summer", "Vegetables"], terms.Order(StringComparer.OrdinalIgnoreCase));
        // The form shows it back in the site's clock.
        Assert.Equal("2031-07-01T09:30", page.QuerySelector("#editor-date")!.GetAttribute("value"));

        await _server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        var log = await DbAsync(db => db.ActivityLog.AsNoTracking().Where(a => a.SiteId == _garden.Id).OrderBy(a => a.Id).Select(a => new { a.UserId, a.Tool, a.Ability, a.Endpoint }).ToListAsync());
        Assert.Contains(log, l => l.UserId == _ids["alice"] && l.Ability == "categories/create" && l.Endpoint == PersonCalls.Endpoint);
        Assert.Contains(log, l => l.UserId == _ids["alice"] && l.Ability == "posts/create" && l.Tool == "editor: create future" && l.Endpoint == PersonCalls.Endpoint);
    }

    [Fact]
    public async Task Editor_CustomFields_ChangeAndDelete_AndAnUnderscoreKeyIsRefused()
    {
        var post = await SeedAsync("Fields", PostStatuses.Draft, "alice", meta: [new("color", "red"), new("size", "big")]);
        var alice = await AsAsync("alice");
        var path = $"/account/sites/garden/posts/{Id(post.Id)}";
        var form = TestServer.Parse(await alice.GetStringAsync(path));
        Assert.Equal(["color", "size"], form.QuerySelectorAll("input[name$='].Key']").Select(i => i.GetAttribute("value")));
        (string, string)[] common = [("Input.Title", "Fields"), ("Input.Status", "draft"), ("Input.DateWas", "x"), ("Input.Date", "x")];
        var response = await PostAsync(alice, path, path, [.. common,
            ("Input.Fields[0].OriginalKey", "color"), ("Input.Fields[0].OriginalValue", "red"), ("Input.Fields[0].Key", "color"), ("Input.Fields[0].Value", "blue"),
            ("Input.Fields[1].OriginalKey", "size"), ("Input.Fields[1].OriginalValue", "big"), ("Input.Fields[1].Key", "size"), ("Input.Fields[1].Value", "big"), ("Input.Fields[1].Delete", "true")]);
        await FollowAsync(alice, response);
        var meta = await DbAsync(db => db.PostMeta.AsNoTracking().Where(m => m.SiteId == _garden.Id && m.PostId == post.Id && !m.Key.StartsWith("_")).Select(m => m.Key + "=" + m.Value).ToListAsync());
        Assert.Equal(["color=blue"], meta);

        var refused = await PostAsync(alice, path, path, [.. common, ("Input.NewFieldKey", "_secret"), ("Input.NewFieldValue", "x")]);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = TestServer.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("starts with _", page.QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("_secret", page.QuerySelector("#field-new-key")!.GetAttribute("value"));
        Assert.False(await DbAsync(db => db.PostMeta.AnyAsync(m => m.SiteId == _garden.Id && m.Key == "_secret")));
    }

    [Fact]
    public async Task Preview_RendersTheUnsavedFormAsThePublicSiteDoes_AndSavesNothing()
    {
        var post = await SeedAsync("Saved title", PostStatuses.Publish, "alice", "Saved words");
        var alice = await AsAsync("alice");
        var path = $"/account/sites/garden/posts/{Id(post.Id)}";
        const string content = "First paragraph\n\nSecond <em>one</em><script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>";
        var response = await PostAsync(alice, path, path + "?handler=Preview",
            ("Input.Title", "Unsaved title"), ("Input.Content", content), ("Input.Status", "publish"), ("Input.Date", ""), ("Input.DateWas", ""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = TestServer.Parse(await response.Content.ReadAsStringAsync());
        var preview = page.QuerySelector("section.preview .entry-content")!;
        var expected = _server.Services.GetRequiredService<RenderedContent>().Html(content, _server.Services.GetRequiredService<SiteUrls>().BaseOf(_garden), default);
        Assert.Equal(TestServer.Parse("<div>" + expected + "</div>").Body!.FirstElementChild!.InnerHtml.Trim(), preview.InnerHtml.Trim());
        Assert.Null(preview.QuerySelector("script"));
        Assert.Equal("Unsaved title", page.QuerySelector("section.preview h1.entry-title")!.TextContent);
        Assert.Equal("Unsaved title", page.QuerySelector("#editor-title")!.GetAttribute("value"));
        // The previewed form still saves: it posts to the editor, not back to the preview handler.
        Assert.Equal(path, page.QuerySelector("#editor-form")!.GetAttribute("action"));
        var after = await PostAsync(post.Id);
        Assert.Equal(("Saved title", "Saved words"), (after!.Title, after.Content));

        // A contributor may not preview someone else's post either.
        var carl = await AsAsync("carl");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(carl, "/account/sites/garden/posts/new", path + "?handler=Preview", ("Input.Title", "x"))).StatusCode);
    }

    [Fact]
    public async Task Revisions_ListedWithWho_ComparedSideBySide_AndRestoringKeepsTheReplacedVersion()
    {
        var post = await SeedAsync("Soup", PostStatuses.Draft, "alice", "Carrots\nOnions\nSalt");
        var alice = await AsAsync("alice");
        var path = $"/account/sites/garden/posts/{Id(post.Id)}";
        (string, string)[] Save(string content) => [("Input.Title", "Soup"), ("Input.Content", content), ("Input.Status", "draft"), ("Input.Date", "x"), ("Input.DateWas", "x")];
        await FollowAsync(alice, await PostAsync(alice, path, path, Save("Carrots\nLeeks\nSalt")));
        var ed = await AsAsync("ed");
        var editor = await FollowAsync(ed, await PostAsync(ed, path, path, Save("Carrots\nLeeks\nPepper")));

        var rows = editor.QuerySelectorAll("table.revision-list tbody tr");
        Assert.Equal(3, rows.Length);
        Assert.Contains("replaced by ed", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("replaced by alice", rows[2].TextContent, StringComparison.Ordinal);
        var revisions = await DbAsync(db => db.Posts.AsNoTracking().Where(p => p.SiteId == _garden.Id && p.ParentId == post.Id && p.Type == PostTypes.Revision).OrderBy(p => p.Id).ToListAsync());
        Assert.Equal(["Carrots\nOnions\nSalt", "Carrots\nLeeks\nSalt"], revisions.Select(r => r.Content));

        var compare = TestServer.Parse(await alice.GetStringAsync($"{path}/compare?from={Id(revisions[0].Id)}&to=current"));
        var changed = compare.QuerySelectorAll("section.diff-field table.diff tr.changed").ToList();
        Assert.Equal(["Onions", "Salt"], changed.Select(r => r.QuerySelector("td.old del")!.TextContent));
        Assert.Equal(["Leeks", "Pepper"], changed.Select(r => r.QuerySelector("td.new ins")!.TextContent));
        Assert.Contains("No difference", compare.QuerySelector("section.diff-field")!.TextContent, StringComparison.Ordinal);

        // Restoring is an update: the content comes back, and the version it replaced is a new revision.
        var restored = await FollowAsync(alice, await PostAsync(alice, $"{path}/compare?from={Id(revisions[0].Id)}&to=current", path + "?handler=RestoreRevision", ("revisionId", Id(revisions[0].Id))));
        Assert.Contains("Revision restored", restored.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Carrots\nOnions\nSalt", (await PostAsync(post.Id))!.Content);
        var last = await DbAsync(db => db.Posts.AsNoTracking().Where(p => p.SiteId == _garden.Id && p.ParentId == post.Id && p.Type == PostTypes.Revision).OrderByDescending(p => p.Id).FirstAsync());
        Assert.Equal("Carrots\nLeeks\nPepper", last.Content);

        // An author may not restore a revision of someone else's post: refused, nothing changes.
        var amy = await AsAsync("amy");
        Assert.Equal(HttpStatusCode.Forbidden, (await amy.GetAsync($"{path}/compare")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(amy, "/account/sites/garden/posts/new", path + "?handler=RestoreRevision", ("revisionId", Id(revisions[1].Id)))).StatusCode);
        Assert.Equal("Carrots\nOnions\nSalt", (await PostAsync(post.Id))!.Content);
    }
}
