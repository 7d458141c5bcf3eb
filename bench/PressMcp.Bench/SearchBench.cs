using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Demo;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Bench;

/// <summary>
/// Search latency on a generated site (default 100,000 posts, seed 1) in process, through the real service
/// and a real database file: single-word and three-word queries, with and without filters, and the shapes of
/// <see cref="SearchShapes"/>; <c>--case TEXT</c> keeps the cases whose name contains it.
/// </summary>
internal static class SearchBench
{
    public static async Task RunAsync(string dataDir, int posts, int iterations, string only)
    {
        await using var env = await BenchEnvironment.OpenAsync(dataDir);
        var siteId = await env.EnsureDemoSiteAsync(posts);

        // Query words drawn from the generator's own vocabulary, skipping the 100 most frequent words
        // (the, of, and…), which people do not search for; ranks 100–3000 span common to rare words.
        var vocabulary = new DemoText(BenchEnvironment.SiteSeed).VocabularyByFrequency();
        var random = new Random(42);
        string Pick() => vocabulary[random.Next(100, Math.Min(3000, vocabulary.Count))];

        var cases = new List<(string Name, Func<PostQuery> Query)>
        {
            ("one word (ranks 100-3,000)", () => new PostQuery { Text = Pick() }),
            ("three words (ranks 100-600)", () => new PostQuery { Text = $"{vocabulary[random.Next(100, 600)]} {vocabulary[random.Next(100, 600)]} {vocabulary[random.Next(100, 600)]}" }),
            ("one word + filters (category, after, page 2)", () => new PostQuery { Text = Pick(), CategoryId = random.Next(1, 13), AfterUtc = DateTime.UtcNow.AddYears(-2), Page = 2 }),
            ("three words + filters (author, status)", () => new PostQuery { Text = $"{vocabulary[random.Next(100, 600)]} {vocabulary[random.Next(100, 600)]} {vocabulary[random.Next(100, 600)]}", AuthorId = random.Next(1, 5), Statuses = [PostStatuses.Publish] }),
            ("no text, newest first (home page)", () => new PostQuery()),
        };
        // The shapes agents search with (issue 16): frequent words, several words, stop words, the whole vocabulary.
        foreach (var (name, make) in SearchShapes.All()) cases.Add((name, () => make(random).Query()));
        if (only.Length > 0) cases.RemoveAll(c => !c.Name.Contains(only, StringComparison.OrdinalIgnoreCase));

        Console.WriteLine($"Search over {posts:N0} posts ({env.Describe()}), {iterations} queries per case after 50 warm-up queries.");
        Console.WriteLine("CPU µs/query: the process's CPU time over the timed queries of the case, divided by them (the in-memory search's background reads included).");
        Console.WriteLine("Ranked in memory / by SQL: searches that reached the in-memory search (SearchPostings or PostgresSearchPostings, after a cache miss) and how many it answered or left to SQL.");
        Console.WriteLine(Samples.Header.Replace(" max ms |", " max ms | CPU µs/query | cache hits | ranked in memory / by SQL |").Replace("|---|---|---|---|---|---|", "|---|---|---|---|---|---|---|---|---|"));
        await using var cacheScope = env.Scope();
        var cache = cacheScope.ServiceProvider.GetRequiredService<SearchResultCache>();
        var postings = cacheScope.ServiceProvider.GetRequiredService<SearchPostings>();
        var postgresPostings = cacheScope.ServiceProvider.GetRequiredService<PostgresSearchPostings>();
        // Whichever engine runs, only its own in-memory search is asked: the sum is that one's.
        (long Answered, long Declined) Counts() => (postings.Counts.Answered + postgresPostings.Counts.Answered, postings.Counts.Declined + postgresPostings.Counts.Declined);
        foreach (var (name, make) in cases)
        {
            var samples = new Samples(name);
            var before = cache.Counts;
            var inMemory = Counts();
            var rankedHere = postgresPostings.RankedHere;
            var cpu = TimeSpan.Zero;
            for (var i = 0; i < iterations + 50; i++)
            {
                var query = make();
                await using var scope = env.Scope();
                var search = scope.ServiceProvider.GetRequiredService<PostSearch>();
                if (i < 50)
                {
                    await search.SearchAsync(siteId, query, ReadAccess.Public);
                    continue;
                }
                var cpuStart = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                await samples.TimeAsync(async () =>
                {
                    var result = await search.SearchAsync(siteId, query, ReadAccess.Public);
                    if (!result.Succeeded) throw new InvalidOperationException(result.Problem!.Message);
                });
                cpu += System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
            }
            var memory = Counts();
            Console.WriteLine(samples.Row() + string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $" {cpu.TotalMicroseconds / iterations:F0} | {McpBench.HitRate(before, cache.Counts)} | {memory.Answered - inMemory.Answered:N0} / {memory.Declined - inMemory.Declined:N0} |"));
            if (postgresPostings.RankedHere > rankedHere)
                Console.WriteLine($"  (PostgreSQL: {postgresPostings.RankedHere - rankedHere:N0} of those answered in memory ordered by ts_rank_cd in memory, the rest of those at or below the rank-all limit by SQL)");
        }
    }
}
