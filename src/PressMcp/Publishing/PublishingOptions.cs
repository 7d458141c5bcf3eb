namespace PressMcp.Publishing;

/// <summary>How often the server publishes due scheduled posts and writes counted views to the database.</summary>
internal sealed record PublishingOptions
{
    public static readonly TimeSpan DefaultScheduleInterval = TimeSpan.FromSeconds(30);

    public TimeSpan ScheduleInterval { get; init; } = DefaultScheduleInterval;

    /// <summary>Views wait in memory at most this long; a crash loses at most this much counting, never a page.</summary>
    public TimeSpan ViewFlushInterval { get; init; } = TimeSpan.FromSeconds(10);
}
