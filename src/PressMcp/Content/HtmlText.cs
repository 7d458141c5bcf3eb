using System.Net;
using System.Text;

namespace PressMcp.Content;

/// <summary>
/// Plain text from stored post HTML: tags become spaces, entities are decoded. Used where only words
/// matter (the SQLite search index, automatic excerpts); never for rendering, which sanitizes instead.
/// </summary>
internal static class HtmlText
{
    public static string Strip(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        if (html.AsSpan().IndexOfAny('<', '&') < 0) return html;
        var sb = new StringBuilder(html.Length);
        var inTag = false;
        foreach (var ch in html)
        {
            if (inTag)
            {
                if (ch == '>') inTag = false;
                continue;
            }
            if (ch == '<')
            {
                inTag = true;
                sb.Append(' ');
                continue;
            }
            sb.Append(ch);
        }
        return WebUtility.HtmlDecode(sb.ToString());
    }

    /// <summary>The first <paramref name="words"/> words of the text, with an ellipsis when cut (WordPress's wp_trim_words).</summary>
    public static string TrimWords(string text, int words = 55)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length <= words ? string.Join(' ', parts) : string.Join(' ', parts.Take(words)) + " …";
    }
}
