using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Media.Organizer;
using PressMcp.Media.Scans;

namespace PressMcp.Media.Abilities;

/// <summary>
/// The <c>vmfo-ai-organizer/*</c> abilities: a background run proposing a folder for every unassigned media item, and in
/// apply mode moving it there. Starting and cancelling need <c>manage_options</c>; reading a run needs <c>upload_files</c>.
/// </summary>
internal sealed class OrganizerAbilities : IAbilitySource
{
    public const string Start = "vmfo-ai-organizer/start-scan";
    public const string Status = "vmfo-ai-organizer/get-scan-status";
    public const string Cancel = "vmfo-ai-organizer/cancel-scan";

    private const string Category = "media";

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Start, "Start the AI media organizer",
            "Starts a background run that proposes a folder for each media item in no folder: from the configured chat model when there is one " +
            "(its answers are accepted only when they name an existing folder), otherwise from the same scoring as vmfo/get-suggestions " +
            "(file name, type, date, alt text and caption against folder names, and the rules). mode analyze only proposes; mode apply also moves " +
            "each item to its proposed folder, unless dry_run is true. Follow it with get-scan-status.", Category,
            ScanSchemas.Schema("",
                "\"mode\":{\"type\":\"string\",\"enum\":[\"analyze\",\"apply\"],\"description\":\"Default analyze\"}",
                "\"dry_run\":{\"type\":\"boolean\",\"description\":\"With apply: report what would move, move nothing\"}",
                "\"min_score\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"description\":\"The least heuristic score to propose a folder; default 10\"}"),
            ScanSchemas.ScanOutput, AbilityAnnotations.Write, [MediaSchemas.WriteScope], Caps.ManageOptions, siteScoped: true, StartAsync),
        new Ability(Status, "AI media organizer status",
            "The state of an organizer run (the latest when scan_id is omitted) with a page of its proposals: each item's proposed folder, " +
            "where the proposal came from (model or heuristic), why, and whether it was applied.", Category,
            ScanSchemas.Schema("", ScanSchemas.ScanId, ScanSchemas.Paging),
            "{\"type\":\"object\",\"required\":[" + ScanSchemas.ScanRequired + ",\"proposals\",\"page\",\"per_page\"],\"properties\":{" + ScanSchemas.ScanProperties
            + ",\"page\":{\"type\":\"integer\"},\"per_page\":{\"type\":\"integer\"},\"proposals\":{\"type\":\"array\",\"items\":" + ScanSchemas.ResultItem + "}}}",
            AbilityAnnotations.Read, [MediaSchemas.ReadScope], Caps.UploadFiles, siteScoped: true, StatusAsync),
        new Ability(Cancel, "Cancel the AI media organizer", "Cancels a queued or running organizer run; moves already made stay (each has its change record).", Category,
            ScanSchemas.Schema(",\"scan_id\"", ScanSchemas.RequiredScanId), ScanSchemas.ScanOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.ManageOptions,
            siteScoped: true, (call, ct) => ScanSchemas.CancelAsync(call, ScanKinds.Organizer, ct)),
    ];

    private static Task<Outcome<JsonElement>> StartAsync(AbilityCall call, CancellationToken ct)
    {
        var model = call.Services.GetRequiredService<OrganizerModel>();
        var options = new OrganizerScanOptions(call.Input.Text("mode") ?? "analyze", call.Input.Flag("dry_run"),
            (int)(call.Input.Integer("min_score") ?? OrganizerScanOptions.DefaultMinScore), model.Configured ? "model" : "heuristic");
        return ScanSchemas.StartAsync(call, ScanKinds.Organizer, options.ToJson(), ct);
    }

    private static async Task<Outcome<JsonElement>> StatusAsync(AbilityCall call, CancellationToken ct)
    {
        var paging = Content.Search.Paging.From(call.Input, ScanSchemas.DefaultPerPage);
        if (!paging.Succeeded) return paging.Problem!;
        var (page, perPage) = paging.Value;
        var store = ScanSchemas.Store(call);
        var found = await store.GetAsync(call.Site!.Id, ScanKinds.Organizer, call.Input.Integer("scan_id"), ct);
        if (!found.Succeeded) return found.Problem!;
        var (_, rows) = await store.ResultsAsync(found.Value!.Id, null, page, perPage, ct);
        var json = ScanSchemas.Json(found.Value!);
        json["page"] = page;
        json["per_page"] = perPage;
        json["proposals"] = new JsonArray([.. rows.Select(r => (JsonNode)ScanSchemas.Json(r))]);
        return ScanSchemas.Ok(json);
    }
}
