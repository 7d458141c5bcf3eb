using System.Globalization;
using System.Text;

namespace PressMcp.Content;

/// <summary>
/// WordPress's sanitize_title for slugs: accents removed, lower case, anything but letters, digits and
/// hyphens turned into hyphens, runs of hyphens collapsed. Letters of other scripts are kept (WordPress
/// percent-encodes them in URLs; we keep them readable and let the URL layer encode).
/// </summary>
internal static class Slugs
{
    public const int MaxLength = 200;

    // Paths under a site's base URL that belong to the server (later issues mount endpoints there), so no
    // post or page may take them: the public router never reads them as page paths.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "wp-json", "wp-admin", "wp-content", "admin" };

    public static bool IsReserved(string slug) => Reserved.Contains(slug);

    public static string FromTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return "";
        var decomposed = title.Trim().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var lastHyphen = true; // no leading hyphen
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark) continue; // the accent of é
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
                lastHyphen = false;
            }
            else if (ch is '\'' or '’' or '"')
            {
                // "don't" → "dont", as WordPress does.
            }
            else if (!lastHyphen)
            {
                sb.Append('-');
                lastHyphen = true;
            }
        }
        var slug = sb.ToString().Normalize(NormalizationForm.FormC).Trim('-');
        if (slug.Length > MaxLength) slug = slug[..MaxLength].TrimEnd('-');
        return slug;
    }

    /// <summary>
    /// The first of <c>slug</c>, <c>slug-2</c>, <c>slug-3</c>… for which <paramref name="taken"/> says no,
    /// as WordPress's wp_unique_post_slug does. A reserved path (<see cref="IsReserved"/>) always counts as taken.
    /// </summary>
    public static async Task<string> UniqueAsync(string slug, Func<string, Task<bool>> taken)
    {
        if (!IsReserved(slug) && !await taken(slug)) return slug;
        for (var n = 2; ; n++)
        {
            var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
            var candidate = (slug.Length + suffix.Length > MaxLength ? slug[..(MaxLength - suffix.Length)] : slug) + suffix;
            if (!await taken(candidate)) return candidate;
        }
    }
}
