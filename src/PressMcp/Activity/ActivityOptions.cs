namespace PressMcp.Activity;

/// <summary>The activity log, from configuration section <c>Activity</c>: <c>RetentionDays</c> (default 90) how long entries are kept.</summary>
internal sealed class ActivityOptions : IPressOptions
{
    public static string Section => "Activity";

    /// <summary>How long entries are kept, in days (<c>Activity:RetentionDays</c>).</summary>
    public int RetentionDays { get; set; } = 90;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);

    /// <summary>How often queued entries are written.</summary>
    public TimeSpan FlushInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The most entries written in one statement batch.</summary>
    public int BatchSize { get; } = 1_000;

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<ActivityOptions, int>(nameof(RetentionDays), RetentionDays, 1, 36_500);
    }
}
