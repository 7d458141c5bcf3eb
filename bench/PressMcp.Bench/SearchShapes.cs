using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Demo;

namespace PressMcp.Bench;

/// <summary>
/// The search queries agents send, shared by the in-process search bench and the MCP bench, on the generator's
/// 100,000-post site (seed 1). Word pools are ranks of the generator's vocabulary (most frequent first), chosen by the
/// number of posts that contain each word (FTS5's own vocabulary of the benchmark site):
/// ranks 0–4 ("the", "of", "and", "to", "a") are in every post; ranks 160–205 in 11,500–14,500 posts (a frequent
/// word, ≈ 12,600 visible matches); ranks 245–310 in 7,500–9,500 (two of them share ≈ 700 posts, three of the frequent
/// ones ≈ 200). The whole-vocabulary mix draws 1–3 words uniformly from all 6,000 ranks, a third of the queries
/// with a stop word added, a quarter with a filter and a fifth asking for page 2.
/// </summary>
internal static class SearchShapes
{
    /// <summary>
    /// One query: text and the filters the MCP tool takes; for the mix, <paramref name="Kinds"/> says what kind of query
    /// it drew (<c>dimension: value</c>), for its latencies by kind.
    /// </summary>
    internal sealed record Shape(string Text, long? CategoryId = null, long? AuthorId = null, string? Status = null, int Page = 1, IReadOnlyList<string>? Kinds = null)
    {
        public PostQuery Query() => new()
        {
            Text = Text, CategoryId = CategoryId, AuthorId = AuthorId, Statuses = Status is null ? null : [Status], Page = Page,
        };

        /// <summary>The query as a person reads it: its words in quotes, then its filters and page.</summary>
        public string Described() =>
            $"\"{Text}\"{(CategoryId is { } c ? $", category {c}" : "")}{(AuthorId is { } a ? $", author {a}" : "")}{(Status is { } s ? $", {s}" : "")}{(Page > 1 ? $", page {Page}" : "")}";

        /// <summary>The posts-search tool's arguments for the same query.</summary>
        public Dictionary<string, object> Arguments(string site)
        {
            var arguments = new Dictionary<string, object> { ["wpcom_site"] = site, ["search"] = Text, ["per_page"] = 10, ["page"] = Page };
            if (CategoryId is { } category) arguments["category"] = category.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (AuthorId is { } author) arguments["author"] = author;
            if (Status is { } status) arguments["status"] = status;
            return arguments;
        }
    }

    private static readonly string[] StopWords = ["the", "of", "and", "to", "a", "in", "is", "it", "for", "on", "with", "at", "by", "from"];

    public static IReadOnlyList<(string Name, Func<Random, Shape> Make)> All()
    {
        // The site's own vocabulary: another seed shares only the common English words at the head of the list, so the
        // mix's invented words would match nothing (until session 14 the mix used seed 7: 60 % of its queries found nothing).
        var words = new DemoText(BenchEnvironment.SiteSeed).VocabularyByFrequency();
        string From(Random r, int lo, int hi) => words[r.Next(lo, hi + 1)];
        string Frequent(Random r) => From(r, 160, 205);
        return
        [
            ("one frequent word (≈12,600 matches)", r => new Shape(Frequent(r))),
            ("two words (≈700 matches)", r => new Shape($"{From(r, 245, 310)} {From(r, 245, 310)}")),
            ("three words (≈200 matches)", r => new Shape($"{Frequent(r)} {Frequent(r)} {Frequent(r)}")),
            ("a stop word and a word", r => new Shape($"{StopWords[r.Next(StopWords.Length)]} {Frequent(r)}")),
            ("a word every post contains", r => new Shape(From(r, 0, 4))),
            ("whole vocabulary: 1-3 words, stop words, filters, page 2", Mixed),
        ];

        Shape Mixed(Random r)
        {
            var ranks = Enumerable.Range(0, r.Next(1, 4)).Select(_ => r.Next(words.Count)).ToList();
            var text = string.Join(' ', ranks.Select(rank => words[rank]));
            var stop = r.NextDouble() < 1 / 3.0;
            if (stop) text = StopWords[r.Next(StopWords.Length)] + " " + text;
            var page = r.NextDouble() < 0.2 ? 2 : 1;
            var filter = r.Next(8);
            // The rarest word's rank: ranks 160-310 are in 7,500-14,500 posts (above); the tail of the 6,000 in few.
            var rarest = ranks.Max();
            IReadOnlyList<string> kinds =
            [
                $"words: {ranks.Count}",
                $"stop word: {(stop ? "yes" : "no")}",
                $"filter: {filter switch { 0 => "category", 1 => "author", _ => "none" }}",
                $"page: {page}",
                $"rarest word's rank: {rarest switch { < 300 => "0-299", < 1000 => "300-999", < 3000 => "1,000-2,999", _ => "3,000+" }}",
            ];
            var shape = new Shape(text, Page: page, Kinds: kinds);
            return filter switch
            {
                0 => shape with { CategoryId = r.Next(1, 13) },
                1 => shape with { AuthorId = r.Next(1, 5) },
                _ => shape,
            };
        }
    }
}
