using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Media.Scans;

namespace PressMcp.Media.Abilities;

/// <summary>Schema fragments and the wire shape of a scan, shared by the cleanup and organizer abilities.</summary>
internal static class ScanSchemas
{
    public static string Schema(string required, params string[] properties) =>
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"wpcom_site\"" + required + "],\"properties\":{"
        + string.Join(",", [AbilityInput.SiteProperty, .. properties]) + "}}";

    public const string ScanId = "\"scan_id\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"The scan; omit for the latest of this kind\"}";
    public const string RequiredScanId = "\"scan_id\":{\"type\":\"integer\",\"minimum\":1}";

    public const int DefaultPerPage = 20;

    /// <summary>The bounds every paged list shares (<see cref="Content.Search.Paging"/>).</summary>
    public static readonly string Paging = Content.Search.Paging.Schema(DefaultPerPage);

    public const string ScanProperties = """
        "id":{"type":"integer"},"kind":{"type":"string"},"status":{"type":"string","enum":["queued","running","completed","cancelled","failed","interrupted"]},
        "options":{"type":"object"},"progress":{"type":"object","required":["processed","total"],"properties":{"processed":{"type":"integer"},"total":{"type":"integer"}}},
        "counts":{"type":"object"},"result_count":{"type":"integer"},"started_by":{"type":["integer","null"]},
        "created_at":{"type":"string"},"started_at":{"type":["string","null"]},"finished_at":{"type":["string","null"]},"heartbeat_at":{"type":["string","null"]},
        "error":{"type":["string","null"]}
        """;

    public const string ScanRequired = "\"id\",\"kind\",\"status\",\"options\",\"progress\",\"counts\",\"result_count\",\"created_at\"";

    public static readonly string ScanOutput = "{\"type\":\"object\",\"required\":[" + ScanRequired + "],\"properties\":{" + ScanProperties + "}}";

    public const string ResultItem = """
        {"type":"object","required":["result_id","attachment_id","reason","detail","applied"],"properties":{"result_id":{"type":"integer"},"attachment_id":{"type":"integer"},
          "reason":{"type":"string"},"proposed_folder_id":{"type":["integer","null"]},"detail":{"type":"object"},"applied":{"type":"boolean"}}}
        """;

    public static JsonObject Json(MediaScan s) => new()
    {
        ["id"] = s.Id,
        ["kind"] = s.Kind,
        ["status"] = s.Status,
        ["options"] = JsonNode.Parse(s.Options),
        ["progress"] = new JsonObject { ["processed"] = s.Processed, ["total"] = s.Total },
        ["counts"] = JsonNode.Parse(s.Counts),
        ["result_count"] = s.ResultCount,
        ["started_by"] = s.StartedBy,
        ["created_at"] = Time(s.CreatedUtc),
        ["started_at"] = Time(s.StartedUtc),
        ["finished_at"] = Time(s.FinishedUtc),
        ["heartbeat_at"] = Time(s.HeartbeatUtc),
        ["error"] = s.Error,
    };

    public static JsonObject Json(MediaScanResult r) => new()
    {
        ["result_id"] = r.Id,
        ["attachment_id"] = r.AttachmentId,
        ["reason"] = r.Reason,
        ["proposed_folder_id"] = r.ProposedFolderId,
        ["detail"] = JsonNode.Parse(r.Detail),
        ["applied"] = r.Applied,
    };

    public static Outcome<JsonElement> Ok(JsonNode node) => Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(node));

    private static string? Time(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static ScanStore Store(AbilityCall call) => call.Services.GetRequiredService<ScanStore>();

    public static async Task<Outcome<JsonElement>> StatusAsync(AbilityCall call, string kind, CancellationToken ct)
    {
        var found = await Store(call).GetAsync(call.Site!.Id, kind, call.Input.Integer("scan_id"), ct);
        return found.Succeeded ? Ok(Json(found.Value!)) : found.Problem!;
    }

    public static async Task<Outcome<JsonElement>> CancelAsync(AbilityCall call, string kind, CancellationToken ct)
    {
        var cancelled = await Store(call).CancelAsync(call.Site!.Id, kind, call.Input.Integer("scan_id")!.Value, ct);
        if (!cancelled.Succeeded) return cancelled.Problem!;
        call.Services.GetRequiredService<ScanRunner>().Signal(cancelled.Value!.Id);
        return Ok(Json(cancelled.Value!));
    }

    public static async Task<Outcome<JsonElement>> StartAsync(AbilityCall call, string kind, string optionsJson, CancellationToken ct)
    {
        var created = await Store(call).CreateAsync(call.Site!.Id, kind, optionsJson, call.Caller.UserId, call.CallId, ct);
        if (!created.Succeeded) return created.Problem!;
        call.Services.GetRequiredService<ScanRunner>().Enqueue(created.Value!.Id);
        return Ok(Json(created.Value!));
    }
}
