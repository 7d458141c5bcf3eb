using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Abilities;

namespace PressMcp.Tests.Media;

/// <summary>The <c>vmfo-rules/*</c> abilities, and rules placing new uploads. Each test uses a site of its own, so rules do not meet.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class RuleAbilityTests(MediaFixture f) : IClassFixture<MediaFixture>
{
    /// <summary>A fresh site owned by alice, with arthur as author, so rules of other tests do not apply.</summary>
    private async Task<string> SiteAsync()
    {
        var slug = "r" + Guid.NewGuid().ToString("N")[..8];
        var store = f.Harness.Server.Server.Store;
        Assert.Equal(0, (await CliRunner.RunAsync(store, "site", "create", "--slug", slug, "--title", "Rules " + slug, "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(store, "site", "add-user", "--site", slug, "--login", "arthur", "--role", "author")).ExitCode);
        return slug;
    }

    private async Task<long> FolderAsync(string site, string name, object? parent = null) =>
        (await f.Harness.OkAsync("alice", "vmfo/create-folder", parent is null ? new { name } : new { name, parent_id = parent }, site)).GetProperty("id").GetInt64();

    private async Task<JsonElement> UploadAsync(string site, byte[] bytes, string name, string login = "arthur", object? folder = null)
    {
        var r = await f.Harness.CallAsync(login, "media/upload", folder is null
            ? new { data = Convert.ToBase64String(bytes), filename = name }
            : new { data = Convert.ToBase64String(bytes), filename = name, folder_id = folder }, site);
        Assert.True(r.Succeeded, r.Message);
        return r.Value;
    }

    [Fact]
    public async Task Rules_PlaceNewUploads_HighestPriorityFirst_ExplicitFolderWins()
    {
        var site = await SiteAsync();
        var images = await FolderAsync(site, "Images");
        var screenshots = await FolderAsync(site, "Screens", "Images");
        var docs = await FolderAsync(site, "Documents");
        await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new { name = "images", folder_id = images, priority = 1, conditions = new { mime_type = "image/*" } }, site);
        await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new { name = "screenshots", folder_id = "Images/Screens", priority = 10, conditions = new { mime_type = "image/*", file_name = "screenshot*" } }, site);
        await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new { name = "off", folder_id = docs, priority = 99, enabled = false }, site);

        var shot = await UploadAsync(site, MediaSamples.Png(2, 2), "Screenshot 2026-05-01.png");
        Assert.Equal(screenshots, shot.GetProperty("folder_id").GetInt64());
        Assert.Equal("screenshots", shot.GetProperty("placed_by_rule").GetString());
        var photo = await UploadAsync(site, MediaSamples.Jpeg(8, 8), "cat.jpg");
        Assert.Equal(images, photo.GetProperty("folder_id").GetInt64());
        var pdf = await UploadAsync(site, MediaSamples.Pdf(), "notes.pdf");
        Assert.Equal(JsonValueKind.Null, pdf.GetProperty("folder_id").ValueKind);
        var chosen = await UploadAsync(site, MediaSamples.Png(2, 2), "screenshot-chosen.png", folder: docs);
        Assert.Equal(docs, chosen.GetProperty("folder_id").GetInt64());
        Assert.Equal(JsonValueKind.Null, chosen.GetProperty("placed_by_rule").ValueKind);
    }

    [Fact]
    public async Task CreateListUpdateDelete_WithChangeRecords()
    {
        var site = await SiteAsync();
        await FolderAsync(site, "Big");
        var created = await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new
        {
            name = "big pictures", folder_id = "big",
            conditions = new { mime_type = "IMAGE/*", min_width = 1000, max_size = 5_000_000, uploaded_after = "2026-01-01T00:00:00Z", uploader = "arthur" },
        }, site);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("Big", created.GetProperty("folder_path").GetString());
        Assert.True(created.GetProperty("enabled").GetBoolean());
        // Answered in the plugin's shape: a list of {type, operator, value}.
        var conditions = created.GetProperty("conditions").EnumerateArray().Select(c => (c.GetProperty("type").GetString()!, c.GetProperty("operator").GetString()!, c.GetProperty("value").GetString()!)).ToList();
        Assert.Contains(("mimetype", "starts_with", "image/"), conditions);
        Assert.Contains(("uploader", "equals", AbilityHarness.Id(await f.Harness.UserIdAsync("arthur"))), conditions);
        Assert.DoesNotContain(conditions, c => c.Item1 == "filename");

        var listed = await f.Harness.OkAsync("arthur", "vmfo-rules/list-rules", new { }, site);
        Assert.Equal(id, listed.GetProperty("rules")[0].GetProperty("id").GetInt64());

        var updated = await f.Harness.OkAsync("alice", "vmfo-rules/update-rule", new { rule_id = id, enabled = false, priority = 5, conditions = new { file_name = "*.png" } }, site);
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal([("filename", "matches", "*.png")], updated.GetProperty("conditions").EnumerateArray().Select(c => (c.GetProperty("type").GetString()!, c.GetProperty("operator").GetString()!, c.GetProperty("value").GetString()!)));

        var deleted = await f.Harness.OkAsync("alice", "vmfo-rules/delete-rule", new { rule_id = id }, site);
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Empty((await f.Harness.OkAsync("alice", "vmfo-rules/list-rules", new { }, site)).GetProperty("rules").EnumerateArray());
        var actions = await f.DbAsync(db => db.ChangeRecords.Where(c => c.ObjectType == "media_rule" && c.ObjectId == id).OrderBy(c => c.Id).Select(c => c.Action).ToListAsync());
        Assert.Equal(["create", "update", "delete"], actions);
        Assert.Equal(CallOutcome.NotFound, (await f.Harness.CallAsync("alice", "vmfo-rules/delete-rule", new { rule_id = id }, site)).Outcome);
    }

    [Fact]
    public async Task Create_BadInput_AndAuthorsMayNotChangeRules()
    {
        var site = await SiteAsync();
        var folder = await FolderAsync(site, "F");
        Assert.Equal("mime_type 'images' must be a MIME type (image/png) or a family (image/*)",
            (await f.Harness.CallAsync("alice", "vmfo-rules/create-rule", new { name = "x", folder_id = folder, conditions = new { mime_type = "images" } }, site)).Message);
        Assert.Equal("min_width must not be larger than max_width",
            (await f.Harness.CallAsync("alice", "vmfo-rules/create-rule", new { name = "x", folder_id = folder, conditions = new { min_width = 10, max_width = 5 } }, site)).Message);
        Assert.Equal("no top-level media folder named 'Nowhere'",
            (await f.Harness.CallAsync("alice", "vmfo-rules/create-rule", new { name = "x", folder_id = "Nowhere" }, site)).Message);
        Assert.Equal("no user with the login 'ghost'",
            (await f.Harness.CallAsync("alice", "vmfo-rules/create-rule", new { name = "x", folder_id = folder, conditions = new { uploader = "ghost" } }, site)).Message);
        Assert.Equal("invalid arguments: folder_id is required",
            (await f.Harness.CallAsync("alice", "vmfo-rules/create-rule", new { name = "x" }, site)).Message);
        Assert.Equal("invalid arguments: unknown field 'conditions.size' (allowed: mime_type, file_name, uploaded_after, uploaded_before, min_size, max_size, min_width, max_width, min_height, max_height, uploader)",
            (await f.Harness.CallAsync("alice", "vmfo-rules/create-rule", new { name = "x", folder_id = folder, conditions = new { size = 1 } }, site)).Message);

        var author = await f.Harness.CallAsync("arthur", "vmfo-rules/create-rule", new { name = "mine", folder_id = folder }, site);
        Assert.Equal(CallOutcome.Refused, author.Outcome);
        Assert.Contains("lacks the capability manage_options needed for vmfo-rules/create-rule", author.Message, StringComparison.Ordinal);
        var rule = (await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new { name = "ok", folder_id = folder }, site)).GetProperty("id").GetInt64();
        Assert.Contains("manage_options", (await f.Harness.CallAsync("arthur", "vmfo-rules/update-rule", new { rule_id = rule, enabled = false }, site)).Message, StringComparison.Ordinal);
        Assert.Contains("manage_options", (await f.Harness.CallAsync("arthur", "vmfo-rules/delete-rule", new { rule_id = rule }, site)).Message, StringComparison.Ordinal);
        Assert.Equal("nothing to change: give name, folder_id, enabled, priority, conditions or description",
            (await f.Harness.CallAsync("alice", "vmfo-rules/update-rule", new { rule_id = rule }, site)).Message);
    }

    [Fact]
    public async Task PreviewReports_ApplyMoves_ScopeAndMimeFilter()
    {
        var site = await SiteAsync();
        var pdfId = (await UploadAsync(site, MediaSamples.Pdf(), "a.pdf")).GetProperty("id").GetInt64();
        var pngId = (await UploadAsync(site, MediaSamples.Png(1, 1), "b.png")).GetProperty("id").GetInt64();
        var other = await FolderAsync(site, "Other");
        var placedId = (await UploadAsync(site, MediaSamples.Pdf(), "c.pdf", folder: other)).GetProperty("id").GetInt64();
        var docs = await FolderAsync(site, "Docs");
        await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new { name = "pdfs", folder_id = docs, conditions = new { mime_type = "application/pdf" } }, site);

        var preview = await f.Harness.OkAsync("arthur", "vmfo-rules/preview", new { }, site);
        Assert.Equal(2, preview.GetProperty("examined").GetInt32());
        Assert.Equal(1, preview.GetProperty("unmatched").GetInt32());
        var move = Assert.Single(preview.GetProperty("moves").EnumerateArray());
        Assert.Equal(pdfId, move.GetProperty("media_id").GetInt64());
        Assert.Equal("Docs", move.GetProperty("to_folder_path").GetString());
        Assert.False(preview.GetProperty("applied").GetBoolean());
        Assert.Equal(0, (await f.Harness.OkAsync("alice", "vmfo/list-folders", new { }, site)).GetProperty("folders").EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == docs).GetProperty("count").GetInt32());

        var all = await f.Harness.OkAsync("alice", "vmfo-rules/preview", new { scope = "all", mime_type = "application/*" }, site);
        Assert.Equal([pdfId, placedId], all.GetProperty("moves").EnumerateArray().Select(m => m.GetProperty("media_id").GetInt64()).Order());
        Assert.Equal(2, all.GetProperty("examined").GetInt32());

        var applied = await f.Harness.OkAsync("arthur", "vmfo-rules/apply", new { }, site);
        Assert.True(applied.GetProperty("applied").GetBoolean());
        var siteId = await f.SiteIdAsync(site);
        var folders = await f.DbAsync(db => db.MediaFiles.Where(m => m.SiteId == siteId).ToDictionaryAsync(m => m.PostId, m => m.FolderId));
        Assert.Equal(docs, folders[pdfId]);
        Assert.Null(folders[pngId]);
        Assert.Equal(other, folders[placedId]);
        var record = await f.DbAsync(db => db.ChangeRecords.SingleAsync(c => c.SiteId == siteId && c.ObjectType == "media" && c.ObjectId == pdfId && c.Action == "move"));
        Assert.StartsWith("{\"folder_id\":null,\"rule_id\":", record.Before, StringComparison.Ordinal);

        var again = await f.Harness.OkAsync("alice", "vmfo-rules/apply", new { scope = "all" }, site);
        Assert.Equal(placedId, Assert.Single(again.GetProperty("moves").EnumerateArray()).GetProperty("media_id").GetInt64());
        Assert.Equal(1, again.GetProperty("already_placed").GetInt32());
        Assert.Contains("upload_files", (await f.Harness.CallAsync("sam", "vmfo-rules/preview", new { }, "garden")).Message, StringComparison.Ordinal);
    }
}
