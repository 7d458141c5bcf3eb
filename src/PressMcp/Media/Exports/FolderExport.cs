using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Media.Scans;
using PressMcp.Storage;

namespace PressMcp.Media.Exports;

/// <summary>What an export was asked for, kept as the job's options.</summary>
internal sealed record ExportRequest(long FolderId, bool IncludeChildren, bool IncludeManifest)
{
    public string ToJson() => JsonSerializer.Serialize(new { folder_id = FolderId, include_children = IncludeChildren, include_manifest = IncludeManifest });

    public static ExportRequest From(JsonElement o) => new(
        o.GetProperty("folder_id").GetInt64(), o.GetProperty("include_children").GetBoolean(), o.GetProperty("include_manifest").GetBoolean());
}

/// <summary>What a finished export wrote, kept as the job's counts.</summary>
internal sealed record ExportArchive(string FileName, long FileSize)
{
    public string ToJson() => JsonSerializer.Serialize(new { file_name = FileName, file_size = FileSize });

    public static ExportArchive? From(string countsJson)
    {
        using var doc = JsonDocument.Parse(countsJson);
        return doc.RootElement.TryGetProperty("file_name", out var name) && doc.RootElement.TryGetProperty("file_size", out var size)
            ? new ExportArchive(name.GetString()!, size.GetInt64())
            : null;
    }
}

/// <summary>One media item in an export: where its bytes are and where it goes in the archive.</summary>
internal sealed record ExportItem(long Id, string Title, string FileName, string? StoragePath, long SizeBytes, string? Mime, string FolderPath, string EntryName);

/// <summary>
/// The items of a folder export (the folder's, and its subfolders' when asked), in folder then id order, each with a
/// unique entry name under its folder's path relative to the exported folder. Trashed media are left out.
/// </summary>
internal sealed record ExportPlan(string FolderName, IReadOnlyList<ExportItem> Items, long Bytes)
{
    public const string ManifestName = "manifest.csv";

    public static async Task<Outcome<ExportPlan>> BuildAsync(PressDbContext db, MediaFolderService folders, long siteId, ExportRequest request, CancellationToken ct)
    {
        var tree = await folders.TreeAsync(siteId, ct);
        var root = tree.FirstOrDefault(f => f.Id == request.FolderId);
        if (root is null) return Problem.NotFound($"no media folder with id {request.FolderId} on this site");
        var included = new Dictionary<long, string> { [root.Id] = "" };
        if (request.IncludeChildren)
        {
            // Breadth first over parent links: every folder is visited once, whatever the depth.
            var children = tree.Where(f => f.ParentId is not null).ToLookup(f => f.ParentId!.Value);
            var queue = new Queue<long>([root.Id]);
            while (queue.TryDequeue(out var id))
            {
                foreach (var child in children[id])
                {
                    included[child.Id] = included[id].Length == 0 ? Segment(child.Name) : $"{included[id]}/{Segment(child.Name)}";
                    queue.Enqueue(child.Id);
                }
            }
        }
        var ids = included.Keys.ToList();
        var rows = await db.MediaFiles.AsNoTracking().Where(m => m.SiteId == siteId && m.FolderId != null && ids.Contains(m.FolderId.Value))
            .Join(db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && p.Type == PostTypes.Attachment && p.Status != PostStatuses.Trash),
                m => m.PostId, p => p.Id, (m, p) => new { m.PostId, p.Title, m.FileName, m.StoragePath, m.SizeBytes, p.MimeType, FolderId = m.FolderId!.Value })
            .ToListAsync(ct);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ManifestName };
        var items = new List<ExportItem>(rows.Count);
        foreach (var r in rows.OrderBy(r => included[r.FolderId], StringComparer.Ordinal).ThenBy(r => r.PostId))
        {
            var folderPath = included[r.FolderId];
            var entry = UniqueEntry(taken, folderPath, Segment(MediaStorage.DisplayName(r.FileName)));
            items.Add(new ExportItem(r.PostId, r.Title, r.FileName, r.StoragePath, r.SizeBytes, r.MimeType, folderPath, entry));
        }
        return new ExportPlan(root.Name, items, items.Sum(i => i.SizeBytes));
    }

    /// <summary>Why this plan is over the limits, or null. Counted on the stored sizes; the writer checks the real bytes again.</summary>
    public string? OverLimits(ExportOptions options)
    {
        if (Items.Count > options.MaxFiles)
            return $"the export would hold {Items.Count} files; the limit is {options.MaxFiles} (Media:Exports:MaxFiles): export a subfolder, or without subfolders";
        if (Bytes > options.MaxArchiveBytes)
            return $"the export would hold {MediaOptions.Describe(Bytes)} of media; the limit is {MediaOptions.Describe(options.MaxArchiveBytes)} " +
                "(Media:Exports:MaxArchiveBytes): export a subfolder, or without subfolders";
        return null;
    }

    /// <summary>A folder or file name as one safe path segment: no separators, no control characters, never "." or "..".</summary>
    internal static string Segment(string name)
    {
        var chars = name.Select(c => char.IsControl(c) || c is '/' or '\\' or ':' ? '_' : c).ToArray();
        var text = new string(chars).Trim();
        return text.Length == 0 || text.All(c => c == '.') ? "_" : text;
    }

    private static string UniqueEntry(HashSet<string> taken, string folderPath, string fileName)
    {
        var prefix = folderPath.Length == 0 ? "" : folderPath + "/";
        var dot = fileName.LastIndexOf('.');
        var (stem, ext) = dot > 0 ? (fileName[..dot], fileName[dot..]) : (fileName, "");
        var candidate = prefix + fileName;
        for (var n = 2; !taken.Add(candidate); n++) candidate = $"{prefix}{stem}-{n.ToString(CultureInfo.InvariantCulture)}{ext}";
        return candidate;
    }
}

/// <summary>
/// The export job, run by the scan runner like the scans (claimed once across instances, heartbeat, cancel, interruption).
/// The archive is written to a hidden partial file beside its final place and moved there only when complete, so a
/// failed, cancelled or interrupted export leaves no file behind, and a finished one is never seen half-written. The
/// limits are checked on the plan and again on the bytes actually written.
/// </summary>
internal sealed class FolderExport(ExportOptions options, MediaStorage storage) : IScanWork
{
    private const int ReportEvery = 50;

    public string Kind => ScanKinds.Export;

    public static string FinalPath(ExportOptions options, long siteId, Guid jobId) =>
        Path.Combine(options.Directory, siteId.ToString(CultureInfo.InvariantCulture), jobId.ToString("N") + ".zip");

    public async Task RunAsync(ScanContext context, CancellationToken ct)
    {
        var scan = context.Scan;
        var request = ExportRequest.From(context.Options);
        var folders = context.Services.GetRequiredService<MediaFolderService>();
        var planned = await ExportPlan.BuildAsync(context.Db, folders, scan.SiteId, request, ct);
        if (!planned.Succeeded) throw new ScanRefusedException(planned.Problem!.Message);
        var plan = planned.Value!;
        if (plan.OverLimits(options) is { } over) throw new ScanRefusedException(over);
        await context.SetTotalAsync(plan.Items.Count, ct);

        var final = FinalPath(options, scan.SiteId, scan.CallId);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var partial = Path.Combine(Path.GetDirectoryName(final)!, "." + scan.CallId.ToString("N") + ".partial");
        var moved = false;
        try
        {
            long size;
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    var done = 0;
                    foreach (var item in plan.Items)
                    {
                        ct.ThrowIfCancellationRequested();
                        await AddAsync(zip, scan.SiteId, item, ct);
                        // The stored sizes were checked before; the archive on disk is the truth (a file may have grown).
                        if (file.Length > options.MaxArchiveBytes)
                            throw new ScanRefusedException($"the archive grew past the limit of {MediaOptions.Describe(options.MaxArchiveBytes)} (Media:Exports:MaxArchiveBytes) while it was written");
                        if (++done % ReportEvery == 0) await context.ReportAsync(ReportEvery, [], ct);
                    }
                    if (request.IncludeManifest) await WriteManifestAsync(zip, plan, ct);
                    await context.ReportAsync(done % ReportEvery, [], ct);
                }
                await file.FlushAsync(ct);
                size = file.Length;
            }
            if (size > options.MaxArchiveBytes)
                throw new ScanRefusedException($"the archive is {MediaOptions.Describe(size)}, over the limit of {MediaOptions.Describe(options.MaxArchiveBytes)} (Media:Exports:MaxArchiveBytes)");
            File.Move(partial, final, overwrite: false);
            moved = true;
            var name = $"{MediaStorage.SafeBaseName(plan.FolderName)}-{context.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.zip";
            await context.SetCountsAsync(new ExportArchive(name, size).ToJson(), ct);
        }
        catch when (moved)
        {
            // An archive whose job could not be marked done (cancelled at the last moment) is not left behind.
            MediaStorage.TryDelete(final);
            throw;
        }
        finally
        {
            // Nothing half-written stays: a failed, cancelled or interrupted export removes its partial file.
            if (!moved) MediaStorage.TryDelete(partial);
        }
    }

    private async Task AddAsync(ZipArchive zip, long siteId, ExportItem item, CancellationToken ct)
    {
        var path = item.StoragePath is { } stored ? storage.PhysicalPath(siteId, stored) : null;
        if (path is null || !File.Exists(path))
            throw new ScanRefusedException($"the file of media item {item.Id} ({item.FileName}) is not stored on this server; move it out of the folder or upload it again");
        // Media are mostly compressed already (JPEG, PNG, MP4): storing them spends no CPU for no gain.
        var entry = zip.CreateEntry(item.EntryName, CompressionLevel.NoCompression);
        await using var target = await entry.OpenAsync(ct);
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await source.CopyToAsync(target, ct);
    }

    private static async Task WriteManifestAsync(ZipArchive zip, ExportPlan plan, CancellationToken ct)
    {
        var entry = zip.CreateEntry(ExportPlan.ManifestName, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(ct);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await writer.WriteLineAsync("id,title,file_name,path,folder,mime_type,size_bytes");
        foreach (var i in plan.Items)
        {
            await writer.WriteLineAsync(string.Join(',', i.Id.ToString(CultureInfo.InvariantCulture), Csv(i.Title), Csv(i.FileName), Csv(i.EntryName),
                Csv(i.FolderPath), Csv(i.Mime ?? ""), i.SizeBytes.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>A quoted CSV field; a leading formula character is neutralised so a spreadsheet shows it as text.</summary>
    internal static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
