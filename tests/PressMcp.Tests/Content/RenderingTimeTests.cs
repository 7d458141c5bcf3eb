using System.Runtime;
using PressMcp.Content;

namespace PressMcp.Tests.Content;

/// <summary>
/// Doubling a post's length at most doubles its rendering time, for the shapes of markup that made it grow
/// quadratically (<see cref="PathologicalPosts"/>). Each shape is rendered at a length N and 2N, alternately, many
/// times; what is compared is the fastest render of each, timed on the rendering thread's processor clock. The fastest
/// of many is the render nothing disturbed (another process, a collection, a page fault of memory the heap had not yet
/// used), so it measures the work; its ratio measured x1.77-x2.31 for every shape on the loaded 2-core test machine,
/// where medians of single renders scattered up to x10 (docs/security.md, item 1). The bound allows 25 % of
/// measurement error above x2; the quadratic renderer this replaced measured x3.03-x4.16 here. N is 32 KB: long enough that fixed costs do not flatter the
/// ratio, short enough that both trees stay in the processor's caches (at 128 KB and beyond a larger tree costs more
/// per character in cache and TLB misses, which is memory, not work).
/// </summary>
[Trait(Category.Name, Category.Unit)]
[Collection(nameof(RenderingTimeTests))]
public sealed class RenderingTimeTests(ITestOutputHelper output)
{
    private const int Growth = 2;

    // Doubling the length may double the time, plus measurement error; quadratic work is x4.
    private const double TimeBound = 2.5;

    // The bytes allocated grow with the output; a copy per token or an amplified output shows here exactly.
    private const double AllocationBound = 2.25;

    // Rounds of renders of each length, alternated (more, up to MaxRounds, while the ratio is above the bound); fewer
    // if they have already taken MeasuringBudget of processor time.
    private const int Rounds = 31;
    private const int MaxRounds = 93;
    private static readonly TimeSpan MeasuringBudget = TimeSpan.FromSeconds(20);

    // No render of these lengths takes this long (wall clock) unless the rendering has stopped being linear (the
    // longest takes well under a second of processor time): the test then fails at once instead of holding the stage.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private const int Length = 32 * 1024;
    private const string Site = "https://blog.example.com";

    public static TheoryData<string> Shapes() => [.. PathologicalPosts.Shapes.Keys];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Render_DoublingAPathologicalPost_AtMostDoublesTheTime(string shape)
    {
        var make = PathologicalPosts.Shapes[shape];
        var small = new Sample(make(Length));
        var large = new Sample(make(Growth * Length));
        // JIT and first-use costs out of the measurement: a short post of the shape often enough that the runtime
        // compiles its loops' optimized code (tiered compilation promotes a method after 30 calls), then both posts,
        // which also grows the heap to what the larger render needs.
        var warm = make(Length / 8);
        for (var i = 0; i < 40; i++) Sample.Within(warm.Length, () => ContentRenderer.Render(warm, Site));
        for (var i = 0; i < 3; i++)
        {
            small.Measure(withoutCollections: false);
            large.Measure(withoutCollections: false);
        }
        small.Reset();
        large.Reset();
        // Rounds more while the ratio is above the bound (an undisturbed render of one of the two may just not have
        // come yet on a busy machine), up to MaxRounds or the budget; quadratic work never comes near the bound.
        for (var round = 0; round < MaxRounds && (round < 3 || small.Spent + large.Spent < MeasuringBudget)
            && (round < Rounds || large.Fastest / small.Fastest > TimeBound); round++)
        {
            foreach (var withoutCollections in new[] { false, true })
            {
                small.Measure(withoutCollections);
                large.Measure(withoutCollections);
            }
        }

        var ratio = large.Fastest / small.Fastest;
        var allocationRatio = (double)large.Allocated / small.Allocated;
        var figures = $"{shape}: {Length / 1024} KB {small}; {Growth * Length / 1024} KB {large}";
        output.WriteLine($"time x{ratio:F2} (fastest of each), bytes allocated x{allocationRatio:F2}; {figures}");
        Assert.True(ratio <= TimeBound, $"time x{ratio:F2} (fastest of each; bound x{TimeBound}): {figures}");
        Assert.True(allocationRatio <= AllocationBound, $"bytes allocated x{allocationRatio:F2} (bound x{AllocationBound}): {figures}");
    }

    /// <summary>One post, rendered again and again: the fastest render's processor time and what a render allocates.</summary>
    private sealed class Sample(string content)
    {
        private readonly List<double> _ms = [];

        public TimeSpan Fastest { get; private set; } = TimeSpan.MaxValue;

        /// <summary>What the last render allocated.</summary>
        public long Allocated { get; private set; }

        /// <summary>The processor time of the renders since the last <see cref="Reset"/>.</summary>
        public TimeSpan Spent { get; private set; }

        public void Reset()
        {
            _ms.Clear();
            Fastest = TimeSpan.MaxValue;
            Spent = TimeSpan.Zero;
        }

        /// <summary>
        /// Renders the post once on a thread of its own; fails when it runs past the deadline. Each way of rendering is
        /// disturbed by something else, so the renders alternate between both and the fastest of all counts: with
        /// collections allowed, a post that allocates tens of megabytes meets collections, which walk the live tree;
        /// <paramref name="withoutCollections"/> (when the runtime can promise it, with room for what the render allocated
        /// last time) the render writes to memory the heap takes fresh for the region, and the first touch of each page
        /// is a page fault (about 8 µs each on the test machine) that a render within the heap's usual memory does not pay.
        /// </summary>
        public void Measure(bool withoutCollections)
        {
            var noCollection = withoutCollections && Allocated > 0 && TryStartNoGCRegion(Allocated + Allocated / 2 + 16 * 1024 * 1024);
            var (spent, allocated) = Within(content.Length, () =>
            {
                try
                {
                    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    var start = ThreadCpuClock.Now();
                    ContentRenderer.Render(content, Site, Cancellation.Token);
                    return (ThreadCpuClock.Now() - start, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
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

        public override string ToString() =>
            $"fastest {Fastest.TotalMilliseconds:F1} ms of [{string.Join(", ", _ms.Select(ms => ms.ToString("F1")))}], {Allocated / 1024} KB allocated";
    }
}

/// <summary>Timing tests run alone, not beside the other tests of the assembly.</summary>
[CollectionDefinition(nameof(RenderingTimeTests), DisableParallelization = true)]
public sealed class RenderingTimeCollection;
