using System.Runtime;
using System.Runtime.InteropServices;
using PressMcp.Content;

namespace PressMcp.Tests.Content;

/// <summary>
/// Rendering time grows linearly with a post's length, for the shapes of markup that made it grow quadratically
/// (<see cref="PathologicalPosts"/>). Each shape is rendered at a length N and 4N, one after the other in rounds:
/// linear work takes four times as long, quadratic work sixteen times. The processor time of a render that builds a tree
/// of tens of megabytes is not that of its work alone: on the test machine (two shared cores of a virtual machine) a
/// 4N post measured up to 1.6 times more per character than an N post even with nothing else running (caches, TLB and
/// page faults: the larger tree no longer fits where the smaller did), and other processes preempt it and evict its
/// caches. So the bound is the geometric mean of 6.4 and 16, the measure is the median of the rounds' ratios (one
/// disturbed round does not decide), and the bytes allocated, which do not vary, are bounded closely.
/// docs/security.md (item 1) has the figures.
/// </summary>
[Trait(Category.Name, Category.Unit)]
[Collection(nameof(RenderingTimeTests))]
public sealed class RenderingTimeTests(ITestOutputHelper output)
{
    private const int Growth = 4;

    // Linear: x4 to x6.4. Quadratic: x16 and more.
    private const double TimeBound = 10;

    // The bytes allocated grow with the output; a copy per token or an amplified output shows here exactly.
    private const double AllocationBound = 4.5;

    // At least MinRounds; two more at a time while the median is above the bound, up to MaxRounds, unless the renders
    // have already taken MeasuringBudget of processor time.
    private const int MinRounds = 3;
    private const int MaxRounds = 9;
    private static readonly TimeSpan MeasuringBudget = TimeSpan.FromSeconds(10);

    // No render of these lengths takes this long (wall clock) unless the rendering has stopped being linear (the
    // longest takes about a second of processor time): the test then fails at once instead of holding the stage.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Long enough that both posts' trees outgrow the processor's caches (at 32 KB against 128 KB linear shapes measured
    // up to x10), short enough for the whole test to take about a minute.
    private const int StartLength = 128 * 1024;
    private const int MaxLength = 256 * 1024;
    private const string Site = "https://blog.example.com";

    public static TheoryData<string> Shapes() => [.. PathologicalPosts.Shapes.Keys];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Render_QuadruplingAPathologicalPost_AtMostQuadruplesTheWork(string shape)
    {
        var make = PathologicalPosts.Shapes[shape];
        // JIT and first-use costs out of the measurement: AngleSharp's and our loops reach their optimized code.
        var warm = make(StartLength / 8);
        for (var i = 0; i < 3; i++) Sample.Within(warm.Length, () => ContentRenderer.Render(warm, Site));
        var length = StartLength;
        var small = new Sample(make(length));
        // A shape that renders in a few milliseconds is measured longer, so the clock's resolution does not decide.
        while (small.Measure() < TimeSpan.FromMilliseconds(10) && length < MaxLength)
        {
            length *= 2;
            small = new Sample(make(length));
        }
        var large = new Sample(make(Growth * length)) { Allocated = Growth * small.Allocated };

        var ratios = new List<double>();
        var ratio = double.PositiveInfinity;
        while (ratios.Count < MaxRounds && (ratios.Count < MinRounds || ratio > TimeBound)
            && (ratios.Count == 0 || small.Spent + large.Spent < MeasuringBudget))
        {
            ratios.Add(large.Measure() / small.Measure());
            if (ratios.Count >= MinRounds && ratios.Count % 2 == 1) ratio = ratios.Order().ElementAt(ratios.Count / 2);
        }
        if (ratios.Count % 2 == 0) ratio = ratios.Order().ElementAt(ratios.Count / 2); // stopped by the budget

        var allocationRatio = (double)large.Allocated / small.Allocated;
        var figures = $"{shape}: {length / 1024} KB {small}; {Growth * length / 1024} KB {large}; "
            + $"ratios [{string.Join(", ", ratios.Select(r => r.ToString("F2")))}]";
        output.WriteLine($"time x{ratio:F2} (median of {ratios.Count}), bytes allocated x{allocationRatio:F2}; {figures}");
        Assert.True(ratio <= TimeBound, $"time x{ratio:F2} (median of {ratios.Count}; bound x{TimeBound}): {figures}");
        Assert.True(allocationRatio <= AllocationBound, $"bytes allocated x{allocationRatio:F2} (bound x{AllocationBound}): {figures}");
    }

    /// <summary>One post, rendered again and again: the fastest render's processor time and what a render allocates.</summary>
    private sealed class Sample(string content)
    {
        private readonly List<double> _ms = [];

        public TimeSpan Fastest { get; private set; } = TimeSpan.MaxValue;

        /// <summary>What the last render allocated (before the first: an estimate, for the no-collection region).</summary>
        public long Allocated { get; set; }

        /// <summary>The processor time of all the renders so far.</summary>
        public TimeSpan Spent { get; private set; }

        /// <summary>Renders the post once and returns the processor time it took; fails when it runs past the deadline.</summary>
        public TimeSpan Measure()
        {
            // A clean heap, and no collection during the render when the runtime can promise it (what a render
            // allocates, from the last run or an estimate, with room): a collection's cost depends on what else lives
            // in the process, and one met by the large post but not the small one would count as its work.
            var noCollection = Allocated > 0 && TryStartNoGCRegion(Allocated + Allocated / 2 + 16 * 1024 * 1024);
            if (!noCollection) GC.Collect(); // starting the region collects too
            var (spent, allocated) = Within(content.Length, () =>
            {
                try
                {
                    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    var start = ThreadTime();
                    ContentRenderer.Render(content, Site, Cancellation.Token);
                    return (ThreadTime() - start, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
                }
                finally
                {
                    if (noCollection && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
                }
            });
            Allocated = allocated;
            Spent += spent;
            _ms.Add(spent.TotalMilliseconds);
            if (spent < Fastest) Fastest = spent;
            return spent;
        }

        // Stops a render still running when the test has failed on its deadline.
        private static CancellationTokenSource Cancellation { get; set; } = new();

        /// <summary>
        /// Runs <paramref name="render"/> on a thread of its own (the processor clock is that thread's) and waits for it
        /// until <see cref="Deadline"/>: a render that has stopped being linear fails the test then, whether or not it stops when
        /// cancelled.
        /// </summary>
        public static T Within<T>(int length, Func<T> render)
        {
            T result = default!;
            Exception? failure = null;
            var worker = new Thread(() =>
            {
                try { result = render(); }
                catch (Exception e) { failure = e; }
            }) { IsBackground = true, Name = "render under test" };
            worker.Start();
            if (!worker.Join(Deadline))
            {
                Cancellation.Cancel();
                Cancellation = new CancellationTokenSource();
                throw new Xunit.Sdk.XunitException($"a render of {length / 1024} KB did not finish within {Deadline.TotalSeconds:F0} s (wall clock)");
            }
            if (failure is not null) throw new InvalidOperationException("the render failed", failure);
            return result;
        }

        public override string ToString() =>
            $"fastest {Fastest.TotalMilliseconds:F1} ms of [{string.Join(", ", _ms.Select(ms => ms.ToString("F1")))}], {Allocated / 1024} KB allocated";

        private static bool TryStartNoGCRegion(long bytes)
        {
            try
            {
                return GC.TryStartNoGCRegion(bytes);
            }
            catch (ArgumentOutOfRangeException)
            {
                return false; // more than the runtime can set aside: measured with collections, as a server renders
            }
        }
    }

    /// <summary>The thread's processor time (<see cref="ThreadCpuClock"/>).</summary>
    private static TimeSpan ThreadTime() => ThreadCpuClock.Now();
}

/// <summary>Timing tests run alone, not beside the other tests of the assembly.</summary>
[CollectionDefinition(nameof(RenderingTimeTests), DisableParallelization = true)]
public sealed class RenderingTimeCollection;
