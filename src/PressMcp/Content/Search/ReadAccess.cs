using System.Collections.Concurrent;
using PressMcp.Accounts;

namespace PressMcp.Content.Search;

/// <summary>
/// Which posts a reader may see, derived from <see cref="Permissions"/> (read_post with WordPress's owner
/// rules), so search applies exactly the rule every other path applies. Trash is never visible in search.
/// The search service takes this as a parameter and puts it in the query itself, never as a later filter.
/// <para>
/// It also says which posts the reader may edit (edit_post), the same way: only there may the words of a
/// password-protected post's excerpt and content find it (WordPress's post_password_required; see
/// <see cref="SearchFacets.HiddenContent"/>). Elsewhere a protected post is found by its title alone.
/// </para>
/// </summary>
internal sealed class ReadAccess
{
    private static readonly string[] Searchable = [PostStatuses.Publish, PostStatuses.Future, PostStatuses.Draft, PostStatuses.Pending, PostStatuses.Private];
    private const long Someone = -1;

    private ReadAccess(long? userId, IReadOnlyDictionary<string, TypeAccess> byType, IReadOnlyDictionary<string, TypeAccess> editByType)
    {
        UserId = userId;
        ByType = byType;
        EditByType = editByType;
    }

    /// <summary>An anonymous visitor: published posts and pages only.</summary>
    public static ReadAccess Public { get; } = new(null, new Dictionary<string, TypeAccess>
    {
        [PostTypes.Post] = new([PostStatuses.Publish], []),
        [PostTypes.Page] = new([PostStatuses.Publish], []),
    }, new Dictionary<string, TypeAccess>());

    public long? UserId { get; }

    public IReadOnlyDictionary<string, TypeAccess> ByType { get; }

    /// <summary>The posts the reader may edit, by type (a type missing: none of its posts).</summary>
    public IReadOnlyDictionary<string, TypeAccess> EditByType { get; }

    /// <summary>Whether the reader may edit every searchable post of <paramref name="type"/>, protected ones included.</summary>
    public bool EditsAll(string type) =>
        EditByType.TryGetValue(type, out var edit) && Searchable.All(s => edit.AnyAuthor.Contains(s));

    /// <summary>
    /// The reader's access, made once per actor: it is a function of the actor alone (the roles' capabilities are fixed
    /// in code, <see cref="RoleCapabilities"/>), and every search asked for it again, with the key and expressions derived
    /// from it (<see cref="CacheKey"/>, <see cref="VisibilityOf"/>): forty permission checks and about 10 KB, 8 % of what a posts-search call allocated
    /// (docs/performance.md, Search). Bounded as <see cref="SearchResultCache"/>'s rights numbers: cleared when full.
    /// </summary>
    public static ReadAccess For(SiteActor actor)
    {
        if (Known.TryGetValue(actor, out var known)) return known;
        if (Known.Count >= MaxKnown) Known.Clear();
        return Known.GetOrAdd(actor, Make);
    }

    private static readonly ConcurrentDictionary<SiteActor, ReadAccess> Known = new();

    /// <summary>Actors whose access is kept at most (a user has one a role, so about this many users at once).</summary>
    internal const int MaxKnown = 4_096;

    private static ReadAccess Make(SiteActor actor)
    {
        Dictionary<string, TypeAccess> Access(string capability)
        {
            var byType = new Dictionary<string, TypeAccess>();
            foreach (var type in new[] { PostTypes.Post, PostTypes.Page })
            {
                var anyone = Searchable.Where(s => Permissions.Can(actor, capability, new PostFacts(type, s, Someone))).ToArray();
                var ownOnly = Searchable.Where(s => !anyone.Contains(s) && Permissions.Can(actor, capability, new PostFacts(type, s, actor.UserId))).ToArray();
                byType[type] = new TypeAccess(anyone, ownOnly);
            }
            return byType;
        }
        return new ReadAccess(actor.UserId, Access(Caps.ReadPost), Access(Caps.EditPost));
    }

    private string? _cacheKey;
    private readonly ConcurrentDictionary<string, SearchFacets.Visibility> _visibility = new(StringComparer.Ordinal);

    /// <summary>The reader's rights as <see cref="SearchResultCache"/>'s key holds them, made once.</summary>
    internal string CacheKey => _cacheKey ??= SearchResultCache.AccessKeyOf(this);

    /// <summary>
    /// The facet expressions of a search of <paramref name="types"/> (<see cref="SearchFacets.VisibilityOf"/>), made once
    /// a type for a search of one indexed type (the usual case, and a bounded set), otherwise each time.
    /// </summary>
    internal SearchFacets.Visibility VisibilityOf(IReadOnlyList<string> types) =>
        types is [var type] && SearchFacets.IndexedTypes.Contains(type)
            ? _visibility.GetOrAdd(type, static (_, state) => SearchFacets.VisibilityOf(state.Types, state.Reader), (Types: types, Reader: this))
            : SearchFacets.VisibilityOf(types, this);

    /// <summary>Statuses visible for posts by anyone, and statuses visible only for the reader's own posts.</summary>
    internal sealed record TypeAccess(IReadOnlyList<string> AnyAuthor, IReadOnlyList<string> OwnOnly);
}
