namespace PressMcp.Publishing;

/// <summary>
/// How often the server publishes due scheduled posts and writes counted views to the database: section
/// <c>Publishing</c> (<c>ScheduleInterval</c>, <c>ViewFlushInterval</c>, as <c>hh:mm:ss</c>), and
/// <c>serve --publish-interval SECONDS</c>, which sets <c>Publishing:ScheduleInterval</c>.
/// </summary>
internal sealed class PublishingOptions : IPressOptions
{
    public static readonly TimeSpan DefaultScheduleInterval = TimeSpan.FromSeconds(30);

    public static string Section => "Publishing";

    public TimeSpan ScheduleInterval { get; set; } = DefaultScheduleInterval;

    /// <summary>Views wait in memory at most this long; a crash loses at most this much counting, never a page.</summary>
    public TimeSpan ViewFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string?> Problems()
    {
        // A timer of less than 100 ms would be busy work; more than a day would leave scheduled posts waiting unnoticed.
        yield return PressOptions.Range<PublishingOptions, TimeSpan>(nameof(ScheduleInterval), ScheduleInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        yield return PressOptions.Range<PublishingOptions, TimeSpan>(nameof(ViewFlushInterval), ViewFlushInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
    }
}
