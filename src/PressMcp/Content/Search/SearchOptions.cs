namespace PressMcp.Content.Search;

/// <summary>
/// Section <c>Search</c>, checked when the server starts.
/// <para>
/// <c>Search:HeldListsMegabytes</c> (environment <c>Search__HeldListsMegabytes</c>), default 16, between 1 and 4,096: how
/// much memory the words' lists held for in-memory search may take (<see cref="SearchPostings"/> on SQLite,
/// <see cref="PostgresSearchPostings"/> on PostgreSQL). Why an operator may raise it: a search whose words are not all
/// held goes to SQL, and on PostgreSQL a ranked search whose words' positions are not held has PostgreSQL read every
/// match's vector; a larger site, or one searched over more of its vocabulary, holds more of both in a larger bound, for
/// that much more memory (docs/performance.md, PostgreSQL search).
/// </para>
/// <para>
/// <c>Search:MaxConcurrentSqlite</c>, between 0 and 1,024, default 0: one a core: how many posts/search calls search
/// a SQLite database at once (<see cref="SearchGate"/>).
/// </para>
/// </summary>
internal sealed class SearchOptions : IPressOptions
{
    public const int MaximumHeldListsMegabytes = 4096;
    public const int MaximumConcurrentSqlite = 1024;

    public static string Section => "Search";

    public int HeldListsMegabytes { get; set; } = (int)(SearchPostings.DefaultMaxBytes >> 20);

    /// <summary>The bound in bytes, as the holders charge what they keep.</summary>
    public long HeldListsBytes => (long)HeldListsMegabytes << 20;

    /// <summary>0: one a core (<see cref="SqliteSearchSlots"/>), so the default is the machine's.</summary>
    public int MaxConcurrentSqlite { get; set; }

    /// <summary>The slots <see cref="SearchGate"/> has: <see cref="MaxConcurrentSqlite"/>, or one a core when it is 0.</summary>
    public int SqliteSearchSlots => MaxConcurrentSqlite > 0 ? MaxConcurrentSqlite : Environment.ProcessorCount;

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<SearchOptions, int>(nameof(HeldListsMegabytes), HeldListsMegabytes, 1, MaximumHeldListsMegabytes);
        yield return PressOptions.Range<SearchOptions, int>(nameof(MaxConcurrentSqlite), MaxConcurrentSqlite, 0, MaximumConcurrentSqlite);
    }
}
