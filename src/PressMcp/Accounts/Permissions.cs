using PressMcp.Content;

namespace PressMcp.Accounts;

/// <summary>Who is acting on one site: the user, whether they operate the server, and their role there (null: not a member).</summary>
internal sealed record SiteActor(long UserId, bool IsServerAdmin, string? Role);

/// <summary>What the owner rules need to know about a post.</summary>
internal readonly record struct PostFacts(string Type, string Status, long? AuthorId);

/// <summary>
/// The one place that answers "may this actor do this on this site?". Meta capabilities
/// (edit_post, delete_post, read_post, publish_post, edit_comment) are mapped to primitive
/// ones with WordPress's owner rules (map_meta_cap): an author edits their own posts, not others'.
/// Later layers (grant scopes, MCP settings) narrow this further; they never widen it.
/// </summary>
internal static class Permissions
{
    public static bool Can(SiteActor actor, string capability, PostFacts? post = null) =>
        MissingCapabilities(actor, capability, post).Count == 0;

    /// <summary>The primitive capabilities the actor lacks for <paramref name="capability"/>; empty when allowed.</summary>
    public static IReadOnlyList<string> MissingCapabilities(SiteActor actor, string capability, PostFacts? post = null)
    {
        var required = RequiredPrimitives(actor.UserId, capability, post);
        // The operator is WordPress's super admin: every capability on every site.
        if (actor.IsServerAdmin) return [];
        var granted = RoleCapabilities.Of(actor.Role);
        return required.Where(c => !granted.Contains(c)).ToList();
    }

    /// <summary>WordPress's map_meta_cap for the meta capabilities PressMcp uses.</summary>
    public static IReadOnlyList<string> RequiredPrimitives(long userId, string capability, PostFacts? post)
    {
        if (!Caps.Meta.Contains(capability)) return [capability];
        if (post is not { } p)
            throw new ArgumentException($"The meta capability '{capability}' needs the post it applies to.", nameof(post));

        var isPage = p.Type == PostTypes.Page;
        var own = p.AuthorId == userId;
        var published = p.Status is PostStatuses.Publish or PostStatuses.Future;
        var isPrivate = p.Status == PostStatuses.Private;

        switch (capability)
        {
            case Caps.ReadPost:
                if (p.Status == PostStatuses.Publish) return [Caps.Read];
                if (isPrivate) return own ? [Caps.Read] : [isPage ? Caps.ReadPrivatePages : Caps.ReadPrivatePosts];
                // Drafts, pending, scheduled and trashed posts are readable by those who may edit them.
                return RequiredPrimitives(userId, Caps.EditPost, post);

            case Caps.EditPost:
            case Caps.EditComment:
            {
                var basic = isPage ? Caps.EditPages : Caps.EditPosts;
                var caps = new List<string> { basic };
                if (!own) caps.Add(isPage ? Caps.EditOthersPages : Caps.EditOthersPosts);
                if (published) caps.Add(isPage ? Caps.EditPublishedPages : Caps.EditPublishedPosts);
                else if (isPrivate) caps.Add(isPage ? Caps.EditPrivatePages : Caps.EditPrivatePosts);
                return caps;
            }

            case Caps.DeletePost:
            {
                var caps = new List<string> { isPage ? Caps.DeletePages : Caps.DeletePosts };
                if (!own) caps.Add(isPage ? Caps.DeleteOthersPages : Caps.DeleteOthersPosts);
                if (published) caps.Add(isPage ? Caps.DeletePublishedPages : Caps.DeletePublishedPosts);
                else if (isPrivate) caps.Add(isPage ? Caps.DeletePrivatePages : Caps.DeletePrivatePosts);
                return caps;
            }

            case Caps.PublishPost:
                return [isPage ? Caps.PublishPages : Caps.PublishPosts];

            default:
                throw new ArgumentOutOfRangeException(nameof(capability), capability, "unmapped meta capability");
        }
    }
}
