namespace PressMcp.Content.Search;

/// <summary>
/// Section <c>Search</c>. <c>Search:MaxConcurrentSqlite</c>: how many requests may search a SQLite database at once
/// (default two a core, 1 to 1,024); the others wait without holding a thread (<see cref="SearchGate"/>).
/// </summary>
internal sealed class SearchOptions : IPressOptions
{
    public const int MaximumConcurrentSqlite = 1024;

    public static string Section => "Search";

    public int MaxConcurrentSqlite { get; set; } = 2 * Environment.ProcessorCount;

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<SearchOptions, int>(nameof(MaxConcurrentSqlite), MaxConcurrentSqlite, 1, MaximumConcurrentSqlite);
    }
}

/// <summary>
/// Bounds the requests searching a SQLite database at once. SQLite's calls are synchronous: a search in a statement holds
/// a pool thread, and its request keeps a pooled connection (with its page cache) open until the request ends
/// (<see cref="Storage.ContentVersion"/>). Unbounded, the pool grew to as many connections and threads as requests were
/// once inside a search (12-14 at concurrency 32 on two cores), each adding its cache, SQLite's allocations and the pool
/// thread's array slots to the resident memory, for no more calls a second: the work is CPU-bound either way. Waiting
/// here is asynchronous, before the search opens its connection, so a request that waits holds neither.
/// PostgreSQL's own pool bound (Maximum Pool Size) does this there.
/// </summary>
internal sealed class SearchGate(SearchOptions options, Storage.StorageSettings storage)
{
    /// <summary>Null on PostgreSQL: nothing waits.</summary>
    private readonly SemaphoreSlim? _slots = storage.Provider == Storage.DatabaseProvider.Sqlite
        ? new(options.MaxConcurrentSqlite, options.MaxConcurrentSqlite)
        : null;

    /// <summary>
    /// One request's hold on the gate: entered before its search's first read (the search ability enters before it looks
    /// up the category or tag it filters by), left when the request's scope ends (its connection,
    /// kept open for the request, is closed just after, as its pooled context goes back). A request that searches twice
    /// (a page and its sticky posts) enters once, and never waits for a slot it holds itself.
    /// </summary>
    internal sealed class Lease(SearchGate gate) : IDisposable
    {
        private bool _held;

        public async ValueTask EnterAsync(CancellationToken ct)
        {
            if (_held || gate._slots is not { } slots) return;
            await slots.WaitAsync(ct);
            _held = true;
        }

        public void Dispose()
        {
            if (!_held) return;
            _held = false;
            gate._slots!.Release();
        }
    }
}
