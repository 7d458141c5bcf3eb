using System.Globalization;
using PressMcp.Accounts;
using PressMcp.Content.Abilities;
using PressMcp.Content.Authoring;
using PressMcp.Sites;

namespace PressMcp.Content.Pages;

/// <summary>
/// Posts or pages, as the people's list, editor and compare pages see them: the address segment, the post type, the
/// capability the pages need and the abilities their forms call. One table, so the two kinds cannot drift apart.
/// </summary>
internal sealed record ContentKind(string Segment, string Type, string Singular, string Plural, string EditCapability,
    string Create, string Update, string Trash, string Restore, string Delete)
{
    public static readonly ContentKind Posts = new("posts", PostTypes.Post, "post", "posts", Caps.EditPosts,
        PostWriteAbilities.CreatePost, PostWriteAbilities.UpdatePost, PostWriteAbilities.TrashPost, PostLifecycleAbilities.RestorePost, PostLifecycleAbilities.DeletePost);

    public static readonly ContentKind Pages = new("pages", PostTypes.Page, "page", "pages", Caps.EditPages,
        PostWriteAbilities.CreatePage, PostWriteAbilities.UpdatePage, PostWriteAbilities.TrashPage, PostLifecycleAbilities.RestorePage, PostLifecycleAbilities.DeletePage);

    public static ContentKind Of(string segment) => segment == Pages.Segment ? Pages : Posts;

    public bool IsPost => Type == PostTypes.Post;

    public string Title => char.ToUpperInvariant(Plural[0]) + Plural[1..];

    /// <summary>The words a list or editor shows for a status.</summary>
    public static string StatusText(string status) => status switch
    {
        PostStatuses.Publish => "Published",
        PostStatuses.Future => "Scheduled",
        PostStatuses.Draft => "Draft",
        PostStatuses.Pending => "Pending review",
        PostStatuses.Private => "Private",
        PostStatuses.Trash => "Trash",
        _ => status,
    };

    /// <summary>A date on the site's clock, unambiguous and the same in every culture (2026-12-05 14:30).</summary>
    public static string LocalText(Site site, DateTime utc) =>
        SiteTime.ToLocal(site, utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The value of an <c>input type=datetime-local</c> for <paramref name="utc"/> on the site's clock.</summary>
    public static string LocalInput(Site site, DateTime utc) =>
        SiteTime.ToLocal(site, utc).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An <c>input type=datetime-local</c> value, read as the site's wall clock, in UTC; null when it is not one.</summary>
    public static DateTime? FromLocalInput(Site site, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];
        return DateTime.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? SiteTime.ToUtc(site, local)
            : null;
    }

    /// <summary>Who last changed a post: the app's name when an agent did (<see cref="AgentMarker"/>), null for a person.</summary>
    public static string? AgentText(string? client, IReadOnlyDictionary<string, string> oauthNames) =>
        client is null ? null : Activity.AppNames.NameOf(client, oauthNames);
}
