using System.Globalization;
using PressMcp.Content;

namespace PressMcp.Publishing;

internal enum PublicKind
{
    Home,
    Search,
    Post,
    Page,
    Category,
    Tag,
}

/// <summary>
/// What a public address asks for: a kind, the slugs in the path, a list's page, search words; for a post, the
/// permalink structure its address has (<see cref="Structure"/>) and what that shape carries: the day
/// (<see cref="Date"/>), the month (<see cref="Date"/> on the 1st) or the id (<see cref="PostId"/>). A single
/// segment is a page path, or a post's name when no page has it.
/// </summary>
internal sealed record PublicRequest(PublicKind Kind, IReadOnlyList<string> Slugs, int Page = 1, DateOnly? Date = null, string? Text = null)
{
    public bool IsList => Kind is PublicKind.Home or PublicKind.Search or PublicKind.Category or PublicKind.Tag;

    /// <summary>The <see cref="Sites.Permalinks"/> structure of a post's address (null for other kinds).</summary>
    public string? Structure { get; init; }

    public long? PostId { get; init; }

    /// <summary>A post by id: WordPress's plain <c>?p=123</c>, the GUID of every post.</summary>
    public static PublicRequest PlainPost(long id) => new(PublicKind.Post, []) { Structure = Sites.Permalinks.Plain, PostId = id };
}

/// <summary>
/// Reads a path below a site's base URL, in every permalink structure at once (<see cref="Sites.Permalinks"/>):
/// <c>/</c> and <c>/page/N/</c> (home), <c>?s=words</c> (search), <c>/yyyy/mm/dd/slug/</c>, <c>/yyyy/mm/slug/</c> and
/// <c>/archives/123</c> (posts),
/// <c>/category/parent/child/</c>, <c>/tag/slug/</c> (archives, with <c>/page/N/</c>), anything else a page path
/// (<c>/parent/child/</c>). Reserved first segments (<see cref="Slugs.IsReserved"/>) are never content. Pure:
/// whether the content exists is the reader's question.
/// </summary>
internal static class PublicPath
{
    private const string PageSegment = "page";

    /// <summary>The request, or null when the path cannot name anything (a reserved or malformed path).</summary>
    public static PublicRequest? Parse(string? path, string? searchText)
    {
        var segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.ToLowerInvariant()).ToList();
        if (segments.Count > 0 && Slugs.IsReserved(segments[0])) return null;

        var page = 1;
        var paged = segments.Count >= 2 && segments[^2] == PageSegment;
        if (paged)
        {
            if (!TryPageNumber(segments[^1], out page)) return null;
            segments.RemoveRange(segments.Count - 2, 2);
        }

        if (segments.Count == 0)
        {
            var text = searchText?.Trim();
            return string.IsNullOrEmpty(text) ? new PublicRequest(PublicKind.Home, [], page) : new PublicRequest(PublicKind.Search, [], page, Text: text);
        }
        if (segments[0] == "category" && segments.Count >= 2) return new PublicRequest(PublicKind.Category, segments.GetRange(1, segments.Count - 1), page);
        if (segments[0] == "tag" && segments.Count == 2) return new PublicRequest(PublicKind.Tag, segments.GetRange(1, segments.Count - 1), page);
        // Posts and pages are single items: a page number after them names nothing.
        if (paged) return null;
        if (segments.Count == 4 && IsDigits(segments[0], 4) && IsDigits(segments[1], 2) && IsDigits(segments[2], 2))
        {
            return DateOnly.TryParseExact($"{segments[0]}-{segments[1]}-{segments[2]}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? new PublicRequest(PublicKind.Post, [segments[3]], Date: date) { Structure = Sites.Permalinks.DayAndName }
                : null;
        }
        if (segments.Count == 3 && IsDigits(segments[0], 4) && IsDigits(segments[1], 2))
        {
            return DateOnly.TryParseExact($"{segments[0]}-{segments[1]}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
                ? new PublicRequest(PublicKind.Post, [segments[2]], Date: month) { Structure = Sites.Permalinks.MonthAndName }
                : null;
        }
        if (segments.Count == 2 && segments[0] == Sites.Permalinks.ArchivesSegment && segments[1].Length <= 18 && segments[1].All(char.IsAsciiDigit)
            && long.TryParse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return new PublicRequest(PublicKind.Post, []) { Structure = Sites.Permalinks.Numeric, PostId = id };
        return new PublicRequest(PublicKind.Page, segments);
    }

    private static bool TryPageNumber(string text, out int page)
    {
        page = 0;
        return text.Length is > 0 and <= 6 && text.All(char.IsAsciiDigit) && int.TryParse(text, CultureInfo.InvariantCulture, out page) && page >= 1;
    }

    private static bool IsDigits(string text, int length) => text.Length == length && text.All(char.IsAsciiDigit);
}
