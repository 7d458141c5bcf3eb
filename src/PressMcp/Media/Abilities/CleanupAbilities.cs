using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Media.Cleanup;
using PressMcp.Media.Scans;

namespace PressMcp.Media.Abilities;

/// <summary>
/// The <c>vmfo-cleanup/*</c> abilities: background scans for unused, duplicate and oversized media, library statistics,
/// and the actions on what a scan found. Starting and cancelling scans, trashing and deleting need <c>manage_options</c>;
/// archiving needs <c>manage_categories</c> (it only moves media into a folder); reading status, results and statistics
/// needs <c>upload_files</c>.
/// </summary>
internal sealed class CleanupAbilities : IAbilitySource
{
    public const string Start = "vmfo-cleanup/start-scan";
    public const string Status = "vmfo-cleanup/get-scan-status";
    public const string Cancel = "vmfo-cleanup/cancel-scan";
    public const string Stats = "vmfo-cleanup/get-stats";
    public const string Results = "vmfo-cleanup/list-results";
    public const string Archive = "vmfo-cleanup/archive";
    public const string Trash = "vmfo-cleanup/trash";
    public const string Delete = "vmfo-cleanup/delete";

    private const string Category = "media";

    private const string Targets = """
        "attachment_ids":{"type":"array","minItems":1,"maxItems":500,"items":{"type":"integer","minimum":1},"description":"Media (attachment) ids"},
        "result_ids":{"type":"array","minItems":1,"maxItems":500,"items":{"type":"integer","minimum":1},"description":"Scan result ids (result_id in list-results)"}
        """;

    private const string ActionOutput = """
        {"type":"object","required":["results","changed"],"properties":{"folder_id":{"type":"integer"},"folder_path":{"type":"string"},"changed":{"type":"integer"},
          "results":{"type":"array","items":{"type":"object","required":["id","status"],"properties":{"id":{"type":"integer"},
            "status":{"type":"string","enum":["archived","trashed","deleted","unchanged","not_found"]},"message":{"type":"string"}}}}}}
        """;

    private static readonly string StatsOutput = """
        {"type":"object","required":["count","bytes","by_type","unassigned","trashed","last_scan"],"properties":{"count":{"type":"integer"},"bytes":{"type":"integer"},
          "by_type":{"type":"array","items":{"type":"object","required":["type","count","bytes"],"properties":{"type":{"type":"string"},"count":{"type":"integer"},"bytes":{"type":"integer"}}}},
          "unassigned":{"type":"integer"},"trashed":{"type":"integer"},"last_scan":{"anyOf":[{"type":"null"},
        """ + ScanSchemas.ScanOutput + "]}}}";

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Start, "Start a media cleanup scan",
            "Starts a background scan of the media library for unused items (not attached to a post, not a featured image, not referenced in any post's content), " +
            "duplicates (the same bytes as an older item, flagged with duplicate_of) and oversized items (above max_bytes, or wider or taller than max_pixels). " +
            "Answers at once with the queued scan; follow it with get-scan-status and read the findings with list-results.", Category,
            ScanSchemas.Schema("",
                "\"types\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":3,\"items\":{\"type\":\"string\",\"enum\":[\"unused\",\"duplicate\",\"oversized\"]},\"description\":\"Default: all three\"}",
                "\"max_bytes\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"Oversized above this many bytes; default 2097152 (2 MB)\"}",
                "\"max_pixels\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100000,\"description\":\"Oversized when wider or taller than this; default 2560 (WordPress's big image threshold)\"}"),
            ScanSchemas.ScanOutput, AbilityAnnotations.Write, [MediaSchemas.WriteScope], Caps.ManageOptions, siteScoped: true, StartAsync),
        new Ability(Status, "Media cleanup scan status",
            "The state of a cleanup scan (the latest when scan_id is omitted): status, progress, counts by reason. A scan whose server stopped while it ran is reported as interrupted.", Category,
            ScanSchemas.Schema("", ScanSchemas.ScanId), ScanSchemas.ScanOutput, AbilityAnnotations.Read, [MediaSchemas.ReadScope], Caps.UploadFiles, siteScoped: true,
            (call, ct) => ScanSchemas.StatusAsync(call, ScanKinds.Cleanup, ct)),
        new Ability(Cancel, "Cancel a media cleanup scan", "Cancels a queued or running cleanup scan; findings written so far stay readable.", Category,
            ScanSchemas.Schema(",\"scan_id\"", ScanSchemas.RequiredScanId), ScanSchemas.ScanOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.ManageOptions,
            siteScoped: true, (call, ct) => ScanSchemas.CancelAsync(call, ScanKinds.Cleanup, ct)),
        new Ability(Stats, "Media library statistics",
            "Library totals: item count and bytes overall and by type (image, audio, video, document), unassigned and trashed counts, and the latest cleanup scan.", Category,
            ScanSchemas.Schema(""), StatsOutput, AbilityAnnotations.Read, [MediaSchemas.ReadScope], Caps.UploadFiles, siteScoped: true, StatsAsync),
        new Ability(Results, "List media cleanup findings", "A page of a cleanup scan's findings (the latest scan when scan_id is omitted), optionally of one reason, in media id order.", Category,
            ScanSchemas.Schema("", ScanSchemas.ScanId,
                "\"reason\":{\"type\":\"string\",\"enum\":[\"unused\",\"duplicate\",\"oversized\"]}", ScanSchemas.Paging),
            """{"type":"object","required":["scan_id","status","total","page","per_page","results"],"properties":{"scan_id":{"type":"integer"},"status":{"type":"string"},"total":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"},"results":{"type":"array","items":"""
            + ScanSchemas.ResultItem + "}}}",
            AbilityAnnotations.Read, [MediaSchemas.ReadScope], Caps.UploadFiles, siteScoped: true, ResultsAsync),
        new Ability(Archive, "Archive media", "Moves media (by attachment id or scan result id) into the top-level 'Archive' folder, creating it when missing. Nothing is deleted.", Category,
            ScanSchemas.Schema("", Targets), ActionOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.ManageCategories, siteScoped: true, ArchiveAsync),
        new Ability(Trash, "Trash media", "Moves media (by attachment id or scan result id) to the trash: no longer served, restorable.", Category,
            ScanSchemas.Schema("", Targets), ActionOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.ManageOptions, siteScoped: true, TrashAsync),
        new Ability(Delete, "Delete media permanently",
            "Deletes media (by attachment id or scan result id) for good: the attachment, its media record, its meta, every featured-image reference to it, its folder membership, " +
            "its scan findings, and the file on disk. The file cannot be restored.", Category,
            ScanSchemas.Schema("", Targets), ActionOutput, MediaSchemas.Destructive, [MediaSchemas.WriteScope], Caps.ManageOptions, siteScoped: true, DeleteAsync),
    ];

    private static CleanupActions Actions(AbilityCall call) => call.Services.GetRequiredService<CleanupActions>();

    private static Task<Outcome<JsonElement>> StartAsync(AbilityCall call, CancellationToken ct)
    {
        var types = call.Input.TryGetProperty("types", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).Distinct().ToList() : [.. CleanupReasons.All];
        var options = new CleanupScanOptions(types, call.Input.Integer("max_bytes") ?? CleanupScanOptions.DefaultMaxBytes,
            (int)(call.Input.Integer("max_pixels") ?? CleanupScanOptions.DefaultMaxPixels));
        return ScanSchemas.StartAsync(call, ScanKinds.Cleanup, options.ToJson(), ct);
    }

    private static async Task<Outcome<JsonElement>> StatsAsync(AbilityCall call, CancellationToken ct)
    {
        var stats = await Actions(call).StatsAsync(call.Site!.Id, ct);
        var last = await ScanSchemas.Store(call).GetAsync(call.Site!.Id, ScanKinds.Cleanup, null, ct);
        return ScanSchemas.Ok(new JsonObject
        {
            ["count"] = stats.Count,
            ["bytes"] = stats.Bytes,
            ["by_type"] = new JsonArray([.. stats.ByKind.Select(k => (JsonNode)new JsonObject { ["type"] = k.Kind, ["count"] = k.Count, ["bytes"] = k.Bytes })]),
            ["unassigned"] = stats.Unassigned,
            ["trashed"] = stats.Trashed,
            ["last_scan"] = last.Succeeded ? ScanSchemas.Json(last.Value!) : null,
        });
    }

    private static async Task<Outcome<JsonElement>> ResultsAsync(AbilityCall call, CancellationToken ct)
    {
        var paging = Content.Search.Paging.From(call.Input, ScanSchemas.DefaultPerPage);
        if (!paging.Succeeded) return paging.Problem!;
        var (page, perPage) = paging.Value;
        var scan = await ScanSchemas.Store(call).GetAsync(call.Site!.Id, ScanKinds.Cleanup, call.Input.Integer("scan_id"), ct);
        if (!scan.Succeeded) return scan.Problem!;
        var (total, rows) = await ScanSchemas.Store(call).ResultsAsync(scan.Value!.Id, call.Input.Text("reason"), page, perPage, ct);
        return ScanSchemas.Ok(new JsonObject
        {
            ["scan_id"] = scan.Value.Id,
            ["status"] = scan.Value.Status,
            ["total"] = total,
            ["page"] = page,
            ["per_page"] = perPage,
            ["results"] = new JsonArray([.. rows.Select(r => (JsonNode)ScanSchemas.Json(r))]),
        });
    }

    private static Task<Outcome<JsonElement>> ArchiveAsync(AbilityCall call, CancellationToken ct) =>
        ActAsync(call, async (actions, ids, output) =>
        {
            var folder = await actions.ArchiveFolderAsync(call.Site!.Id, MediaChanges.For(call), ct);
            if (!folder.Succeeded) return (null, folder.Problem);
            output["folder_id"] = folder.Value!.Id;
            output["folder_path"] = folder.Value.Name;
            return (await actions.ArchiveAsync(call.Site!.Id, folder.Value.Id, ids, MediaChanges.For(call), ct), null);
        }, ct);

    private static Task<Outcome<JsonElement>> TrashAsync(AbilityCall call, CancellationToken ct) =>
        ActAsync(call, async (actions, ids, _) => (await actions.TrashAsync(call.Site!.Id, ids, MediaChanges.For(call), ct), null), ct);

    private static Task<Outcome<JsonElement>> DeleteAsync(AbilityCall call, CancellationToken ct) =>
        ActAsync(call, async (actions, ids, _) => (await actions.DeleteAsync(call.Site!.Id, ids, MediaChanges.For(call), ct), null), ct);

    private static async Task<Outcome<JsonElement>> ActAsync(AbilityCall call,
        Func<CleanupActions, IReadOnlyList<long>, JsonObject, Task<(List<CleanupItemResult>?, Problem?)>> act, CancellationToken ct)
    {
        var attachmentIds = Ids(call.Input, "attachment_ids");
        var resultIds = Ids(call.Input, "result_ids");
        if (attachmentIds.Count == 0 && resultIds.Count == 0) return Problem.Invalid("give attachment_ids, result_ids, or both");
        var (ids, unknown) = await Actions(call).ResolveAsync(call.Site!.Id, attachmentIds, resultIds, ct);
        var output = new JsonObject();
        var items = new List<CleanupItemResult>(unknown);
        if (ids.Count > 0)
        {
            var (done, problem) = await act(Actions(call), ids, output);
            if (problem is not null) return problem;
            items.AddRange(done!);
        }
        output["changed"] = items.Count(r => r.Status is "archived" or "trashed" or "deleted");
        output["results"] = new JsonArray([.. items.Select(r =>
        {
            var o = new JsonObject { ["id"] = r.Id, ["status"] = r.Status };
            if (r.Message is not null) o["message"] = r.Message;
            return (JsonNode)o;
        })]);
        return ScanSchemas.Ok(output);
    }

    private static List<long> Ids(JsonElement input, string name) =>
        input.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(e => e.GetInt64()).Distinct().ToList() : [];
}
