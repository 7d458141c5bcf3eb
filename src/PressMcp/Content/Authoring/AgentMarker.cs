using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Storage;

namespace PressMcp.Content.Authoring;

/// <summary>
/// Which app last wrote a post, kept on the post as the meta <see cref="MetaKey"/> (the app's client id, or
/// <c>app-password:NAME</c>), as WordPress keeps its last editor in <c>_edit_last</c>: the people's lists and dashboard
/// mark what an agent wrote or last changed, and since the mark is on the post, it survives the activity log's
/// retention. A person's save in the browser removes it: the person has now reviewed the post.
/// </summary>
internal static class AgentMarker
{
    public const string MetaKey = "_pressmcp_agent";

    /// <summary>Records (or clears) the mark for <paramref name="postId"/> in the write's unit of work; the caller saves.</summary>
    public static async Task MarkAsync(PressDbContext db, AbilityCall call, long postId, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var row = await db.PostMeta.FirstOrDefaultAsync(m => m.SiteId == siteId && m.PostId == postId && m.Key == MetaKey, ct);
        var agent = call.Caller.IsPerson ? null : call.Caller.Client ?? call.Caller.Endpoint;
        if (agent is null)
        {
            if (row is not null) db.PostMeta.Remove(row);
        }
        else if (row is null)
        {
            db.PostMeta.Add(new PostMeta { SiteId = siteId, PostId = postId, Key = MetaKey, Value = agent });
        }
        else
        {
            row.Value = agent;
        }
    }
}
