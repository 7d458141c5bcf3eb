using PressMcp.Accounts;

namespace PressMcp.Content.Search;

/// <summary>
/// Which posts a reader may see, derived from <see cref="Permissions"/> (read_post with WordPress's owner
/// rules), so search applies exactly the rule every other path applies. Trash is never visible in search.
/// The search service takes this as a parameter and puts it in the query itself, never as a later filter.
/// </summary>
internal sealed class ReadAccess
{
    private static readonly string[] Searchable = [PostStatuses.Publish, PostStatuses.Future, PostStatuses.Draft, PostStatuses.Pending, PostStatuses.Private];
    private const long Someone = -1;

    private ReadAccess(long? userId, IReadOnlyDictionary<string, TypeAccess> byType)
    {
        UserId = userId;
        ByType = byType;
    }

    /// <summary>An anonymous visitor: published posts and pages only.</summary>
    public static ReadAccess Public { get; } = new(null, new Dictionary<string, TypeAccess>
    {
        [PostTypes.Post] = new([PostStatuses.Publish], []),
        [PostTypes.Page] = new([PostStatuses.Publish], []),
    });

    public long? UserId { get; }

    public IReadOnlyDictionary<string, TypeAccess> ByType { get; }

    public static ReadAccess For(SiteActor actor)
    {
        var byType = new Dictionary<string, TypeAccess>();
        foreach (var type in new[] { PostTypes.Post, PostTypes.Page })
        {
            var anyone = Searchable.Where(s => Permissions.Can(actor, Caps.ReadPost, new PostFacts(type, s, Someone))).ToArray();
            var ownOnly = Searchable.Where(s => !anyone.Contains(s) && Permissions.Can(actor, Caps.ReadPost, new PostFacts(type, s, actor.UserId))).ToArray();
            byType[type] = new TypeAccess(anyone, ownOnly);
        }
        return new ReadAccess(actor.UserId, byType);
    }

    /// <summary>Statuses visible for posts by anyone, and statuses visible only for the reader's own posts.</summary>
    internal sealed record TypeAccess(IReadOnlyList<string> AnyAuthor, IReadOnlyList<string> OwnOnly);
}
