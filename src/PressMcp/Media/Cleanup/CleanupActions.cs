using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Media.Scans;
using PressMcp.Storage;

namespace PressMcp.Media.Cleanup;

/// <summary>What happened to one item of an archive, trash or delete request.</summary>
internal sealed record CleanupItemResult(long Id, string Status, string? Message = null);

/// <summary>Media totals of one kind (image, audio, video, document).</summary>
internal sealed record KindTotals(string Kind, int Count, long Bytes);

internal sealed record LibraryStats(int Count, long Bytes, IReadOnlyList<KindTotals> ByKind, int Unassigned, int Trashed);

/// <summary>
/// The cleanup actions on media chosen by id or by scan result: archive (into the top-level <c>Archive</c> folder),
/// trash, and delete. Each is one transaction holding the change and its <see cref="Activity.ChangeRecord"/>s and
/// marking the scan results of the items as applied. Deleting removes every database reference first and the files
/// on disk only after that transaction has committed: a crash in between leaves an unreferenced file, never a row
/// pointing at a missing file; a file that cannot be removed is logged.
/// </summary>
internal sealed partial class CleanupActions(PressDbContext db, MediaFolderService folders, MediaStorage storage, ILogger<CleanupActions> log)
{
    public const string ArchiveFolder = "Archive";
    public const string ThumbnailKey = "_thumbnail_id";

    /// <summary>The attachment ids named directly and through scan results of this site (unknown result ids are reported).</summary>
    public async Task<(List<long> Ids, List<CleanupItemResult> Unknown)> ResolveAsync(long siteId, IReadOnlyList<long> attachmentIds, IReadOnlyList<long> resultIds, CancellationToken ct)
    {
        var ids = new List<long>(attachmentIds);
        var unknown = new List<CleanupItemResult>();
        if (resultIds.Count > 0)
        {
            var found = await db.MediaScanResults.AsNoTracking().Where(r => r.SiteId == siteId && resultIds.Contains(r.Id))
                .ToDictionaryAsync(r => r.Id, r => r.AttachmentId, ct);
            foreach (var rid in resultIds.Distinct())
            {
                if (found.TryGetValue(rid, out var aid)) ids.Add(aid);
                else unknown.Add(new CleanupItemResult(rid, "not_found", $"no scan result with id {rid} on this site"));
            }
        }
        return (ids.Distinct().ToList(), unknown);
    }

    /// <summary>The <c>Archive</c> folder at the top level, created (with its change record) when missing.</summary>
    public async Task<Outcome<MediaFolder>> ArchiveFolderAsync(long siteId, RecordChange change, CancellationToken ct)
    {
        var existing = await folders.ResolveAsync(siteId, FolderRef.Parse(ArchiveFolder), ct);
        if (existing.Succeeded) return existing;
        var created = await folders.CreateAsync(siteId, ArchiveFolder, null, change, ct);
        if (created.Succeeded || created.Problem!.Kind != ErrorKind.Conflict) return created;
        // Someone created it at the same moment: theirs is as good as ours.
        return await folders.ResolveAsync(siteId, FolderRef.Parse(ArchiveFolder), ct);
    }

    public async Task<List<CleanupItemResult>> ArchiveAsync(long siteId, long folderId, IReadOnlyList<long> ids, RecordChange change, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var results = await folders.StageMovesAsync(siteId, ids, folderId, change, reason: "archive", NotFound,
            item => item.FolderId == folderId ? new CleanupItemResult(item.PostId, "unchanged", "already in the Archive folder") : null,
            item => new CleanupItemResult(item.PostId, "archived"), ct);
        await MarkAppliedAsync(siteId, results.Where(r => r.Status is "archived" or "unchanged").Select(r => r.Id).ToList(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return results;
    }

    /// <summary>Moves attachments to the trash (status <c>trash</c>): they stop being served and can be restored from the change record.</summary>
    public async Task<List<CleanupItemResult>> TrashAsync(long siteId, IReadOnlyList<long> ids, RecordChange change, CancellationToken ct)
    {
        var results = new List<CleanupItemResult>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var posts = await db.Posts.Where(p => p.SiteId == siteId && p.Type == PostTypes.Attachment && ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        foreach (var id in ids)
        {
            if (!posts.TryGetValue(id, out var post)) results.Add(NotFound(id));
            else if (post.Status == PostStatuses.Trash) results.Add(new(id, "unchanged", "already in the trash"));
            else
            {
                db.ChangeRecords.Add(change(MediaChanges.Media, id, "trash", new { status = post.Status }));
                post.Status = PostStatuses.Trash;
                results.Add(new(id, "trashed"));
            }
        }
        await MarkAppliedAsync(siteId, results.Where(r => r.Status is "trashed" or "unchanged").Select(r => r.Id).ToList(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return results;
    }

    /// <summary>
    /// Deletes attachments for good: the attachment post, its media record (and so its folder membership), its own
    /// meta, every <c>_thumbnail_id</c> pointing at it, its terms and comments (by cascade), its scan results, then the
    /// file. The change record keeps every row removed; the file itself cannot be brought back.
    /// </summary>
    public async Task<List<CleanupItemResult>> DeleteAsync(long siteId, IReadOnlyList<long> ids, RecordChange change, CancellationToken ct)
    {
        var results = new List<CleanupItemResult>();
        var files = new List<string>();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var posts = await db.Posts.Where(p => p.SiteId == siteId && p.Type == PostTypes.Attachment && ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
            var found = posts.Keys.ToList();
            var media = await db.MediaFiles.Where(m => m.SiteId == siteId && found.Contains(m.PostId)).ToDictionaryAsync(m => m.PostId, ct);
            var ownMeta = await db.PostMeta.Where(m => m.SiteId == siteId && found.Contains(m.PostId)).ToListAsync(ct);
            var idTexts = found.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
            var thumbnails = await db.PostMeta.Where(m => m.SiteId == siteId && m.Key == ThumbnailKey && idTexts.Contains(m.Value)).ToListAsync(ct);
            var scanResults = await db.MediaScanResults.Where(r => r.SiteId == siteId && found.Contains(r.AttachmentId)).ToListAsync(ct);
            foreach (var id in ids)
            {
                if (!posts.TryGetValue(id, out var post))
                {
                    results.Add(NotFound(id));
                    continue;
                }
                var file = media.GetValueOrDefault(id);
                var text = id.ToString(CultureInfo.InvariantCulture);
                var featuredIn = thumbnails.Where(t => t.Value.Trim() == text).ToList();
                db.ChangeRecords.Add(change(MediaChanges.Media, id, "delete", new
                {
                    post = new { post.Title, post.Excerpt, post.Content, post.Slug, post.Status, post.AuthorId, post.DateUtc, post.ModifiedUtc, post.ParentId, post.MimeType, post.Guid },
                    media = file is null ? null : new
                    {
                        file.StoragePath, file.SourceUrl, file.FileName, file.SizeBytes, file.Width, file.Height, file.AltText, file.ContentHash, file.FolderId,
                    },
                    meta = ownMeta.Where(m => m.PostId == id).Select(m => new { m.Key, m.Value }).ToList(),
                    featured_image_of = featuredIn.Select(t => t.PostId).ToList(),
                    // Said plainly for whoever builds undo on this record: the rows can be restored, the bytes cannot.
                    file_deleted = file?.StoragePath is not null,
                    file_restorable = false,
                }));
                db.PostMeta.RemoveRange(ownMeta.Where(m => m.PostId == id));
                db.PostMeta.RemoveRange(featuredIn);
                db.MediaScanResults.RemoveRange(scanResults.Where(r => r.AttachmentId == id));
                if (file is not null)
                {
                    db.MediaFiles.Remove(file);
                    if (file.StoragePath is not null) files.Add(file.StoragePath);
                }
                db.Posts.Remove(post);
                results.Add(new(id, "deleted", featuredIn.Count > 0 ? $"also removed as the featured image of post(s) {string.Join(", ", featuredIn.Select(t => t.PostId))}" : null));
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        foreach (var path in files) RemoveFile(siteId, path);
        return results;
    }

    /// <summary>Library totals: count and bytes by kind, unassigned and trashed counts.</summary>
    public async Task<LibraryStats> StatsAsync(long siteId, CancellationToken ct)
    {
        var rows = await db.MediaFiles.AsNoTracking().Where(m => m.SiteId == siteId)
            .Join(db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && p.Type == PostTypes.Attachment), m => m.PostId, p => p.Id, (m, p) => new { p.MimeType, m.SizeBytes })
            .GroupBy(x => x.MimeType).Select(g => new { Mime = g.Key, Count = g.Count(), Bytes = g.Sum(x => x.SizeBytes) }).ToListAsync(ct);
        var byKind = rows.GroupBy(r => (FolderSuggestions.KindOf(r.Mime)?.ToString() ?? "Other").ToLowerInvariant())
            .Select(g => new KindTotals(g.Key, g.Sum(r => r.Count), g.Sum(r => r.Bytes))).OrderBy(k => k.Kind, StringComparer.Ordinal).ToList();
        var unassigned = await folders.UnassignedCountAsync(siteId, ct);
        var trashed = await db.Posts.CountAsync(p => p.SiteId == siteId && p.Type == PostTypes.Attachment && p.Status == PostStatuses.Trash, ct);
        return new LibraryStats(byKind.Sum(k => k.Count), byKind.Sum(k => k.Bytes), byKind, unassigned, trashed);
    }

    /// <summary>Cleanup findings about these items are dealt with once the items are archived or trashed.</summary>
    private async Task MarkAppliedAsync(long siteId, IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        var scans = db.MediaScans.Where(s => s.SiteId == siteId && s.Kind == ScanKinds.Cleanup).Select(s => s.Id);
        var rows = await db.MediaScanResults.Where(r => r.SiteId == siteId && ids.Contains(r.AttachmentId) && !r.Applied && scans.Contains(r.ScanId)).ToListAsync(ct);
        foreach (var r in rows) r.Applied = true;
    }

    private void RemoveFile(long siteId, string storagePath)
    {
        var path = storage.PhysicalPath(siteId, storagePath);
        if (path is null) return;
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The rows are gone, so nothing points at it; an operator can remove it by hand.
            LogFileNotRemoved(log, siteId, storagePath, ex.GetType().Name);
        }
    }

    private static CleanupItemResult NotFound(long id) => new(id, "not_found", $"no media item with id {id} on this site");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted media file {Path} of site {SiteId} could not be removed from disk ({Error}); no row refers to it any more")]
    private static partial void LogFileNotRemoved(ILogger logger, long siteId, string path, string error);
}
