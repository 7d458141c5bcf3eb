using System.Collections.Concurrent;

namespace PressMcp.Storage;

/// <summary>
/// Values read from the database, each kept with the <see cref="AccessVersion"/> it was read under and returned only
/// for that same version. Misses are never stored (an unknown token stays a query, so guessing cannot fill the
/// cache), and the cache is emptied when it reaches its capacity: it is bounded whatever callers present.
/// Keys must not be secrets (tokens are looked up by their hash).
/// </summary>
internal sealed class VersionedCache<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();

    private sealed record Entry(long Version, TValue Value);

    public bool TryGet(TKey key, long version, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Version == version)
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, long version, TValue value)
    {
        // Rare (capacity is far above the number of live callers); a clear is simpler than an LRU and as safe.
        if (_entries.Count >= capacity) _entries.Clear();
        _entries[key] = new Entry(version, value);
    }
}
