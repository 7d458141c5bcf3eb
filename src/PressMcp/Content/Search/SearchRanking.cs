namespace PressMcp.Content.Search;

/// <summary>
/// Where relevance ranking changes method on SQLite: up to <see cref="RankAllLimit"/> full-text matches every match
/// is ranked by bm25; above it title and excerpt matches come first, then content-only matches newest first
/// (docs/architecture.md, Search). The limit is measured in docs/performance.md; tests use a small one.
/// <see cref="ExactTotalLimit"/>: how far a search with query text counts its matches (<see cref="PostPage.TotalIsLowerBound"/>).
/// </summary>
internal sealed record SearchRanking(int RankAllLimit, int ExactTotalLimit = SearchRanking.DefaultExactTotalLimit)
{
    public const int DefaultExactTotalLimit = 10_000;

    public static SearchRanking Default { get; } = new(500);
}
