using System.Collections.Frozen;

namespace PressMcp.Accounts;

/// <summary>WordPress's default capability table (wp-admin/includes/schema.php, populate_roles).</summary>
internal static class RoleCapabilities
{
    private static readonly string[] SubscriberCaps = [Caps.Read];

    private static readonly string[] ContributorCaps = [.. SubscriberCaps, Caps.EditPosts, Caps.DeletePosts];

    private static readonly string[] AuthorCaps =
    [
        .. ContributorCaps, Caps.UploadFiles, Caps.EditPublishedPosts, Caps.PublishPosts, Caps.DeletePublishedPosts,
    ];

    private static readonly string[] EditorCaps =
    [
        .. AuthorCaps,
        Caps.ModerateComments, Caps.ManageCategories, Caps.ManageLinks, Caps.UnfilteredHtml,
        Caps.EditOthersPosts, Caps.EditPrivatePosts, Caps.ReadPrivatePosts,
        Caps.DeleteOthersPosts, Caps.DeletePrivatePosts,
        Caps.EditPages, Caps.EditOthersPages, Caps.EditPublishedPages, Caps.EditPrivatePages, Caps.PublishPages,
        Caps.DeletePages, Caps.DeleteOthersPages, Caps.DeletePublishedPages, Caps.DeletePrivatePages, Caps.ReadPrivatePages,
    ];

    private static readonly string[] AdministratorCaps =
    [
        .. EditorCaps,
        Caps.ManageOptions, Caps.ListUsers, Caps.EditUsers, Caps.CreateUsers, Caps.DeleteUsers, Caps.PromoteUsers,
        Caps.RemoveUsers, Caps.Import, Caps.Export, Caps.EditThemeOptions,
    ];

    private static readonly FrozenDictionary<string, FrozenSet<string>> Table = new Dictionary<string, FrozenSet<string>>
    {
        [Roles.Administrator] = AdministratorCaps.ToFrozenSet(),
        [Roles.Editor] = EditorCaps.ToFrozenSet(),
        [Roles.Author] = AuthorCaps.ToFrozenSet(),
        [Roles.Contributor] = ContributorCaps.ToFrozenSet(),
        [Roles.Subscriber] = SubscriberCaps.ToFrozenSet(),
    }.ToFrozenDictionary();

    /// <summary>Every primitive capability a role has; empty for an unknown role or none.</summary>
    public static IReadOnlySet<string> Of(string? role) =>
        role is not null && Table.TryGetValue(role, out var caps) ? caps : FrozenSet<string>.Empty;

    public static IReadOnlySet<string> AllPrimitive => Table[Roles.Administrator];
}
