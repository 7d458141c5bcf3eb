using PressMcp.Accounts;

namespace PressMcp.Content.Authoring;

/// <summary>The status a write ends with, and what the caller should be told when it is not the one asked for.</summary>
internal sealed record StatusDecision(string Status, string? Note);

/// <summary>
/// Who may publish: WordPress lets only roles with <c>publish_posts</c> (<c>publish_pages</c> for pages) make content
/// public, scheduled or private. A contributor who asks for any of those is not refused: the post is kept unpublished
/// (a new one as a draft, an existing one in its current status; <c>pending</c> when asked for review) and the
/// result says why, so the agent can tell the user. Then a date in the future turns publish into future and a past
/// date turns future into publish, as WordPress does.
/// </summary>
internal static class PublishRule
{
    private static readonly HashSet<string> NeedPublishing = [PostStatuses.Publish, PostStatuses.Future, PostStatuses.Private];

    /// <param name="requested">The status asked for; null keeps <paramref name="current"/> (or draft for a new post).</param>
    /// <param name="current">The post's status now; null for a new post.</param>
    public static StatusDecision Decide(SiteActor actor, string type, string? requested, string? current)
    {
        var asked = requested ?? current ?? PostStatuses.Draft;
        if (!NeedPublishing.Contains(asked) || asked == current) return new(asked, null);
        var missing = Permissions.MissingCapabilities(actor, Caps.PublishPost, new PostFacts(type, current ?? PostStatuses.Draft, actor.UserId));
        if (missing.Count == 0) return new(asked, null);
        var kept = current is PostStatuses.Draft or PostStatuses.Pending ? current : PostStatuses.Draft;
        return new(kept, $"your role ({actor.Role ?? "none"}) may not publish ({string.Join(", ", missing)}), so the {type} was saved as {kept} instead of {asked}; "
            + "set status to pending to submit it for review, and an editor can publish it");
    }

    /// <summary>WordPress's scheduling: publish with a future date is future; future with a date that has come is publish.</summary>
    public static string Schedule(string status, DateTime dateUtc, DateTime nowUtc) => status switch
    {
        PostStatuses.Publish when dateUtc > nowUtc => PostStatuses.Future,
        PostStatuses.Future when dateUtc <= nowUtc => PostStatuses.Publish,
        _ => status,
    };
}
