using Microsoft.Extensions.DependencyInjection.Extensions;
using PressMcp.Publishing;

namespace PressMcp.Tests.Publishing;

/// <summary>A clock the test sets. Timers still tick in real time (TimeProvider's default), only "now" is controlled.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>A server set-up that uses this clock and <paramref name="options"/> for publishing and counting.</summary>
    public Action<WebApplicationBuilder> Serving(PublishingOptions options) => builder =>
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(this));
        builder.Services.Replace(ServiceDescriptor.Singleton(options));
    };
}
