namespace PressMcp.Content.Search;

/// <summary>
/// Bounds the posts/search calls searching a SQLite database at once (<see cref="SearchOptions.SqliteSearchSlots"/>,
/// one a core by default); the others wait in order, without holding a thread. Why: SQLite's calls are synchronous and
/// CPU-bound (the database is in the page cache), so a search holds a pool thread from its first statement to its last,
/// and more searches running than cores only share the cores and finish later together. Served, the whole-vocabulary
/// mix at concurrency 32 on two cores, with two slots against none: more calls a second, the same or a lower p99 and
/// less CPU a call in every pair measured (docs/performance.md, Search). Held only while the ability runs, never while
/// its answer is written to the client, so a slow reader cannot keep a slot. PostgreSQL's own pool bound (Maximum Pool
/// Size) does this there: nothing waits here.
/// </summary>
internal sealed class SearchGate(SearchOptions options, Storage.StorageSettings storage)
{
    private readonly SemaphoreSlim? _slots = storage.Provider == Storage.DatabaseProvider.Sqlite
        ? new(options.SqliteSearchSlots, options.SqliteSearchSlots)
        : null;

    /// <summary>Waits for a slot (at once on PostgreSQL); disposing the hold gives it back.</summary>
    public async ValueTask<Hold> EnterAsync(CancellationToken ct)
    {
        if (_slots is null) return default;
        await _slots.WaitAsync(ct);
        return new Hold(_slots);
    }

    /// <summary>One slot held; the default value holds none.</summary>
    internal readonly struct Hold(SemaphoreSlim? slots) : IDisposable
    {
        public void Dispose() => slots?.Release();
    }
}
