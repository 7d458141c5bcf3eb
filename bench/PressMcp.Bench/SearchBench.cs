using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Demo;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Bench;

/// <summary>
/// Search latency on a generated site (default 100,000 posts, seed 1) in process, through the real service
/// and a real database file: single-word and three-word queries, with and without filters.
/// </summary>
internal static class SearchBench
{
    public static async Task RunAsync(string dataDir, int posts, int iterations)
    {
        await using var env = await BenchEnvironment.OpenAsync(dataDir);
        var siteId = await env.EnsureDemoSiteAsync(posts);

        // Query words drawn from the generator's own vocabulary, skipping the 100 most frequent words
        // (the, of, and…), which people do not search for; ranks 100–3000 span common to rare words.
        var vocabulary = new DemoText(7).VocabularyByFrequency();
        var random = new Random(42);
        string Pick() => vocabulary[random.Next(100, Math.Min(3000, vocabulary.Count))];

        var cases = new (string Name, Func<PostQuery> Query)[]
        {
            ("one word", () => new PostQuery { Text = Pick() }),
            ("three words", () => new PostQuery { Text = $"{vocabulary[random.Next(100, 600)]} {vocabulary[random.Next(100, 600)]} {vocabulary[random.Next(100, 600)]}" }),
            ("one word + filters (category, after, page 2)", () => new PostQuery { Text = Pick(), CategoryId = random.Next(1, 13), AfterUtc = DateTime.UtcNow.AddYears(-2), Page = 2 }),
            ("three words + filters (author, status)", () => new PostQuery { Text = $"{vocabulary[random.Next(100, 600)]} {vocabulary[random.Next(100, 600)]} {vocabulary[random.Next(100, 600)]}", AuthorId = random.Next(1, 5), Statuses = [PostStatuses.Publish] }),
            ("no text, newest first (home page)", () => new PostQuery()),
        };

        Console.WriteLine($"Search over {posts:N0} posts ({env.Describe()}), {iterations} queries per case after 50 warm-up queries.");
        Console.WriteLine(Samples.Header);
        foreach (var (name, make) in cases)
        {
            var samples = new Samples(name);
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
                await samples.TimeAsync(async () =>
                {
                    var result = await search.SearchAsync(siteId, query, ReadAccess.Public);
                    if (!result.Succeeded) throw new InvalidOperationException(result.Problem!.Message);
                });
            }
            Console.WriteLine(samples.Row());
        }
    }
}
