using System.Net;
using PressMcp.Abilities;
using PressMcp.Content;

namespace PressMcp.Tests.Content.Moderation;

/// <summary>
/// <c>/account/sites/{slug}/comments</c> as each role: the queue (tabs with counts, rows rendered as the public site
/// renders comments, paging), row actions, reply, edit and bulk actions, each an ability call by the person that the
/// activity log records; the refusals leave every comment as it was.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class CommentsPageTests : IAsyncLifetime
{
    private const string Comments = ModerationSite.Path + "/comments";
    private ModerationSite _site = null!;

    public async ValueTask InitializeAsync() => _site = await ModerationSite.StartAsync();

    public async ValueTask DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Queue_Administrator_ShowsTabCounts_AndRendersCommentsSafely()
    {
        await _site.CommentAsync("Pat", "First pending", CommentStatuses.Hold, 5);
        await _site.CommentAsync("Mallory", "<script>alert(1)</script>\n\nSecond line", CommentStatuses.Hold, 4, url: "javascript:alert(1)");
        await _site.CommentAsync("Ann", "Nice", CommentStatuses.Approved, 3, url: "https://ann.example/");
        await _site.CommentAsync("Bo", "Thanks", CommentStatuses.Approved, 2);
        await _site.CommentAsync("Spammer", "Buy now", CommentStatuses.Spam, 1);
        await _site.CommentAsync("Gone", "Old", CommentStatuses.Trash, 0);
        var alice = await _site.ClientAsync("alice");

        var page = await _site.PageAsync(alice, Comments);
        var counts = page.QuerySelectorAll("nav.status-tabs a").Select(a => (a.GetAttribute("data-status"), a.QuerySelector(".count")!.TextContent)).ToList();
        Assert.Equal([("all", "(4)"), ("pending", "(2)"), ("approved", "(2)"), ("spam", "(1)"), ("trash", "(1)")], counts);
        Assert.Equal(["Bo", "Ann", "Mallory", "Pat"], page.QuerySelectorAll("li.comment-row .comment-author strong").Select(s => s.TextContent));
        var mallory = page.QuerySelectorAll("li.comment-row").Single(r => r.TextContent.Contains("Mallory", StringComparison.Ordinal));
        Assert.Null(mallory.QuerySelector(".comment-content script"));
        Assert.Equal(["<script>alert(1)</script>", "Second line"], mallory.QuerySelectorAll(".comment-content p").Select(p => p.TextContent.Trim()));
        Assert.DoesNotContain(mallory.QuerySelectorAll("a"), a => (a.GetAttribute("href") ?? "").StartsWith("javascript", StringComparison.OrdinalIgnoreCase));
        var ann = page.QuerySelectorAll("li.comment-row").Single(r => r.TextContent.Contains("Ann", StringComparison.Ordinal));
        Assert.Equal("https://ann.example/", ann.QuerySelector("a[rel~=ugc]")!.GetAttribute("href"));
        Assert.Equal($"{Comments[..^"comments".Length]}posts/{_site.Post.Id}", ann.QuerySelector("a[data-editor]")!.GetAttribute("href"));
        Assert.EndsWith("/2026/05/01/tomatoes-in-may/", ann.QuerySelector("a[data-public]")!.GetAttribute("href"), StringComparison.Ordinal);

        var spam = await _site.PageAsync(alice, Comments + "?status=spam");
        Assert.Equal(["Spammer"], spam.QuerySelectorAll("li.comment-row .comment-author strong").Select(s => s.TextContent));
        Assert.Equal(["unspam", "delete"], spam.QuerySelectorAll("li.comment-row form.row-actions button").Select(b => b.GetAttribute("value")));
    }

    [Fact]
    public async Task Queue_MoreThanAPage_IsPagedByTwenty()
    {
        for (var i = 0; i < 23; i++) await _site.CommentAsync($"Reader {i}", "Hello", CommentStatuses.Approved, 100 - i);
        var alice = await _site.ClientAsync("alice");
        var first = await _site.PageAsync(alice, Comments + "?status=approved");
        Assert.Equal(20, first.QuerySelectorAll("li.comment-row").Length);
        Assert.Equal("Reader 22", first.QuerySelector("li.comment-row .comment-author strong")!.TextContent);
        var second = await _site.PageAsync(alice, Comments + "?status=approved&paged=2");
        Assert.Equal(["Reader 2", "Reader 1", "Reader 0"], second.QuerySelectorAll("li.comment-row .comment-author strong").Select(s => s.TextContent));
    }

    [Fact]
    public async Task Approve_Editor_ApprovesAndRecountsThePost_AndTheLogNamesThePerson()
    {
        var pending = await _site.CommentAsync("Pat", "Lovely", CommentStatuses.Hold);
        var ed = await _site.ClientAsync("ed");
        var response = await ModerationSite.PostAsync(ed, Comments + "?handler=act", new() { ["id"] = pending.Id.ToString(), ["act"] = "approve", ["status"] = "pending" });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(Comments + "?status=pending", response.Headers.Location!.ToString());
        Assert.Equal(CommentStatuses.Approved, await _site.StatusOfAsync(pending.Id));
        Assert.Equal(1, await _site.CommentCountAsync(_site.Post.Id));
        var after = await _site.PageAsync(ed, Comments + "?status=pending");
        Assert.Equal($"Approved: comment {pending.Id}.", after.QuerySelector("p.notice")!.TextContent);
        Assert.Equal([("ed", "comments: approve", CallOutcome.Succeeded)], await _site.BrowserActivityAsync());
    }

    [Fact]
    public async Task Actions_AuthorAndContributor_AreRefused_AndNothingChanges()
    {
        var pending = await _site.CommentAsync("Pat", "Lovely", CommentStatuses.Hold);
        foreach (var login in new[] { "au", "co", "sub" })
        {
            var client = await _site.ClientAsync(login);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Comments)).StatusCode);
            foreach (var (handler, fields) in new (string, Dictionary<string, string>)[]
            {
                ("act", new() { ["id"] = pending.Id.ToString(), ["act"] = "approve" }),
                ("bulk", new() { ["ids"] = pending.Id.ToString(), ["act"] = "trash" }),
                ("reply", new() { ["id"] = pending.Id.ToString(), ["content"] = "Hi" }),
                ("edit", new() { ["id"] = pending.Id.ToString(), ["content"] = "Changed" }),
            })
                Assert.Equal(HttpStatusCode.Forbidden, (await ModerationSite.PostAsync(client, $"{Comments}?handler={handler}", fields)).StatusCode);
        }
        Assert.Equal(CommentStatuses.Hold, await _site.StatusOfAsync(pending.Id));
        Assert.Equal(1, await _site.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Comments, c => c.SiteId == _site.Site.Id)));
        Assert.Equal("Lovely", await _site.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Comments.Select(c => c.Content))));
        Assert.Empty(await _site.BrowserActivityAsync());
    }

    [Fact]
    public async Task Reply_ToAPendingComment_ApprovesItAndPostsTheReplyAsTheModerator()
    {
        var pending = await _site.CommentAsync("Pat", "When to sow?", CommentStatuses.Hold);
        var alice = await _site.ClientAsync("alice");
        var response = await ModerationSite.PostAsync(alice, Comments + "?handler=reply", new() { ["id"] = pending.Id.ToString(), ["content"] = "In April." });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(CommentStatuses.Approved, await _site.StatusOfAsync(pending.Id));
        var reply = await _site.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Comments, c => c.ParentId == pending.Id));
        Assert.Equal(("In April.", CommentStatuses.Approved, _site.Post.Id), (reply.Content, reply.Status, reply.PostId));
        Assert.Equal(await _site.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.UserName == "alice").Select(u => (long?)u.Id))), reply.UserId);
        Assert.Equal(2, await _site.CommentCountAsync(_site.Post.Id));
        var page = await _site.PageAsync(alice, Comments);
        Assert.Contains("is approved with this reply", page.QuerySelector("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("in reply to Pat", page.QuerySelector($"li[data-comment='{reply.Id}'] .comment-meta span:last-child")!.TextContent.Trim().TrimStart('·').Trim());
    }

    [Fact]
    public async Task Edit_Administrator_ChangesTextAndAuthor_AndRefusesAScriptAddress()
    {
        var comment = await _site.CommentAsync("Pat", "Lovley", CommentStatuses.Approved);
        var alice = await _site.ClientAsync("alice");
        await ModerationSite.PostAsync(alice, Comments + "?handler=edit", new()
        {
            ["id"] = comment.Id.ToString(), ["content"] = "Lovely", ["authorName"] = "Patricia", ["authorEmail"] = "pat@example.com", ["authorUrl"] = "https://pat.example/",
        });
        var saved = await _site.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Comments));
        Assert.Equal(("Lovely", "Patricia", "pat@example.com", "https://pat.example/"), (saved.Content, saved.AuthorName, saved.AuthorEmail, saved.AuthorUrl));

        await ModerationSite.PostAsync(alice, Comments + "?handler=edit", new() { ["id"] = comment.Id.ToString(), ["content"] = "Other", ["authorUrl"] = "javascript:alert(1)" });
        var page = await _site.PageAsync(alice, Comments);
        Assert.Contains("not an http or https address", page.QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Lovely", await _site.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Comments.Select(c => c.Content))));
    }

    [Fact]
    public async Task Bulk_EachCommentDecidedOnItsOwn_AndTheNoticeCounts()
    {
        var a = await _site.CommentAsync("A", "one", CommentStatuses.Hold);
        var b = await _site.CommentAsync("B", "two", CommentStatuses.Approved);
        var s = await _site.CommentAsync("S", "spam", CommentStatuses.Spam);
        var alice = await _site.ClientAsync("alice");
        var form = new FormUrlEncodedContent([new("ids", a.Id.ToString()), new("ids", b.Id.ToString()), new("act", "trash"), new("status", "all"),
            new("__RequestVerificationToken", TestServer.AntiforgeryToken(await alice.GetStringAsync("/account"))!)]);
        Assert.Equal(HttpStatusCode.SeeOther, (await alice.PostAsync(Comments + "?handler=bulk", form)).StatusCode);
        Assert.Equal((CommentStatuses.Trash, CommentStatuses.Trash), (await _site.StatusOfAsync(a.Id), await _site.StatusOfAsync(b.Id)));
        Assert.Equal("Moved to the trash: 2 comments.", (await _site.PageAsync(alice, Comments)).QuerySelector("p.notice")!.TextContent);
        Assert.Equal(0, await _site.CommentCountAsync(_site.Post.Id));

        // Deleting permanently: the one in spam goes, the pending one is not in spam or trash and stays.
        var p = await _site.CommentAsync("P", "pending", CommentStatuses.Hold);
        form = new FormUrlEncodedContent([new("ids", s.Id.ToString()), new("ids", p.Id.ToString()), new("act", "delete"),
            new("__RequestVerificationToken", TestServer.AntiforgeryToken(await alice.GetStringAsync("/account"))!)]);
        await alice.PostAsync(Comments + "?handler=bulk", form);
        var page = await _site.PageAsync(alice, Comments);
        Assert.Equal("Deleted permanently: 1 comment.", page.QuerySelector("p.notice")!.TextContent);
        Assert.StartsWith($"1 comment could not be changed: comment {p.Id}: ", page.QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal([a.Id, b.Id, p.Id], await _site.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Comments.OrderBy(c => c.Id).Select(c => c.Id))));
    }

    [Fact]
    public async Task RestoreAndNotSpam_BringBackTheStatusBefore()
    {
        var approved = await _site.CommentAsync("A", "one", CommentStatuses.Approved);
        var pending = await _site.CommentAsync("P", "two", CommentStatuses.Hold);
        var alice = await _site.ClientAsync("alice");
        await ModerationSite.PostAsync(alice, Comments + "?handler=act", new() { ["id"] = approved.Id.ToString(), ["act"] = "trash" });
        await ModerationSite.PostAsync(alice, Comments + "?handler=act", new() { ["id"] = pending.Id.ToString(), ["act"] = "spam" });
        await ModerationSite.PostAsync(alice, Comments + "?handler=act", new() { ["id"] = approved.Id.ToString(), ["act"] = "restore" });
        await ModerationSite.PostAsync(alice, Comments + "?handler=act", new() { ["id"] = pending.Id.ToString(), ["act"] = "unspam" });
        Assert.Equal((CommentStatuses.Approved, CommentStatuses.Hold), (await _site.StatusOfAsync(approved.Id), await _site.StatusOfAsync(pending.Id)));
    }
}
