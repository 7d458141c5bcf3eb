namespace PressMcp.Content.Search;

/// <summary>
/// Where relevance ranking changes method on SQLite: up to <see cref="RankAllLimit"/> full-text matches every match
/// is ranked by bm25; above it title and excerpt matches come first, then content-only matches newest first
/// (docs/architecture.md, Search). The limit is measured in docs/performance.md; tests use a small one.
/// </summary>
internal sealed record SearchRanking(int RankAllLimit)
{
    public static SearchRanking Default { get; } = new(500);
}
