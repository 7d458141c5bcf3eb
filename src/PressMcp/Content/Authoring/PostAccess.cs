using System.Linq.Expressions;
using PressMcp.Accounts;

namespace PressMcp.Content.Authoring;

/// <summary>
/// A meta capability (read_post, edit_post) turned into a condition on posts that a query can carry, derived from
/// <see cref="Permissions"/> for every type and status, so a list applies exactly the rule a single check applies
/// (as <see cref="Search.ReadAccess"/> does for search). Trashed posts never qualify.
/// </summary>
internal static class PostAccess
{
    private static readonly string[] Statuses = [PostStatuses.Publish, PostStatuses.Future, PostStatuses.Draft, PostStatuses.Pending, PostStatuses.Private];
    private const long Someone = -1;

    /// <summary>Posts and pages (never revisions or attachments) for which <paramref name="actor"/> holds <paramref name="capability"/>.</summary>
    public static Expression<Func<Post, bool>> Where(SiteActor actor, string capability)
    {
        string[] Any(string type) => Statuses.Where(s => Permissions.Can(actor, capability, new PostFacts(type, s, Someone))).ToArray();
        string[] Own(string type, string[] any) => Statuses.Where(s => !any.Contains(s) && Permissions.Can(actor, capability, new PostFacts(type, s, actor.UserId))).ToArray();
        var postAny = Any(PostTypes.Post);
        var postOwn = Own(PostTypes.Post, postAny);
        var pageAny = Any(PostTypes.Page);
        var pageOwn = Own(PostTypes.Page, pageAny);
        var me = actor.UserId;
        return p =>
            (p.Type == PostTypes.Post && (postAny.Contains(p.Status) || (p.AuthorId == me && postOwn.Contains(p.Status))))
            || (p.Type == PostTypes.Page && (pageAny.Contains(p.Status) || (p.AuthorId == me && pageOwn.Contains(p.Status))));
    }
}
