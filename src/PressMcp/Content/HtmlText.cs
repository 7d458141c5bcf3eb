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

    /// <summary>
    /// The first <paramref name="words"/> words of the text (runs of non-white-space), joined by single spaces, with an
    /// ellipsis when cut (WordPress's wp_trim_words). Reads only as far as the word after the last one kept: search
    /// results make ten excerpts a call from whole posts, and splitting every word of each cost more than the rest.
    /// </summary>
    public static string TrimWords(string text, int words = 55)
    {
        var result = new StringBuilder(Math.Min(text.Length, 512));
        var count = 0;
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i == text.Length) return result.ToString();
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            if (count == words) return result.Append(" …").ToString();
            if (count++ > 0) result.Append(' ');
            result.Append(text, start, i - start);
        }
    }
}
