using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using PressMcp.Content.Search;
using PressMcp.Storage;

namespace PressMcp.Bench;

/// <summary>
/// Where the whole-vocabulary mix's time goes (issue 16): its queries, in process and one at a time, each sorted by the
/// path it took (a cache hit, a filter, answered in memory, or SQL, by the kinds of words it holds) and timed in CPU of
/// the thread that ran it; what the background reads of the posting lists cost is the process's CPU beyond the sum.
/// Two passes of <c>--iterations</c> queries each: the first on a freshly started process, the second with the lists
/// the first one asked for. A word is "frequent" when the in-memory search may hold it (in at least
/// <see cref="SearchPostings.DefaultMinTableRows"/> rows, at most <see cref="SearchPostingsReader.MaxInstances"/>
/// occurrences), "rare" below that, "too frequent" above.
/// </summary>
internal static class SearchPathsBench
{
    public static async Task RunAsync(string dataDir, int posts, int iterations)
    {
        await using var env = await BenchEnvironment.OpenAsync(dataDir);
        if (env.Storage.Provider != DatabaseProvider.Sqlite) throw new InvalidOperationException("search-paths measures the SQLite paths");
        var siteId = await env.EnsureDemoSiteAsync(posts);
        var vocabulary = await VocabularyAsync(env);
        var mix = SearchShapes.All().Single(s => s.Name.StartsWith("whole", StringComparison.Ordinal)).Make;
        var random = new Random(42);
        await using var services = env.Scope();
        var cache = services.ServiceProvider.GetRequiredService<SearchResultCache>();
        var postings = services.ServiceProvider.GetRequiredService<SearchPostings>();
        Console.WriteLine($"The whole-vocabulary mix over {posts:N0} posts, public reader, one query at a time; {iterations:N0} queries a pass.");
        Console.WriteLine("CPU: the searching thread's (CLOCK_THREAD_CPUTIME_ID); background: the process's CPU beyond the searches' (list reads, GC).");
        foreach (var pass in new[] { "fresh process", "second pass (lists of the first held)" })
        {
            var paths = new SortedDictionary<string, (int Count, double Cpu, double Wall)>(StringComparer.Ordinal);
            var processStart = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var readsStart = postings.Reads;
            var wallStart = System.Diagnostics.Stopwatch.GetTimestamp();
            double searchCpu = 0;
            var hops = 0;
            // The tail: every query of 5 ms of CPU or more (what sets the served p99 with 32 calls in flight on two cores).
            var dear = new List<(double Cpu, string Text, string Path)>();
            for (var i = 0; i < iterations; i++)
            {
                var shape = mix(random);
                var query = shape.Query();
                await using var scope = env.Scope();
                var search = scope.ServiceProvider.GetRequiredService<PostSearch>();
                var (hits, answered) = (cache.Counts, postings.Counts);
                var thread = Environment.CurrentManagedThreadId;
                var cpuStart = ThreadCpuMicroseconds();
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = await search.SearchAsync(siteId, query, ReadAccess.Public);
                var wall = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                var cpu = ThreadCpuMicroseconds() - cpuStart;
                if (thread != Environment.CurrentManagedThreadId) hops++;
                if (!result.Succeeded) throw new InvalidOperationException(result.Problem!.Message);
                searchCpu += cpu;
                var path = PathOf(shape, query.Terms(), vocabulary, cache.Counts.Hits > hits.Hits,
                    postings.Counts.Answered > answered.Answered, result.Value!.Total);
                paths[path] = paths.TryGetValue(path, out var sum) ? (sum.Count + 1, sum.Cpu + cpu, sum.Wall + wall) : (1, cpu, wall);
                if (cpu >= 5_000) dear.Add((cpu, shape.Text + (shape.CategoryId is { } c ? $" [category {c}]" : shape.AuthorId is { } a ? $" [author {a}]" : "") + (shape.Page > 1 ? " [page 2]" : ""), path));
            }
            var process = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - processStart).TotalMicroseconds;
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(wallStart).TotalSeconds;
            Console.WriteLine();
            var reads = postings.Reads;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{pass}: {elapsed:F1} s, process CPU {process / iterations:F0} µs/query, searches {searchCpu / iterations:F0}, background {(process - searchCpu) / iterations:F0} (list builds {(reads.Building - readsStart.Building).TotalMicroseconds / iterations:F0} elapsed, {reads.WordsRead - readsStart.WordsRead:N0} words read); thread hops {hops}; held {postings.Bytes / 1024:N0} KB"));
            // The paths, then each path by its words and matches (the 25 dearest).
            var coarse = paths.GroupBy(p => p.Key.Split(';')[0])
                .ToDictionary(g => g.Key, g => (Count: g.Sum(p => p.Value.Count), Cpu: g.Sum(p => p.Value.Cpu), Wall: g.Sum(p => p.Value.Wall)));
            foreach (var rows in new[] { coarse, paths.ToDictionary(p => p.Key, p => p.Value) })
            {
                Console.WriteLine();
                Console.WriteLine("| path | queries | share | CPU µs/query | wall µs/query | share of the searches' CPU |");
                Console.WriteLine("|---|---|---|---|---|---|");
                foreach (var (path, (count, cpu, wall)) in rows.OrderByDescending(p => p.Value.Cpu).Take(25))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {path} | {count:N0} | {100.0 * count / iterations:F1} % | {cpu / count:F0} | {wall / count:F0} | {100.0 * cpu / searchCpu:F1} % |"));
            }
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Queries of 5 ms of CPU or more: {dear.Count} ({100.0 * dear.Count / iterations:F2} %), {dear.Sum(d => d.Cpu) / 1000:F0} ms in all ({100.0 * dear.Sum(d => d.Cpu) / searchCpu:F1} % of the searches' CPU); the dearest:"));
            foreach (var (cpu, text, path) in dear.OrderByDescending(d => d.Cpu).Take(15))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {cpu / 1000,6:F1} ms  '{text}'  ({path})"));
        }
    }

    private enum Kind { Rare, Frequent, TooFrequent }

    /// <summary>The path a query took, from what the search reported and the kinds of its words.</summary>
    private static string PathOf(SearchShapes.Shape shape, IReadOnlyList<string> terms, Dictionary<string, Kind> vocabulary, bool hit, bool inMemory, long total)
    {
        if (hit) return "cache hit";
        var page = shape.Page > 1 ? ", page 2" : "";
        var kinds = terms.Select(t => vocabulary.GetValueOrDefault(t, Kind.Rare)).ToList();
        var words = kinds.Count switch { 1 => "1 word", var n => $"{n} words" };
        var mixOf = kinds.Contains(Kind.TooFrequent) ? "a too frequent word"
            : kinds.All(k => k == Kind.Frequent) ? (inMemory ? "all frequent" : "all frequent (not held yet)")
            : kinds.All(k => k == Kind.Rare) ? "all rare"
            : "rare and frequent";
        var size = total == 0 ? "0 matches" : total <= 500 ? "1-500 matches" : "> 500 matches";
        var filter = shape.CategoryId is not null ? "category filter, " : shape.AuthorId is not null ? "author filter, " : "";
        return $"{(inMemory ? "in memory" : "SQL")}, {filter}{mixOf}; {words}, {size}{page}";
    }

    /// <summary>Each word of the index and its kind, from FTS5's own vocabulary (rows and occurrences over the whole table).</summary>
    private static async Task<Dictionary<string, Kind>> VocabularyAsync(BenchEnvironment env)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(env.Storage.DataDirectory, "pressmcp.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var create = connection.CreateCommand();
        create.CommandText = "CREATE VIRTUAL TABLE temp.bench_vocabulary USING fts5vocab(main, posts_fts, row)";
        await create.ExecuteNonQueryAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT term, doc, cnt FROM temp.bench_vocabulary";
        var kinds = new Dictionary<string, Kind>(StringComparer.Ordinal);
        await using var rows = await read.ExecuteReaderAsync();
        while (await rows.ReadAsync())
            kinds[rows.GetString(0)] = rows.GetInt64(2) > SearchPostingsReader.MaxInstances ? Kind.TooFrequent
                : rows.GetInt64(1) >= SearchPostings.DefaultMinTableRows ? Kind.Frequent : Kind.Rare;
        return kinds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    private static double ThreadCpuMicroseconds() =>
        ClockGetTime(ThreadCpuClock, out var time) == 0 ? time.Seconds * 1e6 + time.Nanoseconds / 1e3 : 0;
}
