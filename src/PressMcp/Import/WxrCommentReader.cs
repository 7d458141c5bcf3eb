using PressMcp.Content;
using PressMcp.Sites;

namespace PressMcp.Import;

/// <summary>
/// Reads one &lt;wp:comment&gt; and maps WordPress's comment_approved values to our statuses. A comment whose content is
/// longer than the content bound is read to its end and left out (null): the item reader warns about it.
/// </summary>
internal sealed class WxrCommentReader(WxrCursor cursor, TimeZoneInfo siteZone)
{
    public WxrComment? Comment()
    {
        var at = cursor.Here;
        long? id = null;
        long parent = 0, user = 0;
        string author = "", email = "", url = "", ip = "", approved = "", type = "";
        string? content = "";
        DateTime? date = null, dateGmt = null;
        foreach (var name in cursor.Children())
        {
            if (cursor.Namespace != WxrNamespace.Wp) continue;
            switch (name)
            {
                case "comment_id": id = cursor.Long("wp:comment_id", 1); break;
                case "comment_author": author = cursor.Bounded("wp:comment_author", 250); break;
                case "comment_author_email": email = cursor.Bounded("wp:comment_author_email", 100); break;
                case "comment_author_url": url = cursor.Bounded("wp:comment_author_url", 200); break;
                case "comment_author_IP": ip = cursor.Bounded("wp:comment_author_IP", 100); break;
                case "comment_date": date = cursor.Date("wp:comment_date"); break;
                case "comment_date_gmt": dateGmt = cursor.Date("wp:comment_date_gmt"); break;
                case "comment_content": content = cursor.TextWithin(cursor.MaxTextLength); break;
                case "comment_approved": approved = cursor.Text().Trim(); break;
                case "comment_type": type = cursor.Bounded("wp:comment_type", 20); break;
                case "comment_parent": parent = cursor.Long("wp:comment_parent", 0); break;
                case "comment_user_id": user = cursor.Long("wp:comment_user_id", 0); break;
            }
        }
        if (id is not > 0) throw WxrCursor.Fail(at, "a wp:comment has no wp:comment_id");
        if (content is null) return null;
        var dateUtc = dateGmt is { } gmt ? DateTime.SpecifyKind(gmt, DateTimeKind.Utc)
            : date is { } local ? SiteTime.ToUtc(siteZone, local)
            : DateTime.UnixEpoch;
        return new WxrComment
        {
            SourceId = id.Value,
            ParentSourceId = parent,
            AuthorName = author,
            AuthorEmail = email,
            AuthorUrl = url,
            AuthorIp = ip,
            DateUtc = dateUtc,
            Content = content,
            Status = Status(at, id.Value, approved),
            Type = type.Length == 0 ? "comment" : type,
            UserSourceId = user,
        };
    }

    /// <summary>WordPress's comment_approved: "1", "0", "spam", "trash" (and "post-trashed" for comments of a trashed post).</summary>
    public static string? StatusOf(string approved) => approved switch
    {
        "1" or "approve" or "approved" => CommentStatuses.Approved,
        "0" or "" or "hold" => CommentStatuses.Hold,
        "spam" => CommentStatuses.Spam,
        "trash" or "post-trashed" => CommentStatuses.Trash,
        _ => null,
    };

    private static string Status(SourcePosition at, long id, string approved) =>
        StatusOf(approved) ?? throw WxrCursor.Fail(at, $"comment {id}: wp:comment_approved '{WxrCursor.Clip(approved)}' is not 1, 0, spam or trash");
}
