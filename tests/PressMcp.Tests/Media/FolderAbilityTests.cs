using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Abilities;

namespace PressMcp.Tests.Media;

/// <summary>The <c>vmfo/*</c> abilities with good input, bad input and too little capability.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class FolderAbilityTests(MediaFixture f) : IClassFixture<MediaFixture>
{
    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    private async Task<long> CreateAsync(string name, object? parent = null, string login = "alice") =>
        (await f.Harness.OkAsync(login, "vmfo/create-folder", parent is null ? new { name } : new { name, parent_id = parent })).GetProperty("id").GetInt64();

    private async Task<JsonElement> FolderAsync(long id) =>
        (await f.Harness.OkAsync("alice", "vmfo/list-folders", new { })).GetProperty("folders").EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == id);

    [Fact]
    public async Task Create_TopAndNestedByPath_ListShowsPathsAndCounts()
    {
        var top = Unique("Photos");
        var topId = await CreateAsync(top);
        var yearId = await CreateAsync("2026", parent: top);
        var tripsId = await CreateAsync("Trips", parent: $"{top}/2026");
        var media = await f.UploadOkAsync("alice", MediaSamples.Png(2, 2), "trip.png", new { folder_id = $"{top.ToUpperInvariant()}/2026/trips" });
        Assert.Equal(tripsId, media.GetProperty("folder_id").GetInt64());
        Assert.Equal($"{top}/2026/Trips", media.GetProperty("folder_path").GetString());

        var trips = await FolderAsync(tripsId);
        Assert.Equal("Trips", trips.GetProperty("name").GetString());
        Assert.Equal(yearId, trips.GetProperty("parent_id").GetInt64());
        Assert.Equal($"{top}/2026/Trips", trips.GetProperty("path").GetString());
        Assert.Equal(1, trips.GetProperty("count").GetInt32());

        var children = await f.Harness.OkAsync("alice", "vmfo/list-folders", new { parent_id = topId });
        Assert.Equal([yearId], children.GetProperty("folders").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
        var nonEmpty = await f.Harness.OkAsync("alice", "vmfo/list-folders", new { search = top[^6..], hide_empty = true });
        Assert.Empty(nonEmpty.GetProperty("folders").EnumerateArray());
        var searched = await f.Harness.OkAsync("alice", "vmfo/list-folders", new { search = "TRIPS" });
        Assert.Contains(searched.GetProperty("folders").EnumerateArray(), x => x.GetProperty("id").GetInt64() == tripsId);
        var topLevel = await f.Harness.OkAsync("alice", "vmfo/list-folders", new { parent_id = 0 });
        // A top-level folder's parent is 0, as the plugin answers it (never null).
        Assert.All(topLevel.GetProperty("folders").EnumerateArray(), x => Assert.Equal(0, x.GetProperty("parent_id").GetInt64()));
    }

    [Fact]
    public async Task Create_BadInput_EachAClearError()
    {
        var name = Unique("Docs");
        await CreateAsync(name);
        var duplicate = await f.Harness.CallAsync("alice", "vmfo/create-folder", new { name = name.ToUpperInvariant() });
        Assert.Equal(CallOutcome.Failed, duplicate.Outcome);
        Assert.Contains($"a folder named '{name}'", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("already exists at the top level", duplicate.Message, StringComparison.Ordinal);

        var slash = await f.Harness.CallAsync("alice", "vmfo/create-folder", new { name = "a/b" });
        Assert.Equal(CallOutcome.Invalid, slash.Outcome);
        Assert.Contains("cannot contain '/'", slash.Message, StringComparison.Ordinal);

        var parent = await f.Harness.CallAsync("alice", "vmfo/create-folder", new { name = "x", parent_id = 999_999 });
        Assert.Equal(CallOutcome.NotFound, parent.Outcome);
        Assert.Equal("the parent folder does not exist: no media folder with id 999999 on this site", parent.Message);

        var empty = await f.Harness.CallAsync("alice", "vmfo/create-folder", new { name = "" });
        Assert.Equal("invalid arguments: name must not be empty", empty.Message);
    }

    [Theory]
    [InlineData("arthur")]
    [InlineData("connie")]
    public async Task Create_WithoutManageCategories_IsRefusedNamingIt(string login)
    {
        var r = await f.Harness.CallAsync(login, "vmfo/create-folder", new { name = Unique("Nope") });
        Assert.Equal(CallOutcome.Refused, r.Outcome);
        Assert.Contains("lacks the capability manage_categories needed for vmfo/create-folder", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editor_ManagesFolders()
    {
        var id = await CreateAsync(Unique("Editors"), login: "erin");
        Assert.True((await f.Harness.CallAsync("erin", "vmfo/delete-folder", new { folder_id = id })).Succeeded);
    }

    [Fact]
    public async Task Update_RenameAndMove_CycleAndDuplicateRefused_ChangesRecorded()
    {
        var a = Unique("A");
        var aId = await CreateAsync(a);
        var bId = await CreateAsync("B", aId);
        var cId = await CreateAsync("C", bId);

        var renamed = await f.Harness.OkAsync("alice", "vmfo/update-folder", new { folder_id = $"{a}/B", name = "Bee" });
        Assert.Equal($"{a}/Bee", renamed.GetProperty("path").GetString());

        var cycle = await f.Harness.CallAsync("alice", "vmfo/update-folder", new { folder_id = aId, parent_id = cId });
        Assert.Equal(CallOutcome.Invalid, cycle.Outcome);
        Assert.Contains("cycle", cycle.Message, StringComparison.Ordinal);
        var self = await f.Harness.CallAsync("alice", "vmfo/update-folder", new { folder_id = aId, parent_id = aId });
        Assert.Contains("cycle", self.Message, StringComparison.Ordinal);

        var moved = await f.Harness.OkAsync("alice", "vmfo/update-folder", new { folder_id = cId, parent_id = 0 });
        Assert.Equal(0, moved.GetProperty("parent_id").GetInt64());
        Assert.Equal("C", moved.GetProperty("path").GetString());

        await CreateAsync("Twin", aId);
        var dup = await f.Harness.CallAsync("alice", "vmfo/update-folder", new { folder_id = bId, name = "twin", parent_id = aId });
        Assert.Contains("already exists in '" + a + "'", dup.Message, StringComparison.Ordinal);
        var unknown = await f.Harness.CallAsync("alice", "vmfo/update-folder", new { folder_id = 424242, name = "x" });
        Assert.Equal(CallOutcome.NotFound, unknown.Outcome);
        var nothing = await f.Harness.CallAsync("alice", "vmfo/update-folder", new { folder_id = bId });
        Assert.Equal("give a new name, a new parent_id, or both", nothing.Message);
        var author = await f.Harness.CallAsync("arthur", "vmfo/update-folder", new { folder_id = bId, name = "x" });
        Assert.Contains("manage_categories", author.Message, StringComparison.Ordinal);

        var before = await f.DbAsync(db => db.ChangeRecords.Where(c => c.ObjectType == "media_folder" && c.ObjectId == bId && c.Action == "update").Select(c => c.Before).FirstAsync());
        Assert.Contains("\"name\":\"B\"", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_NonEmptyNeedsForce_MediaBecomeUnassigned_RulesGo()
    {
        var top = Unique("Old");
        var topId = await CreateAsync(top);
        var childId = await CreateAsync("Child", topId);
        var item = (await f.UploadOkAsync("alice", MediaSamples.Pdf(), "keep.pdf", new { folder_id = childId })).GetProperty("id").GetInt64();
        await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new { name = "to child " + top, folder_id = childId, enabled = false });

        var refused = await f.Harness.CallAsync("alice", "vmfo/delete-folder", new { folder_id = topId });
        Assert.Contains("is not empty (1 media item(s), 1 subfolder(s)); pass force: true", refused.Message, StringComparison.Ordinal);
        var refusedChild = await f.Harness.CallAsync("alice", "vmfo/delete-folder", new { folder_id = childId });
        Assert.Contains("(1 media item(s), 0 subfolder(s))", refusedChild.Message, StringComparison.Ordinal);

        var deleted = await f.Harness.OkAsync("alice", "vmfo/delete-folder", new { folder_id = top, force = true });
        Assert.Equal(2, deleted.GetProperty("folder_ids").GetArrayLength());
        Assert.Equal(1, deleted.GetProperty("unassigned_media").GetInt32());
        Assert.Equal(1, deleted.GetProperty("deleted_rules").GetInt32());

        var siteId = await f.SiteIdAsync("garden");
        var file = await f.DbAsync(db => db.MediaFiles.SingleAsync(m => m.SiteId == siteId && m.PostId == item));
        Assert.Null(file.FolderId);
        Assert.True(File.Exists(Path.Combine(f.MediaRoot, siteId.ToString(System.Globalization.CultureInfo.InvariantCulture), file.StoragePath!)));
        var record = await f.DbAsync(db => db.ChangeRecords.SingleAsync(c => c.ObjectType == "media_folder" && c.ObjectId == childId && c.Action == "delete"));
        Assert.Contains($"\"media_ids\":[{item}]", record.Before, StringComparison.Ordinal);
        Assert.Contains("to child", record.Before, StringComparison.Ordinal);

        var gone = await f.Harness.CallAsync("alice", "vmfo/delete-folder", new { folder_id = topId });
        Assert.Equal(CallOutcome.NotFound, gone.Outcome);
    }

    [Fact]
    public async Task AddAndRemove_PerItemResults_AuthorMayMove_ContributorMayNot()
    {
        var folder = Unique("Box");
        var folderId = await CreateAsync(folder);
        var one = (await f.UploadOkAsync("arthur", MediaSamples.Png(1, 1), "one.png")).GetProperty("id").GetInt64();
        var two = (await f.UploadOkAsync("arthur", MediaSamples.Png(1, 1), "two.png")).GetProperty("id").GetInt64();

        var added = await f.Harness.OkAsync("arthur", "vmfo/add-to-folder", new { folder_id = folder, attachment_ids = new[] { one, two, 987_654 } });
        Assert.Equal(2, added.GetProperty("changed").GetInt32());
        var statuses = added.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt64(), r => r.GetProperty("status").GetString());
        Assert.Equal("moved", statuses[one]);
        Assert.Equal("not_found", statuses[987_654]);
        var again = await f.Harness.OkAsync("arthur", "vmfo/add-to-folder", new { folder_id = folderId, attachment_ids = new[] { one } });
        Assert.Equal("unchanged", again.GetProperty("results")[0].GetProperty("status").GetString());

        var removed = await f.Harness.OkAsync("alice", "vmfo/remove-from-folder", new { folder_id = folderId, attachment_ids = new[] { one } });
        Assert.Equal("removed", removed.GetProperty("results")[0].GetProperty("status").GetString());
        var notIn = await f.Harness.OkAsync("alice", "vmfo/remove-from-folder", new { folder_id = folderId, attachment_ids = new[] { one } });
        Assert.Equal("not_in_folder", notIn.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal(1, (await FolderAsync(folderId)).GetProperty("count").GetInt32());

        var moves = await f.DbAsync(db => db.ChangeRecords.Where(c => c.ObjectType == "media" && c.ObjectId == one && c.Action == "move").OrderBy(c => c.Id).Select(c => c.Before).ToListAsync());
        Assert.Equal(["{\"folder_id\":null}", $"{{\"folder_id\":{folderId}}}"], moves);

        var contributor = await f.Harness.CallAsync("connie", "vmfo/add-to-folder", new { folder_id = folderId, attachment_ids = new[] { two } });
        Assert.Contains("upload_files", contributor.Message, StringComparison.Ordinal);
        var badIds = await f.Harness.CallAsync("alice", "vmfo/add-to-folder", new { folder_id = folderId, attachment_ids = Array.Empty<long>() });
        Assert.Equal("invalid arguments: attachment_ids must have at least 1 item(s)", badIds.Message);
        var unknownFolder = await f.Harness.CallAsync("alice", "vmfo/add-to-folder", new { folder_id = "Nowhere " + folder, attachment_ids = new[] { two } });
        Assert.Equal(CallOutcome.NotFound, unknownFolder.Outcome);
    }

    [Fact]
    public async Task Suggestions_RankFoldersFittingTheItem_WithReasons()
    {
        var root = Unique("Archive");
        await CreateAsync(root);
        var beachId = await CreateAsync("Beach", root);
        await CreateAsync("Invoices", root);
        var item = (await f.UploadOkAsync("alice", MediaSamples.Jpeg(10, 10), "beach-sunset.jpg", new { alt_text = "sunset over the beach" })).GetProperty("id").GetInt64();

        var result = await f.Harness.OkAsync("arthur", "vmfo/get-suggestions", new { media_id = item, limit = 20 });
        var suggestions = result.GetProperty("suggestions").EnumerateArray().ToList();
        var beach = suggestions.Single(s => s.GetProperty("folder_id").GetInt64() == beachId);
        Assert.Equal(10, beach.GetProperty("score").GetInt32());
        Assert.Contains(beach.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("'beach' in the file name", StringComparison.Ordinal));
        Assert.DoesNotContain(suggestions, s => s.GetProperty("path").GetString()!.EndsWith("Invoices", StringComparison.Ordinal));
        Assert.Contains("+50", result.GetProperty("scoring").GetString(), StringComparison.Ordinal);

        Assert.Equal(CallOutcome.NotFound, (await f.Harness.CallAsync("alice", "vmfo/get-suggestions", new { media_id = 999_999 })).Outcome);
        Assert.Contains("upload_files", (await f.Harness.CallAsync("sam", "vmfo/get-suggestions", new { media_id = item })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Subscriber_IsRefused_UnknownParentIsNotFound()
    {
        Assert.Contains("upload_files", (await f.Harness.CallAsync("sam", "vmfo/list-folders", new { })).Message, StringComparison.Ordinal);
        var unknown = await f.Harness.CallAsync("alice", "vmfo/list-folders", new { parent_id = "Not/There" });
        Assert.Equal("no top-level media folder named 'Not'", unknown.Message);
    }
}
