using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Publishing;

/// <summary>
/// What pages show beside posts: author names, categories and tags, the category and page trees. Each is one
/// query for a whole list, never one per post.
/// </summary>
internal sealed class PostDetails(PressDbContext db)
{
    public async Task<IReadOnlyDictionary<long, string>> AuthorNamesAsync(IEnumerable<Post> posts, CancellationToken ct) =>
        await UserRows.AuthorNamesAsync(db, AuthorIds(posts), ct);

    /// <summary>
    /// The authors' names and each post's categories and tags sorted by name, in one command (<see cref="PostRows.LabelsAsync"/>):
    /// what a list of posts shows beside each, read with one round trip on PostgreSQL.
    /// </summary>
    public async Task<PostLabels> LabelsAsync(long siteId, IReadOnlyCollection<Post> posts, CancellationToken ct)
    {
        var (terms, authors) = await PostRows.LabelsAsync(db, siteId, posts.Select(p => p.Id).ToHashSet(), AuthorIds(posts), ct);
        return new PostLabels(authors, ByName(terms));
    }

    private static HashSet<long> AuthorIds(IEnumerable<Post> posts) => posts.Where(p => p.AuthorId is not null).Select(p => p.AuthorId!.Value).ToHashSet();

    private static ILookup<long, Term> ByName(List<(long PostId, Term Term)> rows) =>
        rows.OrderBy(r => r.Term.Name, StringComparer.InvariantCultureIgnoreCase).ToLookup(r => r.PostId, r => r.Term);

    public async Task<Tree> CategoriesAsync(long siteId, CancellationToken ct)
    {
        var rows = await db.Terms.AsNoTracking().Where(t => t.SiteId == siteId && t.Taxonomy == Taxonomies.Category)
            .Select(t => new Tree.Node(t.Id, t.ParentId, t.Slug)).ToListAsync(ct);
        return new Tree(rows);
    }

    /// <summary>The page tree (ids, parents, slugs only): a page's address is the path of its ancestors' slugs.</summary>
    public async Task<Tree> PagesAsync(long siteId, CancellationToken ct)
    {
        var rows = await db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && p.Type == PostTypes.Page)
            .Select(p => new Tree.Node(p.Id, p.ParentId, p.Slug)).ToListAsync(ct);
        return new Tree(rows);
    }

    public static SiteDate DateOf(Site site, DateTime utc, bool withTime = false)
    {
        var zone = SiteTime.ZoneOf(site);
        var local = SiteTime.ToLocal(site, utc);
        var offset = new DateTimeOffset(local, zone.GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
        // WordPress's default date format "F j, Y" (and time "g:i a"), in English.
        var text = local.ToString(withTime ? "MMMM d, yyyy 'at' h:mm tt" : "MMMM d, yyyy", CultureInfo.InvariantCulture);
        return new SiteDate(text, offset.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    /// <summary>A tree of slugs (categories or pages). Paths stop at a cycle or a missing parent rather than loop.</summary>
    internal sealed class Tree
    {
        private readonly Dictionary<long, Node> _byId;

        public Tree(IEnumerable<Node> nodes) => _byId = nodes.ToDictionary(n => n.Id);

        internal sealed record Node(long Id, long? ParentId, string Slug);

        public Node? Find(long id) => _byId.GetValueOrDefault(id);

        public IEnumerable<Node> WithSlug(string slug) => _byId.Values.Where(n => n.Slug == slug);

        /// <summary>The slugs from the top of the tree down to <paramref name="id"/>.</summary>
        public IReadOnlyList<string> PathOf(long id)
        {
            var path = new List<string>();
            var seen = new HashSet<long>();
            for (var node = Find(id); node is not null && seen.Add(node.Id); node = node.ParentId is { } p ? Find(p) : null)
                path.Add(node.Slug);
            path.Reverse();
            return path;
        }
    }
}

/// <summary>Author names by user id, and each post's categories and tags by post id (sorted by name).</summary>
internal sealed record PostLabels(IReadOnlyDictionary<long, string> Authors, ILookup<long, Term> Terms);
