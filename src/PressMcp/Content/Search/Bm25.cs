namespace PressMcp.Content.Search;

/// <summary>
/// bm25 as SQLite's FTS5 computes it (fts5_aux.c, <c>bm25(posts_fts, 10.0, 3.0, 1.0, 0.0)</c>), written anew for the
/// in-memory search (<see cref="SearchPostings"/>), in the same double operations in the same order, so the ranks, and
/// so the order of equal ones, are FTS5's to the last bit: k1 1.2, b 0.75; N the rows of the whole table; each word's
/// idf from the rows of the whole table holding it, ln((N − n + 0.5) / (n + 0.5)), at least 1e-6; the average length
/// the whole table's tokens over N; a row's frequency of a word the sum of the column weights over its occurrences; D
/// the row's tokens over every column; the score summed over the words in query order and negated (lower is better).
/// The statements' other phrases (facet tokens, the title words of the protected-post rule) add nothing: facets weigh 0,
/// and the title phrases sit on no row the statement returns (FTS5 advances a NOT's right side only up to its left one).
/// </summary>
internal static class Bm25
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>The weights of title, excerpt and content (PostSearch's bm25 call; facets weigh 0).</summary>
    private const int Title = 10, Excerpt = 3, Content = 1;

    /// <summary>The page of <paramref name="matches"/> by rank, newest first among equal ranks (PostSearch's ORDER BY).</summary>
    public static SearchPostings.Ranked Page(SitePostings site, WordPostings[] words, SearchPostings.Matches matches, long offset, int perPage)
    {
        var average = (double)site.TableTokens / (double)site.TableRows;
        var idf = new double[words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            var hits = words[i].TableRows;
            var value = Math.Log(((double)(site.TableRows - hits) + 0.5) / ((double)hits + 0.5));
            idf[i] = value <= 0.0 ? 1e-6 : value;
        }
        var ranks = new double[matches.Count];
        var ids = new long[matches.Count];
        for (var m = 0; m < matches.Count; m++)
        {
            var row = words[0].Rows![matches.Place(m, 0)];
            var length = (double)site.Sizes[row];
            var score = 0.0;
            for (var i = 0; i < words.Length; i++)
            {
                var packed = words[i].Frequencies![matches.Place(m, i)];
                double frequency = Title * WordPostings.Title(packed) + Excerpt * WordPostings.Excerpt(packed) + Content * WordPostings.Content(packed);
                score += idf[i] * ((frequency * (K1 + 1.0)) / (frequency + K1 * (1 - B + B * length / average)));
            }
            ranks[m] = -1.0 * score;
            ids[m] = site.Ids[row];
        }
        var order = Enumerable.Range(0, matches.Count).ToArray();
        Array.Sort(order, (x, y) => ranks[x] != ranks[y] ? ranks[x].CompareTo(ranks[y]) : ids[y].CompareTo(ids[x]));
        var page = new List<long>(perPage);
        for (var k = offset; k < order.Length && page.Count < perPage; k++) page.Add(ids[order[k]]);
        return new SearchPostings.Ranked(page, matches.Count);
    }
}
