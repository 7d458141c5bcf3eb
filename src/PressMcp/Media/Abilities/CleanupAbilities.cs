using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Media.Cleanup;
using PressMcp.Media.Scans;
using PressMcp.Sites;

namespace PressMcp.Media.Abilities;

/// <summary>
/// The <c>vmfo-cleanup/*</c> abilities: background scans for unused, duplicate and oversized media, library statistics,
/// and the actions on what a scan found. Starting and cancelling scans, trashing and deleting need <c>manage_options</c>;
/// archiving needs <c>manage_categories</c> (it only moves media into a folder); reading status, results and statistics
/// needs <c>upload_files</c>.
/// </summary>
internal static class CleanupAbilities
{
    public const string Start = "vmfo-cleanup/start-scan";
    public const string Status = "vmfo-cleanup/get-scan-status";
    public const string Cancel = "vmfo-cleanup/cancel-scan";
    public const string Stats = "vmfo-cleanup/get-stats";
    public const string Results = "vmfo-cleanup/list-results";
    public const string Archive = "vmfo-cleanup/archive";
    public const string Trash = "vmfo-cleanup/trash";
    public const string Delete = "vmfo-cleanup/delete";
}

internal sealed class CleanupStartAbility(ScanStore store, ScanRunner runner) : Ability<CleanupStartInput, ScanResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CleanupAbilities.Start, "Start a media cleanup scan",
        "Starts a background scan of the media library for unused items (not attached to a post, not a featured image, not referenced in any post's content), " +
        "duplicates (the same bytes as an older item, flagged with duplicate_of) and oversized items (above max_bytes, or wider or taller than max_pixels). " +
        "Answers at once with the queued scan; follow it with get-scan-status and read the findings with list-results.",
        MediaAbilities.CleanupCategory, AbilityAnnotations.Write, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, CleanupJson.Default.CleanupStartInput, CleanupJson.Default.ScanResult);

    protected override Task<Outcome<ScanResult>> ExecuteAsync(CleanupStartInput input, AbilityCall call, CancellationToken ct)
    {
        var types = input.Types is { } given ? given.Select(t => t.Value).Distinct().ToList() : [.. CleanupReasons.All];
        var options = new CleanupScanOptions(types, input.MaxBytes ?? CleanupScanOptions.DefaultMaxBytes, input.MaxPixels ?? CleanupScanOptions.DefaultMaxPixels);
        return ScanCalls.StartAsync(store, runner, call, ScanKinds.Cleanup, options.ToJson(), ct);
    }
}

internal sealed class CleanupStatusAbility(ScanStore store) : Ability<ScanIdInput, ScanResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CleanupAbilities.Status, "Media cleanup scan status",
        "The state of a cleanup scan (the latest when scan_id is omitted): status, progress, counts by reason. A scan whose server stopped while it ran is reported as interrupted.",
        MediaAbilities.CleanupCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, CleanupJson.Default.ScanIdInput, CleanupJson.Default.ScanResult);

    protected override async Task<Outcome<ScanResult>> ExecuteAsync(ScanIdInput input, AbilityCall call, CancellationToken ct)
    {
        var found = await store.GetAsync(call.Site!.Id, ScanKinds.Cleanup, input.ScanId, ct);
        return found.Succeeded ? new ScanResult(found.Value!) : found.Problem!;
    }
}

internal sealed class CleanupCancelAbility(ScanStore store, ScanRunner runner) : ScanCancelAbility(store, runner, ScanKinds.Cleanup), IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CleanupAbilities.Cancel, "Cancel a media cleanup scan", "Cancels a queued or running cleanup scan; findings written so far stay readable.",
        MediaAbilities.CleanupCategory, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, CleanupJson.Default.ScanIdInput, CleanupJson.Default.ScanCancelResult);
}

internal sealed class CleanupStatsAbility(CleanupActions actions, ScanStore store) : Ability<NoInput, LibraryStatsResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CleanupAbilities.Stats, "Media library statistics",
        "Library totals: item count and bytes overall and by type (image, audio, video, document), unassigned and trashed counts, and the latest cleanup scan.",
        MediaAbilities.CleanupCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, AbilityJson.Default.NoInput, CleanupJson.Default.LibraryStatsResult);

    protected override async Task<Outcome<LibraryStatsResult>> ExecuteAsync(NoInput input, AbilityCall call, CancellationToken ct)
    {
        var stats = await actions.StatsAsync(call.Site!.Id, ct);
        var last = await store.GetAsync(call.Site!.Id, ScanKinds.Cleanup, null, ct);
        return new LibraryStatsResult(stats.Count, stats.Bytes, [.. stats.ByKind.Select(k => new KindTotalsResult(k.Kind, k.Count, k.Bytes))],
            stats.Unassigned, stats.Trashed, last.Succeeded ? new ScanResult(last.Value!) : null);
    }
}

internal sealed class CleanupResultsAbility(ScanStore store, SiteUrls urls) : Ability<CleanupResultsInput, CleanupResultsResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CleanupAbilities.Results, "List media cleanup findings",
        "A page of a cleanup scan's findings (the latest scan when scan_id is omitted), in media id order. type narrows them: unused, duplicate or oversized " +
        "(one reason), flagged (every finding), trash (findings whose media item is in the trash); reason is the older name for the first three.",
        MediaAbilities.CleanupCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, CleanupJson.Default.CleanupResultsInput, CleanupJson.Default.CleanupResultsResult);

    protected override async Task<Outcome<CleanupResultsResult>> ExecuteAsync(CleanupResultsInput input, AbilityCall call, CancellationToken ct)
    {
        if (input.Type is { } type && input.Reason is { } reason && type != reason)
            return Problem.Invalid($"type '{type}' and reason '{reason}' disagree; give one of them");
        var site = call.Site!;
        var scan = await store.GetAsync(site.Id, ScanKinds.Cleanup, input.ScanId, ct);
        if (!scan.Succeeded) return scan.Problem!;
        var filter = input.Type ?? input.Reason;
        var onlyReason = filter is CleanupReasons.Unused or CleanupReasons.Duplicate or CleanupReasons.Oversized ? filter : null;
        var (total, rows) = await store.ResultsAsync(scan.Value!.Id, onlyReason, trashedOnly: filter == CleanupResultsInput.Trash, input.Page, input.PerPage, ct);
        var media = await store.MediaOfAsync(site.Id, [.. rows.Select(r => r.AttachmentId).Distinct()], ct);
        var siteBase = urls.BaseOf(site);
        var items = rows.Select(r =>
        {
            var found = media.TryGetValue(r.AttachmentId, out var m);
            var url = !found ? null : m.StoragePath is { } path ? MediaFileServer.UrlOf(siteBase, path) : m.SourceUrl;
            return new CleanupResultItem(r.AttachmentId, found ? m.Title : "", url, r.Reason, found ? m.SizeBytes : 0, r.Id, r.AttachmentId, new StoredObject(r.Detail), r.Applied);
        }).ToList();
        var pages = (total + input.PerPage - 1) / input.PerPage;
        return new CleanupResultsResult(scan.Value.Id, scan.Value.Status, total, input.Page, input.PerPage, pages, items);
    }
}

/// <summary>Archiving, trashing and deleting: the targets resolved to media ids, the action, a result per id.</summary>
internal abstract class CleanupActionAbility(CleanupActions actions) : Ability<CleanupTargetsInput, CleanupActionResult>
{
    protected override async Task<Outcome<CleanupActionResult>> ExecuteAsync(CleanupTargetsInput input, AbilityCall call, CancellationToken ct)
    {
        var attachmentIds = IdLists.Distinct(input.AttachmentIds);
        var resultIds = IdLists.Distinct(input.ResultIds);
        if (attachmentIds.Count == 0 && resultIds.Count == 0) return Problem.Invalid("give attachment_ids, result_ids, or both");
        var (ids, unknown) = await actions.ResolveAsync(call.Site!.Id, attachmentIds, resultIds, ct);
        var items = new List<CleanupItemResult>(unknown);
        MediaFolder? folder = null;
        if (ids.Count > 0)
        {
            var (done, into, problem) = await ActAsync(actions, call, ids, ct);
            if (problem is not null) return problem;
            folder = into;
            items.AddRange(done!);
        }
        return new CleanupActionResult
        {
            FolderId = folder?.Id,
            FolderPath = folder?.Name,
            Changed = items.Count(r => r.Status is "archived" or "trashed" or "deleted"),
            Results = [.. items.Select(r => new CleanupActionItem { Id = r.Id, Status = r.Status, Message = r.Message })],
        };
    }

    /// <summary>The action on media that exist: a result per id, and the folder they went to (archiving), or why nothing was done.</summary>
    protected abstract Task<(List<CleanupItemResult>? Done, MediaFolder? Folder, Problem? Problem)> ActAsync(CleanupActions actions, AbilityCall call, IReadOnlyList<long> ids, CancellationToken ct);
}

internal sealed class CleanupArchiveAbility(CleanupActions actions) : CleanupActionAbility(actions), IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CleanupAbilities.Archive, "Archive media",
        "Moves media (by attachment id or scan result id) into the top-level 'Archive' folder, creating it when missing. Nothing is deleted.",
        MediaAbilities.CleanupCategory, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.ManageCategories, SiteScoped: true, CleanupJson.Default.CleanupTargetsInput, CleanupJson.Default.CleanupActionResult);

    protected override async Task<(List<CleanupItemResult>? Done, MediaFolder? Folder, Problem? Problem)> ActAsync(CleanupActions actions, AbilityCall call, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var folder = await actions.ArchiveFolderAsync(call.Site!.Id, MediaChanges.For(call), ct);
        if (!folder.Succeeded) return (null, null, folder.Problem);
        return (await actions.ArchiveAsync(call.Site!.Id, folder.Value!.Id, ids, MediaChanges.For(call), ct), folder.Value, null);
    }
}

internal sealed class CleanupTrashAbility(CleanupActions actions) : CleanupActionAbility(actions), IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CleanupAbilities.Trash, "Trash media", "Moves media (by attachment id or scan result id) to the trash: no longer served, restorable.",
        MediaAbilities.CleanupCategory, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, CleanupJson.Default.CleanupTargetsInput, CleanupJson.Default.CleanupActionResult);

    protected override async Task<(List<CleanupItemResult>? Done, MediaFolder? Folder, Problem? Problem)> ActAsync(CleanupActions actions, AbilityCall call, IReadOnlyList<long> ids, CancellationToken ct) =>
        (await actions.TrashAsync(call.Site!.Id, ids, MediaChanges.For(call), ct), null, null);
}

internal sealed class CleanupDeleteAbility(CleanupActions actions) : CleanupActionAbility(actions), IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(CleanupAbilities.Delete, "Delete media permanently",
        "Deletes media (by attachment id or scan result id) for good: the attachment, its media record, its meta, every featured-image reference to it, its folder membership, " +
        "its scan findings, and the file on disk. The file cannot be restored.",
        MediaAbilities.CleanupCategory, MediaAbilities.Destructive, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, CleanupJson.Default.CleanupTargetsInput, CleanupJson.Default.CleanupActionResult);

    protected override async Task<(List<CleanupItemResult>? Done, MediaFolder? Folder, Problem? Problem)> ActAsync(CleanupActions actions, AbilityCall call, IReadOnlyList<long> ids, CancellationToken ct) =>
        (await actions.DeleteAsync(call.Site!.Id, ids, MediaChanges.For(call), ct), null, null);
}

/// <summary>A cleanup reason, as the start input lists them: a type of its own so the list's schema bounds each item.</summary>
[JsonConverter(typeof(CleanupReasonConverter))]
[JsonSchemaText("""{"type":"string","enum":["unused","duplicate","oversized"]}""")]
internal readonly record struct CleanupReason(string Value);

internal sealed class CleanupReasonConverter : JsonConverter<CleanupReason>
{
    public override CleanupReason Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? new CleanupReason(reader.GetString()!) : throw new JsonException("a cleanup reason is a string");

    public override void Write(Utf8JsonWriter writer, CleanupReason value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed record CleanupStartInput
{
    [MinLength(1), MaxLength(3), Description("Default: all three")]
    public IReadOnlyList<CleanupReason>? Types { get; init; }

    [Range(1, long.MaxValue), Description("Oversized above this many bytes; default 2097152 (2 MB)")]
    public long? MaxBytes { get; init; }

    [Range(1, 100_000), Description("Oversized when wider or taller than this; default 2560 (WordPress's big image threshold)")]
    public int? MaxPixels { get; init; }
}

internal sealed record CleanupResultsInput : ScanPageInput
{
    /// <summary>Every finding of the scan: each is something the scan flagged.</summary>
    public const string Flagged = "flagged";
    /// <summary>Findings whose media item is in the trash.</summary>
    public const string Trash = "trash";

    [AllowedValues(CleanupReasons.Unused, CleanupReasons.Duplicate, CleanupReasons.Oversized, Flagged, Trash),
     Description("unused, duplicate or oversized: that reason; flagged: every finding; trash: findings whose media item is in the trash")]
    public string? Type { get; init; }

    [AllowedValues(CleanupReasons.Unused, CleanupReasons.Duplicate, CleanupReasons.Oversized), Description("The older name of type, for one reason")]
    public string? Reason { get; init; }
}

internal sealed record CleanupTargetsInput
{
    [MinLength(1), MaxLength(IdLists.Max), Description("Media (attachment) ids")]
    public IReadOnlyList<PositiveId>? AttachmentIds { get; init; }

    [MinLength(1), MaxLength(IdLists.Max), Description("Scan result ids (result_id in list-results)")]
    public IReadOnlyList<PositiveId>? ResultIds { get; init; }
}

internal sealed record LibraryStatsResult(long Count, long Bytes, IReadOnlyList<KindTotalsResult> ByType, int Unassigned, int Trashed, ScanResult? LastScan);

internal sealed record KindTotalsResult(string Type, int Count, long Bytes);

/// <summary>A page of findings, with the plugin's paging fields (<c>items</c>, <c>total</c>, <c>total_pages</c>).</summary>
internal sealed record CleanupResultsResult(long ScanId, string Status, int Total, int Page, int PerPage, int TotalPages, IReadOnlyList<CleanupResultItem> Items);

/// <summary>
/// One finding as the plugin lists it (<c>id</c> of the media item, <c>title</c>, <c>url</c>, <c>type</c>,
/// <c>file_size</c>), with what PressMcp adds: the finding's own id for the actions, and what it rests on.
/// </summary>
internal sealed record CleanupResultItem(long Id, string Title, string? Url, string Type, long FileSize, long ResultId, long AttachmentId, StoredObject Detail, bool Applied);

/// <summary>What an action did: a result per id, and where archived media went.</summary>
internal sealed record CleanupActionResult
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FolderId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FolderPath { get; init; }

    public required int Changed { get; init; }
    public required IReadOnlyList<CleanupActionItem> Results { get; init; }
}

internal sealed record CleanupActionItem
{
    public required long Id { get; init; }

    [AllowedValues("archived", "trashed", "deleted", "unchanged", "not_found")]
    public required string Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CleanupStartInput))]
[JsonSerializable(typeof(ScanIdInput))]
[JsonSerializable(typeof(ScanCancelResult))]
[JsonSerializable(typeof(ScanResult))]
[JsonSerializable(typeof(LibraryStatsResult))]
[JsonSerializable(typeof(CleanupResultsInput))]
[JsonSerializable(typeof(CleanupResultsResult))]
[JsonSerializable(typeof(CleanupTargetsInput))]
[JsonSerializable(typeof(CleanupActionResult))]
internal sealed partial class CleanupJson : JsonSerializerContext;
