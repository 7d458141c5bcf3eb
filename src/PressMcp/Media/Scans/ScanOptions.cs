namespace PressMcp.Media.Scans;

/// <summary>
/// How background scans run, from configuration (<c>Media:Scans:*</c>, <c>Media__Scans__*</c> in the environment):
/// <c>HeartbeatSeconds</c> (default 5) how often a running scan proves it is alive and writes its progress;
/// <c>StaleAfterSeconds</c> (default 60) how old a heartbeat may get before the scan counts as interrupted;
/// <c>PollSeconds</c> (default 15) how often the runner looks for queued scans it was not told about (another
/// instance's, or ones left queued by a stop) and sweeps stale ones; <c>MaxConcurrent</c> (default 2) scans at once
/// per instance, never two on one site.
/// </summary>
internal sealed class ScanOptions : IPressOptions
{
    public static string Section => "Media:Scans";

    public double HeartbeatSeconds { get; set; } = 5;
    public double StaleAfterSeconds { get; set; } = 60;
    public double PollSeconds { get; set; } = 15;
    public int MaxConcurrent { get; set; } = 2;

    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(HeartbeatSeconds);
    public TimeSpan StaleAfter => TimeSpan.FromSeconds(StaleAfterSeconds);
    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollSeconds);
    public int QueueCapacity => 256;

    public IEnumerable<string?> Problems()
    {
        // A day is far beyond any sensible interval, and keeps TimeSpan and timers well inside their ranges.
        yield return PressOptions.Range<ScanOptions, double>(nameof(HeartbeatSeconds), HeartbeatSeconds, 0.01, 86_400);
        yield return PressOptions.Range<ScanOptions, double>(nameof(PollSeconds), PollSeconds, 0.01, 86_400);
        // A live scan must never look stale: leave room for at least two missed heartbeats.
        if (StaleAfterSeconds < HeartbeatSeconds * 3 || StaleAfterSeconds > 7 * 86_400)
            yield return $"{Section}:{nameof(StaleAfterSeconds)} is {PressOptions.Text(StaleAfterSeconds)}; it must be between three heartbeats " +
                $"({nameof(HeartbeatSeconds)} × 3 = {PressOptions.Text(HeartbeatSeconds * 3)}) and {PressOptions.Text(7 * 86_400)}";
        yield return PressOptions.Range<ScanOptions, int>(nameof(MaxConcurrent), MaxConcurrent, 1, 16);
    }
}
