using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Media.Organizer;
using PressMcp.Media.Scans;

namespace PressMcp.Media.Abilities;

/// <summary>
/// The <c>vmfo-ai-organizer/*</c> abilities: a background run proposing a folder for every unassigned media item, and in
/// apply mode moving it there. Starting and cancelling need <c>manage_options</c>; reading a run needs <c>upload_files</c>.
/// </summary>
internal static class OrganizerAbilities
{
    public const string Start = "vmfo-ai-organizer/start-scan";
    public const string Status = "vmfo-ai-organizer/get-scan-status";
    public const string Cancel = "vmfo-ai-organizer/cancel-scan";
}

internal sealed class OrganizerStartAbility(ScanStore store, ScanRunner runner, OrganizerModel model) : Ability<OrganizerStartInput, ScanResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(OrganizerAbilities.Start, "Start the AI media organizer",
        "Starts a background run that proposes a folder for each media item in no folder: from the configured chat model when there is one " +
        "(its answers are accepted only when they name an existing folder), otherwise from the same scoring as vmfo/get-suggestions " +
        "(file name, type, date, alt text and caption against folder names, and the rules). mode analyze only proposes; mode apply also moves " +
        "each item to its proposed folder, unless dry_run is true. Follow it with get-scan-status.",
        MediaAbilities.OrganizerCategory, AbilityAnnotations.Write, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, OrganizerJson.Default.OrganizerStartInput, OrganizerJson.Default.ScanResult);

    protected override Task<Outcome<ScanResult>> ExecuteAsync(OrganizerStartInput input, AbilityCall call, CancellationToken ct)
    {
        var options = new OrganizerScanOptions(input.Mode, input.DryRun, input.MinScore, model.Configured ? "model" : "heuristic");
        return ScanCalls.StartAsync(store, runner, call, ScanKinds.Organizer, options.ToJson(), ct);
    }
}

internal sealed class OrganizerStatusAbility(ScanStore store) : Ability<OrganizerStatusInput, OrganizerStatusResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(OrganizerAbilities.Status, "AI media organizer status",
        "The state of an organizer run (the latest when scan_id is omitted) with a page of its proposals: each item's proposed folder, " +
        "where the proposal came from (model or heuristic), why, and whether it was applied.",
        MediaAbilities.OrganizerCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, OrganizerJson.Default.OrganizerStatusInput, OrganizerJson.Default.OrganizerStatusResult);

    protected override async Task<Outcome<OrganizerStatusResult>> ExecuteAsync(OrganizerStatusInput input, AbilityCall call, CancellationToken ct)
    {
        var found = await store.GetAsync(call.Site!.Id, ScanKinds.Organizer, input.ScanId, ct);
        if (!found.Succeeded) return found.Problem!;
        var (_, rows) = await store.ResultsAsync(found.Value!.Id, null, input.Page, input.PerPage, ct);
        return new OrganizerStatusResult(found.Value!, input.Page, input.PerPage, [.. rows.Select(ScanResultItem.Of)]);
    }
}

internal sealed class OrganizerCancelAbility(ScanStore store, ScanRunner runner) : ScanCancelAbility(store, runner, ScanKinds.Organizer), IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(OrganizerAbilities.Cancel, "Cancel the AI media organizer", "Cancels a queued or running organizer run; moves already made stay (each has its change record).",
        MediaAbilities.OrganizerCategory, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, OrganizerJson.Default.ScanIdInput, OrganizerJson.Default.ScanCancelResult);
}

internal sealed record OrganizerStartInput
{
    [AllowedValues("analyze", "apply"), Description("Default analyze")]
    public string Mode { get; set; } = "analyze";

    [Description("With apply: report what would move, move nothing")]
    public bool DryRun { get; init; }

    [Range(1, 1000), Description("The least heuristic score to propose a folder; default 10")]
    public int MinScore { get; set; } = OrganizerScanOptions.DefaultMinScore;
}

internal sealed record OrganizerStatusInput : ScanPageInput;

/// <summary>An organizer run with a page of its proposals, the run's members first.</summary>
internal sealed record OrganizerStatusResult : ScanResult
{
    /// <summary>For the serializer, which reads the required members below.</summary>
    [JsonConstructor]
    public OrganizerStatusResult()
    {
    }

    [SetsRequiredMembers]
    public OrganizerStatusResult(MediaScan scan, int page, int perPage, IReadOnlyList<ScanResultItem> proposals) : base(scan)
    {
        Page = page;
        PerPage = perPage;
        Proposals = proposals;
    }

    [JsonPropertyOrder(1)] public required int Page { get; init; }
    [JsonPropertyOrder(1)] public required int PerPage { get; init; }
    [JsonPropertyOrder(1)] public required IReadOnlyList<ScanResultItem> Proposals { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(OrganizerStartInput))]
[JsonSerializable(typeof(ScanResult))]
[JsonSerializable(typeof(ScanIdInput))]
[JsonSerializable(typeof(OrganizerStatusInput))]
[JsonSerializable(typeof(OrganizerStatusResult))]
[JsonSerializable(typeof(ScanCancelResult))]
internal sealed partial class OrganizerJson : JsonSerializerContext;
