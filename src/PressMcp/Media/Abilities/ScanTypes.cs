using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Content.Search;
using PressMcp.Media.Scans;

namespace PressMcp.Media.Abilities;

/// <summary>Starting, reading and cancelling a background scan: the same for the cleanup and organizer abilities.</summary>
internal static class ScanCalls
{
    public const int DefaultPerPage = 20;

    public static async Task<Outcome<ScanResult>> StartAsync(ScanStore store, ScanRunner runner, AbilityCall call, string kind, string optionsJson, CancellationToken ct)
    {
        var created = await store.CreateAsync(call.Site!.Id, kind, optionsJson, call.Caller.UserId, call.CallId, ct);
        if (!created.Succeeded) return created.Problem!;
        runner.Enqueue(created.Value!.Id);
        return new ScanResult(created.Value!);
    }
}

/// <summary>
/// Cancels a queued or running scan of one kind and wakes its runner, so it stops at once. Without <c>scan_id</c> it
/// cancels the site's running (or queued) scan, and answers <c>cancelled: false</c> when there is none.
/// </summary>
internal abstract class ScanCancelAbility(ScanStore store, ScanRunner runner, string kind) : Ability<ScanIdInput, ScanCancelResult>
{
    protected override async Task<Outcome<ScanCancelResult>> ExecuteAsync(ScanIdInput input, AbilityCall call, CancellationToken ct)
    {
        var cancelled = await store.CancelAsync(call.Site!.Id, kind, input.ScanId, ct);
        if (!cancelled.Succeeded) return cancelled.Problem!;
        if (cancelled.Value is not { } scan) return new ScanCancelResult { Cancelled = false, Status = ScanCancelResult.Idle };
        runner.Signal(scan.Id);
        return new ScanCancelResult { Cancelled = true, Id = scan.Id, Status = scan.Status, Scan = new ScanResult(scan) };
    }
}

/// <summary>What a cancel did: the plugin's <c>cancelled</c>, and the scan it stopped (none when nothing was running).</summary>
internal sealed record ScanCancelResult
{
    /// <summary>The status reported when no scan was queued or running, as the plugin names a scan-less state.</summary>
    public const string Idle = "idle";

    public required bool Cancelled { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Id { get; init; }

    [AllowedValues(ScanStatuses.Cancelled, Idle)]
    public required string Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ScanResult? Scan { get; init; }
}

internal sealed record ScanIdInput
{
    [Range(1, long.MaxValue), Description("The scan; omit for the latest of this kind (for a cancel: the site's running scan)")]
    public long? ScanId { get; init; }
}

/// <summary>A page of a scan's findings, the latest scan's when <c>scan_id</c> is omitted.</summary>
internal abstract record ScanPageInput : PagedInput
{
    [Range(1, long.MaxValue), Description("The scan; omit for the latest of this kind")]
    public long? ScanId { get; init; }

    [Range(1, Paging.MaxPerPage), Description("Default 20")]
    public override int PerPage { get; set; } = ScanCalls.DefaultPerPage;
}

/// <summary>A scan on the wire: what it is, how far it got, what it counted.</summary>
internal record ScanResult
{
    /// <summary>For the serializer, which reads the required members below.</summary>
    [JsonConstructor]
    public ScanResult()
    {
    }

    [SetsRequiredMembers]
    public ScanResult(MediaScan s)
    {
        Id = s.Id;
        Kind = s.Kind;
        Status = s.Status;
        Options = new StoredObject(s.Options);
        Progress = new ScanProgress(s.Processed, s.Total);
        Counts = new StoredObject(s.Counts);
        ResultCount = s.ResultCount;
        StartedBy = s.StartedBy;
        CreatedAt = Time(s.CreatedUtc)!;
        StartedAt = Time(s.StartedUtc);
        FinishedAt = Time(s.FinishedUtc);
        HeartbeatAt = Time(s.HeartbeatUtc);
        Error = s.Error;
    }

    public required long Id { get; init; }
    public required string Kind { get; init; }

    [AllowedValues(ScanStatuses.Queued, ScanStatuses.Running, ScanStatuses.Completed, ScanStatuses.Cancelled, ScanStatuses.Failed, ScanStatuses.Interrupted)]
    public required string Status { get; init; }

    public required StoredObject Options { get; init; }
    public required ScanProgress Progress { get; init; }
    public required StoredObject Counts { get; init; }
    public required int ResultCount { get; init; }
    public long? StartedBy { get; init; }
    public required string CreatedAt { get; init; }
    public string? StartedAt { get; init; }
    public string? FinishedAt { get; init; }
    public string? HeartbeatAt { get; init; }
    public string? Error { get; init; }

    private static string? Time(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

internal sealed record ScanProgress(int Processed, int Total);

/// <summary>One finding of a scan (a cleanup reason, or an organizer proposal).</summary>
internal sealed record ScanResultItem(long ResultId, long AttachmentId, string Reason, long? ProposedFolderId, StoredObject Detail, bool Applied)
{
    public static ScanResultItem Of(MediaScanResult r) => new(r.Id, r.AttachmentId, r.Reason, r.ProposedFolderId, new StoredObject(r.Detail), r.Applied);
}
