namespace PressMcp.Storage;

/// <summary>
/// When a credential was last recorded as used, kept beside its cached entry so that a busy caller writes its
/// "last used" column at most once per interval instead of on every call. Safe across threads: of the concurrent
/// calls that find the write due, exactly one claims it (a <see cref="DateTime"/>? field could also be read torn).
/// </summary>
internal sealed class LastUsedStamp(DateTime? lastUsedUtc)
{
    private long _ticks = lastUsedUtc?.Ticks ?? 0;

    /// <summary>True, for one caller, when at least <paramref name="every"/> has passed since the last recorded use.</summary>
    public bool TryClaim(DateTime nowUtc, TimeSpan every)
    {
        var seen = Interlocked.Read(ref _ticks);
        if (seen != 0 && nowUtc.Ticks - seen < every.Ticks) return false;
        return Interlocked.CompareExchange(ref _ticks, nowUtc.Ticks, seen) == seen;
    }
}
