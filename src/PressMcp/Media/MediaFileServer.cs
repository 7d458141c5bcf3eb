using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Media;

/// <summary>
/// Answers for a stored file: its stored type, an ETag from its SHA-256, range requests (206) and conditional requests
/// (304) by ASP.NET Core's file result. Only images (not SVG), audio, video and PDF are shown inline; everything else,
/// above all anything a browser could run (SVG, HTML, XML), is a download (<c>Content-Disposition: attachment</c>), and
/// every answer forbids sniffing and carries a policy that runs no script. Responses may be stored but are revalidated
/// every time (<c>no-cache</c>), so a file whose post is unpublished stops being served at once.
/// </summary>
internal sealed class MediaFileServer(PressDbContext db, MediaStorage storage)
{
    private const string InlinePolicy = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
    // Chromium's PDF viewer does not run in a sandboxed document; PDF script, if any, runs in the viewer's own sandbox.
    private const string PdfPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'";
    private const string DownloadPolicy = "default-src 'none'; sandbox";

    /// <summary>A media item found for serving, with what decides whether the public may see it.</summary>
    internal sealed record Found(MediaFile File, Post Attachment, Post? AttachedTo);

    public async Task<Found?> FindByPathAsync(long siteId, string storagePath, CancellationToken ct)
    {
        var file = await db.MediaFiles.AsNoTracking().FirstOrDefaultAsync(m => m.SiteId == siteId && m.StoragePath == storagePath, ct);
        return file is null ? null : await CompleteAsync(file, ct);
    }

    public async Task<Found?> FindByIdAsync(long siteId, long postId, CancellationToken ct)
    {
        var file = await db.MediaFiles.AsNoTracking().FirstOrDefaultAsync(m => m.SiteId == siteId && m.PostId == postId && m.StoragePath != null, ct);
        return file is null ? null : await CompleteAsync(file, ct);
    }

    private async Task<Found?> CompleteAsync(MediaFile file, CancellationToken ct)
    {
        var post = await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == file.SiteId && p.Id == file.PostId && p.Type == PostTypes.Attachment, ct);
        if (post is null) return null;
        var parent = post.ParentId is { } pid ? await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == file.SiteId && p.Id == pid, ct) : null;
        return new Found(file, post, parent);
    }

    /// <summary>
    /// WordPress's rule: an unattached file is public; an attached one is public while the post it belongs to is
    /// (published, without a password). A trashed attachment is never public.
    /// </summary>
    public static bool IsPublic(Found found) =>
        found.Attachment.Status == PostStatuses.Inherit
        && (found.Attachment.ParentId is null
            || found.AttachedTo is { Status: PostStatuses.Publish, Password: "" });

    public static bool ShowsInline(string mime) =>
        mime == "application/pdf" || (mime != "image/svg+xml" && (mime.StartsWith("image/", StringComparison.Ordinal) || mime.StartsWith("audio/", StringComparison.Ordinal) || mime.StartsWith("video/", StringComparison.Ordinal)));

    public IResult Serve(HttpContext http, Found found, bool publicCache)
    {
        var path = storage.PhysicalPath(found.File.SiteId, found.File.StoragePath!);
        if (path is null || !System.IO.File.Exists(path)) return Results.NotFound();
        var mime = found.Attachment.MimeType ?? "application/octet-stream";
        var inline = ShowsInline(mime);
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = !inline ? DownloadPolicy : mime == "application/pdf" ? PdfPolicy : InlinePolicy;
        headers.CacheControl = publicCache ? "public, no-cache" : "private, no-cache";
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        var storedPath = found.File.StoragePath!;
        disposition.SetHttpFileName(storedPath[(storedPath.LastIndexOf('/') + 1)..]);
        headers.ContentDisposition = disposition.ToString();
        var etag = found.File.ContentHash is { Length: > 0 } hash ? new EntityTagHeaderValue("\"" + hash + "\"") : null;
        return Results.File(path, mime, fileDownloadName: null, lastModified: new DateTimeOffset(found.Attachment.ModifiedUtc, TimeSpan.Zero), entityTag: etag, enableRangeProcessing: true);
    }

    /// <summary>The address of a stored file below its site's base URL.</summary>
    public static string UrlOf(string siteBase, string storagePath) => $"{siteBase}/wp-content/uploads/{storagePath}";
}
