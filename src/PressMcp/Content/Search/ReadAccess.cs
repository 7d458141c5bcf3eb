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

    public static ReadAccess For(SiteActor actor)
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

    /// <summary>Statuses visible for posts by anyone, and statuses visible only for the reader's own posts.</summary>
    internal sealed record TypeAccess(IReadOnlyList<string> AnyAuthor, IReadOnlyList<string> OwnOnly);
}
