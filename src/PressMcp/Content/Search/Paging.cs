namespace PressMcp.Content.Search;

/// <summary>
/// One page of a list: the bounds every ability that pages (posts, comments, media scan results) and the public lists
/// share. <see cref="MaxPage"/> × <see cref="MaxPerPage"/> is 10,000,000 rows: deeper than any site holds (the search
/// is measured on 100,000 posts), and far inside an int, so the offset of a page can never overflow. The offset is
/// still computed in long (<see cref="Offset"/>), so the arithmetic stays right even for a caller that skipped the
/// bounds.
/// </summary>
internal readonly record struct Paging(int Page, int PerPage)
{
    /// <summary><see cref="MaxPage"/> in words, for the schema (an attribute argument must be a constant string).</summary>
    public const string PageDescription = "Default 1; at most 100000";

    public const int MaxPage = 100_000;
    public const int MaxPerPage = 100;

    /// <summary>The rows before the page's first.</summary>
    public long Offset => (Page - 1L) * PerPage;

    /// <summary>Null when the page is within bounds, otherwise what is wrong with it.</summary>
    public static string? Check(long page, long perPage) =>
        page is < 1 or > MaxPage ? $"page must be between 1 and {MaxPage}"
        : perPage is < 1 or > MaxPerPage ? $"per_page must be between 1 and {MaxPerPage}"
        : null;
}

/// <summary>
/// The input of an ability that pages: <c>page</c> and <c>per_page</c> with their bounds, checked by the schema before
/// the record is read. Each ability gives its own default <c>per_page</c>.
/// </summary>
internal abstract record PagedInput
{
    [System.ComponentModel.DataAnnotations.Range(1, Paging.MaxPage), System.ComponentModel.Description(Paging.PageDescription)]
    public int Page { get; set; } = 1;

    public abstract int PerPage { get; set; }
}
