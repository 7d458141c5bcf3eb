using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text;
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

    /// <summary>What WordPress shows in place of a protected post's excerpt to those who may not read it.</summary>
    public const string ProtectedExcerpt = "There is no excerpt because this is a protected post.";

    /// <summary>
    /// Whether <paramref name="actor"/> may read a post's protected parts (content, excerpt, comments): always when it
    /// has no password; otherwise, as WordPress (post_password_required and the REST API), when they may edit the post
    /// or gave its password. Reading the post at all (read_post) is a separate, earlier check.
    /// </summary>
    public static bool MayReadProtected(SiteActor actor, Post post, string? password = null) =>
        post.Password.Length == 0 || Permissions.Can(actor, Caps.EditPost, post.Facts) || PasswordMatches(post, password);

    /// <summary>
    /// The given password against the post's (stored in clear, as WordPress stores post_password), in constant time:
    /// both are hashed first, so neither the content nor the length of the password shows in the time taken.
    /// </summary>
    private static bool PasswordMatches(Post post, string? given) =>
        given is not null && post.Password.Length > 0
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(post.Password)));
}
