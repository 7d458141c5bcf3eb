using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace PressMcp.Publishing.Statistics;

/// <summary>
/// Counts distinct visitors per site and day without keeping who they were. A view's visitor is a 64-bit keyed hash
/// (HMAC-SHA-256, truncated) of the site, the client's address and its User-Agent, under a random key made for that
/// day and held only in this process's memory. The address itself goes no further than the hash: it is neither in
/// the view counter's queue nor in the database. The flusher keeps each (site, day)'s set of hashes in memory to tell
/// a first view from a repeated one, and only the count reaches the database. Keys and sets are dropped two days
/// after their day, so nothing could link a visitor across days even while the process runs, and a restart forgets
/// them too (a person seen before and after a restart on the same day counts twice). Each instance has its own keys:
/// with several instances, a person whose views reach two of them counts once per instance.
/// </summary>
internal sealed class VisitorTally(TimeProvider clock)
{
    /// <summary>Beyond this many hashes held (every site and day together), further new visitors are not counted for those days.</summary>
    public const int MaxTracked = 1_000_000;

    // Longer User-Agents are cut: the class of client is in the first few hundred characters, and this bounds the hashing.
    private const int MaxAgentChars = 512;

    private readonly ConcurrentDictionary<DateOnly, byte[]> _keys = new();
    private readonly Dictionary<(long SiteId, DateOnly Day), HashSet<ulong>> _seen = [];
    private int _tracked;

    /// <summary>The visitor of one view (request path; any thread).</summary>
    public ulong Fingerprint(long siteId, DateOnly day, IPAddress? address, string userAgent)
    {
        var key = _keys.GetOrAdd(day, static _ => RandomNumberGenerator.GetBytes(32));
        if (_keys.Count > 4) Forget(_keys.Keys.Where(IsOld).ToList());
        var agent = userAgent.Length > MaxAgentChars ? userAgent[..MaxAgentChars] : userAgent;
        var text = string.Concat(siteId.ToString(System.Globalization.CultureInfo.InvariantCulture), "\n", address?.ToString() ?? "", "\n", agent);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>True the first time a visitor is seen on a site and day (the flusher's thread only).</summary>
    public bool IsNew(long siteId, DateOnly day, ulong visitor)
    {
        if (!_seen.TryGetValue((siteId, day), out var set))
        {
            if (_tracked >= MaxTracked) return false;
            _seen[(siteId, day)] = set = [];
        }
        if (set.Contains(visitor) || _tracked >= MaxTracked) return false;
        set.Add(visitor);
        _tracked++;
        return true;
    }

    /// <summary>Drops the sets of days gone by (the flusher's thread, once per flush).</summary>
    public void Prune()
    {
        foreach (var old in _seen.Keys.Where(k => IsOld(k.Day)).ToList())
        {
            _tracked -= _seen[old].Count;
            _seen.Remove(old);
        }
    }

    // A site's day is at most about a day from UTC's; two days back nothing can still be counted on it.
    private bool IsOld(DateOnly day) => day < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-2);

    private void Forget(List<DateOnly> days)
    {
        foreach (var day in days) _keys.TryRemove(day, out _);
    }
}
