using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content;
using PressMcp.Content.Authoring;
using PressMcp.Storage;

namespace PressMcp.Tests.Content.Pages;

/// <summary>
/// The abilities the people's pages added, over MCP (the adapter endpoint, an Application Password): delete, restore,
/// restore-revision, and sticky, featured_media, meta and private on create and update. alice administers garden and
/// is a contributor on kitchen, whose administrator is bob.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class PostLifecycleAbilityTests : IAsyncLifetime
{
    private AbilityHarness _h = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await AbilityHarness.StartAsync();
        await _h.EnableAsync("alice");
        await _h.EnableAsync("bob");
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private async Task<T> DbAsync<T>(Func<PressDbContext, Task<T>> read)
    {
        await using var scope = _h.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    private async Task<long> CreateAsync(string title, string status = "publish", string login = "alice", string site = "garden", object? extra = null)
    {
        var value = await _h.OkAsync(login, "posts/create", extra ?? new { title, status, content = "Words" }, site);
        return value.GetProperty("id").GetInt64();
    }

    private Task<long> SiteIdAsync(string slug) => DbAsync(db => db.Sites.Where(s => s.Slug == slug).Select(s => s.Id).SingleAsync());

    [Fact]
    public async Task Date_WithoutAnOffset_IsReadInTheSiteTimeZone_WithOneExactly()
    {
        var site = await SiteIdAsync("garden");
        await DbAsync(db => db.Sites.Where(s => s.Id == site).ExecuteUpdateAsync(u => u.SetProperty(s => s.TimeZone, "Europe/Paris")));
        Task<DateTime> StoredDateAsync(long id) => DbAsync(db => db.Posts.Where(p => p.SiteId == site && p.Id == id).Select(p => p.DateUtc).SingleAsync());

        // Paris is UTC+2 in June and UTC+1 in January, as WordPress reads a post's date (not date_gmt).
        var local = await CreateAsync("", extra: new { title = "Summer", status = "draft", date = "2025-06-01T12:00:00" });
        Assert.Equal(new DateTime(2025, 6, 1, 10, 0, 0), await StoredDateAsync(local));
        var exact = await CreateAsync("", extra: new { title = "Exact", status = "draft", date = "2025-06-01T12:00:00Z" });
        Assert.Equal(new DateTime(2025, 6, 1, 12, 0, 0), await StoredDateAsync(exact));
        await _h.OkAsync("alice", "posts/update", new { post_id = local, date = "2025-01-15T09:30:00" });
        Assert.Equal(new DateTime(2025, 1, 15, 8, 30, 0), await StoredDateAsync(local));
        await _h.OkAsync("alice", "posts/update", new { post_id = local, date = "2025-01-15T09:30:00-05:00" });
        Assert.Equal(new DateTime(2025, 1, 15, 14, 30, 0), await StoredDateAsync(local));
    }

    [Fact]
    public async Task Delete_NotInTheTrash_IsRefused_UnlessForced_AndRemovesRevisionsAndMeta()
    {
        var id = await CreateAsync("Short-lived");
        await _h.OkAsync("alice", "posts/update", new { post_id = id, content = "Changed", meta = new { color = "red" } });
        var refused = await _h.CallAsync("alice", "posts/delete", new { post_id = id });
        Assert.Equal(CallOutcome.Invalid, refused.Outcome);
        Assert.Contains("is not in the trash", refused.Message, StringComparison.Ordinal);
        var site = await SiteIdAsync("garden");
        Assert.True(await DbAsync(db => db.Posts.AnyAsync(p => p.SiteId == site && p.Id == id)));

        var deleted = await _h.OkAsync("alice", "posts/delete", new { post_id = id, force = true });
        Assert.Equal(("publish", 1), (deleted.GetProperty("previous_status").GetString(), deleted.GetProperty("revisions_deleted").GetInt32()));
        Assert.False(await DbAsync(db => db.Posts.AnyAsync(p => p.SiteId == site && (p.Id == id || p.ParentId == id))));
        Assert.False(await DbAsync(db => db.PostMeta.AnyAsync(m => m.SiteId == site && m.PostId == id)));
        var record = await DbAsync(db => db.ChangeRecords.AsNoTracking().SingleAsync(c => c.SiteId == site && c.ObjectId == id && c.Action == "delete"));
        Assert.Contains("\"color\"", record.Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Contributor_CannotDeleteAnotherAuthorsPost_AndItStays()
    {
        var bobs = await CreateAsync("Bob's", "draft", "bob", "kitchen");
        await _h.OkAsync("bob", "posts/trash", new { post_id = bobs }, "kitchen");
        var refused = await _h.CallAsync("alice", "posts/delete", new { post_id = bobs }, "kitchen");
        Assert.Equal(CallOutcome.Refused, refused.Outcome);
        var site = await SiteIdAsync("kitchen");
        Assert.True(await DbAsync(db => db.Posts.AnyAsync(p => p.SiteId == site && p.Id == bobs)));
    }

    [Fact]
    public async Task Restore_ReturnsToTheStatusBeforeTheTrash_AndForgetsIt()
    {
        var id = await CreateAsync("Back again", "publish");
        await _h.OkAsync("alice", "posts/trash", new { post_id = id });
        var site = await SiteIdAsync("garden");
        Assert.Equal("publish", await DbAsync(db => db.PostMeta.Where(m => m.SiteId == site && m.PostId == id && m.Key == PostExtras.TrashStatusKey).Select(m => m.Value).SingleAsync()));
        var restored = await _h.OkAsync("alice", "posts/restore", new { post_id = id });
        Assert.Equal("publish", restored.GetProperty("status").GetString());
        Assert.False(await DbAsync(db => db.PostMeta.AnyAsync(m => m.SiteId == site && m.PostId == id && m.Key.StartsWith("_wp_trash"))));
        var again = await _h.OkAsync("alice", "posts/restore", new { post_id = id });
        Assert.Contains("is not in the trash", again.GetProperty("note").GetString(), StringComparison.Ordinal);

        var page = (await _h.OkAsync("alice", "pages/create", new { title = "About", status = "draft" })).GetProperty("id").GetInt64();
        await _h.OkAsync("alice", "pages/trash", new { post_id = page });
        Assert.Equal("draft", (await _h.OkAsync("alice", "pages/restore", new { post_id = page })).GetProperty("status").GetString());
    }

    [Fact]
    public async Task RestoreRevision_PutsTheWordsBack_AndKeepsTheReplacedVersionAsARevision()
    {
        var id = await CreateAsync("Version one");
        var first = await _h.OkAsync("alice", "posts/update", new { post_id = id, title = "Version two", content = "Second" });
        var revisionId = first.GetProperty("revision_id").GetInt64();
        var restored = await _h.OkAsync("alice", "posts/restore-revision", new { revision_id = revisionId });
        Assert.Equal(("Version one", "Words"), (restored.GetProperty("title").GetString(), restored.GetProperty("content").GetString()));
        var newRevision = restored.GetProperty("revision_id").GetInt64();
        var site = await SiteIdAsync("garden");
        var kept = await DbAsync(db => db.Posts.AsNoTracking().SingleAsync(p => p.SiteId == site && p.Id == newRevision));
        Assert.Equal(("Version two", "Second", id), (kept.Title, kept.Content, kept.ParentId!.Value));
        Assert.Equal(CallOutcome.NotFound, (await _h.CallAsync("alice", "posts/restore-revision", new { revision_id = id })).Outcome);
    }

    [Fact]
    public async Task Update_StickyFeaturedImageAndCustomFields_AreSetRecordedAndBounded()
    {
        var id = await CreateAsync("Decorated");
        var site = await SiteIdAsync("garden");
        var (image, text) = await DbAsync(async db =>
        {
            var ids = new long[2];
            for (var i = 0; i < 2; i++)
            {
                ids[i] = 900 + i;
                db.Posts.Add(new Post { SiteId = site, Id = ids[i], Type = PostTypes.Attachment, Status = PostStatuses.Inherit, Title = "file", MimeType = i == 0 ? "image/jpeg" : "application/pdf", DateUtc = DateTime.UtcNow, ModifiedUtc = DateTime.UtcNow });
            }
            await db.SaveChangesAsync();
            return (ids[0], ids[1]);
        });
        await _h.OkAsync("alice", "posts/update", new { post_id = id, sticky = true, featured_media = image, meta = new Dictionary<string, string?> { ["color"] = "red", ["size"] = "big" } });
        var post = await DbAsync(db => db.Posts.AsNoTracking().SingleAsync(p => p.SiteId == site && p.Id == id));
        Assert.True(post.Sticky);
        Assert.Equal(image.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await DbAsync(db => db.PostMeta.Where(m => m.SiteId == site && m.PostId == id && m.Key == "_thumbnail_id").Select(m => m.Value).SingleAsync()));

        await _h.OkAsync("alice", "posts/update", new { post_id = id, featured_media = 0, meta = new Dictionary<string, string?> { ["size"] = null } });
        var keys = await DbAsync(db => db.PostMeta.Where(m => m.SiteId == site && m.PostId == id).Select(m => m.Key).ToListAsync());
        Assert.DoesNotContain("_thumbnail_id", keys);
        Assert.Contains("color", keys);
        Assert.DoesNotContain("size", keys);
        var record = await DbAsync(db => db.ChangeRecords.AsNoTracking().Where(c => c.SiteId == site && c.ObjectId == id && c.Action == "update").OrderByDescending(c => c.Id).FirstAsync());
        using (var before = JsonDocument.Parse(record.Before!))
        {
            Assert.Equal(image, before.RootElement.GetProperty("featured_media").GetInt64());
            Assert.Equal("big", before.RootElement.GetProperty("meta").GetProperty("size")[0].GetString());
        }

        foreach (var (arguments, expected) in new (object, string)[]
        {
            (new { post_id = id, meta = new Dictionary<string, string?> { ["_edit_lock"] = "1" } }, "starts with _"),
            (new { post_id = id, meta = new Dictionary<string, string?> { [new string('k', 256)] = "1" } }, "longer than 255"),
            (new { post_id = id, meta = new Dictionary<string, string?> { ["big"] = new string('v', 64 * 1024 + 1) } }, "at most 65,536"),
            (new { post_id = id, meta = Enumerable.Range(0, 101).ToDictionary(i => $"k{i}", i => (string?)"v") }, "at most 100"),
            (new { post_id = id, featured_media = text }, "not an image"),
            (new { post_id = id, featured_media = 12345 }, "no attachment 12345"),
        })
        {
            var refused = await _h.CallAsync("alice", "posts/update", arguments);
            Assert.Equal(CallOutcome.Invalid, refused.Outcome);
            Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(["color"], await DbAsync(db => db.PostMeta.Where(m => m.SiteId == site && m.PostId == id && !m.Key.StartsWith("_")).Select(m => m.Key).ToListAsync()));
    }

    [Fact]
    public async Task Create_Contributor_CannotMakeStickyOrPrivate()
    {
        var sticky = await _h.CallAsync("alice", "posts/create", new { title = "Pinned", sticky = true }, "kitchen");
        Assert.Equal(CallOutcome.Refused, sticky.Outcome);
        Assert.Contains("publish_posts or edit_others_posts", sticky.Message, StringComparison.Ordinal);
        var site = await SiteIdAsync("kitchen");
        Assert.False(await DbAsync(db => db.Posts.AnyAsync(p => p.SiteId == site && p.Title == "Pinned")));

        var asked = await _h.OkAsync("alice", "posts/create", new { title = "Secret", status = "private" }, "kitchen");
        Assert.Equal("draft", asked.GetProperty("status").GetString());
        Assert.Contains("may not publish", asked.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal("private", (await _h.OkAsync("bob", "posts/create", new { title = "Bob's secret", status = "private" }, "kitchen")).GetProperty("status").GetString());
    }
}
