namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// A clock tests move by hand (Microsoft.Extensions.TimeProvider.Testing is not on our package registry).
/// Starts at the real time so cookies and anything else that reads the system clock stay consistent.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly Lock _lock = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock) _now += by;
    }
}
