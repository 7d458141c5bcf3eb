using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// Posts, pages and attachments of one batch, with their categories, tags and (attachments) media records.
/// A post already imported from the same key is compared field by field: updated when the file differs,
/// skipped when it does not. Nothing is downloaded: an attachment's file stays at its source URL.
/// </summary>
internal sealed class PostImport(PressDbContext db)
{
    public const string AltTextKey = "_wp_attachment_image_alt";

    public async Task ApplyAsync(Site site, IReadOnlyList<StagedItem> batch, ImportContext context, CancellationToken ct)
    {
        var ids = batch.Where(i => !i.IsNew).Select(i => i.LocalId).ToList();
        var posts = await db.Posts.Where(p => p.SiteId == site.Id && ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var terms = (await db.PostTerms.Where(t => t.SiteId == site.Id && ids.Contains(t.PostId)).ToListAsync(ct)).ToLookup(t => t.PostId);
        var media = await db.MediaFiles.Where(m => m.SiteId == site.Id && ids.Contains(m.PostId)).ToDictionaryAsync(m => m.PostId, ct);

        foreach (var staged in batch)
        {
            var desired = Desired(site, staged);
            var termIds = staged.TermKeys.Select(context.Terms.Find).OfType<long>().ToHashSet();
            var kind = KindOf(desired.Type);
            if (staged.IsNew)
            {
                desired.CommentCount = staged.CommentCountAtInsert ?? 0;
                await context.Rows.PostAsync(desired, ct);
                await context.Rows.KeyAsync(site.Id, ImportKinds.Post, staged.Item.Key, desired.Id, ct);
                foreach (var termId in termIds) await context.Rows.PostTermAsync(site.Id, desired.Id, termId, ct);
                if (desired.Type == PostTypes.Attachment) await context.Rows.MediaAsync(SyncMedia(new MediaFile { SiteId = site.Id, PostId = desired.Id }, staged.Item).File, ct);
                context.Report.Created(kind);
                continue;
            }
            var post = posts[staged.LocalId];
            var changed = !Same(post, desired);
            if (changed) Copy(desired, post);
            changed |= SyncTerms(site, post.Id, terms[post.Id].ToList(), termIds);
            if (desired.Type == PostTypes.Attachment)
            {
                var (file, mediaChanged) = SyncMedia(media.GetValueOrDefault(post.Id) ?? new MediaFile { SiteId = site.Id, PostId = post.Id }, staged.Item);
                if (!media.ContainsKey(post.Id)) db.MediaFiles.Add(file);
                changed |= mediaChanged;
            }
            context.Report.Count(kind, created: false, changed);
        }
    }

    public static ImportKind KindOf(string type) => type switch
    {
        PostTypes.Page => ImportKind.Pages,
        PostTypes.Attachment => ImportKind.Attachments,
        _ => ImportKind.Posts,
    };

    private static Post Desired(Site site, StagedItem staged)
    {
        var item = staged.Item;
        return new Post
        {
            SiteId = site.Id,
            Id = staged.LocalId,
            Type = item.Type,
            Status = item.Status,
            Title = item.Title,
            Content = item.Content,
            Excerpt = item.Excerpt,
            Slug = staged.Plan.Slug,
            AuthorId = staged.Plan.AuthorId,
            DateUtc = item.DateUtc,
            ModifiedUtc = item.ModifiedUtc,
            ParentId = staged.ParentLocalId,
            MenuOrder = item.MenuOrder,
            Sticky = item.Sticky,
            CommentStatus = item.CommentStatus,
            PingStatus = item.PingStatus,
            Format = item.Format,
            Password = item.Password,
            MimeType = staged.Plan.MimeType,
            Guid = item.Guid,
        };
    }

    /// <summary>The fields an export carries (not the comment count, which is derived).</summary>
    private static bool Same(Post a, Post b) =>
        (a.Type, a.Status, a.Title, a.Content, a.Excerpt, a.Slug, a.AuthorId, a.DateUtc, a.ModifiedUtc) ==
        (b.Type, b.Status, b.Title, b.Content, b.Excerpt, b.Slug, b.AuthorId, b.DateUtc, b.ModifiedUtc) &&
        (a.ParentId, a.MenuOrder, a.Sticky, a.CommentStatus, a.PingStatus, a.Format, a.Password, a.MimeType, a.Guid) ==
        (b.ParentId, b.MenuOrder, b.Sticky, b.CommentStatus, b.PingStatus, b.Format, b.Password, b.MimeType, b.Guid);

    private static void Copy(Post from, Post to)
    {
        (to.Type, to.Status, to.Title, to.Content, to.Excerpt, to.Slug, to.AuthorId, to.DateUtc, to.ModifiedUtc) =
            (from.Type, from.Status, from.Title, from.Content, from.Excerpt, from.Slug, from.AuthorId, from.DateUtc, from.ModifiedUtc);
        (to.ParentId, to.MenuOrder, to.Sticky, to.CommentStatus, to.PingStatus, to.Format, to.Password, to.MimeType, to.Guid) =
            (from.ParentId, from.MenuOrder, from.Sticky, from.CommentStatus, from.PingStatus, from.Format, from.Password, from.MimeType, from.Guid);
    }

    /// <summary>Makes the post's categories and tags those of the file; true when anything changed.</summary>
    private bool SyncTerms(Site site, long postId, List<PostTerm> current, HashSet<long> wanted)
    {
        var stale = current.Where(t => !wanted.Contains(t.TermId)).ToList();
        var missing = wanted.Except(current.Select(t => t.TermId)).ToList();
        db.PostTerms.RemoveRange(stale);
        db.PostTerms.AddRange(missing.Select(id => new PostTerm { SiteId = site.Id, PostId = postId, TermId = id }));
        return stale.Count > 0 || missing.Count > 0;
    }

    /// <summary>
    /// The media record of an attachment: where the file is, its name and alt text (also kept as the
    /// <c>_wp_attachment_image_alt</c> custom field, in full; the record's copy is cut to its column).
    /// </summary>
    private static (MediaFile File, bool Changed) SyncMedia(MediaFile file, WxrItem item)
    {
        var (url, name, alt) = MediaOf(item.AttachmentUrl, item.Guid, item.Meta.LastOrDefault(m => m.Key == AltTextKey)?.Value);
        var changed = file.SourceUrl != url || file.FileName != name || file.AltText != alt;
        (file.SourceUrl, file.FileName, file.AltText) = (url, name, alt);
        return (file, changed);
    }

    /// <summary>An attachment's file URL (its GUID when the export has no attachment URL), file name and alt text.</summary>
    public static (string Url, string FileName, string AltText) MediaOf(string attachmentUrl, string guid, string? altMeta)
    {
        var url = attachmentUrl.Length > 0 ? attachmentUrl : guid;
        return (url, Clip(FileNameOf(url), 255), AltText(altMeta ?? ""));
    }

    /// <summary>The last path segment of a URL, unescaped ("2008/06/canola2.jpg" → "canola2.jpg").</summary>
    public static string FileNameOf(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url.Split('?', '#')[0];
        return Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
    }

    /// <summary>The media record's copy of an alt text, cut to its column.</summary>
    public static string AltText(string metaValue) => Clip(metaValue, 1000);

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>What every batch of pass 2 needs: who the authors are, the terms, the slugs handed out, the counts, the inserts.</summary>
internal sealed record ImportContext(AuthorMap Authors, TermMap Terms, ImportReport Report, ImportRows Rows);
