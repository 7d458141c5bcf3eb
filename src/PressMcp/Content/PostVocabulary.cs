namespace PressMcp.Content;

internal static class PostTypes
{
    public const string Post = "post";
    public const string Page = "page";
    /// <summary>Media are attachment posts, as in WordPress: they share the site's post ids.</summary>
    public const string Attachment = "attachment";
    /// <summary>
    /// A previous version of a post or page (WordPress's revisions): status <c>inherit</c>, parent = the post.
    /// Never listed, searched, exported or counted: every reader names the types it shows.
    /// </summary>
    public const string Revision = "revision";

    public static bool IsContent(string? t) => t is Post or Page;
}

internal static class PostStatuses
{
    public const string Publish = "publish";
    public const string Future = "future";
    public const string Draft = "draft";
    public const string Pending = "pending";
    public const string Private = "private";
    public const string Trash = "trash";
    /// <summary>The status WordPress gives attachments.</summary>
    public const string Inherit = "inherit";

    public static readonly IReadOnlyList<string> All = [Publish, Future, Draft, Pending, Private, Trash];

    public static bool IsKnown(string? s) => s is not null && (All.Contains(s) || s == Inherit);
}

internal static class CommentStatuses
{
    public const string Approved = "approved";
    public const string Hold = "hold";
    public const string Spam = "spam";
    public const string Trash = "trash";

    public static readonly IReadOnlyList<string> All = [Approved, Hold, Spam, Trash];
}

internal static class Taxonomies
{
    public const string Category = "category";
    public const string Tag = "post_tag";
}

internal static class OpenClosed
{
    public const string Open = "open";
    public const string Closed = "closed";
}
