using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Media;

/// <summary>An upload as the media/upload ability and the media page give it; the bytes come separately as a stream.</summary>
internal sealed record UploadRequest(string FileName, string? Title = null, string? AltText = null, string? Caption = null, FolderRef? Folder = null, long? AttachTo = null);

/// <summary>A stored media item, as the upload answers it.</summary>
internal sealed record UploadedMedia(long Id, string Url, string FileName, string Title, string Mime, long SizeBytes, int? Width, int? Height, string Sha256,
    long? FolderId, string? FolderPath, string? PlacedByRule);

/// <summary>
/// The one upload path (the media/upload ability and the media page's multipart form): stage the bytes with the size
/// limit, take the real type from the content (<see cref="FileSniffer"/>), read image dimensions, choose the folder
/// (the one given, else the first enabled rule that matches), move the file to its address, then write the attachment
/// post, its media record and the change record in one transaction. If that transaction fails the file is deleted,
/// so a file exists exactly when its row does (a crash between the two leaves only an unreferenced file, never a row
/// without its file).
/// </summary>
internal sealed class MediaUploader(
    PressDbContext db, SiteSequences sequences, MediaStorage storage, MediaOptions options, MediaFolderService folders, MediaRuleService rules,
    SiteUrls urls, TimeProvider clock)
{
    public const int MaxTitle = 1000;
    public const int MaxAltText = 1000;
    public const int MaxCaption = 10_000;

    public async Task<Outcome<UploadedMedia>> UploadAsync(Site site, SiteActor actor, Stream content, UploadRequest request, RecordChange change, CancellationToken ct)
    {
        if (request.Title?.Length > MaxTitle) return Problem.Invalid($"title must be at most {MaxTitle} characters");
        if (request.AltText?.Length > MaxAltText) return Problem.Invalid($"alt_text must be at most {MaxAltText} characters");
        if (request.Caption?.Length > MaxCaption) return Problem.Invalid($"caption must be at most {MaxCaption} characters");

        MediaFolder? folder = null;
        if (request.Folder is { } reference)
        {
            var found = await folders.ResolveAsync(site.Id, reference, ct);
            if (!found.Succeeded) return found.Problem!;
            folder = found.Value;
        }
        Post? parent = null;
        if (request.AttachTo is { } postId)
        {
            parent = await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == postId && p.Type != PostTypes.Attachment, ct);
            if (parent is null) return Problem.NotFound($"no post or page {postId} to attach the file to");
            if (!Permissions.Can(actor, Caps.EditPost, parent.Facts))
                return Problem.Forbidden($"your role may not edit post {postId}, so you cannot attach media to it (missing {string.Join(", ", Permissions.MissingCapabilities(actor, Caps.EditPost, parent.Facts))})");
        }

        using var staged = await storage.StageAsync(content, options.MaxUploadBytes, ct);
        if (staged is null)
            return Problem.Invalid($"the file is larger than the upload limit of {options.MaxUploadText} ({options.MaxUploadBytes} bytes)");
        if (staged.Length == 0) return Problem.Invalid("the file is empty");
        var type = FileSniffer.Sniff(staged.Content);
        if (!type.Accepted)
            return Problem.Invalid($"this type of file is not accepted: its content is {type.Description} (whatever its name says). " +
                "Accepted: images (JPEG, PNG, GIF, WebP, AVIF, HEIC, SVG), audio (MP3, AAC, M4A, OGG, WAV, FLAC), video (MP4, MOV, M4V, WebM, OGG), PDF and office documents");
        var size = type.Kind == MediaKind.Image ? ImageSize.Read(staged.Content, type.Mime!) : null;

        var now = clock.GetUtcNow().UtcDateTime;
        var displayName = MediaStorage.DisplayName(request.FileName);
        var title = string.IsNullOrWhiteSpace(request.Title) ? Path.GetFileNameWithoutExtension(displayName) : request.Title.Trim();
        string? placedBy = null;
        if (folder is null)
        {
            var facts = new MediaFacts(0, displayName, type.Mime, staged.Length, size?.Width, size?.Height, now, actor.UserId, null, title, request.AltText ?? "", request.Caption ?? "");
            if (RuleMatcher.First(await rules.ListAsync(site.Id, ct), facts) is { } rule)
            {
                folder = await db.MediaFolders.AsNoTracking().FirstAsync(f => f.Id == rule.FolderId, ct);
                placedBy = rule.Name;
            }
        }

        var storagePath = storage.Place(staged, site.Id, now, MediaStorage.SafeBaseName(displayName), MediaStorage.ExtensionFor(displayName, type));
        var url = $"{urls.BaseOf(site)}/wp-content/uploads/{storagePath}";
        long id;
        try
        {
            var slugBase = Slugs.FromTitle(title) is { Length: > 0 } s ? s : "attachment";
            var slug = await Slugs.UniqueAsync(slugBase, c => db.Posts.AnyAsync(p => p.SiteId == site.Id && p.Type == PostTypes.Attachment && p.Slug == c, ct));
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            id = await sequences.NextPostIdsAsync(site.Id, 1, ct);
            db.Posts.Add(new Post
            {
                SiteId = site.Id,
                Id = id,
                Type = PostTypes.Attachment,
                Status = PostStatuses.Inherit,
                Title = title,
                Excerpt = request.Caption?.Trim() ?? "",
                Slug = slug,
                AuthorId = actor.UserId,
                DateUtc = now,
                ModifiedUtc = now,
                ParentId = parent?.Id,
                CommentStatus = OpenClosed.Closed,
                PingStatus = OpenClosed.Closed,
                MimeType = type.Mime,
                Guid = url,
            });
            db.MediaFiles.Add(new MediaFile
            {
                SiteId = site.Id,
                PostId = id,
                StoragePath = storagePath,
                FileName = displayName,
                SizeBytes = staged.Length,
                Width = size?.Width,
                Height = size?.Height,
                AltText = request.AltText?.Trim() ?? "",
                ContentHash = staged.Sha256,
                FolderId = folder?.Id,
            });
            db.ChangeRecords.Add(change(MediaChanges.Media, id, "create", null));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            // No row, no file: the move above is undone when the transaction did not commit.
            storage.Delete(site.Id, storagePath);
            db.ChangeTracker.Clear();
            throw;
        }
        var folderPath = folder is null ? null : (await folders.TreeAsync(site.Id, ct)).FirstOrDefault(f => f.Id == folder.Id)?.Path;
        return Outcome<UploadedMedia>.Ok(new UploadedMedia(id, url, displayName, title, type.Mime!, staged.Length, size?.Width, size?.Height, staged.Sha256,
            folder?.Id, folderPath, placedBy));
    }
}
