using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// posts.*, pages.*, categories.create and tags.create through the authoring tool: the publish rule, the owner rules,
/// revisions, and the change record each write leaves (none when it was refused).
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class PostAuthoringTests : IAsyncLifetime
{
    private AuthoringHarness _h = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _h = await AuthoringHarness.StartAsync();
        _token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Administrator_PublishesAPost_WithCategoryAndNewTags_VisibleOnTheSite()
    {
        var category = await _h.SucceedAsync(_token, "garden", "categories.create", new { name = "Vegetables", description = "Things to eat" });
        Assert.Equal("vegetables", category.GetProperty("slug").GetString());
        var post = await _h.SucceedAsync(_token, "garden", "posts.create", new
        {
            title = "First beans",
            content = "<p>The beans are up.</p><script>alert(1)</script>",
            status = "publish",
            categories = new object[] { "Vegetables" },
            tags = new object[] { "Beans", "early crops" },
        });
        Assert.Equal("publish", post.GetProperty("status").GetString());
        Assert.False(post.TryGetProperty("note", out _));
        // WordPress.com's post object: terms and the author by id.
        Assert.Equal([category.GetProperty("id").GetInt64()], post.GetProperty("categories").EnumerateArray().Select(c => c.GetInt64()));
        var tagNames = await _h.WithDbAsync(db => db.Terms.Where(t => t.SiteId == _h.GardenId && t.Taxonomy == Taxonomies.Tag).ToDictionaryAsync(t => t.Id, t => t.Name));
        Assert.Equal(["Beans", "early crops"], post.GetProperty("tags").EnumerateArray().Select(c => tagNames[c.GetInt64()]));
        Assert.Equal(_h.AliceId, post.GetProperty("author").GetInt64());

        var page = await _h.S.Anonymous().GetAsync(post.GetProperty("link").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("The beans are up.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);

        // One record per object created: the category (its own call), then the post and the two tags made with it.
        var changes = await _h.ChangesAsync();
        Assert.Equal([("term", "create"), ("post", "create"), ("term", "create"), ("term", "create")], changes.Select(c => (c.ObjectType, c.Action)));
        Assert.All(changes, c => Assert.Null(c.Before));
        Assert.Equal(post.GetProperty("id").GetInt64(), changes[1].ObjectId);
        Assert.Equal(changes[1].CallId, changes[3].CallId);
        Assert.NotEqual(changes[0].CallId, changes[1].CallId);
    }

    [Fact]
    public async Task Contributor_AskingToPublish_GetsADraftAndANote_PendingWhenAsked()
    {
        var draft = await _h.SucceedAsync(_token, "kitchen", "posts.create", new { title = "My soup", status = "publish" });
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Contains("may not publish (publish_posts)", draft.GetProperty("note").GetString(), StringComparison.Ordinal);

        var pending = await _h.SucceedAsync(_token, "kitchen", "posts.create", new { title = "My stew", status = "pending" });
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.False(pending.TryGetProperty("note", out _));

        // Publishing later is refused the same way: the post stays pending, and nothing changed, so no revision.
        var again = await _h.SucceedAsync(_token, "kitchen", "posts.update", new { post_id = pending.GetProperty("id").GetInt64(), status = "publish" });
        Assert.Equal("pending", again.GetProperty("status").GetString());
        Assert.Contains("publish_posts", again.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.False(again.TryGetProperty("revision_id", out _));
        Assert.Equal(2, (await _h.ChangesAsync()).Count);
    }

    [Fact]
    public async Task Contributor_CannotCreateTags_NorEditOthersPosts_NothingWritten()
    {
        var message = await _h.FailAsync(_token, "kitchen", "posts.create", new { title = "Tagged", tags = new object[] { "brand new" } });
        Assert.Contains("unknown tags: 'brand new'", message, StringComparison.Ordinal);
        Assert.Contains("manage_categories", message, StringComparison.Ordinal);

        var bobs = await _h.SeedPostAsync("kitchen", "Bob's draft", PostStatuses.Draft, _h.BobId);
        var refused = await _h.FailAsync(_token, "kitchen", "posts.update", new { post_id = bobs.Id, title = "Mine now" });
        Assert.Contains("may not edit post", refused, StringComparison.Ordinal);
        Assert.Contains("edit_others_posts", refused, StringComparison.Ordinal);
        var trash = await _h.FailAsync(_token, "kitchen", "posts.trash", new { post_id = bobs.Id });
        Assert.Contains("delete_others_posts", trash, StringComparison.Ordinal);

        Assert.Empty(await _h.ChangesAsync());
        Assert.Equal("Bob's draft", await _h.WithDbAsync(db => db.Posts.Where(p => p.Id == bobs.Id && p.SiteId == _h.KitchenId).Select(p => p.Title).SingleAsync()));
        Assert.Equal(0, await _h.WithDbAsync(db => db.Posts.CountAsync(p => p.Type == PostTypes.Revision)));
        Assert.Equal(0, await _h.WithDbAsync(db => db.Terms.CountAsync()));
    }

    [Fact]
    public async Task Update_KeepsThePreviousVersionAsARevision_AndRecordsWhatChanged()
    {
        await _h.SucceedAsync(_token, "garden", "tags.create", new { name = "Beans" });
        var post = await _h.SucceedAsync(_token, "garden", "posts.create", new { title = "Zucchini diary", content = "Old words", status = "publish", tags = new object[] { "Beans" } });
        var id = post.GetProperty("id").GetInt64();

        var updated = await _h.SucceedAsync(_token, "garden", "posts.update", new { post_id = id, title = "Squash diary", content = "New words", tags = Array.Empty<object>() });
        Assert.Equal("Squash diary", updated.GetProperty("title").GetProperty("raw").GetString());
        Assert.Equal("New words", updated.GetProperty("content").GetProperty("raw").GetString());
        Assert.Empty(updated.GetProperty("tags").EnumerateArray());
        var revisionId = updated.GetProperty("revision_id").GetInt64();

        var revision = await _h.WithDbAsync(db => db.Posts.AsNoTracking().SingleAsync(p => p.SiteId == _h.GardenId && p.Id == revisionId));
        Assert.Equal(PostTypes.Revision, revision.Type);
        Assert.Equal(PostStatuses.Inherit, revision.Status);
        Assert.Equal(id, revision.ParentId);
        Assert.Equal(_h.AliceId, revision.AuthorId);
        Assert.Equal(("Zucchini diary", "Old words"), (revision.Title, revision.Content));

        var change = (await _h.ChangesAsync()).Last();
        Assert.Equal(("post", id, "update", (long?)revisionId), (change.ObjectType, change.ObjectId, change.Action, change.RevisionId));
        var before = AuthoringHarness.BeforeOf(change)!.Value;
        Assert.Equal("Zucchini diary", before.GetProperty("title").GetString());
        Assert.Equal("Old words", before.GetProperty("content").GetString());
        Assert.Single(before.GetProperty("tag_ids").EnumerateArray());
        // Only what changed is recorded, so undo restores exactly that.
        Assert.False(before.TryGetProperty("status", out _));
        Assert.False(before.TryGetProperty("excerpt", out _));

        // The same update again changes nothing: no revision, no record.
        var changes = (await _h.ChangesAsync()).Count;
        var same = await _h.SucceedAsync(_token, "garden", "posts.update", new { post_id = id, title = "Squash diary" });
        Assert.Contains("nothing changed", same.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(changes, (await _h.ChangesAsync()).Count);

        // Unpublishing is a change too: a second revision, and the status to restore.
        var unpublished = await _h.SucceedAsync(_token, "garden", "posts.update", new { post_id = id, status = "draft" });
        Assert.NotEqual(revisionId, unpublished.GetProperty("revision_id").GetInt64());
        Assert.Equal("publish", AuthoringHarness.BeforeOf((await _h.ChangesAsync()).Last())!.Value.GetProperty("status").GetString());
        Assert.Equal(2, await _h.WithDbAsync(db => db.Posts.CountAsync(p => p.Type == PostTypes.Revision && p.ParentId == id)));
    }

    [Fact]
    public async Task Trash_RecordsTheStatusToRestore_AndHidesThePost()
    {
        var post = await _h.SucceedAsync(_token, "garden", "posts.create", new { title = "Short lived", status = "publish" });
        var id = post.GetProperty("id").GetInt64();
        var trashed = await _h.SucceedAsync(_token, "garden", "posts.trash", new { post_id = id });
        Assert.Equal("trash", trashed.GetProperty("status").GetString());
        var change = (await _h.ChangesAsync()).Last();
        Assert.Equal("publish", AuthoringHarness.BeforeOf(change)!.Value.GetProperty("status").GetString());
        Assert.NotNull(change.RevisionId);
        Assert.Equal(HttpStatusCode.NotFound, (await _h.S.Anonymous().GetAsync(post.GetProperty("link").GetString())).StatusCode);
        Assert.Contains("is in the trash", await _h.FailAsync(_token, "garden", "posts.update", new { post_id = id, title = "Back" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_WithParentAndOrder_BadInputNamesTheField()
    {
        var parent = await _h.SucceedAsync(_token, "garden", "pages.create", new { title = "About", status = "publish" });
        var child = await _h.SucceedAsync(_token, "garden", "pages.create", new { title = "Team", status = "publish", parent = parent.GetProperty("id").GetInt64(), menu_order = 2 });
        Assert.Equal(parent.GetProperty("id").GetInt64(), child.GetProperty("parent").GetInt64());
        Assert.EndsWith("/sites/garden/about/team/", child.GetProperty("link").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _h.S.Anonymous().GetAsync(child.GetProperty("link").GetString())).StatusCode);

        // A page cannot move under its own child.
        Assert.Contains("parent: page", await _h.FailAsync(_token, "garden", "pages.update", new { post_id = parent.GetProperty("id").GetInt64(), parent = child.GetProperty("id").GetInt64() }), StringComparison.Ordinal);
        var moved = await _h.SucceedAsync(_token, "garden", "pages.update", new { post_id = child.GetProperty("id").GetInt64(), parent = 0, menu_order = 5 });
        Assert.Equal(0, moved.GetProperty("parent").GetInt64());
        Assert.Equal(5, moved.GetProperty("menu_order").GetInt32());
        var before = AuthoringHarness.BeforeOf((await _h.ChangesAsync()).Last())!.Value;
        Assert.Equal(parent.GetProperty("id").GetInt64(), before.GetProperty("parent_id").GetInt64());
        Assert.Equal(2, before.GetProperty("menu_order").GetInt32());

        Assert.Contains("parent: there is no page 999", await _h.FailAsync(_token, "garden", "pages.create", new { title = "Lost", parent = 999 }), StringComparison.Ordinal);
        Assert.Contains("status must be one of", await _h.FailAsync(_token, "garden", "posts.create", new { title = "x", status = "published" }), StringComparison.Ordinal);
        Assert.Contains("unknown field 'parent'", await _h.FailAsync(_token, "garden", "posts.create", new { title = "x", parent = 1 }), StringComparison.Ordinal);
        Assert.Contains("is a page, not a post", await _h.FailAsync(_token, "garden", "posts.update", new { post_id = parent.GetProperty("id").GetInt64(), title = "x" }), StringComparison.Ordinal);
        Assert.Contains("status future needs a date", await _h.FailAsync(_token, "garden", "posts.create", new { title = "x", status = "future" }), StringComparison.Ordinal);
        Assert.Contains("unknown categories: 'Nope'", await _h.FailAsync(_token, "garden", "posts.create", new { title = "x", categories = new object[] { "Nope" } }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduling_FutureDateWithPublish_IsFuture_SlugsAreUnique()
    {
        var when = _h.S.Clock.GetUtcNow().AddDays(3).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var scheduled = await _h.SucceedAsync(_token, "garden", "posts.create", new { title = "Later", status = "publish", date = when });
        Assert.Equal("future", scheduled.GetProperty("status").GetString());
        var second = await _h.SucceedAsync(_token, "garden", "posts.create", new { title = "Other", slug = "later" });
        Assert.Equal("later-2", second.GetProperty("slug").GetString());
        Assert.Contains("became 'later-2'", second.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terms_DuplicatesAmongSiblingsOrSlugs_AreClearErrors()
    {
        var fruit = await _h.SucceedAsync(_token, "garden", "categories.create", new { name = "Fruit" });
        var apples = await _h.SucceedAsync(_token, "garden", "categories.create", new { name = "Apples", parent = fruit.GetProperty("id").GetInt64() });
        Assert.Equal(fruit.GetProperty("id").GetInt64(), apples.GetProperty("parent").GetInt64());
        Assert.EndsWith("/category/fruit/apples/", apples.GetProperty("link").GetString(), StringComparison.Ordinal);

        var sibling = await _h.FailAsync(_token, "garden", "categories.create", new { name = "apples", parent = fruit.GetProperty("id").GetInt64() });
        Assert.Contains("a category named 'apples' already exists under category", sibling, StringComparison.Ordinal);
        // Another branch may use the name; the slug made from it gets a number.
        var elsewhere = await _h.SucceedAsync(_token, "garden", "categories.create", new { name = "Apples" });
        Assert.Equal("apples-2", elsewhere.GetProperty("slug").GetString());
        Assert.Contains("the slug 'fruit' is already used by category", await _h.FailAsync(_token, "garden", "categories.create", new { name = "Orchard", slug = "fruit" }), StringComparison.Ordinal);
        await _h.SucceedAsync(_token, "garden", "tags.create", new { name = "Beans" });
        Assert.Contains("a tag named 'Beans' already exists", await _h.FailAsync(_token, "garden", "tags.create", new { name = "Beans" }), StringComparison.Ordinal);
        Assert.Contains("manage_categories", await _h.FailAsync(_token, "kitchen", "tags.create", new { name = "Soup" }), StringComparison.Ordinal);
        Assert.Equal(4, (await _h.ChangesAsync()).Count(c => c.ObjectType == "term"));
    }
}
