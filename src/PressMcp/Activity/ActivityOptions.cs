namespace PressMcp.Activity;

internal sealed class ActivityOptions
{
    /// <summary>How often queued entries are written.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long entries are kept (90 days unless configured, <c>Activity:RetentionDays</c>).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The most entries written in one statement batch.</summary>
    public int BatchSize { get; set; } = 1_000;
}
