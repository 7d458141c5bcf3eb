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

/// <summary>What a public address asks for: a kind, the slugs in the path, a post's date, a list's page, search words.</summary>
internal sealed record PublicRequest(PublicKind Kind, IReadOnlyList<string> Slugs, int Page = 1, DateOnly? Date = null, string? Text = null)
{
    public bool IsList => Kind is PublicKind.Home or PublicKind.Search or PublicKind.Category or PublicKind.Tag;
}

/// <summary>
/// Reads a path below a site's base URL, WordPress's default "day and name" permalinks:
/// <c>/</c> and <c>/page/N/</c> (home), <c>?s=words</c> (search), <c>/yyyy/mm/dd/slug/</c> (post),
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
                ? new PublicRequest(PublicKind.Post, [segments[3]], Date: date)
                : null;
        }
        return new PublicRequest(PublicKind.Page, segments);
    }

    private static bool TryPageNumber(string text, out int page)
    {
        page = 0;
        return text.Length is > 0 and <= 6 && text.All(char.IsAsciiDigit) && int.TryParse(text, CultureInfo.InvariantCulture, out page) && page >= 1;
    }

    private static bool IsDigits(string text, int length) => text.Length == length && text.All(char.IsAsciiDigit);
}
