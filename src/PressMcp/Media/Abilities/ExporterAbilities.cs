using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Media.Exports;
using PressMcp.Media.Scans;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Media.Abilities;

/// <summary>
/// The <c>vmfo-folder-exporter/*</c> abilities: a folder (with its subfolders, by default) exported as a ZIP archive in
/// the background, its status with a signed download link for the user who started it, the site's recent exports, and
/// deleting one with its archive. All need <c>upload_files</c>, as in the plugin; deleting another user's export also
/// needs <c>manage_options</c>.
/// </summary>
internal static class ExporterAbilities
{
    public const string Start = "vmfo-folder-exporter/start-export";
    public const string Status = "vmfo-folder-exporter/get-export-status";
    public const string List = "vmfo-folder-exporter/list-exports";
    public const string Delete = "vmfo-folder-exporter/delete-export";

    /// <summary>How many exports list-exports shows: the most recent.</summary>
    public const int ListLimit = 100;

    public static IQueryable<MediaScan> Jobs(PressDbContext db, long siteId) =>
        db.MediaScans.AsNoTracking().Where(s => s.SiteId == siteId && s.Kind == ScanKinds.Export);

    public static async Task<Outcome<MediaScan>> FindAsync(PressDbContext db, ScanStore store, long siteId, string jobId, CancellationToken ct)
    {
        // A stale export is reported failed (interrupted) before it is read, as scans are.
        await store.SweepStaleAsync(ct);
        var job = Guid.TryParse(jobId, out var id) ? await Jobs(db, siteId).FirstOrDefaultAsync(s => s.CallId == id, ct) : null;
        return job is null ? Problem.NotFound($"no export with job_id '{jobId}' on this site") : job;
    }
}

internal sealed class ExportStartAbility(PressDbContext db, MediaFolderService folders, ScanStore store, ScanRunner runner, ExportOptions options, ExportJobs jobs)
    : Ability<ExportStartInput, ExportJobResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(ExporterAbilities.Start, "Start a folder export",
        "Starts a background export of a media folder as a ZIP archive: its media under their folder paths, with its subfolders unless include_children is false, " +
        "and a manifest.csv unless include_manifest is false. Answers at once with the pending job; poll get-export-status until status is completed, " +
        "then download the archive from its download_url (valid for the user who started it, for a limited time). An export over the size limits is refused.",
        MediaAbilities.ExporterCategory, AbilityAnnotations.Write, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true,
        ExporterJson.Default.ExportStartInput, ExporterJson.Default.ExportJobResult);

    protected override async Task<Outcome<ExportJobResult>> ExecuteAsync(ExportStartInput input, AbilityCall call, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var folder = await folders.ResolveAsync(siteId, input.FolderId.Folder, ct);
        if (!folder.Succeeded) return folder.Problem!;
        var request = new ExportRequest(folder.Value!.Id, input.IncludeChildren, input.IncludeManifest);
        // Refused now when it is already too large: the caller learns it at once instead of from a failed job.
        var plan = await ExportPlan.BuildAsync(db, folders, siteId, request, ct);
        if (!plan.Succeeded) return plan.Problem!;
        if (plan.Value!.OverLimits(options) is { } over) return Problem.Invalid(over);
        var created = await store.CreateAsync(siteId, ScanKinds.Export, request.ToJson(), call.Caller.UserId, call.CallId, ct);
        if (!created.Succeeded) return created.Problem!;
        runner.Enqueue(created.Value!.Id);
        return jobs.Describe(created.Value!, call);
    }
}

internal sealed class ExportStatusAbility(PressDbContext db, ScanStore store, ExportJobs jobs) : Ability<ExportJobInput, ExportJobResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(ExporterAbilities.Status, "Folder export status",
        "The status of an export job (pending, running, completed, failed) with its progress, and once completed its file_name, file_size and, for the user " +
        "who started it, a download_url that expires at download_expires_at (ask again for a fresh one).",
        MediaAbilities.ExporterCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true,
        ExporterJson.Default.ExportJobInput, ExporterJson.Default.ExportJobResult);

    protected override async Task<Outcome<ExportJobResult>> ExecuteAsync(ExportJobInput input, AbilityCall call, CancellationToken ct)
    {
        var job = await ExporterAbilities.FindAsync(db, store, call.Site!.Id, input.JobId, ct);
        return job.Succeeded ? jobs.Describe(job.Value!, call) : job.Problem!;
    }
}

internal sealed class ExportListAbility(PressDbContext db, ScanStore store, ExportJobs jobs) : Ability<NoInput, ExportListResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(ExporterAbilities.List, "List folder exports",
        "The site's recent export jobs (at most 100), newest first, each as get-export-status answers it.",
        MediaAbilities.ExporterCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true,
        AbilityJson.Default.NoInput, ExporterJson.Default.ExportListResult);

    protected override async Task<Outcome<ExportListResult>> ExecuteAsync(NoInput input, AbilityCall call, CancellationToken ct)
    {
        await store.SweepStaleAsync(ct);
        var list = await ExporterAbilities.Jobs(db, call.Site!.Id).OrderByDescending(s => s.Id).Take(ExporterAbilities.ListLimit).ToListAsync(ct);
        return new ExportListResult([.. list.Select(j => jobs.Describe(j, call))], list.Count);
    }
}

internal sealed class ExportDeleteAbility(PressDbContext db, ScanStore store, ExportOptions options) : Ability<ExportJobInput, ExportDeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(ExporterAbilities.Delete, "Delete a folder export",
        "Deletes a finished export job and its ZIP archive; its download link stops working. A pending or running export cannot be deleted until it ends. " +
        "Deleting another user's export needs manage_options.",
        MediaAbilities.ExporterCategory, MediaAbilities.Destructive, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true,
        ExporterJson.Default.ExportJobInput, ExporterJson.Default.ExportDeleteResult);

    protected override async Task<Outcome<ExportDeleteResult>> ExecuteAsync(ExportJobInput input, AbilityCall call, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var found = await ExporterAbilities.FindAsync(db, store, siteId, input.JobId, ct);
        if (!found.Succeeded) return found.Problem!;
        var job = found.Value!;
        if (job.StartedBy != call.Caller.UserId && (call.Actor is not { } actor || !Permissions.Can(actor, Caps.ManageOptions)))
            return Problem.Forbidden($"export '{input.JobId}' was started by another user; deleting it needs the capability manage_options");
        // The archive appears when the job completes: deleting the row under a running job would leave it orphaned.
        var deleted = await db.MediaScans.Where(s => s.Id == job.Id && s.Status != ScanStatuses.Queued && s.Status != ScanStatuses.Running).ExecuteDeleteAsync(ct);
        if (deleted == 0)
            return Problem.Conflict($"export '{input.JobId}' is still {ExportJobs.StatusOf(job.Status)}; wait until get-export-status says completed or failed, then delete it");
        MediaStorage.TryDelete(FolderExport.FinalPath(options, siteId, job.CallId));
        return new ExportDeleteResult(Deleted: true, input.JobId);
    }
}

/// <summary>Export jobs on the wire, in the plugin's shape, with a fresh download link for the user who started a finished one.</summary>
internal sealed class ExportJobs(ExportLinks links, ExportOptions options, SiteUrls urls, TimeProvider clock)
{
    /// <summary>The plugin's statuses: a queued job is pending; a cancelled or interrupted one has failed.</summary>
    public static string StatusOf(string status) => status switch
    {
        ScanStatuses.Queued => "pending",
        ScanStatuses.Running => "running",
        ScanStatuses.Completed => "completed",
        _ => "failed",
    };

    public ExportJobResult Describe(MediaScan job, AbilityCall call)
    {
        var request = ExportRequest.From(System.Text.Json.JsonDocument.Parse(job.Options).RootElement);
        var archive = job.Status == ScanStatuses.Completed ? ExportArchive.From(job.Counts) : null;
        string? url = null;
        string? expires = null;
        if (archive is not null && job.StartedBy == call.Caller.UserId)
        {
            var until = clock.GetUtcNow() + options.LinkLifetime;
            url = links.Url(urls.BaseOf(call.Site!), new ExportGrant(job.SiteId, job.CallId, call.Caller.UserId, until));
            expires = Time(until.UtcDateTime);
        }
        var error = job.Status switch
        {
            ScanStatuses.Cancelled => job.Error ?? "the export was cancelled",
            _ => job.Error,
        };
        return new ExportJobResult
        {
            JobId = job.CallId.ToString(),
            FolderId = request.FolderId,
            IncludeChildren = request.IncludeChildren,
            IncludeManifest = request.IncludeManifest,
            UserId = job.StartedBy,
            Status = StatusOf(job.Status),
            Progress = job.Status == ScanStatuses.Completed ? 100 : job.Total == 0 ? 0 : (int)(100L * job.Processed / job.Total),
            Total = job.Total,
            FileName = archive?.FileName,
            FileSize = archive?.FileSize,
            CreatedAt = Time(job.CreatedUtc)!,
            CompletedAt = Time(job.FinishedUtc),
            Error = error,
            DownloadUrl = url,
            DownloadExpiresAt = expires,
        };
    }

    private static string? Time(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

internal sealed record ExportStartInput
{
    [Description("The folder to export (id or path)")]
    public required FolderArgument FolderId { get; init; }

    [Description("Include the subfolders' media, under their folder paths; default true")]
    public bool IncludeChildren { get; set; } = true;

    [Description("Include manifest.csv listing every file; default true")]
    public bool IncludeManifest { get; set; } = true;
}

internal sealed record ExportJobInput
{
    [StringLength(64, MinimumLength = 1), Description("The job_id start-export answered")]
    public required string JobId { get; init; }
}

/// <summary>
/// An export job as the plugin answers it. <c>file_path</c> is always null: the server's paths are not shown; the
/// archive is fetched from <c>download_url</c> instead (PressMcp's addition, with <c>download_expires_at</c>).
/// </summary>
internal sealed record ExportJobResult
{
    public required string JobId { get; init; }
    public required long FolderId { get; init; }
    public required bool IncludeChildren { get; init; }
    public required bool IncludeManifest { get; init; }
    public long? UserId { get; init; }

    [AllowedValues("pending", "running", "completed", "failed")]
    public required string Status { get; init; }

    [Range(0, 100), Description("Percent done")]
    public required int Progress { get; init; }

    [Description("Files to export")]
    public required int Total { get; init; }

    public string? FilePath { get; init; }
    public string? FileName { get; init; }
    public long? FileSize { get; init; }
    public required string CreatedAt { get; init; }
    public string? CompletedAt { get; init; }
    public string? Error { get; init; }
    public string? DownloadUrl { get; init; }
    public string? DownloadExpiresAt { get; init; }
}

internal sealed record ExportListResult(IReadOnlyList<ExportJobResult> Exports, int Total);

internal sealed record ExportDeleteResult(bool Deleted, string JobId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ExportStartInput))]
[JsonSerializable(typeof(ExportJobInput))]
[JsonSerializable(typeof(ExportJobResult))]
[JsonSerializable(typeof(ExportListResult))]
[JsonSerializable(typeof(ExportDeleteResult))]
internal sealed partial class ExporterJson : JsonSerializerContext;
