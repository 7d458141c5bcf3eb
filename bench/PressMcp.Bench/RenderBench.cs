using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens.Struct;
using AngleSharp.Text;
using PressMcp.Content;
using PressMcp.Tests.Content;

namespace PressMcp.Bench;

/// <summary>
/// Rendering time per phase (automatic paragraphs, parse under the guard, sanitizer's write, disposal, excerpt; then
/// the whole render: after a collection, again, and with no collection) for the pathological shapes of the
/// rendering-time test at growing lengths: the fastest of several runs on this thread's processor clock, the kernel's
/// share and page faults, the collections and their pauses. Where the time is not linear, <see cref="Work"/> tells
/// whether the work is. docs/security.md (item 1) has the figures and the commands:
/// <c>DOTNET_gcServer=0 [DOTNET_GCgen0size=0x40000000] [chrt -f 50] dotnet run -c Release --project bench/PressMcp.Bench --
/// render --kb 32,128,512</c>.
/// </summary>
internal static class RenderBench
{
    private const string Site = "https://blog.example.com";

    private sealed record Phase(
        string Name, double CpuMs, double WallMs, double GcPauseMs, int Gen0, int Gen1, int Gen2, long Allocated, double SysMs, long Faults);

    public static void Run(string only, int runs, int[] sizesKb)
    {
        Console.WriteLine($"server GC {GCSettings.IsServerGC}, concurrent {GCSettings.LatencyMode}, runs {runs}");
        foreach (var (shape, make) in PathologicalPosts.Shapes)
        {
            if (only.Length > 0 && !shape.Contains(only, StringComparison.Ordinal)) continue;
            // Warm: the loops of AngleSharp and ours reach their optimized code before anything is measured.
            for (var i = 0; i < 5; i++) ContentRenderer.Render(make(sizesKb[0] * 1024));
            Console.WriteLine($"\n## {shape}");
            Console.WriteLine(
                "| KB | phase | cpu ms | of which kernel ms | page faults | wall ms | gc pause ms | gen0/1/2 | MB allocated | x cpu |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            // Sizes alternate within each run, so a busy moment of the machine slows all of them alike; fastest of the runs.
            var contents = sizesKb.Select(kb => make(kb * 1024)).ToArray();
            var best = sizesKb.Select(_ => new Dictionary<string, Phase>()).ToArray();
            for (var run = 0; run < runs; run++)
                for (var i = 0; i < contents.Length; i++) Measure(contents[i], best[i]);
            Dictionary<string, double>? before = null;
            for (var i = 0; i < contents.Length; i++)
            {
                var phases = best[i].Values;
                var now = phases.ToDictionary(p => p.Name, p => p.CpuMs);
                foreach (var p in phases)
                {
                    var ratio = before is null ? "" : (p.CpuMs / before[p.Name]).ToString("F2", CultureInfo.InvariantCulture);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {sizesKb[i]} | {p.Name} | {p.CpuMs:F1} | {p.SysMs:F1} | {p.Faults} | {p.WallMs:F1} | {p.GcPauseMs:F1} | " +
                        $"{p.Gen0}/{p.Gen1}/{p.Gen2} | {p.Allocated / 1e6:F1} | {ratio} |"));
                }
                before = now;
            }
        }
    }

    /// <summary>
    /// The work AngleSharp's tree builder does per token, read from its lists by reflection (diagnostics only): the
    /// HTML5 algorithm walks the stack of open elements and the list of active formatting elements, so the sum of their
    /// lengths over all tokens is what made it quadratic. Linear when the sum per token stays constant as the post grows.
    /// </summary>
    public static void Work(string only, int[] sizesKb)
    {
        var shapes = PathologicalPosts.Shapes;
        Console.WriteLine(
            "| shape | KB | tokens | elements | text nodes | sum open stack | sum formatting list | max stack | max formatting | per token |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (shape, make) in shapes)
        {
            if (only.Length > 0 && !shape.Contains(only, StringComparison.Ordinal)) continue;
            foreach (var kb in sizesKb)
            {
                var html = Autop.Apply(make(kb * 1024));
                var guard = new TreeBuildingGuard(html.Length, default);
                var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false, OnCreated = guard.OnCreated });
                long tokens = 0, open = 0, formatting = 0, maxOpen = 0, maxFormatting = 0;
                FieldInfo? openField = null, formattingField = null;
                const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
                using var document = parser.ParseDocument<Document, Element>(new TextSource(html),
                    (ref StructHtmlToken token, TokenConsumer next) =>
                    {
                        var builder = next.Target!;
                        openField ??= builder.GetType().GetField("_openElements", Private);
                        formattingField ??= builder.GetType().GetField("_formattingElements", Private);
                        var result = guard.Consume(ref token, next);
                        tokens++;
                        var o = ((ICollection)openField!.GetValue(builder)!).Count;
                        var f = ((ICollection)formattingField!.GetValue(builder)!).Count;
                        open += o;
                        formatting += f;
                        maxOpen = Math.Max(maxOpen, o);
                        maxFormatting = Math.Max(maxFormatting, f);
                        return result;
                    });
                var elements = document.Body!.QuerySelectorAll("*").Length;
                var texts = 0;
                foreach (var node in document.Body.GetDescendants()) if (node is IText) texts++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {shape} | {kb} | {tokens} | {elements} | {texts} | {open} | {formatting} | {maxOpen} | {maxFormatting} | " +
                    $"{(open + formatting) / (double)tokens:F1} |"));
            }
        }
    }

    private static void Measure(string content, Dictionary<string, Phase> best)
    {
        Clean();
        var html = Time("autop",
            () => content.Contains("<!-- wp:", StringComparison.Ordinal) ? content : Autop.Apply(content), best);
        var document = Time("parse", () => HtmlSanitizer.Parse(html, default), best);
        var output = Time("write", () => HtmlSanitizer.Write(document, html.Length, Site, default), best);
        Time("dispose", () => { document.Dispose(); return 0; }, best);
        Time("excerpt", () => HtmlText.TrimWords(HtmlText.Strip(output.Trim())), best);
        // The whole render, as the test measures it.
        Clean();
        Time("render", () => ContentRenderer.Render(content, Site), best);
        // The same after a render of the same post: the heap has already grown to what the render needs.
        Clean();
        Time("render again", () => ContentRenderer.Render(content, Site), best);
        // And with no collection during it (what the render allocates, with room).
        Clean();
        var region = GC.TryStartNoGCRegion(best["render"].Allocated * 3 / 2 + 16 * 1024 * 1024);
        Time("render, no GC", () => ContentRenderer.Render(content, Site), best);
        if (region && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
    }

    private static void Clean()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static T Time<T>(string name, Func<T> action, Dictionary<string, Phase> best)
    {
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pause = GC.GetTotalPauseDuration();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var wall = Stopwatch.GetTimestamp();
        var usage = Usage();
        var cpu = ThreadCpu();
        var result = action();
        var cpuMs = (ThreadCpu() - cpu).TotalMilliseconds;
        var after = Usage();
        var phase = new Phase(name, cpuMs, Stopwatch.GetElapsedTime(wall).TotalMilliseconds,
            (GC.GetTotalPauseDuration() - pause).TotalMilliseconds, GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1,
            GC.CollectionCount(2) - g2, GC.GetAllocatedBytesForCurrentThread() - allocated,
            (after.SystemMicroseconds - usage.SystemMicroseconds) / 1000.0, after.MinorFaults - usage.MinorFaults);
        if (!best.TryGetValue(name, out var kept) || phase.CpuMs < kept.CpuMs) best[name] = phase;
        return result;
    }

    private static TimeSpan ThreadCpu() => PressMcp.Tests.Content.ThreadCpuClock.Now();

    // getrusage(RUSAGE_THREAD): the thread's time in the kernel (page faults are served there) and its minor page faults.
    private static (long SystemMicroseconds, long MinorFaults) Usage()
    {
        var fields = new long[18];
        if (getrusage(1, fields) != 0) throw new InvalidOperationException("getrusage failed");
        return (fields[2] * 1_000_000 + fields[3], fields[8]);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, [Out] long[] usage);
}
