using System.Globalization;

namespace PressMcp.Media.Scans;

/// <summary>
/// How background scans run, from configuration (<c>Media:Scans:*</c>, <c>Media__Scans__*</c> in the environment):
/// <c>HeartbeatSeconds</c> (default 5) how often a running scan proves it is alive and writes its progress;
/// <c>StaleAfterSeconds</c> (default 60) how old a heartbeat may get before the scan counts as interrupted;
/// <c>PollSeconds</c> (default 15) how often the runner looks for queued scans it was not told about (another
/// instance's, or ones left queued by a stop) and sweeps stale ones; <c>MaxConcurrent</c> (default 2) scans at once
/// per instance, never two on one site.
/// </summary>
internal sealed class ScanOptions
{
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);
    public int MaxConcurrent { get; init; } = 2;
    public int QueueCapacity { get; init; } = 256;

    public static ScanOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Media:Scans");
        TimeSpan Seconds(string key, double fallback) =>
            TimeSpan.FromSeconds(double.Parse(section[key] ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        var options = new ScanOptions
        {
            HeartbeatInterval = Seconds("HeartbeatSeconds", 5),
            StaleAfter = Seconds("StaleAfterSeconds", 60),
            PollInterval = Seconds("PollSeconds", 15),
            MaxConcurrent = section.GetValue<int?>("MaxConcurrent") ?? 2,
        };
        if (options.HeartbeatInterval <= TimeSpan.Zero || options.PollInterval <= TimeSpan.Zero)
            throw new InvalidOperationException("Media:Scans:HeartbeatSeconds and PollSeconds must be positive");
        // A live scan must never look stale: leave room for at least two missed heartbeats.
        if (options.StaleAfter < options.HeartbeatInterval * 3)
            throw new InvalidOperationException("Media:Scans:StaleAfterSeconds must be at least three heartbeats (HeartbeatSeconds × 3)");
        if (options.MaxConcurrent is < 1 or > 16) throw new InvalidOperationException("Media:Scans:MaxConcurrent must be between 1 and 16");
        return options;
    }
}
