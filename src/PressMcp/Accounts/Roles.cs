namespace PressMcp.Accounts;

/// <summary>WordPress's five built-in roles, most powerful first.</summary>
internal static class Roles
{
    public const string Administrator = "administrator";
    public const string Editor = "editor";
    public const string Author = "author";
    public const string Contributor = "contributor";
    public const string Subscriber = "subscriber";

    public static readonly IReadOnlyList<string> All = [Administrator, Editor, Author, Contributor, Subscriber];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    public static string Describe() => string.Join(", ", All);
}

/// <summary>Capability names, spelled as WordPress spells them.</summary>
internal static class Caps
{
    public const string Read = "read";
    public const string EditPosts = "edit_posts";
    public const string EditOthersPosts = "edit_others_posts";
    public const string EditPublishedPosts = "edit_published_posts";
    public const string EditPrivatePosts = "edit_private_posts";
    public const string PublishPosts = "publish_posts";
    public const string DeletePosts = "delete_posts";
    public const string DeleteOthersPosts = "delete_others_posts";
    public const string DeletePublishedPosts = "delete_published_posts";
    public const string DeletePrivatePosts = "delete_private_posts";
    public const string ReadPrivatePosts = "read_private_posts";
    public const string EditPages = "edit_pages";
    public const string EditOthersPages = "edit_others_pages";
    public const string EditPublishedPages = "edit_published_pages";
    public const string EditPrivatePages = "edit_private_pages";
    public const string PublishPages = "publish_pages";
    public const string DeletePages = "delete_pages";
    public const string DeleteOthersPages = "delete_others_pages";
    public const string DeletePublishedPages = "delete_published_pages";
    public const string DeletePrivatePages = "delete_private_pages";
    public const string ReadPrivatePages = "read_private_pages";
    public const string ModerateComments = "moderate_comments";
    public const string ManageCategories = "manage_categories";
    public const string ManageLinks = "manage_links";
    public const string UploadFiles = "upload_files";
    public const string UnfilteredHtml = "unfiltered_html";
    public const string ManageOptions = "manage_options";
    public const string ListUsers = "list_users";
    public const string EditUsers = "edit_users";
    public const string CreateUsers = "create_users";
    public const string DeleteUsers = "delete_users";
    public const string PromoteUsers = "promote_users";
    public const string RemoveUsers = "remove_users";
    public const string Import = "import";
    public const string Export = "export";
    public const string EditThemeOptions = "edit_theme_options";

    // Meta capabilities: checked against a specific post, mapped to the primitive ones above.
    public const string EditPost = "edit_post";
    public const string DeletePost = "delete_post";
    public const string ReadPost = "read_post";
    public const string PublishPost = "publish_post";
    public const string EditComment = "edit_comment";

    public static readonly IReadOnlySet<string> Meta = new HashSet<string>(StringComparer.Ordinal)
    {
        EditPost, DeletePost, ReadPost, PublishPost, EditComment,
    };
}
