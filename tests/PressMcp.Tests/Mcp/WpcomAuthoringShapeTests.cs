using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Mcp;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// <c>wpcom-mcp-content-authoring</c> with WordPress.com's documented argument shapes (raw objects and plain strings,
/// <c>id</c> and <c>post_id</c>, <c>include_fields</c>, <c>force</c> with <c>confirm_permanent_delete</c>, SEO meta)
/// and result shapes, over the real MCP endpoint after a real OAuth flow; and the public page's head from that meta
/// and from the site's blog_public setting.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class WpcomAuthoringShapeTests : IAsyncLifetime
{
    private AuthoringHarness _h = null!;
    private string _token = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await AuthoringHarness.StartAsync();
        _token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public void Operations_AreWordPressComs19_ThenTheExtras()
    {
        string[] wpcom =
        [
            "posts.create", "posts.update", "posts.delete", "pages.create", "pages.update", "pages.delete",
            "comments.create", "comments.update", "comments.delete", "categories.create", "categories.update", "categories.delete",
            "tags.create", "tags.update", "tags.delete", "media.update", "media.delete",
        ];
        Assert.Equal(wpcom, AuthoringOperations.All.Where(o => !o.Extra).Select(o => o.Name));
        Assert.All(AuthoringOperations.All.Where(o => o.Extra), o => Assert.DoesNotContain(o.Name, wpcom));
    }

    [Fact]
    public async Task PostsCreate_RawObjectsAndSeoMeta_ResultIsTheRestObject_IncludeFieldsTrims()
    {
        var created = await _h.SucceedAsync(_token, "garden", "posts.create", new
        {
            title = new { raw = "Beans & peas" },
            content = new { raw = "<p>Sown today.</p>" },
            excerpt = "Early sowing",
            slug = "beans-and-peas",
            status = "publish",
            meta = new { advanced_seo_description = "All about beans", jetpack_seo_html_title = "Beans | Garden", jetpack_seo_noindex = true },
        });
        Assert.Equal("Beans & peas", created.GetProperty("title").GetProperty("raw").GetString());
        Assert.Equal("Beans &amp; peas", created.GetProperty("title").GetProperty("rendered").GetString());
        Assert.Equal("<p>Sown today.</p>", created.GetProperty("content").GetProperty("rendered").GetString());
        Assert.Equal("Early sowing", created.GetProperty("excerpt").GetProperty("raw").GetString());
        Assert.Equal(("publish", "beans-and-peas", _h.AliceId, 0L), (created.GetProperty("status").GetString(), created.GetProperty("slug").GetString(),
            created.GetProperty("author").GetInt64(), created.GetProperty("featured_media").GetInt64()));
        var meta = created.GetProperty("meta");
        Assert.Equal(("All about beans", "Beans | Garden", "1"), (meta.GetProperty("advanced_seo_description").GetString(),
            meta.GetProperty("jetpack_seo_html_title").GetString(), meta.GetProperty("jetpack_seo_noindex").GetString()));

        // include_fields: named fields (dotted paths too) and id; a name the object lacks is ignored, as WordPress's _fields does.
        var trimmed = await _h.SucceedAsync(_token, "garden", "posts.update", new
        {
            id = created.GetProperty("id").GetInt64(),
            title = "Beans and peas",
            include_fields = new[] { "title.raw", "link", "no_such_field" },
        });
        Assert.Equal(["id", "title", "link"], trimmed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["raw"], trimmed.GetProperty("title").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Beans and peas", trimmed.GetProperty("title").GetProperty("raw").GetString());
    }

    [Fact]
    public async Task PostsUpdate_IdOrPostId_PlainStringsStayAccepted_ConflictingIdsAreRefused()
    {
        var post = await _h.SeedPostAsync("garden", "Draft", PostStatuses.Draft, _h.AliceId);
        var byId = await _h.SucceedAsync(_token, "garden", "posts.update", new { id = post.Id, content = "Plain words" });
        Assert.Equal("Plain words", byId.GetProperty("content").GetProperty("raw").GetString());
        var byPostId = await _h.SucceedAsync(_token, "garden", "posts.update", new { post_id = post.Id, content = new { raw = "Raw words" } });
        Assert.Equal("Raw words", byPostId.GetProperty("content").GetProperty("raw").GetString());

        Assert.Equal("posts.update: invalid arguments: id and post_id name different objects; give one of them",
            await _h.FailAsync(_token, "garden", "posts.update", new { id = post.Id, post_id = post.Id + 1, title = "x" }));
        Assert.Contains("title: expected a string or {\"raw\": \"…\"}, and 'rendered' is not read",
            await _h.FailAsync(_token, "garden", "posts.update", new { id = post.Id, title = new { rendered = "x" } }), StringComparison.Ordinal);
        Assert.Contains("include_fields must be an array", await _h.FailAsync(_token, "garden", "posts.update", new { id = post.Id, include_fields = "id" }), StringComparison.Ordinal);
        Assert.Contains("meta.tags must be a string, number, boolean or null",
            await _h.FailAsync(_token, "garden", "posts.update", new { id = post.Id, meta = new { tags = new[] { "a" } } }), StringComparison.Ordinal);
        // What the mapping passes on is still judged by the ability's strict schema, by name.
        Assert.Contains("title must be at most 1000 characters",
            await _h.FailAsync(_token, "garden", "posts.update", new { id = post.Id, title = new { raw = new string('t', 1001) } }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostsAndPagesDelete_WithoutForceTrash_WithForceNeedConfirmPermanentDelete()
    {
        var post = await _h.SeedPostAsync("garden", "Old", PostStatuses.Publish, _h.AliceId);
        var trashed = await _h.SucceedAsync(_token, "garden", "posts.delete", new { id = post.Id });
        Assert.Equal("trash", trashed.GetProperty("status").GetString());

        var refused = await _h.FailAsync(_token, "garden", "posts.delete", new { id = post.Id, force = true });
        Assert.Contains("needs confirm_permanent_delete: true", refused, StringComparison.Ordinal);
        var deleted = await _h.SucceedAsync(_token, "garden", "posts.delete", new { id = post.Id, force = true, confirm_permanent_delete = true });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(("Old", "trash"), (deleted.GetProperty("previous").GetProperty("title").GetProperty("raw").GetString(), deleted.GetProperty("previous").GetProperty("status").GetString()));
        Assert.False(await _h.WithDbAsync(db => db.Posts.AnyAsync(p => p.SiteId == _h.GardenId && p.Id == post.Id)));

        var page = await _h.SeedPostAsync("garden", "About", PostStatuses.Publish, _h.AliceId, PostTypes.Page);
        var gone = await _h.SucceedAsync(_token, "garden", "pages.delete", new { id = page.Id, force = true, confirm_permanent_delete = true });
        Assert.Equal(page.Id, gone.GetProperty("id").GetInt64());
        Assert.False(await _h.WithDbAsync(db => db.Posts.AnyAsync(p => p.SiteId == _h.GardenId && p.Id == page.Id)));
    }

    [Fact]
    public async Task Comments_CreateUpdateDelete_InWordPressComShapes()
    {
        var post = await _h.SeedPostAsync("garden", "Roses", PostStatuses.Publish, _h.AliceId);
        var created = await _h.SucceedAsync(_token, "garden", "comments.create", new { post = post.Id, content = new { raw = "Lovely" } });
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal((post.Id, 0L, "approved"), (created.GetProperty("post").GetInt64(), created.GetProperty("parent").GetInt64(), created.GetProperty("status").GetString()));
        Assert.Equal("<p>Lovely</p>\n", created.GetProperty("content").GetProperty("rendered").GetString());

        var edited = await _h.SucceedAsync(_token, "garden", "comments.update", new { id, content = "Lovely roses" });
        Assert.Equal("Lovely roses", edited.GetProperty("content").GetProperty("raw").GetString());
        var held = await _h.SucceedAsync(_token, "garden", "comments.update", new { id, status = "hold" });
        Assert.Equal(("hold", "approved"), (held.GetProperty("status").GetString(), held.GetProperty("previous_status").GetString()));
        Assert.Contains("give it with id alone", await _h.FailAsync(_token, "garden", "comments.update", new { id, status = "spam", content = "x" }), StringComparison.Ordinal);

        var trashed = await _h.SucceedAsync(_token, "garden", "comments.delete", new { id });
        Assert.Equal("trash", trashed.GetProperty("status").GetString());
        Assert.Contains("confirm_permanent_delete", await _h.FailAsync(_token, "garden", "comments.delete", new { id, force = true }), StringComparison.Ordinal);
        var deleted = await _h.SucceedAsync(_token, "garden", "comments.delete", new { id, force = true, confirm_permanent_delete = true });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.False(await _h.WithDbAsync(db => db.Comments.AnyAsync(c => c.SiteId == _h.GardenId && c.Id == id)));
    }

    [Fact]
    public async Task Terms_CreateUpdateDelete_DescriptionAsRaw_DeleteNeedsConfirmPermanentDelete()
    {
        var category = await _h.SucceedAsync(_token, "garden", "categories.create", new { name = "Herbs", description = new { raw = "Green things" } });
        Assert.Equal(("Herbs", "Green things", 0L), (category.GetProperty("name").GetString(), category.GetProperty("description").GetString(), category.GetProperty("parent").GetInt64()));
        var id = category.GetProperty("id").GetInt64();
        var renamed = await _h.SucceedAsync(_token, "garden", "categories.update", new { id, name = "Kitchen herbs", include_fields = new[] { "name" } });
        Assert.Equal(["id", "name"], renamed.EnumerateObject().Select(p => p.Name));
        Assert.Contains("confirm_permanent_delete must be true", await _h.FailAsync(_token, "garden", "categories.delete", new { id, confirm_permanent_delete = false }), StringComparison.Ordinal);
        var deleted = await _h.SucceedAsync(_token, "garden", "categories.delete", new { id, force = true, confirm_permanent_delete = true });
        Assert.Equal(("Kitchen herbs", true), (deleted.GetProperty("previous").GetProperty("name").GetString(), deleted.GetProperty("deleted").GetBoolean()));

        var tag = await _h.SucceedAsync(_token, "garden", "tags.create", new { name = "basil" });
        var tagDeleted = await _h.SucceedAsync(_token, "garden", "tags.delete", new { id = tag.GetProperty("id").GetInt64(), confirm_permanent_delete = true });
        Assert.True(tagDeleted.GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task Media_UpdateTitleAltCaptionDescription_ThenDeleteForGood()
    {
        var id = await SeedAttachmentAsync(_h.GardenId, _h.AliceId);
        var updated = await _h.SucceedAsync(_token, "garden", "media.update", new
        {
            id,
            title = new { raw = "Sunflower" },
            alt_text = "A sunflower against a blue sky",
            caption = new { raw = "Summer" },
            description = "Taken in July",
        });
        Assert.Equal(("Sunflower", "A sunflower against a blue sky", "Summer", "Taken in July"), (updated.GetProperty("title").GetProperty("raw").GetString(),
            updated.GetProperty("alt_text").GetString(), updated.GetProperty("caption").GetProperty("raw").GetString(), updated.GetProperty("description").GetProperty("raw").GetString()));
        var stored = await _h.WithDbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.SiteId == _h.GardenId && m.PostId == id));
        Assert.Equal("A sunflower against a blue sky", stored.AltText);
        Assert.Equal(("media", id, "update"), (await _h.ChangesAsync()).Select(c => (c.ObjectType, c.ObjectId, c.Action)).Single());

        Assert.Contains("confirm_permanent_delete is required", await _h.FailAsync(_token, "garden", "media.delete", new { id }), StringComparison.Ordinal);
        Assert.Contains("confirm_permanent_delete must be true", await _h.FailAsync(_token, "garden", "media.delete", new { id, confirm_permanent_delete = false }), StringComparison.Ordinal);
        var deleted = await _h.SucceedAsync(_token, "garden", "media.delete", new { id, confirm_permanent_delete = true });
        Assert.Equal(("Sunflower", true), (deleted.GetProperty("previous").GetProperty("title").GetProperty("raw").GetString(), deleted.GetProperty("deleted").GetBoolean()));
        Assert.False(await _h.WithDbAsync(db => db.Posts.AnyAsync(p => p.SiteId == _h.GardenId && p.Id == id)));
        Assert.Contains($"no media item {id}", await _h.FailAsync(_token, "garden", "media.update", new { id, title = "x" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_DisabledOperations_SayWhyAndWhichLayer()
    {
        // alice is a contributor on kitchen: media and terms are beyond her role.
        var kitchen = (await _h.AuthorAsync(_token, new { wpcom_site = "kitchen", action = "list" })).GetProperty("structuredContent");
        var off = kitchen.GetProperty("unavailable").EnumerateArray().ToDictionary(u => u.GetProperty("operation").GetString()!);
        Assert.Equal(("role", "upload_files"), (off["media.delete"].GetProperty("cause").GetString(), off["media.delete"].GetProperty("missing")[0].GetString()));
        Assert.True(kitchen.GetProperty("operations").EnumerateArray().Single(o => o.GetProperty("operation").GetString() == "comments.reply").GetProperty("extra").GetBoolean());

        // The site's administrators allow agents only to read on garden: every write is off, for that reason.
        await _h.WithDbAsync(async db =>
        {
            var garden = await db.Sites.SingleAsync(s => s.Id == _h.GardenId);
            garden.McpPolicy = PressMcp.Sites.SiteMcpPolicy.ReadOnly;
            await db.SaveChangesAsync();
        });
        var garden = (await _h.AuthorAsync(_token, new { wpcom_site = "garden", action = "list" })).GetProperty("structuredContent");
        Assert.Empty(garden.GetProperty("operations").EnumerateArray());
        Assert.All(garden.GetProperty("unavailable").EnumerateArray(), u => Assert.Equal("site_policy", u.GetProperty("cause").GetString()));

        // The user switched media.update's ability off: that is their MCP setting.
        await _h.EnableWritesAsync([.. AuthoringHarness.WriteAbilities.Where(a => a != "media/update")]);
        await using (var scope = _h.S.Server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PressMcp.Mcp.Settings.McpSettingsStore>().SetToolsAsync(_h.AliceId, new Dictionary<string, bool> { ["media/update"] = false });
        var again = (await _h.AuthorAsync(_token, new { wpcom_site = "kitchen", action = "list" })).GetProperty("structuredContent");
        Assert.Equal("mcp_setting", again.GetProperty("unavailable").EnumerateArray().Single(u => u.GetProperty("operation").GetString() == "media.update").GetProperty("cause").GetString());
    }

    [Fact]
    public async Task Describe_EveryOperation_GivesCompilableWordPressComSchemas()
    {
        foreach (var operation in AuthoringOperations.All)
        {
            var described = (await _h.AuthorAsync(_token, new { wpcom_site = "garden", action = "describe", operation = operation.Name })).GetProperty("structuredContent");
            var input = described.GetProperty("input_schema");
            var output = described.GetProperty("output_schema");
            _ = new SchemaValidator(input);
            _ = new SchemaValidator(output);
            Assert.True(input.GetProperty("properties").TryGetProperty("include_fields", out _), operation.Name);
            if (operation.IdMember is { } member) Assert.True(input.GetProperty("properties").TryGetProperty("id", out _), operation.Name);
        }
        var create = (await _h.AuthorAsync(_token, new { wpcom_site = "garden", action = "describe", operation = "posts.create" })).GetProperty("structuredContent");
        var title = create.GetProperty("input_schema").GetProperty("properties").GetProperty("title");
        Assert.Equal(["object", "string"], title.GetProperty("anyOf").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        Assert.Contains("jetpack_seo_noindex", create.GetProperty("input_schema").GetProperty("properties").GetProperty("meta").GetProperty("description").GetString(), StringComparison.Ordinal);
        var delete = (await _h.AuthorAsync(_token, new { wpcom_site = "garden", action = "describe", operation = "posts.delete" })).GetProperty("structuredContent");
        Assert.True(delete.GetProperty("input_schema").GetProperty("properties").TryGetProperty("confirm_permanent_delete", out _));
    }

    [Fact]
    public async Task PublicPost_UsesTheSeoMeta_ForTitleDescriptionAndRobots()
    {
        var post = await _h.SucceedAsync(_token, "garden", "posts.create", new
        {
            title = "Compost",
            content = "<p>Heaps.</p>",
            status = "publish",
            meta = new { advanced_seo_description = "How we compost <fast>", jetpack_seo_html_title = "Compost guide", jetpack_seo_noindex = true },
        });
        var html = await PageAsync(post.GetProperty("link").GetString()!);
        Assert.Contains("<title>Compost guide</title>", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"description\" content=\"How we compost &lt;fast&gt;\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"robots\" content=\"noindex\">", html, StringComparison.Ordinal);

        var plain = await _h.SucceedAsync(_token, "garden", "posts.create", new { title = "Mulch", status = "publish" });
        var plainHtml = await PageAsync(plain.GetProperty("link").GetString()!);
        Assert.Contains("<title>Mulch ", plainHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"robots\"", plainHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"description\"", plainHtml, StringComparison.Ordinal);

        // false turns it off again (stored as WordPress stores false: empty).
        await _h.SucceedAsync(_token, "garden", "posts.update", new { id = post.GetProperty("id").GetInt64(), meta = new { jetpack_seo_noindex = false } });
        Assert.DoesNotContain("name=\"robots\"", await PageAsync(post.GetProperty("link").GetString()!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlogPublicOff_ThroughSettingsUpdate_PutsNoindexOnEveryPublicPageOfThatSiteOnly()
    {
        var post = await _h.SucceedAsync(_token, "garden", "posts.create", new { title = "Seeds", status = "publish" });
        var link = post.GetProperty("link").GetString()!;
        Assert.DoesNotContain("name=\"robots\"", await PageAsync(link), StringComparison.Ordinal);

        var changed = await _h.ExecuteAsync(_token, "garden", "settings.update", new { blog_public = false });
        Assert.False(changed.GetProperty("isError").GetBoolean(), AuthoringHarness.Message(changed));
        foreach (var address in new[] { link, "/sites/garden/", "/sites/garden/?s=seeds", "/sites/garden/no-such-page/" })
            Assert.Contains("<meta name=\"robots\" content=\"noindex, nofollow\">", await PageAsync(address, allowNotFound: true), StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"robots\"", await PageAsync("/sites/kitchen/"), StringComparison.Ordinal);
    }

    private async Task<string> PageAsync(string address, bool allowNotFound = false)
    {
        var response = await _h.S.Anonymous().GetAsync(address);
        if (!allowNotFound || response.StatusCode != HttpStatusCode.NotFound) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>An image attachment with its file record, as an upload leaves them (the bytes do not matter here).</summary>
    private async Task<long> SeedAttachmentAsync(long siteId, long authorId)
    {
        await using var scope = _h.S.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressMcp.Storage.PressDbContext>();
        var id = await scope.ServiceProvider.GetRequiredService<PressMcp.Storage.SiteSequences>().NextPostIdsAsync(siteId);
        var now = _h.S.Clock.GetUtcNow().UtcDateTime;
        db.Posts.Add(new Post { SiteId = siteId, Id = id, Type = PostTypes.Attachment, Status = PostStatuses.Inherit, Title = "flower.jpg", Slug = "flower", MimeType = "image/jpeg", AuthorId = authorId, DateUtc = now, ModifiedUtc = now });
        db.MediaFiles.Add(new MediaFile { SiteId = siteId, PostId = id, FileName = "flower.jpg", SizeBytes = 3, SourceUrl = "https://example.com/flower.jpg" });
        await db.SaveChangesAsync();
        return id;
    }
}
