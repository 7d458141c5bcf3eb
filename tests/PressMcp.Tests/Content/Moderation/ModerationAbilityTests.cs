using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Authoring;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Tests.Publishing;

namespace PressMcp.Tests.Content.Moderation;

/// <summary>
/// comments/update, comments/delete, categories/update|delete and tags/update|delete over MCP (the adapter endpoint,
/// an Application Password): what each does, who may, the refusals with nothing changed, and the content-authoring
/// tool's operation names.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ModerationAbilityTests : IAsyncLifetime
{
    private AbilityHarness _h = null!;
    private PublicSiteSeed _seed = null!;
    private Site _garden = null!;
    private Post _post = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await AbilityHarness.StartAsync();
        await _h.AddMemberAsync("cora", "garden", Roles.Contributor);
        await _h.EnableAsync("alice");
        await _h.EnableAsync("cora");
        _seed = new PublicSiteSeed(_h.Services);
        await using var scope = _h.Services.CreateAsyncScope();
        _garden = (await scope.ServiceProvider.GetRequiredService<SiteResolver>().ResolveAsync("garden")).Value!;
        _post = await _seed.PublishedAsync(_garden, "Tomatoes", DateTime.UtcNow.AddDays(-1));
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private Task<T> Db<T>(Func<PressDbContext, Task<T>> q) => _seed.DbAsync(q);

    [Fact]
    public async Task CommentsUpdate_Administrator_Edits_ContributorRefused()
    {
        var c = await _seed.CommentAsync(_garden, _post.Id, "Pat", "Lovley", DateTime.UtcNow);
        var refused = await _h.CallAsync("cora", "comments/update", new { comment_id = c.Id, content = "Mine now" });
        Assert.Equal(CallOutcome.Refused, refused.Outcome);
        Assert.Contains("moderate_comments", refused.Message, StringComparison.Ordinal);
        var done = await _h.OkAsync("alice", "comments/update", new { comment_id = c.Id, content = "Lovely", author_name = "Patricia" });
        Assert.Equal(("Lovely", "Patricia"), (done.GetProperty("content").GetString(), done.GetProperty("author_name").GetString()));
        var saved = await Db(db => db.Comments.SingleAsync(x => x.Id == c.Id));
        Assert.Equal(("Lovely", "Patricia"), (saved.Content, saved.AuthorName));
        Assert.Equal("{\"content\":\"Lovley\",\"author_name\":\"Pat\"}", await Db(db => db.ChangeRecords.Where(r => r.ObjectType == "comment" && r.ObjectId == c.Id).Select(r => r.Before).SingleAsync()));
    }

    [Fact]
    public async Task CommentsDelete_OnlyFromSpamOrTrash_RepliesMoveUp_CountKept()
    {
        var parent = await _seed.CommentAsync(_garden, _post.Id, "Pat", "Top", DateTime.UtcNow.AddMinutes(-3));
        var middle = await _seed.CommentAsync(_garden, _post.Id, "Spam", "Buy", DateTime.UtcNow.AddMinutes(-2), CommentStatuses.Approved, parent.Id);
        var child = await _seed.CommentAsync(_garden, _post.Id, "Ann", "Reply", DateTime.UtcNow.AddMinutes(-1), CommentStatuses.Approved, middle.Id);
        var notYet = await _h.CallAsync("alice", "comments/delete", new { comment_id = middle.Id });
        Assert.Equal(CallOutcome.Invalid, notYet.Outcome);
        Assert.Contains("only a comment in spam or the trash", notYet.Message, StringComparison.Ordinal);
        await _h.OkAsync("alice", "comments/moderate", new { comment_id = middle.Id, status = "spam" });
        Assert.Equal(2, await Db(db => db.Posts.Where(p => p.Id == _post.Id).Select(p => p.CommentCount).SingleAsync()));
        await _h.OkAsync("alice", "comments/delete", new { comment_id = middle.Id });
        Assert.False(await Db(db => db.Comments.AnyAsync(x => x.Id == middle.Id)));
        Assert.Equal(parent.Id, await Db(db => db.Comments.Where(x => x.Id == child.Id).Select(x => x.ParentId).SingleAsync()));
        Assert.Equal(2, await Db(db => db.Posts.Where(p => p.Id == _post.Id).Select(p => p.CommentCount).SingleAsync()));
    }

    [Fact]
    public async Task CategoriesUpdateAndDelete_Rules_AndConfirmation()
    {
        var veg = await _seed.TermAsync(_garden, Taxonomies.Category, "Vegetables");
        var beans = await _seed.TermAsync(_garden, Taxonomies.Category, "Beans", veg.Id);
        var post = await _seed.PublishedAsync(_garden, "Runner beans", DateTime.UtcNow, terms: [beans.Id]);

        var loop = await _h.CallAsync("alice", "categories/update", new { id = veg.Id, parent = beans.Id });
        Assert.Equal(CallOutcome.Invalid, loop.Outcome);
        Assert.Contains("cannot become its own ancestor", loop.Message, StringComparison.Ordinal);
        var self = await _h.CallAsync("alice", "categories/update", new { id = veg.Id, parent = veg.Id });
        Assert.Contains("cannot be its own parent", self.Message, StringComparison.Ordinal);
        var taken = await _h.CallAsync("alice", "categories/update", new { id = beans.Id, slug = "vegetables" });
        Assert.Contains("already used by category", taken.Message, StringComparison.Ordinal);
        var renamed = await _h.OkAsync("alice", "categories/update", new { id = beans.Id, name = "Pulses", parent = 0 });
        Assert.Equal(("Pulses", "beans"), (renamed.GetProperty("name").GetString(), renamed.GetProperty("slug").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, renamed.GetProperty("parent").ValueKind);

        var cora = await _h.CallAsync("cora", "categories/update", new { id = veg.Id, name = "Mine" });
        Assert.Equal(CallOutcome.Refused, cora.Outcome);
        Assert.Contains("manage_categories", cora.Message, StringComparison.Ordinal);

        var unconfirmed = await _h.CallAsync("alice", "categories/delete", new { id = beans.Id, confirm_permanent_delete = false });
        Assert.Equal(CallOutcome.Invalid, unconfirmed.Outcome);
        Assert.True(await Db(db => db.Terms.AnyAsync(t => t.Id == beans.Id && t.SiteId == _garden.Id)));

        // No default category on this site: the post simply loses the category, and is kept.
        var deleted = await _h.OkAsync("alice", "categories/delete", new { id = beans.Id, confirm_permanent_delete = true });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.False(await Db(db => db.PostTerms.AnyAsync(pt => pt.SiteId == _garden.Id && pt.PostId == post.Id)));
        Assert.True(await Db(db => db.Posts.AnyAsync(p => p.SiteId == _garden.Id && p.Id == post.Id)));

        await _seed.SetOptionAsync(_garden, TermEditor.DefaultCategoryOption, veg.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var keep = await _h.CallAsync("alice", "categories/delete", new { id = veg.Id, confirm_permanent_delete = true });
        Assert.Contains("default category", keep.Message, StringComparison.Ordinal);
        Assert.True(await Db(db => db.Terms.AnyAsync(t => t.Id == veg.Id && t.SiteId == _garden.Id)));
    }

    [Fact]
    public async Task TagsUpdateAndDelete_Editor_KeepsPosts()
    {
        var tag = await _seed.TermAsync(_garden, Taxonomies.Tag, "summer");
        var post = await _seed.PublishedAsync(_garden, "Hot", DateTime.UtcNow, terms: [tag.Id]);
        var updated = await _h.OkAsync("alice", "tags/update", new { id = tag.Id, name = "Summer", description = "Warm days" });
        Assert.Equal("Warm days", updated.GetProperty("description").GetString());
        var result = await _h.OkAsync("alice", "tags/delete", new { id = tag.Id, confirm_permanent_delete = true });
        Assert.Equal("tag 'Summer' is deleted; 1 post kept", result.GetProperty("note").GetString());
        Assert.True(await Db(db => db.Posts.AnyAsync(p => p.SiteId == _garden.Id && p.Id == post.Id)));
        Assert.Equal(CallOutcome.NotFound, (await _h.CallAsync("alice", "tags/delete", new { id = tag.Id, confirm_permanent_delete = true })).Outcome);
    }

    [Fact]
    public void ContentAuthoringTool_ListsTheNewOperations()
    {
        var operations = PressMcp.Mcp.ContentAuthoringTool.Operations.ToDictionary(o => o.Operation, o => o.Ability);
        Assert.Equal("comments/update", operations["comments.update"]);
        // WordPress.com's comments.delete moves to the trash; with force it deletes for good (comments/delete).
        Assert.Equal("comments/moderate", operations["comments.delete"]);
        Assert.Equal("comments/delete", PressMcp.Mcp.AuthoringOperations.Find("comments.delete")!.PermanentAbility);
        Assert.Equal("categories/update", operations["categories.update"]);
        Assert.Equal("categories/delete", operations["categories.delete"]);
        Assert.Equal("tags/update", operations["tags.update"]);
        Assert.Equal("tags/delete", operations["tags.delete"]);
        var registry = _h.Services.GetRequiredService<AbilityRegistry>();
        Assert.All(operations.Values, name => Assert.NotNull(registry.Find(name)));
    }
}
