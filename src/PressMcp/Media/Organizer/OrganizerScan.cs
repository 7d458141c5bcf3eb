using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Media.Scans;

namespace PressMcp.Media.Organizer;

internal static class OrganizerReasons
{
    /// <summary>A folder is proposed (and, in apply mode, the item was moved there).</summary>
    public const string Folder = "folder";
    /// <summary>No folder fits well enough.</summary>
    public const string Unmatched = "unmatched";
}

/// <summary>What an organizer run does: analyze (propose only) or apply (move), and the least heuristic score to act on.</summary>
internal sealed record OrganizerScanOptions(string Mode, bool DryRun, int MinScore, string Engine)
{
    /// <summary>A folder-name word in the file name or title (10) is the least evidence worth moving an item for.</summary>
    public const int DefaultMinScore = 10;

    public bool Moves => Mode == "apply" && !DryRun;

    public string ToJson() => JsonSerializer.Serialize(new { mode = Mode, dry_run = DryRun, min_score = MinScore, engine = Engine });

    public static OrganizerScanOptions From(JsonElement o) =>
        new(o.GetProperty("mode").GetString()!, o.GetProperty("dry_run").GetBoolean(), o.GetProperty("min_score").GetInt32(), o.GetProperty("engine").GetString()!);
}

/// <summary>
/// The AI organizer: a folder for each unassigned item. Without a model the proposal is the best of
/// <see cref="FolderSuggestions"/> (the one scoring rule, shared with <c>vmfo/get-suggestions</c>) when it scores at least
/// <c>min_score</c>. With a model (<see cref="OrganizerModel"/>) its answer wins when it names an existing folder; otherwise
/// the heuristic decides, and the result says why the model's answer was not used. In apply mode (not a dry run) each
/// proposal moves the item, if it is still unassigned, with its change record, in the same transaction as the result.
/// </summary>
internal sealed class OrganizerScan(OrganizerModel model, OrganizerOptions options) : IScanWork
{
    public string Kind => ScanKinds.Organizer;

    public async Task RunAsync(ScanContext context, CancellationToken ct)
    {
        var scan = context.Scan;
        var siteId = scan.SiteId;
        var run = OrganizerScanOptions.From(context.Options);
        var rulesService = context.Services.GetRequiredService<MediaRuleService>();
        var items = await rulesService.FactsAsync(siteId, m => m.FolderId == null, ct);
        var folders = await context.Services.GetRequiredService<MediaFolderService>().TreeAsync(siteId, ct);
        var rules = await rulesService.ListAsync(siteId, ct);
        var paths = folders.ToDictionary(f => f.Id, f => f.Path);
        await context.SetTotalAsync(items.Count, ct);
        var useModel = run.Engine == "model" && model.Configured && folders.Count > 0;

        foreach (var batch in items.Chunk(options.BatchSize))
        {
            Dictionary<long, ModelProposal> answers = [];
            string? failure = null;
            if (useModel) (answers, failure) = await model.AskAsync(batch, folders, ct);
            var ids = batch.Select(i => i.Id).ToList();
            var rows = run.Moves
                ? await context.Db.MediaFiles.Where(m => m.SiteId == siteId && ids.Contains(m.PostId)).ToDictionaryAsync(m => m.PostId, ct)
                : [];
            var results = new List<MediaScanResult>();
            foreach (var item in batch)
            {
                var best = FolderSuggestions.Suggest(item, folders, rules, 1).FirstOrDefault();
                var heuristic = best is not null && best.Score >= run.MinScore ? best : null;
                var answer = answers.GetValueOrDefault(item.Id);
                long? chosen;
                string source;
                if (answer?.FolderId is { } fromModel)
                {
                    chosen = fromModel;
                    source = "model";
                }
                else
                {
                    chosen = heuristic?.FolderId;
                    source = "heuristic";
                }
                var fallback = useModel && source == "heuristic" ? answer?.Rejected ?? failure ?? "the chat model gave no answer for this item" : null;
                var moved = false;
                if (chosen is { } target && run.Moves && rows.TryGetValue(item.Id, out var row) && row.FolderId is null)
                {
                    context.Db.ChangeRecords.Add(new ChangeRecord
                    {
                        CallId = scan.CallId,
                        AtUtc = context.Clock.GetUtcNow().UtcDateTime,
                        UserId = scan.StartedBy ?? 0,
                        SiteId = siteId,
                        ObjectType = MediaChanges.Media,
                        ObjectId = item.Id,
                        Action = "move",
                        Before = JsonSerializer.Serialize(new { folder_id = (long?)null, organizer_scan_id = scan.Id }),
                    });
                    row.FolderId = target;
                    moved = true;
                }
                results.Add(new MediaScanResult
                {
                    AttachmentId = item.Id,
                    Reason = chosen is null ? OrganizerReasons.Unmatched : OrganizerReasons.Folder,
                    ProposedFolderId = chosen,
                    Applied = moved,
                    Detail = JsonSerializer.Serialize(new
                    {
                        file_name = item.FileName,
                        folder_path = chosen is { } c ? paths.GetValueOrDefault(c) : null,
                        source = chosen is null ? null : source,
                        score = source == "heuristic" ? heuristic?.Score : null,
                        reasons = source == "heuristic" ? heuristic?.Reasons : null,
                        model_note = answer?.Why,
                        model_fallback = fallback,
                        best_heuristic = heuristic is null && best is not null ? new { folder_id = best.FolderId, path = best.Path, score = best.Score } : null,
                    }, SkipNulls),
                });
            }
            await context.ReportAsync(batch.Length, results, ct);
        }
    }

    private static readonly JsonSerializerOptions SkipNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}
