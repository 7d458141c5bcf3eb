using System.Diagnostics;
using System.Globalization;

namespace PressMcp.Bench;

/// <summary>Latency samples and their summary: median and tail percentiles, in milliseconds.</summary>
internal sealed class Samples(string name)
{
    private readonly List<double> _ms = [];

    public string Name { get; } = name;

    public async Task TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        _ms.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    public double Percentile(double p)
    {
        var sorted = _ms.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = p / 100.0 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public double Median => Percentile(50);

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {_ms.Count} | {Median:F2} | {Percentile(90):F2} | {Percentile(99):F2} | {_ms.Max():F2} |");

    public static string Header => "| case | samples | median ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|";
}
