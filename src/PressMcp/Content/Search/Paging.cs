using System.Globalization;
using System.Text.Json;

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

    /// <summary>The <c>page</c> and <c>per_page</c> properties of an input schema, with their bounds.</summary>
    public static string Schema(int defaultPerPage) => string.Create(CultureInfo.InvariantCulture, $$"""
        "page":{"type":"integer","minimum":1,"maximum":{{MaxPage}},"description":"Default 1; at most {{MaxPage}}"},
        "per_page":{"type":"integer","minimum":1,"maximum":{{MaxPerPage}},"description":"Default {{defaultPerPage}}"}
        """);

    /// <summary>Null when the page is within bounds, otherwise what is wrong with it.</summary>
    public static string? Check(long page, long perPage) =>
        page is < 1 or > MaxPage ? $"page must be between 1 and {MaxPage}"
        : perPage is < 1 or > MaxPerPage ? $"per_page must be between 1 and {MaxPerPage}"
        : null;

    /// <summary>
    /// <c>page</c> and <c>per_page</c> of an ability's input. The schema already bounds them; this reads them without
    /// trusting that (a number beyond 64 bits or outside the bounds is refused here too, never cast).
    /// </summary>
    public static Outcome<Paging> From(JsonElement input, int defaultPerPage)
    {
        // A number that is not a 64-bit integer reads as 0: out of bounds, and refused with the same sentence.
        var page = Read(input, "page", 1);
        var perPage = Read(input, "per_page", defaultPerPage);
        if (Check(page, perPage) is { } error) return Problem.Invalid(error);
        return Outcome<Paging>.Ok(new Paging((int)page, (int)perPage));
    }

    private static long Read(JsonElement input, string name, long absent) =>
        !input.TryGetProperty(name, out var element) ? absent
        : element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) ? value
        : 0;
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
