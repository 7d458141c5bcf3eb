using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// <c>wpcom-mcp-site-comments-search</c> (threads, WordPress's visibility) and comments.reply / comments.moderate
/// through the authoring tool. Alice administers garden and is a contributor on bob's kitchen.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class CommentToolTests : IAsyncLifetime
{
    private AuthoringHarness _h = null!;
    private string _token = "";
    private Post _roses = null!, _bobsPost = null!, _bobsDraft = null!, _alicesDraft = null!, _closed = null!;
    private Comment _ann = null!, _ben = null!, _cat = null!, _held = null!, _spam = null!, _kitchenApproved = null!, _kitchenHeld = null!, _onOwnDraft = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await AuthoringHarness.StartAsync();
        _roses = await _h.SeedPostAsync("garden", "Roses", PostStatuses.Publish, _h.AliceId);
        _ann = await _h.SeedCommentAsync(_h.GardenId, _roses.Id, "Ann", "Lovely <b>roses</b>", CommentStatuses.Approved, minutesAgo: 50);
        _ben = await _h.SeedCommentAsync(_h.GardenId, _roses.Id, "Ben", "Agreed, truly lovely", CommentStatuses.Approved, _ann.Id, minutesAgo: 40);
        _cat = await _h.SeedCommentAsync(_h.GardenId, _roses.Id, "Cat", "Me too", CommentStatuses.Approved, _ben.Id, minutesAgo: 30);
        _held = await _h.SeedCommentAsync(_h.GardenId, _roses.Id, "Dan", "First time here", CommentStatuses.Hold, minutesAgo: 20);
        _spam = await _h.SeedCommentAsync(_h.GardenId, _roses.Id, "Spammer", "Buy pills", CommentStatuses.Spam, minutesAgo: 10);

        _bobsPost = await _h.SeedPostAsync("kitchen", "Bread", PostStatuses.Publish, _h.BobId);
        _bobsDraft = await _h.SeedPostAsync("kitchen", "Secret cake", PostStatuses.Draft, _h.BobId);
        _alicesDraft = await _h.SeedPostAsync("kitchen", "Alice's soup", PostStatuses.Draft, _h.AliceId);
        _closed = await _h.SeedPostAsync("kitchen", "No comments please", PostStatuses.Publish, _h.BobId);
        await _h.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _h.KitchenId && p.Id == _closed.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.CommentStatus, OpenClosed.Closed)));
        _kitchenApproved = await _h.SeedCommentAsync(_h.KitchenId, _bobsPost.Id, "Eve", "Crusty", CommentStatuses.Approved, minutesAgo: 5);
        _kitchenHeld = await _h.SeedCommentAsync(_h.KitchenId, _bobsPost.Id, "Fay", "Held on bread", CommentStatuses.Hold, minutesAgo: 4);
        await _h.SeedCommentAsync(_h.KitchenId, _bobsDraft.Id, "Gus", "On a draft", CommentStatuses.Approved, minutesAgo: 3);
        _onOwnDraft = await _h.SeedCommentAsync(_h.KitchenId, _alicesDraft.Id, "Hal", "Held on Alice's draft", CommentStatuses.Hold, minutesAgo: 2);
        _token = await _h.ConnectAsync();
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private async Task<JsonElement> SearchAsync(object arguments)
    {
        var result = await _h.ToolAsync(_token, "wpcom-mcp-site-comments-search", arguments);
        Assert.False(result.GetProperty("isError").GetBoolean(), AuthoringHarness.Message(result));
        var structured = result.GetProperty("structuredContent");
        Assert.Null(_h.S.Server.Services.GetRequiredService<AbilityRegistry>().Find("comments/search")!.Output.Validate(structured));
        return structured;
    }

    private static List<long> Ids(JsonElement list) => list.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();

    [Fact]
    public async Task Search_ThreadsRepliesUnderParents_WithDepthPostAndPlainText()
    {
        var found = await SearchAsync(new { wpcom_site = "garden" });
        Assert.Equal(3, found.GetProperty("found").GetInt64());
        var ann = Assert.Single(found.GetProperty("comments").EnumerateArray());
        Assert.Equal(_ann.Id, ann.GetProperty("id").GetInt64());
        Assert.Equal(0, ann.GetProperty("depth").GetInt32());
        Assert.Equal("Lovely roses", ann.GetProperty("content").GetString());
        Assert.Equal("Roses", ann.GetProperty("post").GetProperty("title").GetString());
        Assert.Equal("approved", ann.GetProperty("status").GetString());
        var ben = ann.GetProperty("replies")[0];
        Assert.Equal((_ben.Id, 1), (ben.GetProperty("id").GetInt64(), ben.GetProperty("depth").GetInt32()));
        var cat = ben.GetProperty("replies")[0];
        Assert.Equal((_cat.Id, 2, _ben.Id), (cat.GetProperty("id").GetInt64(), cat.GetProperty("depth").GetInt32(), cat.GetProperty("parent_id").GetInt64()));

        // A page holding only the newest: it stands alone, still with its real depth.
        var first = await SearchAsync(new { wpcom_site = "garden", per_page = 1 });
        var only = Assert.Single(first.GetProperty("comments").EnumerateArray());
        Assert.Equal((_cat.Id, 2), (only.GetProperty("id").GetInt64(), only.GetProperty("depth").GetInt32()));
        Assert.Equal(3, first.GetProperty("found").GetInt64());

        var text = await SearchAsync(new { wpcom_site = "garden", search = "LOVELY" });
        Assert.Equal(2, text.GetProperty("found").GetInt64());
        Assert.Equal(1, (await SearchAsync(new { wpcom_site = "garden", search = "cat" })).GetProperty("found").GetInt64());
        Assert.Equal(1, (await SearchAsync(new { wpcom_site = "garden", status = "pending" })).GetProperty("found").GetInt64());
        Assert.Equal([_spam.Id], Ids((await SearchAsync(new { wpcom_site = "garden", status = "spam" })).GetProperty("comments")));
        Assert.Equal(0, (await SearchAsync(new { wpcom_site = "garden", post_id = 999 })).GetProperty("found").GetInt64());
    }

    [Fact]
    public async Task Search_AsContributor_SeesWhatWordPressShows()
    {
        // Approved comments on posts she may read; nothing on bob's draft.
        Assert.Equal([_kitchenApproved.Id], Ids((await SearchAsync(new { wpcom_site = "kitchen" })).GetProperty("comments")));
        // Pending only where she may edit the post (her own draft), never on bob's post.
        Assert.Equal([_onOwnDraft.Id], Ids((await SearchAsync(new { wpcom_site = "kitchen", status = "pending" })).GetProperty("comments")));
        Assert.Equal(0, (await SearchAsync(new { wpcom_site = "kitchen", status = "pending", search = "bread" })).GetProperty("found").GetInt64());

        var bad = await _h.ToolAsync(_token, "wpcom-mcp-site-comments-search", new { wpcom_site = "kitchen", status = "held" });
        Assert.Contains("status must be one of", AuthoringHarness.Message(bad), StringComparison.Ordinal);
    }

    private string Iso(int minutesAgo) =>
        _h.S.Clock.GetUtcNow().UtcDateTime.AddMinutes(-minutesAgo).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Search_ByAuthorAndDateRange_FindsOnlyThose()
    {
        // Ben's comment was written by Alice's account (the others are by visitors known by name only).
        await _h.WithDbAsync(db => db.Comments.Where(c => c.SiteId == _h.GardenId && c.Id == _ben.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.UserId, _h.AliceId)));
        var byAlice = await SearchAsync(new { wpcom_site = "garden", author = _h.AliceId });
        Assert.Equal(1, byAlice.GetProperty("found").GetInt64());
        Assert.Equal(_ben.Id, byAlice.GetProperty("comments")[0].GetProperty("id").GetInt64());

        // after is inclusive, before exclusive: Ann (50 minutes ago) is out, Ben (40) and Cat (30) are in.
        var range = await SearchAsync(new { wpcom_site = "garden", after = Iso(45), before = Iso(30) });
        Assert.Equal(1, range.GetProperty("found").GetInt64());
        range = await SearchAsync(new { wpcom_site = "garden", after = Iso(45), before = Iso(29) });
        Assert.Equal(2, range.GetProperty("found").GetInt64());
        Assert.Equal(0, (await SearchAsync(new { wpcom_site = "garden", after = Iso(45), author = _h.BobId })).GetProperty("found").GetInt64());
        // A date alone is its midnight in the site's zone (UTC here): everything today or later.
        var today = _h.S.Clock.GetUtcNow().UtcDateTime.AddMinutes(-50).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(3, (await SearchAsync(new { wpcom_site = "garden", after = today })).GetProperty("found").GetInt64());

        Assert.Contains("after must be an ISO 8601 date", AuthoringHarness.Message(await _h.ToolAsync(_token, "wpcom-mcp-site-comments-search", new { wpcom_site = "garden", after = "yesterday" })), StringComparison.Ordinal);
        Assert.Contains("after must be earlier than before", AuthoringHarness.Message(await _h.ToolAsync(_token, "wpcom-mcp-site-comments-search", new { wpcom_site = "garden", after = Iso(10), before = Iso(20) })), StringComparison.Ordinal);
        Assert.Contains("author", AuthoringHarness.Message(await _h.ToolAsync(_token, "wpcom-mcp-site-comments-search", new { wpcom_site = "garden", author = 0 })), StringComparison.Ordinal);
        Assert.Contains("before", AuthoringHarness.Message(await _h.ToolAsync(_token, "wpcom-mcp-site-comments-search", new { wpcom_site = "garden", before = new string('2', 41) })), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_AsAdministrator_IsApproved_AsContributor_IsHeld()
    {
        await _h.EnableWritesAsync();
        var reply = await _h.SucceedAsync(_token, "garden", "comments.reply", new { post_id = _roses.Id, parent = _held.Id, content = "Welcome!" });
        Assert.Equal("approved", reply.GetProperty("status").GetString());
        Assert.Equal(_held.Id, reply.GetProperty("parent").GetInt64());
        Assert.Equal("Alice", reply.GetProperty("author_name").GetString(), ignoreCase: true);
        // The reply and the held comment it answers, approved with it as wp-admin's reply does.
        Assert.Equal(5, await _h.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _h.GardenId && p.Id == _roses.Id).Select(p => p.CommentCount).SingleAsync()));

        var held = await _h.SucceedAsync(_token, "kitchen", "comments.reply", new { post_id = _bobsPost.Id, parent = _kitchenApproved.Id, content = "Yes!" });
        Assert.Equal("hold", held.GetProperty("status").GetString());
        Assert.Contains("held for moderation", held.GetProperty("note").GetString(), StringComparison.Ordinal);
        var stored = await _h.WithDbAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.SiteId == _h.KitchenId && c.Id == held.GetProperty("id").GetInt64()));
        Assert.Equal((_h.AliceId, CommentStatuses.Hold), (stored.UserId!.Value, stored.Status));

        var changes = await _h.ChangesAsync();
        // The reply, the approval of the comment it answered (reversible like any moderation), the held reply.
        Assert.Equal([("comment", "create"), ("comment", "update"), ("comment", "create")], changes.Select(c => (c.ObjectType, c.Action)));
        Assert.Equal(_held.Id, changes[1].ObjectId);
        Assert.Equal(held.GetProperty("id").GetInt64(), changes[2].ObjectId);
        Assert.Equal(_h.KitchenId, changes[2].SiteId);
    }

    [Fact]
    public async Task Reply_Refusals_NameTheRule_AndWriteNothing()
    {
        await _h.EnableWritesAsync();
        Assert.Contains("comments are closed on post", await _h.FailAsync(_token, "kitchen", "comments.reply", new { post_id = _closed.Id, content = "Hi" }), StringComparison.Ordinal);
        Assert.Contains("may not read post", await _h.FailAsync(_token, "kitchen", "comments.reply", new { post_id = _bobsDraft.Id, content = "Hi" }), StringComparison.Ordinal);
        // A held comment is invisible to her: as if it did not exist.
        Assert.Contains("no comment", await _h.FailAsync(_token, "kitchen", "comments.reply", new { post_id = _bobsPost.Id, parent = _kitchenHeld.Id, content = "Hi" }), StringComparison.Ordinal);
        var tulips = await _h.SeedPostAsync("garden", "Tulips", PostStatuses.Publish, _h.AliceId);
        Assert.Contains($"parent: comment {_ann.Id} is on post {_roses.Id}", await _h.FailAsync(_token, "garden", "comments.reply", new { post_id = tulips.Id, parent = _ann.Id, content = "Hi" }), StringComparison.Ordinal);
        Assert.Contains("no post or page 999", await _h.FailAsync(_token, "garden", "comments.reply", new { post_id = 999, content = "Hi" }), StringComparison.Ordinal);
        Assert.Contains("content must not be empty", await _h.FailAsync(_token, "garden", "comments.reply", new { post_id = _roses.Id, content = "" }), StringComparison.Ordinal);
        Assert.Empty(await _h.ChangesAsync());
    }

    [Fact]
    public async Task Moderate_ByAdministrator_RecordsThePreviousStatus_ContributorIsRefused()
    {
        await _h.EnableWritesAsync();
        var approved = await _h.SucceedAsync(_token, "garden", "comments.moderate", new { comment_id = _held.Id, status = "approve" });
        Assert.Equal(("approved", "hold"), (approved.GetProperty("status").GetString(), approved.GetProperty("previous_status").GetString()));
        var change = Assert.Single(await _h.ChangesAsync());
        Assert.Equal(("comment", _held.Id, "update"), (change.ObjectType, change.ObjectId, change.Action));
        Assert.Equal(CommentStatuses.Hold, AuthoringHarness.BeforeOf(change)!.Value.GetProperty("status").GetString());
        Assert.Equal(4, await _h.WithDbAsync(db => db.Posts.Where(p => p.SiteId == _h.GardenId && p.Id == _roses.Id).Select(p => p.CommentCount).SingleAsync()));

        var again = await _h.SucceedAsync(_token, "garden", "comments.moderate", new { comment_id = _held.Id, status = "approve" });
        Assert.Contains("already approved", again.GetProperty("note").GetString(), StringComparison.Ordinal);

        var refused = await _h.FailAsync(_token, "kitchen", "comments.moderate", new { comment_id = _kitchenHeld.Id, status = "approve" });
        Assert.Contains("may not moderate comment", refused, StringComparison.Ordinal);
        Assert.Contains("moderate_comments", refused, StringComparison.Ordinal);
        Assert.Contains("edit_others_posts", refused, StringComparison.Ordinal);
        Assert.Single(await _h.ChangesAsync());
        Assert.Equal(CommentStatuses.Hold, await _h.WithDbAsync(db => db.Comments.Where(c => c.SiteId == _h.KitchenId && c.Id == _kitchenHeld.Id).Select(c => c.Status).SingleAsync()));

        // On her own draft she may (edit_comment maps to edit_post, which she has there).
        var own = await _h.SucceedAsync(_token, "kitchen", "comments.moderate", new { comment_id = _onOwnDraft.Id, status = "spam" });
        Assert.Equal("spam", own.GetProperty("status").GetString());
        Assert.Contains("status must be one of approve, hold, spam, trash", await _h.FailAsync(_token, "garden", "comments.moderate", new { comment_id = _held.Id, status = "approved" }), StringComparison.Ordinal);
    }
}
