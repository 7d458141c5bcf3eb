using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Media;

/// <summary>A folder with its place in the tree and how many media it holds directly.</summary>
internal sealed record FolderInfo(long Id, string Name, long? ParentId, string Path, int Count);

/// <summary>What happened to one item of an add-to-folder or remove-from-folder request.</summary>
internal sealed record ItemResult(long Id, string Status, string? Message = null, long? FromFolderId = null);

/// <summary>
/// Virtual media folders of one site: a tree of names unique among siblings (without regard to case), each media
/// item in at most one folder. Folder writes never touch files: deleting a folder unassigns its media. Every write
/// is one transaction that also saves its <see cref="Activity.ChangeRecord"/>s (the state before, for undo).
/// </summary>
internal sealed class MediaFolderService(PressDbContext db, TimeProvider clock)
{
    public const int MaxDepth = 20;

    public async Task<IReadOnlyList<FolderInfo>> TreeAsync(long siteId, CancellationToken ct)
    {
        var folders = await db.MediaFolders.AsNoTracking().Where(f => f.SiteId == siteId).ToListAsync(ct);
        var counts = await db.MediaFiles.AsNoTracking().Where(m => m.SiteId == siteId && m.FolderId != null)
            .GroupBy(m => m.FolderId).Select(g => new { Id = g.Key!.Value, Count = g.Count() }).ToDictionaryAsync(c => c.Id, c => c.Count, ct);
        var paths = Paths(folders);
        return folders.Select(f => new FolderInfo(f.Id, f.Name, f.ParentId, paths[f.Id], counts.GetValueOrDefault(f.Id)))
            .OrderBy(f => f.Path, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public Task<int> UnassignedCountAsync(long siteId, CancellationToken ct) =>
        db.MediaFiles.CountAsync(m => m.SiteId == siteId && m.FolderId == null, ct);

    /// <summary>Each folder's full path (names from the top joined by <c>/</c>).</summary>
    public static Dictionary<long, string> Paths(IReadOnlyCollection<MediaFolder> folders)
    {
        var byId = folders.ToDictionary(f => f.Id);
        var paths = new Dictionary<long, string>();
        string PathOf(MediaFolder f, int depth) =>
            paths.TryGetValue(f.Id, out var known) ? known
            : paths[f.Id] = f.ParentId is { } p && byId.TryGetValue(p, out var parent) && depth < MaxDepth * 2 ? PathOf(parent, depth + 1) + "/" + f.Name : f.Name;
        foreach (var f in folders) PathOf(f, 0);
        return paths;
    }

    /// <summary>The folder an id or a path names on this site, or a message saying which part was not found.</summary>
    public async Task<Outcome<MediaFolder>> ResolveAsync(long siteId, FolderRef reference, CancellationToken ct)
    {
        if (reference.Id is { } id)
        {
            var byId = await db.MediaFolders.FirstOrDefaultAsync(f => f.SiteId == siteId && f.Id == id, ct);
            return byId is null ? Problem.NotFound($"no media folder with id {id} on this site") : Outcome<MediaFolder>.Ok(byId);
        }
        var names = reference.Path!;
        if (names.Count == 0) return Problem.Invalid("the folder path is empty");
        MediaFolder? current = null;
        for (var i = 0; i < names.Count; i++)
        {
            var key = FolderNames.Normalize(names[i]);
            var parentId = current?.Id;
            current = await db.MediaFolders.FirstOrDefaultAsync(f => f.SiteId == siteId && f.ParentId == parentId && f.NormalizedName == key, ct);
            if (current is null)
                return Problem.NotFound(i == 0
                    ? $"no top-level media folder named '{names[i]}'"
                    : $"no media folder named '{names[i]}' in '{string.Join('/', names.Take(i))}'");
        }
        return Outcome<MediaFolder>.Ok(current!);
    }

    /// <summary>A parent reference: null or the top level resolve to null; anything else must exist.</summary>
    private async Task<Outcome<MediaFolder?>> ResolveParentAsync(long siteId, FolderRef? parent, CancellationToken ct)
    {
        if (parent is null || parent.IsTop) return Outcome<MediaFolder?>.Ok(null);
        var found = await ResolveAsync(siteId, parent, ct);
        return found.Succeeded ? Outcome<MediaFolder?>.Ok(found.Value) : Problem.NotFound($"the parent folder does not exist: {found.Problem!.Message}");
    }

    public async Task<Outcome<MediaFolder>> CreateAsync(long siteId, string name, FolderRef? parent, RecordChange change, CancellationToken ct)
    {
        if (FolderNames.Problem(name) is { } bad) return Problem.Invalid(bad);
        var parentFolder = await ResolveParentAsync(siteId, parent, ct);
        if (!parentFolder.Succeeded) return parentFolder.Problem!;
        var parentId = parentFolder.Value?.Id;
        if (parentFolder.Value is not null && await DepthAsync(siteId, parentFolder.Value, ct) >= MaxDepth)
            return Problem.Invalid($"folders nest at most {MaxDepth} deep");
        if (await SiblingNamedAsync(siteId, parentId, name, exceptId: null, ct) is { } clash) return Duplicate(clash, parentFolder.Value);

        var folder = new MediaFolder
        {
            SiteId = siteId,
            Name = name.Trim(),
            NormalizedName = FolderNames.Normalize(name),
            ParentId = parentId,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.MediaFolders.Add(folder);
        if (!await TrySaveUniqueAsync(ct)) return Problem.Conflict($"a folder named '{name.Trim()}' was just created there by someone else");
        db.ChangeRecords.Add(change(MediaChanges.Folder, folder.Id, "create", null));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<MediaFolder>.Ok(folder);
    }

    /// <summary>Renames and/or moves a folder. <paramref name="newParent"/> null keeps the parent; the top level moves it there.</summary>
    public async Task<Outcome<MediaFolder>> UpdateAsync(long siteId, FolderRef reference, string? newName, FolderRef? newParent, RecordChange change, CancellationToken ct)
    {
        var found = await ResolveAsync(siteId, reference, ct);
        if (!found.Succeeded) return found.Problem!;
        var folder = found.Value!;
        if (newName is null && newParent is null) return Problem.Invalid("give a new name, a new parent_id, or both");
        if (newName is not null && FolderNames.Problem(newName) is { } bad) return Problem.Invalid(bad);

        var parentId = folder.ParentId;
        MediaFolder? parentFolder = null;
        if (newParent is not null)
        {
            var parent = await ResolveParentAsync(siteId, newParent, ct);
            if (!parent.Succeeded) return parent.Problem!;
            parentFolder = parent.Value;
            parentId = parentFolder?.Id;
            if (parentFolder is not null)
            {
                // The new parent may not be the folder itself or anything below it: that would cut the subtree off the tree.
                var ancestors = await AncestorIdsAsync(siteId, parentFolder, ct);
                if (parentFolder.Id == folder.Id || ancestors.Contains(folder.Id))
                    return Problem.Invalid($"cannot move '{folder.Name}' into itself or one of its own subfolders (that would make a cycle)");
                if (ancestors.Count + 1 + await SubtreeHeightAsync(siteId, folder.Id, ct) > MaxDepth)
                    return Problem.Invalid($"folders nest at most {MaxDepth} deep");
            }
        }
        else if (folder.ParentId is { } keep)
        {
            parentFolder = await db.MediaFolders.AsNoTracking().FirstOrDefaultAsync(f => f.Id == keep, ct);
        }
        var name = newName?.Trim() ?? folder.Name;
        if (await SiblingNamedAsync(siteId, parentId, name, exceptId: folder.Id, ct) is { } clash) return Duplicate(clash, parentFolder);

        var before = new { name = folder.Name, parent_id = folder.ParentId };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        folder.Name = name;
        folder.NormalizedName = FolderNames.Normalize(name);
        folder.ParentId = parentId;
        db.ChangeRecords.Add(change(MediaChanges.Folder, folder.Id, "update", before));
        if (!await TrySaveUniqueAsync(ct)) return Problem.Conflict($"a folder named '{name}' was just created there by someone else");
        await tx.CommitAsync(ct);
        return Outcome<MediaFolder>.Ok(folder);
    }

    /// <summary>
    /// Deletes a folder. One that holds media or subfolders is deleted only with <paramref name="force"/>, and then with
    /// its subfolders; the media in them become unassigned, never deleted, and rules that placed media there go too.
    /// </summary>
    public async Task<Outcome<DeletedFolders>> DeleteAsync(long siteId, FolderRef reference, bool force, RecordChange change, CancellationToken ct)
    {
        var found = await ResolveAsync(siteId, reference, ct);
        if (!found.Succeeded) return found.Problem!;
        var folder = found.Value!;
        var all = await db.MediaFolders.Where(f => f.SiteId == siteId).ToListAsync(ct);
        var subtree = Subtree(all, folder.Id);
        var ids = subtree.Select(f => f.Id).ToList();
        var media = await db.MediaFiles.Where(m => m.SiteId == siteId && m.FolderId != null && ids.Contains(m.FolderId.Value)).ToListAsync(ct);
        if (!force && (media.Count > 0 || subtree.Count > 1))
            return Problem.Conflict($"folder '{folder.Name}' is not empty ({media.Count} media item(s), {subtree.Count - 1} subfolder(s)); " +
                "pass force: true to delete it anyway (its media become unassigned; nothing is deleted from the library)");
        var rules = await db.MediaRules.Where(r => r.SiteId == siteId && ids.Contains(r.FolderId)).ToListAsync(ct);
        var paths = Paths(all);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var f in subtree)
        {
            db.ChangeRecords.Add(change(MediaChanges.Folder, f.Id, "delete", new
            {
                name = f.Name,
                parent_id = f.ParentId,
                path = paths[f.Id],
                created_utc = f.CreatedUtc,
                media_ids = media.Where(m => m.FolderId == f.Id).Select(m => m.PostId).ToList(),
                rules = rules.Where(r => r.FolderId == f.Id).ToList(),
            }));
        }
        foreach (var m in media) m.FolderId = null;
        db.MediaRules.RemoveRange(rules);
        await db.SaveChangesAsync(ct);
        // Deepest first: a parent row cannot go while a child still points at it.
        foreach (var f in subtree.AsEnumerable().Reverse())
        {
            db.MediaFolders.Remove(f);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return Outcome<DeletedFolders>.Ok(new DeletedFolders(ids, media.Count, rules.Count));
    }

    /// <summary>Puts media into a folder; each id gets its own result (moved, already there, or why not).</summary>
    public Task<Outcome<IReadOnlyList<ItemResult>>> AddAsync(long siteId, FolderRef reference, IReadOnlyList<long> attachmentIds, RecordChange change, CancellationToken ct) =>
        MoveEachAsync(siteId, reference, attachmentIds, change, "moved", folder => folder.Id,
            (item, folder) => item.FolderId == folder.Id ? new(item.PostId, "unchanged", "already in this folder", folder.Id) : null, ct);

    /// <summary>Takes media out of a folder (they become unassigned); items in another folder are left where they are.</summary>
    public Task<Outcome<IReadOnlyList<ItemResult>>> RemoveAsync(long siteId, FolderRef reference, IReadOnlyList<long> attachmentIds, RecordChange change, CancellationToken ct) =>
        MoveEachAsync(siteId, reference, attachmentIds, change, "removed", _ => null,
            (item, folder) => item.FolderId == folder.Id ? null
                : new(item.PostId, "not_in_folder", item.FolderId is null ? "not in any folder" : $"in folder {item.FolderId}, not in this one", item.FolderId), ct);

    /// <summary>
    /// Moves each requested media item of the site to <paramref name="target"/> (a folder id, or null for none) unless
    /// <paramref name="skip"/> gives it another result; every move leaves a change record, all in one transaction.
    /// </summary>
    private async Task<Outcome<IReadOnlyList<ItemResult>>> MoveEachAsync(
        long siteId, FolderRef reference, IReadOnlyList<long> attachmentIds, RecordChange change, string movedStatus,
        Func<MediaFolder, long?> target, Func<MediaFile, MediaFolder, ItemResult?> skip, CancellationToken ct)
    {
        var found = await ResolveAsync(siteId, reference, ct);
        if (!found.Succeeded) return found.Problem!;
        var folder = found.Value!;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var results = await StageMovesAsync(siteId, attachmentIds.Distinct().ToList(), target(folder), change, reason: null,
            id => new ItemResult(id, "not_found", $"no media item with id {id} on this site"),
            item => skip(item, folder),
            item => new ItemResult(item.PostId, movedStatus, null, item.FolderId), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<IReadOnlyList<ItemResult>>.Ok(results);
    }

    /// <summary>
    /// The one per-item folder move (folders' add and remove, the cleanup's archive): for each requested media item of
    /// the site, <paramref name="notFound"/>, or <paramref name="skip"/>'s result, or a move to <paramref name="target"/>
    /// with its change record (the previous folder, and <paramref name="reason"/> when given). The moves are staged on
    /// the context, not saved: the caller saves them in its own transaction, with whatever else it changes.
    /// </summary>
    internal async Task<List<TResult>> StageMovesAsync<TResult>(
        long siteId, IReadOnlyList<long> ids, long? target, RecordChange change, string? reason,
        Func<long, TResult> notFound, Func<MediaFile, TResult?> skip, Func<MediaFile, TResult> moved, CancellationToken ct)
        where TResult : class
    {
        var media = await db.MediaFiles.Where(m => m.SiteId == siteId && ids.Contains(m.PostId)).ToDictionaryAsync(m => m.PostId, ct);
        var results = new List<TResult>();
        foreach (var id in ids)
        {
            if (!media.TryGetValue(id, out var item)) results.Add(notFound(id));
            else if (skip(item) is { } other) results.Add(other);
            else
            {
                results.Add(moved(item));
                object before = reason is null ? new { folder_id = item.FolderId } : new { folder_id = item.FolderId, reason };
                db.ChangeRecords.Add(change(MediaChanges.Media, id, "move", before));
                item.FolderId = target;
            }
        }
        return results;
    }

    private static List<MediaFolder> Subtree(List<MediaFolder> all, long rootId)
    {
        // Breadth first: parents before children.
        var result = new List<MediaFolder> { all.First(f => f.Id == rootId) };
        for (var i = 0; i < result.Count; i++)
            result.AddRange(all.Where(f => f.ParentId == result[i].Id && f.Id != rootId));
        return result;
    }

    private async Task<HashSet<long>> AncestorIdsAsync(long siteId, MediaFolder folder, CancellationToken ct)
    {
        var parents = await db.MediaFolders.AsNoTracking().Where(f => f.SiteId == siteId).ToDictionaryAsync(f => f.Id, f => f.ParentId, ct);
        var result = new HashSet<long>();
        for (var p = folder.ParentId; p is { } id && result.Add(id);) p = parents.GetValueOrDefault(id);
        return result;
    }

    private async Task<int> DepthAsync(long siteId, MediaFolder folder, CancellationToken ct) => (await AncestorIdsAsync(siteId, folder, ct)).Count + 1;

    private async Task<int> SubtreeHeightAsync(long siteId, long folderId, CancellationToken ct)
    {
        var all = await db.MediaFolders.AsNoTracking().Where(f => f.SiteId == siteId).ToListAsync(ct);
        int Height(long id, int guard) => guard > MaxDepth * 2 ? 0 : 1 + all.Where(f => f.ParentId == id).Select(f => Height(f.Id, guard + 1)).DefaultIfEmpty(0).Max();
        return Height(folderId, 0);
    }

    private async Task<MediaFolder?> SiblingNamedAsync(long siteId, long? parentId, string name, long? exceptId, CancellationToken ct)
    {
        var key = FolderNames.Normalize(name);
        return await db.MediaFolders.AsNoTracking()
            .FirstOrDefaultAsync(f => f.SiteId == siteId && f.ParentId == parentId && f.NormalizedName == key && f.Id != exceptId, ct);
    }

    private static Problem Duplicate(MediaFolder clash, MediaFolder? parent) =>
        Problem.Conflict($"a folder named '{clash.Name}' (id {clash.Id}) already exists {(parent is null ? "at the top level" : $"in '{parent.Name}'")}; names are unique among siblings regardless of case");

    /// <summary>Saves; false when the sibling-name unique index refused it (a concurrent create won the race).</summary>
    private async Task<bool> TrySaveUniqueAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}

internal sealed record DeletedFolders(IReadOnlyList<long> FolderIds, int UnassignedMedia, int DeletedRules);
