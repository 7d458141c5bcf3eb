using System.Runtime.InteropServices;

namespace PressMcp.Tests.Content;

/// <summary>
/// The processor time the calling thread has used (Linux), else the wall clock. Timing on a shared machine (builds and
/// tests of others beside it): the wall clock measures the queue for a processor, this the work done. Shared by the
/// rendering-time test and the rendering benchmark (linked there).
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ThreadCpuClockId = 3; // CLOCK_THREAD_CPUTIME_ID

    public static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.FromTicks(System.Diagnostics.Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency);
        if (clock_gettime(ThreadCpuClockId, out var now) != 0) throw new InvalidOperationException("clock_gettime failed");
        return TimeSpan.FromTicks(now.Seconds * TimeSpan.TicksPerSecond + now.Nanoseconds / 100);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
