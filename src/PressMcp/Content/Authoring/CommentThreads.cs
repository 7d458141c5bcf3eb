namespace PressMcp.Content.Authoring;

/// <summary>One comment in a threaded list: its real depth in its post's thread (0 at the top) and the replies shown under it.</summary>
internal sealed record ThreadNode(Comment Comment, int Depth, IReadOnlyList<ThreadNode> Replies);

/// <summary>
/// Arranges one page of comments as threads: a comment whose parent is on the same page is placed under it, any
/// other starts a thread of its own (its parent may be on another page, or not visible to the reader). The depth is
/// the comment's place in the whole thread, from the parent chain, so an agent can tell a reply from a top-level
/// comment even when the parent is not shown. Stored cycles cannot loop.
/// </summary>
internal static class CommentThreads
{
    /// <summary>Guards against a corrupt parent chain; WordPress itself threads at most 10 deep.</summary>
    public const int MaxDepth = 100;

    /// <param name="page">The comments to arrange, in the order roots should appear.</param>
    /// <param name="parentOf">Parent of each comment id known (at least the page and its ancestors).</param>
    public static IReadOnlyList<ThreadNode> Build(IReadOnlyList<Comment> page, IReadOnlyDictionary<long, long?> parentOf)
    {
        var onPage = page.Select(c => c.Id).ToHashSet();
        var children = page.Where(c => c.ParentId is { } p && onPage.Contains(p) && p != c.Id)
            .ToLookup(c => c.ParentId!.Value);
        var placed = new HashSet<long>();

        ThreadNode Node(Comment c)
        {
            placed.Add(c.Id);
            // Lazily filtered: a reply already placed deeper (a cycle) is not placed twice.
            var replies = children[c.Id].OrderBy(r => r.DateUtc).ThenBy(r => r.Id).Where(r => !placed.Contains(r.Id)).Select(Node).ToList();
            return new ThreadNode(c, DepthOf(c.Id, parentOf), replies);
        }

        var roots = new List<ThreadNode>();
        foreach (var c in page.Where(c => c.ParentId is not { } p || !onPage.Contains(p) || p == c.Id))
            if (!placed.Contains(c.Id)) roots.Add(Node(c));
        // Members of a parent cycle among the page have no root; the first of each cycle starts its thread.
        foreach (var c in page)
            if (!placed.Contains(c.Id)) roots.Add(Node(c));
        return roots;
    }

    /// <summary>How many ancestors the comment has (0 for a top-level comment).</summary>
    public static int DepthOf(long id, IReadOnlyDictionary<long, long?> parentOf)
    {
        var depth = 0;
        var seen = new HashSet<long> { id };
        for (var at = id; depth < MaxDepth && parentOf.TryGetValue(at, out var parent) && parent is { } p && seen.Add(p); at = p)
            depth++;
        return depth;
    }
}
