namespace PressMcp.Content.Search;

/// <summary>
/// How much memory the words' lists held for in-memory search may take (<see cref="SearchPostings"/> on SQLite,
/// <see cref="PostgresSearchPostings"/> on PostgreSQL): <c>Search:HeldListsMegabytes</c> (environment
/// <c>Search__HeldListsMegabytes</c>), default 16, between 1 and 4,096; checked when the server starts. Why an operator
/// may raise it: a search whose words are not all held goes to SQL, and on PostgreSQL a ranked search whose words'
/// positions are not held has PostgreSQL read every match's vector; a larger site, or one searched over more of its
/// vocabulary, holds more of both in a larger bound, for that much more memory (docs/performance.md, PostgreSQL search).
/// </summary>
internal sealed class SearchMemory : IPressOptions
{
    public const int MaximumHeldListsMegabytes = 4096;

    public static string Section => "Search";

    public int HeldListsMegabytes { get; set; } = (int)(SearchPostings.DefaultMaxBytes >> 20);

    /// <summary>The bound in bytes, as the holders charge what they keep.</summary>
    public long HeldListsBytes => (long)HeldListsMegabytes << 20;

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<SearchMemory, int>(nameof(HeldListsMegabytes), HeldListsMegabytes, 1, MaximumHeldListsMegabytes);
    }
}
