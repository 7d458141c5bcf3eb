using System.Collections.Concurrent;

namespace PressMcp.Accounts.AppPasswords;

/// <summary>Configuration section <c>PressMcp:RateLimits:AppPasswordFailures</c>: failed attempts allowed per client address per window.</summary>
internal sealed class AppPasswordFailureOptions : IPressOptions
{
    public static string Section => "PressMcp:RateLimits:AppPasswordFailures";

    public int PermitLimit { get; set; } = 10;
    public int WindowSeconds { get; set; } = 600;

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<AppPasswordFailureOptions, int>(nameof(PermitLimit), PermitLimit, 1, 1_000_000);
        yield return PressOptions.Range<AppPasswordFailureOptions, int>(nameof(WindowSeconds), WindowSeconds, 1, 86_400);
    }
}

/// <summary>
/// Counts failed Basic authentications per client address in a fixed window; once the limit is reached every
/// Basic attempt from that address is answered 429 (Retry-After) until the window ends, right password or not,
/// so the answer stops telling a guesser anything. Successful calls are never counted: ASP.NET Core's rate
/// limiter takes a permit for every request before the handler runs, so it would throttle a busy agent with a
/// good password along with the guesser; only failures should cost. Per instance and in memory, like the other
/// rate limits (behind a trusted proxy the address is the forwarded client's).
/// </summary>
internal sealed class AppPasswordFailureLimiter(AppPasswordFailureOptions options, TimeProvider clock)
{
    private const int PruneThreshold = 10_000;

    private sealed class Window(DateTime startUtc)
    {
        public DateTime StartUtc { get; } = startUtc;
        public int Failures;
    }

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private TimeSpan Length => TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds));

    /// <summary>How long the address must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!_windows.TryGetValue(client, out var w)) return null;
        var ends = w.StartUtc + Length;
        if (now >= ends) return null;
        return Volatile.Read(ref w.Failures) >= Math.Max(1, options.PermitLimit) ? ends - now : null;
    }

    public void RecordFailure(string client)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_windows.Count > PruneThreshold) Prune(now);
        var w = _windows.AddOrUpdate(client, _ => new Window(now), (_, old) => now >= old.StartUtc + Length ? new Window(now) : old);
        Interlocked.Increment(ref w.Failures);
    }

    private void Prune(DateTime now)
    {
        foreach (var (key, w) in _windows)
            if (now >= w.StartUtc + Length) _windows.TryRemove(new KeyValuePair<string, Window>(key, w));
    }
}
