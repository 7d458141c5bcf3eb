using System.Collections.Frozen;

namespace PressMcp.Content.Search;

/// <summary>
/// English words that say nothing about what a post is about, which search leaves out of the words every match must
/// contain, as WordPress does (<c>wp_get_search_stopwords</c>): "the garden" finds the posts about gardens, not the
/// posts that also contain "the", which is every post. When a search holds nothing but such words ("the who"), they
/// are all kept, so it still finds what contains them. Our own list: articles, pronouns, auxiliaries, conjunctions
/// and prepositions; no word that can carry a topic on its own ("home", "art", "will" as a noun are kept out of it).
/// Why: every post contains them, so a term in the query meant walking the whole site's postings, 6–9 ms on 100,000
/// posts, for the same posts the other words find (docs/performance.md, Search).
/// </summary>
internal static class SearchStopWords
{
    private static readonly FrozenSet<string> Words = new[]
    {
        "a", "an", "the",
        "and", "or", "but", "nor", "so", "if", "than", "then",
        "of", "to", "in", "on", "at", "by", "for", "from", "with", "into", "onto", "about", "as", "over", "under",
        "i", "me", "my", "we", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its",
        "they", "them", "their", "this", "that", "these", "those",
        "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "has", "have", "had",
        "what", "which", "who", "whom", "when", "where", "how", "why",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool Contains(string word) => Words.Contains(word);

    /// <summary>The words without stop words, unless nothing else is left; the list itself when it has none.</summary>
    public static IReadOnlyList<string> Without(List<string> words)
    {
        var meaningful = words.FindAll(w => !Words.Contains(w));
        return meaningful.Count == 0 || meaningful.Count == words.Count ? words : meaningful;
    }
}
