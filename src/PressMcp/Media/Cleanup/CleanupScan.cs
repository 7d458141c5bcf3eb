using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Media.Scans;

namespace PressMcp.Media.Cleanup;

internal static class CleanupReasons
{
    public const string Unused = "unused";
    public const string Duplicate = "duplicate";
    public const string Oversized = "oversized";

    public static readonly IReadOnlyList<string> All = [Unused, Duplicate, Oversized];
}

/// <summary>What a cleanup scan looks for; thresholds have WordPress-like defaults.</summary>
internal sealed record CleanupScanOptions(IReadOnlyList<string> Types, long MaxBytes, int MaxPixels)
{
    /// <summary>Files above 2 MB are worth a look on most sites.</summary>
    public const long DefaultMaxBytes = 2L * 1024 * 1024;
    /// <summary>WordPress's own <c>big_image_size_threshold</c>: it scales uploads above 2560 pixels down.</summary>
    public const int DefaultMaxPixels = 2560;

    public string ToJson() => JsonSerializer.Serialize(new { types = Types, max_bytes = MaxBytes, max_pixels = MaxPixels });

    public static CleanupScanOptions From(JsonElement o) => new(
        o.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToList(),
        o.GetProperty("max_bytes").GetInt64(),
        o.GetProperty("max_pixels").GetInt32());
}

/// <summary>
/// The cleanup scan. Unused: no parent post, no post's <c>_thumbnail_id</c>, and neither its id nor its file named in
/// any post's content (<see cref="MediaReferences"/>). Duplicate: the same SHA-256 of the bytes as an older item (the
/// oldest upload of each set is kept, the others are flagged with <c>duplicate_of</c>); imported records without a file
/// have no hash and are never duplicates. Oversized: more bytes than <c>max_bytes</c>, or a width or height above
/// <c>max_pixels</c>. The work is counted as the posts read for references plus the media items examined.
/// </summary>
internal sealed class CleanupScan : IScanWork
{
    private const int PostPage = 200;
    private const int MediaBatch = 200;

    public string Kind => ScanKinds.Cleanup;

    private sealed record Item(long Id, long? ParentId, string? StoragePath, string? SourceUrl, string FileName, long SizeBytes, int? Width, int? Height,
        string? Hash, DateTime UploadedUtc, string Status);

    public async Task RunAsync(ScanContext context, CancellationToken ct)
    {
        var db = context.Db;
        var siteId = context.Scan.SiteId;
        var options = CleanupScanOptions.From(context.Options);
        var types = options.Types.ToHashSet(StringComparer.Ordinal);

        var items = (await db.MediaFiles.AsNoTracking().Where(m => m.SiteId == siteId)
            .Join(db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && p.Type == PostTypes.Attachment), m => m.PostId, p => p.Id,
                (m, p) => new { m.PostId, p.ParentId, m.StoragePath, m.SourceUrl, m.FileName, m.SizeBytes, m.Width, m.Height, m.ContentHash, p.DateUtc, p.Status })
            .OrderBy(i => i.PostId).ToListAsync(ct))
            .Select(x => new Item(x.PostId, x.ParentId, x.StoragePath, x.SourceUrl, x.FileName, x.SizeBytes, x.Width, x.Height, x.ContentHash, x.DateUtc, x.Status))
            .ToList();
        var posts = types.Contains(CleanupReasons.Unused)
            ? await db.Posts.CountAsync(p => p.SiteId == siteId && p.Type != PostTypes.Attachment, ct)
            : 0;
        await context.SetTotalAsync(posts + items.Count, ct);

        var references = new MediaReferences();
        var thumbnails = new HashSet<long>();
        if (types.Contains(CleanupReasons.Unused))
        {
            foreach (var value in await db.PostMeta.AsNoTracking().Where(m => m.SiteId == siteId && m.Key == "_thumbnail_id").Select(m => m.Value).ToListAsync(ct))
                if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) thumbnails.Add(id);
            // Keyset pages: memory holds one page of content at a time, whatever the size of the site.
            long after = 0;
            while (true)
            {
                var page = await db.Posts.AsNoTracking()
                    .Where(p => p.SiteId == siteId && p.Type != PostTypes.Attachment && p.Id > after)
                    .OrderBy(p => p.Id).Select(p => new { p.Id, p.Content, p.Excerpt }).Take(PostPage).ToListAsync(ct);
                if (page.Count == 0) break;
                foreach (var p in page)
                {
                    references.Add(p.Content);
                    references.Add(p.Excerpt);
                }
                after = page[^1].Id;
                await context.ReportAsync(page.Count, [], ct);
            }
        }

        // The oldest item of each set of equal bytes is the one kept.
        var keep = items.Where(i => i.Hash is not null).GroupBy(i => i.Hash!)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.UploadedUtc).ThenBy(i => i.Id).First().Id, StringComparer.Ordinal);

        foreach (var batch in items.Chunk(MediaBatch))
        {
            var results = new List<MediaScanResult>();
            foreach (var item in batch)
            {
                if (types.Contains(CleanupReasons.Unused) && item.ParentId is null && !thumbnails.Contains(item.Id) && !references.Ids.Contains(item.Id)
                    && (MediaReferences.KeyOf(item.StoragePath, item.SourceUrl) is not { } key || !references.Files.Contains(key)))
                {
                    results.Add(Result(item, CleanupReasons.Unused, new { file_name = item.FileName, size_bytes = item.SizeBytes, status = item.Status }));
                }
                if (types.Contains(CleanupReasons.Duplicate) && item.Hash is not null && keep.TryGetValue(item.Hash, out var original) && original != item.Id)
                {
                    results.Add(Result(item, CleanupReasons.Duplicate, new { file_name = item.FileName, size_bytes = item.SizeBytes, duplicate_of = original, content_hash = item.Hash }));
                }
                if (types.Contains(CleanupReasons.Oversized))
                {
                    var tooHeavy = item.SizeBytes > options.MaxBytes;
                    var tooLarge = item.Width > options.MaxPixels || item.Height > options.MaxPixels;
                    if (tooHeavy || tooLarge)
                    {
                        results.Add(Result(item, CleanupReasons.Oversized, new
                        {
                            file_name = item.FileName, size_bytes = item.SizeBytes, width = item.Width, height = item.Height,
                            over_bytes = tooHeavy, over_pixels = tooLarge, max_bytes = options.MaxBytes, max_pixels = options.MaxPixels,
                        }));
                    }
                }
            }
            await context.ReportAsync(batch.Length, results, ct);
        }
    }

    private static MediaScanResult Result(Item item, string reason, object detail) => new()
    {
        AttachmentId = item.Id,
        Reason = reason,
        Detail = JsonSerializer.Serialize(detail),
    };
}
