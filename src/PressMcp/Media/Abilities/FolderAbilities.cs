using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;

namespace PressMcp.Media.Abilities;

/// <summary>
/// The <c>vmfo/*</c> folder abilities (names as the Virtual Media Folders plugin's). Listing, moving media and
/// suggestions need <c>upload_files</c>; creating, renaming, moving and deleting folders need <c>manage_categories</c>.
/// Wherever a folder is expected, an id or a path string (<c>Photos/2026/Trips</c>) is accepted.
/// </summary>
internal static class FolderAbilities
{
    public const string List = "vmfo/list-folders";
    public const string Create = "vmfo/create-folder";
    public const string Update = "vmfo/update-folder";
    public const string Delete = "vmfo/delete-folder";
    public const string Add = "vmfo/add-to-folder";
    public const string Remove = "vmfo/remove-from-folder";
    public const string Suggestions = "vmfo/get-suggestions";

    /// <summary>A folder as the folder abilities answer it, read back from the tree (so its path and count are current).</summary>
    public static async Task<FolderResult> DescribeAsync(MediaFolderService folders, long siteId, long folderId, CancellationToken ct) =>
        FolderResult.Of((await folders.TreeAsync(siteId, ct)).First(f => f.Id == folderId));
}

internal sealed class FolderListAbility(MediaFolderService folders) : Ability<FolderListInput, FolderListResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(FolderAbilities.List, "List media folders",
        "Lists the media library's virtual folders with id, name, parent_id, full path and how many media each holds.", MediaAbilities.FolderCategory,
        AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, FolderJson.Default.FolderListInput, FolderJson.Default.FolderListResult);

    protected override async Task<Outcome<FolderListResult>> ExecuteAsync(FolderListInput input, AbilityCall call, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        IEnumerable<FolderInfo> list = await folders.TreeAsync(siteId, ct);
        if (input.ParentId?.Folder is { } parent)
        {
            long? parentId = null;
            if (!parent.IsTop)
            {
                var found = await folders.ResolveAsync(siteId, parent, ct);
                if (!found.Succeeded) return found.Problem!;
                parentId = found.Value!.Id;
            }
            list = list.Where(f => f.ParentId == parentId);
        }
        if (input.Search is { } search) list = list.Where(f => f.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));
        if (input.HideEmpty) list = list.Where(f => f.Count > 0);
        var result = list.Select(FolderResult.Of).ToList();
        return new FolderListResult(result, result.Count, await folders.UnassignedCountAsync(siteId, ct));
    }
}

internal sealed class FolderCreateAbility(MediaFolderService folders) : Ability<FolderCreateInput, FolderResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(FolderAbilities.Create, "Create a media folder",
        "Creates a folder, at the top level or inside parent_id. Names are unique among siblings regardless of case and cannot contain '/'.", MediaAbilities.FolderCategory,
        AbilityAnnotations.Write, [MediaAbilities.WriteScope], Caps.ManageCategories, SiteScoped: true, FolderJson.Default.FolderCreateInput, FolderJson.Default.FolderResult);

    protected override async Task<Outcome<FolderResult>> ExecuteAsync(FolderCreateInput input, AbilityCall call, CancellationToken ct)
    {
        var created = await folders.CreateAsync(call.Site!.Id, input.Name, input.ParentId?.Folder, MediaChanges.For(call), ct);
        return created.Succeeded ? await FolderAbilities.DescribeAsync(folders, call.Site!.Id, created.Value!.Id, ct) : created.Problem!;
    }
}

internal sealed class FolderUpdateAbility(MediaFolderService folders) : Ability<FolderUpdateInput, FolderResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(FolderAbilities.Update, "Rename or move a media folder",
        "Renames a folder and/or moves it under another parent (0 or '/' for the top level). A move into its own subtree is refused.", MediaAbilities.FolderCategory,
        MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.ManageCategories, SiteScoped: true, FolderJson.Default.FolderUpdateInput, FolderJson.Default.FolderResult);

    protected override async Task<Outcome<FolderResult>> ExecuteAsync(FolderUpdateInput input, AbilityCall call, CancellationToken ct)
    {
        var updated = await folders.UpdateAsync(call.Site!.Id, input.FolderId.Folder, input.Name, input.ParentId?.Folder, MediaChanges.For(call), ct);
        return updated.Succeeded ? await FolderAbilities.DescribeAsync(folders, call.Site!.Id, updated.Value!.Id, ct) : updated.Problem!;
    }
}

internal sealed class FolderDeleteAbility(MediaFolderService folders) : Ability<FolderDeleteInput, FolderDeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(FolderAbilities.Delete, "Delete a media folder",
        "Deletes a folder. A folder holding media or subfolders needs force: true, and then its subfolders go too. Media are never deleted: they become unassigned.", MediaAbilities.FolderCategory,
        MediaAbilities.Destructive, [MediaAbilities.WriteScope], Caps.ManageCategories, SiteScoped: true, FolderJson.Default.FolderDeleteInput, FolderJson.Default.FolderDeleteResult);

    protected override async Task<Outcome<FolderDeleteResult>> ExecuteAsync(FolderDeleteInput input, AbilityCall call, CancellationToken ct)
    {
        var deleted = await folders.DeleteAsync(call.Site!.Id, input.FolderId.Folder, input.Force, MediaChanges.For(call), ct);
        if (!deleted.Succeeded) return deleted.Problem!;
        var d = deleted.Value!;
        return new FolderDeleteResult(Deleted: true, d.FolderIds, d.UnassignedMedia, d.DeletedRules);
    }
}

internal sealed class FolderAddAbility(MediaFolderService folders) : Ability<FolderAddInput, FolderItemsResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(FolderAbilities.Add, "Add media to a folder",
        "Moves media into a folder (an item is in at most one folder). Answers a result per id: moved, unchanged or not_found.", MediaAbilities.FolderCategory,
        MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true, FolderJson.Default.FolderAddInput, FolderJson.Default.FolderItemsResult);

    protected override Task<Outcome<FolderItemsResult>> ExecuteAsync(FolderAddInput input, AbilityCall call, CancellationToken ct) =>
        FolderMoves.RunAsync(folders, call, input.FolderId.Folder, input.AttachmentIds, (site, folder, ids, change) => folders.AddAsync(site, folder, ids, change, ct), ct);
}

internal sealed class FolderRemoveAbility(MediaFolderService folders) : Ability<FolderRemoveInput, FolderItemsResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(FolderAbilities.Remove, "Remove media from a folder",
        "Takes media out of a folder; they become unassigned. Answers a result per id: removed, not_in_folder or not_found.", MediaAbilities.FolderCategory,
        MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true, FolderJson.Default.FolderRemoveInput, FolderJson.Default.FolderItemsResult);

    protected override Task<Outcome<FolderItemsResult>> ExecuteAsync(FolderRemoveInput input, AbilityCall call, CancellationToken ct) =>
        FolderMoves.RunAsync(folders, call, input.FolderId.Folder, input.AttachmentIds, (site, folder, ids, change) => folders.RemoveAsync(site, folder, ids, change, ct), ct);
}

/// <summary>Adding to and removing from a folder: resolve the folder, move, answer a result per id.</summary>
internal static class FolderMoves
{
    public static async Task<Outcome<FolderItemsResult>> RunAsync(MediaFolderService folders, AbilityCall call, FolderRef reference, IReadOnlyList<PositiveId> attachmentIds,
        Func<long, FolderRef, IReadOnlyList<long>, RecordChange, Task<Outcome<IReadOnlyList<ItemResult>>>> move, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var folder = await folders.ResolveAsync(siteId, reference, ct);
        if (!folder.Succeeded) return folder.Problem!;
        var ids = attachmentIds.Select(i => i.Value).ToList();
        var outcome = await move(siteId, FolderRef.ById(folder.Value!.Id), ids, MediaChanges.For(call));
        if (!outcome.Succeeded) return outcome.Problem!;
        var path = (await folders.TreeAsync(siteId, ct)).First(f => f.Id == folder.Value.Id).Path;
        var results = outcome.Value!.Select(r => new FolderItemResult { Id = r.Id, Status = r.Status, Message = r.Message, FromFolderId = r.FromFolderId }).ToList();
        return new FolderItemsResult(folder.Value.Id, path, outcome.Value!.Count(r => r.Status is "moved" or "removed"), results);
    }
}

internal sealed class FolderSuggestionsAbility(MediaFolderService folders, MediaRuleService rules) : Ability<FolderSuggestionsInput, FolderSuggestionsResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(FolderAbilities.Suggestions, "Suggest folders for a media item",
        "Scores the site's folders for one media item from its file name, type, upload date, alt text and caption against folder names and paths, and the rules; best first, each with the reasons.",
        MediaAbilities.FolderCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true,
        FolderJson.Default.FolderSuggestionsInput, FolderJson.Default.FolderSuggestionsResult);

    protected override async Task<Outcome<FolderSuggestionsResult>> ExecuteAsync(FolderSuggestionsInput input, AbilityCall call, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var mediaId = input.MediaId;
        var item = (await rules.FactsAsync(siteId, m => m.PostId == mediaId, ct)).FirstOrDefault();
        if (item is null) return Problem.NotFound($"no media item with id {mediaId} on this site");
        var suggestions = FolderSuggestions.Suggest(item, await folders.TreeAsync(siteId, ct), await rules.ListAsync(siteId, ct), input.Limit);
        return new FolderSuggestionsResult(item.Id, item.FileName, item.FolderId,
            [.. suggestions.Select(s => new FolderSuggestionResult(s.FolderId, s.Path, s.Score, s.Reasons, s.IsCurrent))], FolderSuggestions.Explanation);
    }
}

internal sealed record FolderListInput
{
    [StringLength(200, MinimumLength = 1), Description("Only folders whose name contains this (any case)")]
    public string? Search { get; init; }

    [Description("Only the direct subfolders of this folder (id or path); 0 for the top level")]
    public ParentFolderArgument? ParentId { get; init; }

    [Description("Leave out folders that hold no media directly")]
    public bool HideEmpty { get; init; }
}

internal sealed record FolderListResult(IReadOnlyList<FolderResult> Folders, int Total, int UnassignedCount);

internal sealed record FolderCreateInput
{
    [StringLength(FolderNames.MaxLength, MinimumLength = 1)]
    public required string Name { get; init; }

    [Description("The parent folder (id or path); omit or 0 for the top level")]
    public ParentFolderArgument? ParentId { get; init; }
}

internal sealed record FolderUpdateInput
{
    [Description("The folder to change (id or path)")]
    public required FolderArgument FolderId { get; init; }

    [StringLength(FolderNames.MaxLength, MinimumLength = 1), Description("The new name")]
    public string? Name { get; init; }

    [Description("The new parent (id or path); 0 or '/' for the top level")]
    public ParentFolderArgument? ParentId { get; init; }
}

internal sealed record FolderDeleteInput
{
    [Description("The folder to delete (id or path)")]
    public required FolderArgument FolderId { get; init; }

    [Description("Delete even when not empty")]
    public bool Force { get; init; }
}

internal sealed record FolderDeleteResult(bool Deleted, IReadOnlyList<long> FolderIds, int UnassignedMedia, int DeletedRules);

internal sealed record FolderAddInput
{
    [Description("The target folder (id or path)")]
    public required FolderArgument FolderId { get; init; }

    [MinLength(1), MaxLength(IdLists.Max), Description("Media (attachment) ids")]
    public required IReadOnlyList<PositiveId> AttachmentIds { get; init; }
}

internal sealed record FolderRemoveInput
{
    [Description("The folder (id or path)")]
    public required FolderArgument FolderId { get; init; }

    [MinLength(1), MaxLength(IdLists.Max), Description("Media (attachment) ids")]
    public required IReadOnlyList<PositiveId> AttachmentIds { get; init; }
}

internal sealed record FolderItemsResult(long FolderId, string FolderPath, int Changed, IReadOnlyList<FolderItemResult> Results);

internal sealed record FolderItemResult
{
    public required long Id { get; init; }

    [AllowedValues("moved", "removed", "unchanged", "not_in_folder", "not_found")]
    public required string Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FromFolderId { get; init; }
}

internal sealed record FolderSuggestionsInput
{
    [Range(1, long.MaxValue)]
    public required long MediaId { get; init; }

    [Range(1, 20), Description("Default 5")]
    public int Limit { get; set; } = 5;
}

internal sealed record FolderSuggestionsResult(long MediaId, string Filename, long? CurrentFolderId, IReadOnlyList<FolderSuggestionResult> Suggestions, string Scoring);

internal sealed record FolderSuggestionResult(long FolderId, string Path, int Score, IReadOnlyList<string> Reasons, bool IsCurrent);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(FolderListInput))]
[JsonSerializable(typeof(FolderListResult))]
[JsonSerializable(typeof(FolderCreateInput))]
[JsonSerializable(typeof(FolderUpdateInput))]
[JsonSerializable(typeof(FolderResult))]
[JsonSerializable(typeof(FolderDeleteInput))]
[JsonSerializable(typeof(FolderDeleteResult))]
[JsonSerializable(typeof(FolderAddInput))]
[JsonSerializable(typeof(FolderRemoveInput))]
[JsonSerializable(typeof(FolderItemsResult))]
[JsonSerializable(typeof(FolderSuggestionsInput))]
[JsonSerializable(typeof(FolderSuggestionsResult))]
internal sealed partial class FolderJson : JsonSerializerContext;
