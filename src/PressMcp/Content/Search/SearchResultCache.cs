using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using PressMcp.Storage;

namespace PressMcp.Content.Search;

/// <summary>
/// The answers of recent searches, kept until the site's content changes: for each (site, reader's rights, normalized
/// query) the page's post ids, the total and whether it is a lower bound, with the site's <see cref="ContentVersion"/>
/// read before the search ran. An entry is used only while the site's version is still that number, which every search
/// reads from the database first, so a write committed anywhere (this instance, another one, the command line, a plain
/// SQL client) is seen by the next search. The posts themselves are still read by id for every answer (PostRows), so
/// a cached page never shows an old title or text; only which posts, in which order, and how many.
/// <para>
/// Why it is correct: the version is read before any of the search's own statements, so the state a search saw is at
/// least as new as the version it is stored under; any later write raises the version in its own transaction, so no
/// reader can take the old number after that write is visible. Searches inside a transaction are neither served nor
/// stored (<see cref="ContentVersion.ReadCommittedStampAsync"/>). The key holds everything the statements depend on: the
/// reader's rights in full (per type, the statuses readable and editable by anyone's or only one's own posts, and the
/// user id), so two readers with different rights never share an entry, and every term, filter, order and page. The
/// rights are in the key as a number standing for exactly one rights text (<see cref="AccessIdOf"/>): the text was 170
/// of a key's 240 characters, the same in every entry of one reader, and about 40 % of the cache's memory.
/// </para>
/// <para>
/// Bounded: at most <see cref="MaxEntries"/> entries and <see cref="MaxBytes"/> bytes, each entry charged for its key,
/// its ids and the cache's own objects (and at least <see cref="MaxBytes"/> / <see cref="MaxEntries"/>, so the byte
/// limit also bounds the count). When full, the least recently used entries go first (MemoryCache's compaction).
/// </para>
/// </summary>
internal sealed class SearchResultCache : IDisposable
{
    /// <summary>16 MB: about 31,000 entries of short keys (charged about 540 bytes each), as many as 32 MB held when the key carried the rights' text.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;
    public const int DefaultMaxEntries = 50_000;

    /// <summary>Rights texts numbered at most; past it the numbering starts again (with new numbers: see <see cref="AccessIdOf"/>).</summary>
    internal const int MaxAccessIds = 4_096;

    /// <summary>What an entry costs besides its key's characters and its ids: MemoryCache's entry, the key string and the value objects.</summary>
    private const int EntryOverhead = 320;

    private readonly MemoryCache _entries;
    private readonly long _minimumCharge;
    private readonly ConcurrentDictionary<string, long> _accessIds = new(StringComparer.Ordinal);
    private long _lastAccessId;
    private long _hits;
    private long _misses;

    public SearchResultCache(long maxBytes = DefaultMaxBytes, int maxEntries = DefaultMaxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, maxEntries);
        (MaxBytes, MaxEntries) = (maxBytes, maxEntries);
        _minimumCharge = maxBytes / maxEntries;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxBytes, CompactionPercentage = 0.25, TrackStatistics = true });
    }

    public long MaxBytes { get; }

    public int MaxEntries { get; }

    /// <summary>One search's page, as cached: no post rows, only ids.</summary>
    internal sealed record Page(long Version, long[] Ids, long Total, bool TotalIsLowerBound);

    /// <summary>The entries and the bytes they are charged for, now.</summary>
    public (long Entries, long Bytes) Usage
    {
        get
        {
            var statistics = _entries.GetCurrentStatistics();
            return (statistics?.CurrentEntryCount ?? _entries.Count, statistics?.CurrentEstimatedSize ?? 0);
        }
    }

    /// <summary>Searches answered from the cache, and searches that ran (each since start).</summary>
    public (long Hits, long Misses) Counts => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    /// <summary>
    /// Looks the search up at the site's content version, read before any statement of the search reads the site's
    /// content (null: nothing is served or stored). The returned lookup holds the hit, if any, and stores the search's
    /// answer when it ran.
    /// </summary>
    public Lookup LookUp(long? version, long siteId, PostQuery query, IReadOnlyList<string> terms, ReadAccess reader)
    {
        if (version is not { } current) return new Lookup(this, null, 0, null);
        var key = KeyOf(siteId, query, terms, AccessIdOf(reader.CacheKey));
        var hit = TryGet(key, current);
        Interlocked.Increment(ref hit is null ? ref _misses : ref _hits);
        return new Lookup(this, key, current, hit);
    }

    /// <summary>The entry of <paramref name="key"/> if it was stored under <paramref name="version"/>, else null.</summary>
    internal Page? TryGet(string key, long version) =>
        _entries.TryGetValue(key, out Page? page) && page is not null && page.Version == version ? page : null;

    /// <summary>A search's place in the cache: the hit, or where its answer goes (nowhere when it may not be cached).</summary>
    internal readonly struct Lookup
    {
        private readonly SearchResultCache _cache;
        private readonly string? _key;
        private readonly long _version;

        internal Lookup(SearchResultCache cache, string? key, long version, Page? hit) => (_cache, _key, _version, Hit) = (cache, key, version, hit);

        public Page? Hit { get; }

        public void Store(IReadOnlyList<long> ids, long total, bool totalIsLowerBound)
        {
            if (_key is not null) _cache.Set(_key, _version, ids, total, totalIsLowerBound);
        }
    }

    internal void Set(string key, long version, IReadOnlyList<long> ids, long total, bool totalIsLowerBound)
    {
        var page = new Page(version, [.. ids], total, totalIsLowerBound);
        var bytes = EntryOverhead + 2L * key.Length + 8L * page.Ids.Length;
        // Over the limit MemoryCache refuses the entry and compacts in the background: the bound holds at every moment.
        _entries.Set(key, page, new MemoryCacheEntryOptions { Size = Math.Max(bytes, _minimumCharge) });
    }

    /// <summary>
    /// The number that stands for the rights text <paramref name="accessKey"/> in keys. A number is never given to a
    /// second text, so two readers share an entry only when their rights are the same: numbers come from one counter
    /// that only grows, and a text's number is the one its dictionary entry holds (a losing race's number is dropped
    /// unused). Bounded: past <see cref="MaxAccessIds"/> texts the dictionary is cleared and texts get new numbers; the
    /// entries stored under the old ones are then never found again and age out.
    /// </summary>
    internal long AccessIdOf(string accessKey)
    {
        if (_accessIds.TryGetValue(accessKey, out var id)) return id;
        if (_accessIds.Count >= MaxAccessIds) _accessIds.Clear();
        return _accessIds.GetOrAdd(accessKey, _ => Interlocked.Increment(ref _lastAccessId));
    }

    /// <summary>
    /// The canonical key of a search: the site, the number of the reader's rights (<see cref="AccessIdOf"/>) and the
    /// normalized query. Free text (custom-field key and value) is length-prefixed, so no value can pose as the next field.
    /// </summary>
    internal static string KeyOf(long siteId, PostQuery query, IReadOnlyList<string> terms, long accessId)
    {
        var key = new StringBuilder(96);
        key.Append(siteId).Append("|r").Append(accessId);
        key.Append("|q:");
        // Terms are letters and digits only (PostQuery.Terms): a space cannot be part of one.
        foreach (var term in terms) key.Append(term).Append(' ');
        key.Append("|t:").AppendJoin(',', query.Types);
        key.Append("|s:");
        if (query.Statuses is { } statuses) key.Append('[').AppendJoin(',', statuses).Append(']');
        key.Append("|a:").Append(query.AuthorId)
           .Append("|c:").Append(query.CategoryId)
           .Append("|g:").Append(query.TagId)
           .Append("|p:").Append(query.ParentId)
           .Append("|k:").Append(query.Sticky switch { true => "1", false => "0", null => "" })
           .Append("|d:").Append(Date(query.AfterUtc)).Append(',').Append(Date(query.BeforeUtc));
        key.Append("|m:");
        Counted(key, query.MetaKey);
        Counted(key, query.MetaValue);
        key.Append("|o:").Append((int)query.OrderBy).Append(query.Ascending ? 'a' : 'd')
           .Append("|n:").Append(query.Page).Append(',').Append(query.PerPage);
        return key.ToString();
    }

    /// <summary>
    /// Every part of <see cref="ReadAccess"/> as text: per type, the statuses readable for anyone's posts and for one's
    /// own, the same for editing, and the user id whatever the lists (the rules use it with own-only statuses; kept
    /// always, so a future rule that uses it otherwise cannot make two users share an entry).
    /// </summary>
    internal static string AccessKeyOf(ReadAccess reader)
    {
        var key = new StringBuilder(192);
        key.Append("u:").Append(reader.UserId);
        AppendTypes(key.Append("|r:"), reader.ByType);
        AppendTypes(key.Append("|e:"), reader.EditByType);
        return key.ToString();
    }

    private static void AppendTypes(StringBuilder key, IReadOnlyDictionary<string, ReadAccess.TypeAccess> byType)
    {
        foreach (var (type, access) in byType.OrderBy(t => t.Key, StringComparer.Ordinal))
            key.Append(type).Append('=').AppendJoin(',', access.AnyAuthor.Order(StringComparer.Ordinal))
               .Append('/').AppendJoin(',', access.OwnOnly.Order(StringComparer.Ordinal)).Append(';');
    }

    private static void Counted(StringBuilder key, string? value)
    {
        if (value is null)
        {
            key.Append('-');
            return;
        }
        key.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }

    private static string Date(DateTime? value) =>
        value is { } date ? date.Ticks.ToString(CultureInfo.InvariantCulture) + (int)date.Kind : "";

    public void Dispose() => _entries.Dispose();
}
