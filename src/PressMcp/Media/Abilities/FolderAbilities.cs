using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Media.Abilities;

/// <summary>
/// The <c>vmfo/*</c> folder abilities (names as the Virtual Media Folders plugin's). Listing, moving media and
/// suggestions need <c>upload_files</c>; creating, renaming, moving and deleting folders need <c>manage_categories</c>.
/// Wherever a folder is expected, an id or a path string (<c>Photos/2026/Trips</c>) is accepted.
/// </summary>
internal sealed class FolderAbilities : IAbilitySource
{
    public const string List = "vmfo/list-folders";
    public const string Create = "vmfo/create-folder";
    public const string Update = "vmfo/update-folder";
    public const string Delete = "vmfo/delete-folder";
    public const string Add = "vmfo/add-to-folder";
    public const string Remove = "vmfo/remove-from-folder";
    public const string Suggestions = "vmfo/get-suggestions";

    private const string Category = "media";

    private static string Schema(string required, params string[] properties) =>
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"wpcom_site\"" + required + "],\"properties\":{"
        + string.Join(",", [AbilityInput.SiteProperty, .. properties]) + "}}";

    private const string ItemsOutput = """
        {"type":"object","required":["folder_id","folder_path","results","changed"],"properties":{"folder_id":{"type":"integer"},"folder_path":{"type":"string"},
          "changed":{"type":"integer"},
          "results":{"type":"array","items":{"type":"object","required":["id","status"],"properties":{"id":{"type":"integer"},
            "status":{"type":"string","enum":["moved","removed","unchanged","not_in_folder","not_found"]},"message":{"type":"string"},"from_folder_id":{"type":["integer","null"]}}}}}}
        """;

    private const string AttachmentIds =
        "\"attachment_ids\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":500,\"items\":{\"type\":\"integer\",\"minimum\":1},\"description\":\"Media (attachment) ids\"}";

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(List, "List media folders", "Lists the media library's virtual folders with id, name, parent_id, full path and how many media each holds.", Category,
            Schema("",
                "\"search\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200,\"description\":\"Only folders whose name contains this (any case)\"}",
                MediaSchemas.FolderProperty("parent_id", "Only the direct subfolders of this folder (id or path); 0 for the top level", minimumId: 0),
                "\"hide_empty\":{\"type\":\"boolean\",\"description\":\"Leave out folders that hold no media directly\"}"),
            """{"type":"object","required":["folders","total","unassigned_count"],"properties":{"folders":{"type":"array","items":""" + MediaSchemas.FolderOutput
            + """},"total":{"type":"integer"},"unassigned_count":{"type":"integer"}}}""",
            AbilityAnnotations.Read, [MediaSchemas.ReadScope], Caps.UploadFiles, siteScoped: true, ListAsync),
        new Ability(Create, "Create a media folder", "Creates a folder, at the top level or inside parent_id. Names are unique among siblings regardless of case and cannot contain '/'.", Category,
            Schema(",\"name\"",
                "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}",
                MediaSchemas.FolderProperty("parent_id", "The parent folder (id or path); omit or 0 for the top level", minimumId: 0)),
            MediaSchemas.FolderOutput, AbilityAnnotations.Write, [MediaSchemas.WriteScope], Caps.ManageCategories, siteScoped: true, CreateAsync),
        new Ability(Update, "Rename or move a media folder", "Renames a folder and/or moves it under another parent (0 or '/' for the top level). A move into its own subtree is refused.", Category,
            Schema(",\"folder_id\"",
                MediaSchemas.FolderProperty("folder_id", "The folder to change (id or path)"),
                "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200,\"description\":\"The new name\"}",
                MediaSchemas.FolderProperty("parent_id", "The new parent (id or path); 0 or '/' for the top level", minimumId: 0)),
            MediaSchemas.FolderOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.ManageCategories, siteScoped: true, UpdateAsync),
        new Ability(Delete, "Delete a media folder",
            "Deletes a folder. A folder holding media or subfolders needs force: true, and then its subfolders go too. Media are never deleted: they become unassigned.", Category,
            Schema(",\"folder_id\"",
                MediaSchemas.FolderProperty("folder_id", "The folder to delete (id or path)"),
                "\"force\":{\"type\":\"boolean\",\"description\":\"Delete even when not empty\"}"),
            """{"type":"object","required":["deleted","folder_ids","unassigned_media","deleted_rules"],"properties":{"deleted":{"type":"boolean"},"folder_ids":{"type":"array","items":{"type":"integer"}},"unassigned_media":{"type":"integer"},"deleted_rules":{"type":"integer"}}}""",
            MediaSchemas.Destructive, [MediaSchemas.WriteScope], Caps.ManageCategories, siteScoped: true, DeleteAsync),
        new Ability(Add, "Add media to a folder", "Moves media into a folder (an item is in at most one folder). Answers a result per id: moved, unchanged or not_found.", Category,
            Schema(",\"folder_id\",\"attachment_ids\"", MediaSchemas.FolderProperty("folder_id", "The target folder (id or path)"), AttachmentIds),
            ItemsOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.UploadFiles, siteScoped: true, AddAsync),
        new Ability(Remove, "Remove media from a folder", "Takes media out of a folder; they become unassigned. Answers a result per id: removed, not_in_folder or not_found.", Category,
            Schema(",\"folder_id\",\"attachment_ids\"", MediaSchemas.FolderProperty("folder_id", "The folder (id or path)"), AttachmentIds),
            ItemsOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.UploadFiles, siteScoped: true, RemoveAsync),
        new Ability(Suggestions, "Suggest folders for a media item",
            "Scores the site's folders for one media item from its file name, type, upload date, alt text and caption against folder names and paths, and the rules; best first, each with the reasons.", Category,
            Schema(",\"media_id\"",
                "\"media_id\":{\"type\":\"integer\",\"minimum\":1}",
                "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":20,\"description\":\"Default 5\"}"),
            """
            {"type":"object","required":["media_id","filename","current_folder_id","suggestions","scoring"],"properties":{"media_id":{"type":"integer"},"filename":{"type":"string"},
              "current_folder_id":{"type":["integer","null"]},"scoring":{"type":"string"},
              "suggestions":{"type":"array","items":{"type":"object","required":["folder_id","path","score","reasons","is_current"],"properties":{
                "folder_id":{"type":"integer"},"path":{"type":"string"},"score":{"type":"integer"},"reasons":{"type":"array","items":{"type":"string"}},"is_current":{"type":"boolean"}}}}}}
            """,
            AbilityAnnotations.Read, [MediaSchemas.ReadScope], Caps.UploadFiles, siteScoped: true, SuggestAsync),
    ];

    private static MediaFolderService Folders(AbilityCall call) => call.Services.GetRequiredService<MediaFolderService>();

    private static async Task<Outcome<JsonElement>> ListAsync(AbilityCall call, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var tree = await Folders(call).TreeAsync(siteId, ct);
        IEnumerable<FolderInfo> folders = tree;
        if (call.Input.Folder("parent_id") is { } parent)
        {
            long? parentId = null;
            if (!parent.IsTop)
            {
                var found = await Folders(call).ResolveAsync(siteId, parent, ct);
                if (!found.Succeeded) return found.Problem!;
                parentId = found.Value!.Id;
            }
            folders = folders.Where(f => f.ParentId == parentId);
        }
        if (call.Input.Text("search") is { } search) folders = folders.Where(f => f.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));
        if (call.Input.Flag("hide_empty")) folders = folders.Where(f => f.Count > 0);
        var list = folders.Select(MediaSchemas.Json).ToList();
        return MediaSchemas.Ok(new { folders = list, total = list.Count, unassigned_count = await Folders(call).UnassignedCountAsync(siteId, ct) });
    }

    private static async Task<Outcome<JsonElement>> CreateAsync(AbilityCall call, CancellationToken ct)
    {
        var created = await Folders(call).CreateAsync(call.Site!.Id, call.Input.Text("name")!, call.Input.Folder("parent_id"), MediaChanges.For(call), ct);
        return created.Succeeded ? await DescribeAsync(call, created.Value!.Id, ct) : created.Problem!;
    }

    private static async Task<Outcome<JsonElement>> UpdateAsync(AbilityCall call, CancellationToken ct)
    {
        var updated = await Folders(call).UpdateAsync(call.Site!.Id, call.Input.Folder("folder_id")!, call.Input.Text("name"), call.Input.Folder("parent_id"), MediaChanges.For(call), ct);
        return updated.Succeeded ? await DescribeAsync(call, updated.Value!.Id, ct) : updated.Problem!;
    }

    private static async Task<Outcome<JsonElement>> DeleteAsync(AbilityCall call, CancellationToken ct)
    {
        var deleted = await Folders(call).DeleteAsync(call.Site!.Id, call.Input.Folder("folder_id")!, call.Input.Flag("force"), MediaChanges.For(call), ct);
        if (!deleted.Succeeded) return deleted.Problem!;
        var d = deleted.Value!;
        return MediaSchemas.Ok(new { deleted = true, folder_ids = d.FolderIds, unassigned_media = d.UnassignedMedia, deleted_rules = d.DeletedRules });
    }

    private static Task<Outcome<JsonElement>> AddAsync(AbilityCall call, CancellationToken ct) =>
        MoveAsync(call, (folders, site, folder, ids, change) => folders.AddAsync(site, folder, ids, change, ct), ct);

    private static Task<Outcome<JsonElement>> RemoveAsync(AbilityCall call, CancellationToken ct) =>
        MoveAsync(call, (folders, site, folder, ids, change) => folders.RemoveAsync(site, folder, ids, change, ct), ct);

    private static async Task<Outcome<JsonElement>> MoveAsync(AbilityCall call,
        Func<MediaFolderService, long, FolderRef, IReadOnlyList<long>, RecordChange, Task<Outcome<IReadOnlyList<ItemResult>>>> move, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var folder = await Folders(call).ResolveAsync(siteId, call.Input.Folder("folder_id")!, ct);
        if (!folder.Succeeded) return folder.Problem!;
        var ids = call.Input.GetProperty("attachment_ids").EnumerateArray().Select(e => e.GetInt64()).ToList();
        var outcome = await move(Folders(call), siteId, FolderRef.ById(folder.Value!.Id), ids, MediaChanges.For(call));
        if (!outcome.Succeeded) return outcome.Problem!;
        var path = (await Folders(call).TreeAsync(siteId, ct)).First(f => f.Id == folder.Value.Id).Path;
        var results = outcome.Value!.Select(r => new { id = r.Id, status = r.Status, message = r.Message, from_folder_id = r.FromFolderId }).ToList();
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(new
        {
            folder_id = folder.Value.Id,
            folder_path = path,
            changed = outcome.Value!.Count(r => r.Status is "moved" or "removed"),
            results,
        }, SkipNulls));
    }

    private static readonly JsonSerializerOptions SkipNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static async Task<Outcome<JsonElement>> SuggestAsync(AbilityCall call, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var mediaId = call.Input.Integer("media_id")!.Value;
        var rules = call.Services.GetRequiredService<MediaRuleService>();
        var item = (await rules.FactsAsync(siteId, m => m.PostId == mediaId, ct)).FirstOrDefault();
        if (item is null) return Problem.NotFound($"no media item with id {mediaId} on this site");
        var suggestions = FolderSuggestions.Suggest(item, await Folders(call).TreeAsync(siteId, ct), await rules.ListAsync(siteId, ct), (int)(call.Input.Integer("limit") ?? 5));
        return MediaSchemas.Ok(new
        {
            media_id = item.Id,
            filename = item.FileName,
            current_folder_id = item.FolderId,
            suggestions = suggestions.Select(s => new { folder_id = s.FolderId, path = s.Path, score = s.Score, reasons = s.Reasons, is_current = s.IsCurrent }),
            scoring = FolderSuggestions.Explanation,
        });
    }

    private static async Task<Outcome<JsonElement>> DescribeAsync(AbilityCall call, long folderId, CancellationToken ct) =>
        MediaSchemas.Ok(MediaSchemas.Json((await Folders(call).TreeAsync(call.Site!.Id, ct)).First(f => f.Id == folderId)));
}
