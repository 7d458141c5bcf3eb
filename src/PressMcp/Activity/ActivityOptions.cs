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

    /// <summary>
    /// The most entries written in one transaction: about a second of a busy server's calls, so the flusher commits once
    /// a tick rather than every thousand entries. Each commit writes the pages it touched to the WAL (the last leaf of the
    /// table and of each index again every time) and walks the commit path; 10,000 at a time measured about 1 µs less an
    /// entry than 1,000 (docs/performance.md, "MCP: the trivial call"). It also bounds how long the flusher holds SQLite's
    /// write lock (tens of milliseconds at most; other writers wait under <c>busy_timeout</c>) and how many entries a
    /// failed write keeps for the next try.
    /// </summary>
    public int BatchSize { get; } = 10_000;

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<ActivityOptions, int>(nameof(RetentionDays), RetentionDays, 1, 36_500);
    }
}
