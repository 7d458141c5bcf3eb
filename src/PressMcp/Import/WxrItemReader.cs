using PressMcp.Content;
using PressMcp.Sites;

namespace PressMcp.Import;

/// <summary>
/// Reads one &lt;item&gt; (a post, page, attachment or something we skip) with its categories, custom
/// fields and comments, and checks what the database will need: ids, dates, statuses and lengths.
/// An item it cannot import (content or excerpt longer than the content bound; neither a wp:post_id nor a GUID to know it
/// by) is skipped with a warning naming its line, as is a comment longer than the bound; the rest of the file is imported.
/// </summary>
internal sealed class WxrItemReader(WxrCursor cursor, TimeZoneInfo siteZone)
{
    private readonly List<WxrWarning> _warnings = [];

    private static readonly string[] ImportedTypes = [PostTypes.Post, PostTypes.Page, PostTypes.Attachment];
    private static readonly string[] Formats = ["aside", "gallery", "link", "image", "quote", "status", "video", "audio", "chat"];

    private const string FormatPrefix = "post-format-";

    public WxrRecord Item()
    {
        var at = cursor.Here;
        var fields = new ItemFields();
        foreach (var name in cursor.Children())
            ReadField(name, fields);

        if (!ImportedTypes.Contains(fields.Type)) return new WxrSkippedItem(fields.Type);
        var bound = cursor.MaxTextLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        if (fields.TooLong is { } field)
            return new WxrWarning(at, $"{Describe(fields)} skipped: its {field} is longer than the content bound of {bound} characters (Content:MaxContentLength)");
        // WordPress's importer imports an item without an id as a new post. Here it also needs a name that stays the same
        // from one import to the next (so a second import finds it instead of copying it): its GUID, when it has one.
        if (fields.SourceId is null && fields.Guid.Length == 0)
            return new WxrWarning(at, "an item with neither wp:post_id nor guid skipped: a second import could not tell it from a new one");
        var sourceId = fields.SourceId ?? 0;

        var where = Describe(fields);
        if (!PostStatuses.IsKnown(fields.Status))
            throw WxrCursor.Fail(at, $"{where}: wp:status '{WxrCursor.Clip(fields.Status)}' is not one of {string.Join(", ", PostStatuses.All)}, {PostStatuses.Inherit}");
        var date = fields.DateGmt ?? Utc(fields.Date) ?? fields.ModifiedGmt ?? Utc(fields.Modified) ?? DateTime.UnixEpoch;
        return new WxrItem
        {
            SourceId = sourceId,
            Guid = fields.Guid,
            Type = fields.Type,
            Status = fields.Status,
            Title = fields.Title,
            Content = fields.Content,
            Excerpt = fields.Excerpt,
            Slug = fields.Slug,
            Creator = fields.Creator,
            DateUtc = date,
            ModifiedUtc = fields.ModifiedGmt ?? Utc(fields.Modified) ?? date,
            ParentSourceId = fields.Parent,
            MenuOrder = fields.MenuOrder,
            Sticky = fields.Sticky,
            CommentStatus = OpenOrClosed(at, where, "wp:comment_status", fields.CommentStatus),
            PingStatus = OpenOrClosed(at, where, "wp:ping_status", fields.PingStatus),
            Password = fields.Password,
            Format = fields.Format,
            AttachmentUrl = fields.AttachmentUrl,
            Terms = fields.Terms,
            Meta = fields.Meta,
            Comments = fields.Comments,
        };
    }

    /// <summary>The warnings of the last item read (comments it left out); the reader yields them after the item.</summary>
    public List<WxrWarning> TakeWarnings()
    {
        var taken = _warnings.ToList();
        _warnings.Clear();
        return taken;
    }

    private static string Describe(ItemFields f) => f.SourceId is { } id ? $"item {id}" : $"item '{WxrCursor.Clip(f.Guid)}' (no wp:post_id)";

    /// <summary>WordPress percent-encodes slugs in other scripts; we keep them readable (see <see cref="Slugs"/>).</summary>
    public static string DecodeSlug(string slug)
    {
        slug = slug.Trim();
        return slug.Contains('%') ? Uri.UnescapeDataString(slug) : slug;
    }

    private void ReadField(string name, ItemFields f)
    {
        switch (cursor.Namespace, name)
        {
            case (WxrNamespace.None, "title"): f.Title = cursor.Text(); break;
            case (WxrNamespace.None, "guid"): f.Guid = cursor.Bounded("guid", 255); break;
            case (WxrNamespace.None, "category"): ItemTerm(f); break;
            case (WxrNamespace.Content, "encoded"): f.Content = Bounded(f, "content:encoded"); break;
            case (WxrNamespace.Excerpt, "encoded"): f.Excerpt = Bounded(f, "excerpt:encoded"); break;
            case (WxrNamespace.Dc, "creator"): f.Creator = cursor.Text().Trim(); break;
            case (WxrNamespace.Wp, _): WpField(name, f); break;
        }
    }

    private void WpField(string name, ItemFields f)
    {
        switch (name)
        {
            case "post_id": f.SourceId = PostId(); break;
            case "post_date": f.Date = cursor.Date("wp:post_date"); break;
            case "post_date_gmt": f.DateGmt = AsUtc(cursor.Date("wp:post_date_gmt")); break;
            case "post_modified": f.Modified = cursor.Date("wp:post_modified"); break;
            case "post_modified_gmt": f.ModifiedGmt = AsUtc(cursor.Date("wp:post_modified_gmt")); break;
            case "comment_status": f.CommentStatus = cursor.Text().Trim(); break;
            case "ping_status": f.PingStatus = cursor.Text().Trim(); break;
            case "post_name": f.Slug = Slug(); break;
            case "status": f.Status = cursor.Text().Trim(); break;
            case "post_parent": f.Parent = cursor.Long("wp:post_parent", 0); break;
            case "menu_order": f.MenuOrder = cursor.Int("wp:menu_order"); break;
            case "post_type": f.Type = cursor.Text().Trim(); break;
            case "post_password": f.Password = cursor.Bounded("wp:post_password", 255); break;
            case "is_sticky": f.Sticky = cursor.Long("wp:is_sticky", 0) > 0; break;
            case "attachment_url": f.AttachmentUrl = cursor.Bounded("wp:attachment_url", 2000); break;
            case "postmeta": f.Meta.Add(Meta()); break;
            case "comment": Comment(f); break;
        }
    }

    /// <summary>The content or excerpt, or "" when it is longer than the bound (the item will be skipped; the text is not kept).</summary>
    private string Bounded(ItemFields f, string field)
    {
        if (cursor.TextWithin(cursor.MaxTextLength) is { } text) return text;
        f.TooLong ??= field;
        return "";
    }

    private void Comment(ItemFields f)
    {
        var at = cursor.Here;
        var comment = new WxrCommentReader(cursor, siteZone).Comment();
        if (comment is not null) f.Comments.Add(comment);
        else _warnings.Add(new WxrWarning(at, $"a comment of {Describe(f)} skipped: its wp:comment_content is longer than the content bound of {cursor.MaxTextLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters (Content:MaxContentLength)"));
    }

    /// <summary>The id, or null for an empty wp:post_id (treated as none, as WordPress does).</summary>
    private long? PostId()
    {
        var id = cursor.Long("wp:post_id", 0);
        return id > 0 ? id : null;
    }

    private string Slug()
    {
        var at = cursor.Here;
        var slug = DecodeSlug(cursor.Text());
        return slug.Length <= Slugs.MaxLength ? slug : throw WxrCursor.Fail(at, $"wp:post_name is longer than {Slugs.MaxLength} characters");
    }

    /// <summary>&lt;category domain="category|post_tag|post_format" nicename="slug"&gt;Name&lt;/category&gt;; others are not imported.</summary>
    private void ItemTerm(ItemFields f)
    {
        var at = cursor.Here;
        var domain = cursor.Attribute("domain");
        var slug = DecodeSlug(cursor.Attribute("nicename"));
        var name = cursor.Text().Trim();
        if (slug.Length == 0) slug = Slugs.FromTitle(name);
        var taxonomy = domain switch
        {
            Taxonomies.Category => Taxonomies.Category,
            // WXR 1.0 wrote tags as domain="tag".
            Taxonomies.Tag or "tag" => Taxonomies.Tag,
            _ => null,
        };
        if (domain == "post_format" && slug.StartsWith(FormatPrefix, StringComparison.Ordinal) && Formats.Contains(slug[FormatPrefix.Length..]))
            f.Format = slug[FormatPrefix.Length..];
        if (taxonomy is null || slug.Length == 0) return;
        if (slug.Length > Slugs.MaxLength || name.Length > 200)
            throw WxrCursor.Fail(at, $"the {taxonomy} '{WxrCursor.Clip(name)}' has a name or slug longer than 200 characters");
        f.Terms.Add(new WxrItemTerm(taxonomy, slug, name.Length == 0 ? slug : name));
    }

    private WxrMeta Meta()
    {
        var at = cursor.Here;
        string key = "", value = "";
        foreach (var name in cursor.Children())
        {
            if (cursor.Namespace != WxrNamespace.Wp) continue;
            if (name == "meta_key") key = cursor.Bounded("wp:meta_key", 255);
            else if (name == "meta_value") value = cursor.Text();
        }
        return key.Length > 0 ? new WxrMeta(key, value) : throw WxrCursor.Fail(at, "a wp:postmeta has no wp:meta_key");
    }

    private static string OpenOrClosed(SourcePosition at, string where, string field, string value) => value switch
    {
        "" => OpenClosed.Open,
        OpenClosed.Open or OpenClosed.Closed => value,
        _ => throw WxrCursor.Fail(at, $"{where}: {field} '{WxrCursor.Clip(value)}' is neither open nor closed"),
    };

    private DateTime? Utc(DateTime? local) => local is { } l ? SiteTime.ToUtc(siteZone, l) : null;

    private static DateTime? AsUtc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    /// <summary>The fields of one item as they are read; the record is built once the item ends.</summary>
    private sealed class ItemFields
    {
        public long? SourceId;
        /// <summary>The first field longer than the content bound: the item is skipped.</summary>
        public string? TooLong;
        public string Guid = "", Type = PostTypes.Post, Status = PostStatuses.Draft, Title = "", Content = "", Excerpt = "";
        public string Slug = "", Creator = "", CommentStatus = "", PingStatus = "", Password = "", Format = "standard", AttachmentUrl = "";
        public DateTime? Date, DateGmt, Modified, ModifiedGmt;
        public long Parent;
        public int MenuOrder;
        public bool Sticky;
        public readonly List<WxrItemTerm> Terms = [];
        public readonly List<WxrMeta> Meta = [];
        public readonly List<WxrComment> Comments = [];
    }
}
