using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Sites;

namespace PressMcp.Import;

/// <summary>The rows that go with one page of exported items.</summary>
internal sealed record ExportItemParts(ILookup<long, PostMeta> Meta, ILookup<long, long> TermIds, Dictionary<long, MediaFile> Media, ILookup<long, Comment> Comments);

/// <summary>Writes one &lt;item&gt;: the post's fields in WordPress's order, then its terms, custom fields and comments.</summary>
internal sealed class ExportItemWriter(WxrWriter wxr, Site site, string baseUrl, Dictionary<long, Term> terms, Dictionary<long, string> logins)
{
    public async Task WriteAsync(Post post, ExportItemParts parts)
    {
        var query = post.Type switch { PostTypes.Page => "page_id", PostTypes.Attachment => "attachment_id", _ => "p" };
        var link = $"{baseUrl}/?{query}={post.Id}";
        await wxr.StartAsync("item");
        await wxr.CDataElementAsync(null, "title", null, post.Title);
        await wxr.PlainAsync("link", link);
        await wxr.PlainAsync("pubDate", post.DateUtc.ToString("r", System.Globalization.CultureInfo.InvariantCulture));
        await wxr.CDataElementAsync("dc", "creator", WxrCursor.DcNamespace, post.AuthorId is { } a ? logins.GetValueOrDefault(a, "") : "");
        await wxr.GuidAsync(post.Guid.Length > 0 ? post.Guid : link);
        await wxr.PlainAsync("description", "");
        await wxr.CDataElementAsync("content", "encoded", WxrCursor.ContentNamespace, post.Content);
        await wxr.CDataElementAsync("excerpt", "encoded", WxrWriter.ExcerptNamespace, post.Excerpt);
        await wxr.WpAsync("post_id", post.Id);
        await wxr.WpDateAsync("post_date", SiteTime.ToLocal(site, post.DateUtc));
        await wxr.WpDateAsync("post_date_gmt", post.DateUtc);
        await wxr.WpDateAsync("post_modified", SiteTime.ToLocal(site, post.ModifiedUtc));
        await wxr.WpDateAsync("post_modified_gmt", post.ModifiedUtc);
        await wxr.WpCDataAsync("comment_status", post.CommentStatus);
        await wxr.WpCDataAsync("ping_status", post.PingStatus);
        await wxr.WpCDataAsync("post_name", post.Slug);
        await wxr.WpCDataAsync("status", post.Status);
        await wxr.WpAsync("post_parent", post.ParentId ?? 0);
        await wxr.WpAsync("menu_order", post.MenuOrder);
        await wxr.WpCDataAsync("post_type", post.Type);
        await wxr.WpCDataAsync("post_password", post.Password);
        await wxr.WpAsync("is_sticky", post.Sticky ? 1 : 0);
        var media = parts.Media.GetValueOrDefault(post.Id);
        if (post.Type == PostTypes.Attachment) await wxr.WpCDataAsync("attachment_url", media?.SourceUrl ?? (media?.StoragePath is { } path ? $"{baseUrl}/{path.Replace('\\', '/')}" : ""));
        await TermsAsync(post, parts.TermIds[post.Id]);
        await MetaAsync(parts.Meta[post.Id].ToList(), media);
        foreach (var comment in parts.Comments[post.Id]) await CommentAsync(comment);
        await wxr.EndAsync();
    }

    private async Task TermsAsync(Post post, IEnumerable<long> termIds)
    {
        foreach (var term in termIds.Select(id => terms.GetValueOrDefault(id)).OfType<Term>().OrderBy(t => t.Taxonomy, StringComparer.Ordinal).ThenBy(t => t.Slug, StringComparer.Ordinal))
            await wxr.ItemTermAsync(term.Taxonomy, term.Slug, term.Name);
        if (post.Format is { Length: > 0 } format && format != "standard")
            await wxr.ItemTermAsync("post_format", "post-format-" + format, char.ToUpperInvariant(format[0]) + format[1..]);
    }

    /// <summary>The custom fields; an attachment's alt text comes from its media record, which is where it is edited.</summary>
    private async Task MetaAsync(List<PostMeta> meta, MediaFile? media)
    {
        var alt = meta.FindLastIndex(m => m.Key == PostImport.AltTextKey);
        var rows = meta.Select(m => (m.Key, m.Value)).ToList();
        if (media is { AltText.Length: > 0 } && alt < 0) rows.Add((PostImport.AltTextKey, media.AltText));
        else if (media is not null && alt >= 0 && PostImport.AltText(meta[alt].Value) != media.AltText) rows[alt] = (PostImport.AltTextKey, media.AltText);
        foreach (var (key, value) in rows)
        {
            await wxr.StartWpAsync("postmeta");
            await wxr.WpCDataAsync("meta_key", key);
            await wxr.WpCDataAsync("meta_value", value);
            await wxr.EndAsync();
        }
    }

    private async Task CommentAsync(Comment c)
    {
        await wxr.StartWpAsync("comment");
        await wxr.WpAsync("comment_id", c.Id);
        await wxr.WpCDataAsync("comment_author", c.AuthorName);
        await wxr.WpCDataAsync("comment_author_email", c.AuthorEmail);
        await wxr.WpCDataAsync("comment_author_url", c.AuthorUrl);
        await wxr.WpCDataAsync("comment_author_IP", c.AuthorIp);
        await wxr.WpDateAsync("comment_date", SiteTime.ToLocal(site, c.DateUtc));
        await wxr.WpDateAsync("comment_date_gmt", c.DateUtc);
        await wxr.WpCDataAsync("comment_content", c.Content);
        await wxr.WpCDataAsync("comment_approved", Approved(c.Status));
        await wxr.WpCDataAsync("comment_type", c.Type);
        await wxr.WpAsync("comment_parent", c.ParentId ?? 0);
        await wxr.WpAsync("comment_user_id", c.UserId ?? 0);
        await wxr.EndAsync();
    }

    /// <summary>Our statuses back to WordPress's comment_approved values.</summary>
    private static string Approved(string status) => status switch
    {
        CommentStatuses.Approved => "1",
        CommentStatuses.Spam => "spam",
        CommentStatuses.Trash => "trash",
        _ => "0",
    };
}
