using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Content.Authoring;

/// <summary>
/// What a post carries besides its row, kept as post meta the way WordPress keeps it: the featured image
/// (<c>_thumbnail_id</c>, an image attachment of the same site), the custom fields (keys not starting with <c>_</c>,
/// which WordPress reserves for itself) and the trash's memory of the status to restore
/// (<c>_wp_trash_meta_status</c>, <c>_wp_trash_meta_time</c>). The bounds keep one post's fields from growing
/// without limit: every editor page lists them all.
/// </summary>
internal static class PostExtras
{
    public const string ThumbnailKey = "_thumbnail_id";
    public const string TrashStatusKey = "_wp_trash_meta_status";
    public const string TrashTimeKey = "_wp_trash_meta_time";

    public const int MaxKeyLength = 255;
    /// <summary>64 KiB of text per value: more than any custom field a theme or plugin reads, far below a post's content.</summary>
    public const int MaxValueLength = 64 * 1024;
    /// <summary>Custom fields one post may hold, and entries one change may name.</summary>
    public const int MaxFields = 100;

    /// <summary>Whether <paramref name="key"/> is a custom field a person or agent may see and change.</summary>
    public static bool IsCustomField(string key) => !key.StartsWith('_');

    /// <summary>Null when the custom fields asked for are acceptable, otherwise what is wrong (before anything is read or written).</summary>
    public static Problem? CheckMeta(IReadOnlyDictionary<string, string?>? meta)
    {
        if (meta is null) return null;
        if (meta.Count > MaxFields) return Problem.Invalid($"meta: {meta.Count} fields in one change; at most {MaxFields}");
        foreach (var (key, value) in meta)
        {
            if (key.Trim().Length == 0) return Problem.Invalid("meta: a custom field needs a key");
            if (key.Length > MaxKeyLength) return Problem.Invalid($"meta: the key '{key[..40]}…' is longer than {MaxKeyLength} characters");
            if (key != key.Trim()) return Problem.Invalid($"meta: the key '{key}' starts or ends with spaces");
            if (!IsCustomField(key)) return Problem.Invalid($"meta: '{key}' starts with _, which WordPress keeps for its own fields; use a key without it");
            if (value is { Length: > MaxValueLength })
                return Problem.Invalid($"meta: the value of '{key}' is {value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; at most {MaxValueLength.ToString("N0", CultureInfo.InvariantCulture)}");
        }
        return null;
    }

    /// <summary>
    /// WordPress's rule for sticky (rest_cannot_assign_sticky): only posts are sticky, and only a role that may
    /// publish posts or edit others' posts may make one so.
    /// </summary>
    public static Problem? CheckSticky(SiteActor actor, string type, bool? sticky)
    {
        if (sticky is not true) return null;
        if (type != PostTypes.Post) return Problem.Invalid("sticky: only posts can be sticky");
        if (Permissions.Can(actor, Caps.PublishPosts) || Permissions.Can(actor, Caps.EditOthersPosts)) return null;
        return Problem.Forbidden($"your role ({actor.Role ?? "none"}) may not make a post sticky: it needs publish_posts or edit_others_posts");
    }

    /// <summary>Null when <paramref name="featured"/> is absent, 0 (remove) or an image attachment of the site.</summary>
    public static async Task<Problem?> CheckFeaturedAsync(PressDbContext db, long siteId, long? featured, CancellationToken ct)
    {
        if (featured is null or 0) return null;
        var mime = await db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && p.Id == featured && p.Type == PostTypes.Attachment)
            .Select(p => p.MimeType).FirstOrDefaultAsync(ct);
        if (mime is null) return Problem.Invalid($"featured_media: there is no attachment {featured} on this site");
        return mime.StartsWith("image/", StringComparison.Ordinal) ? null : Problem.Invalid($"featured_media: attachment {featured} is {mime}, not an image");
    }

    /// <summary>
    /// Applies the featured image and the custom fields of <paramref name="change"/> to post <paramref name="postId"/> in
    /// the caller's unit of work, recording what they were in <paramref name="before"/> (for the change record).
    /// A key given a value keeps one row with it (WordPress allows repeated keys; setting one replaces them all).
    /// </summary>
    public static async Task<Problem?> ApplyAsync(PressDbContext db, long siteId, long postId, PostChange change, Dictionary<string, object?> before, CancellationToken ct)
    {
        if (change.FeaturedMedia is null && change.Meta is null) return null;
        var rows = await db.PostMeta.Where(m => m.SiteId == siteId && m.PostId == postId).ToListAsync(ct);
        if (change.FeaturedMedia is { } featured)
        {
            var current = rows.Where(r => r.Key == ThumbnailKey).ToList();
            var currentId = current.Select(r => long.TryParse(r.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0).FirstOrDefault();
            if (currentId != featured || current.Count > 1)
            {
                before["featured_media"] = currentId;
                db.PostMeta.RemoveRange(current);
                if (featured > 0)
                    db.PostMeta.Add(new PostMeta { SiteId = siteId, PostId = postId, Key = ThumbnailKey, Value = featured.ToString(CultureInfo.InvariantCulture) });
            }
        }
        if (change.Meta is { } meta)
        {
            var previous = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (key, value) in meta)
            {
                var current = rows.Where(r => r.Key == key).ToList();
                if (value is null ? current.Count == 0 : current.Count == 1 && current[0].Value == value) continue;
                previous[key] = current.Select(r => r.Value).ToList();
                db.PostMeta.RemoveRange(current);
                if (value is not null) db.PostMeta.Add(new PostMeta { SiteId = siteId, PostId = postId, Key = key, Value = value });
            }
            var keys = rows.Where(r => IsCustomField(r.Key)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, value) in meta)
                if (value is null) keys.Remove(key);
                else keys.Add(key);
            if (keys.Count > MaxFields && previous.Keys.Any(k => meta[k] is not null && !previous[k].Any()))
                return Problem.Invalid($"meta: the post would have {keys.Count} custom fields; at most {MaxFields}");
            if (previous.Count > 0) before["meta"] = previous;
        }
        return null;
    }

    /// <summary>The custom fields of a post, in the order they were added.</summary>
    public static Task<List<PostMeta>> CustomFieldsAsync(PressDbContext db, long siteId, long postId, CancellationToken ct) =>
        db.PostMeta.AsNoTracking().Where(m => m.SiteId == siteId && m.PostId == postId && !m.Key.StartsWith("_")).OrderBy(m => m.Id).Take(MaxFields * 2).ToListAsync(ct);

    /// <summary>The featured image's attachment id, or 0.</summary>
    public static async Task<long> FeaturedAsync(PressDbContext db, long siteId, long postId, CancellationToken ct)
    {
        var value = await db.PostMeta.AsNoTracking().Where(m => m.SiteId == siteId && m.PostId == postId && m.Key == ThumbnailKey).Select(m => m.Value).FirstOrDefaultAsync(ct);
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
    }
}
