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
        // Runs between tags are copied whole; a tag (or an unclosed one, to the end) becomes one space.
        for (var rest = html.AsSpan(); ;)
        {
            var open = rest.IndexOf('<');
            if (open < 0)
            {
                sb.Append(rest);
                break;
            }
            sb.Append(rest[..open]).Append(' ');
            var close = rest[(open + 1)..].IndexOf('>');
            if (close < 0) break;
            rest = rest[(open + close + 2)..];
        }
        return WebUtility.HtmlDecode(sb.ToString());
    }

    /// <summary>
    /// <see cref="Strip"/> over UTF-8, for the search index's SQL function: the same bytes as encoding Strip's result,
    /// without decoding the text to UTF-16 and encoding it back (a quarter of an import's indexing time). False when
    /// the text left needs what only <see cref="Strip"/> does: decoding entities, or replacing bytes that are not UTF-8.
    /// <paramref name="destination"/> must be as long as <paramref name="html"/>: stripping never lengthens text.
    /// </summary>
    public static bool TryStripUtf8(ReadOnlySpan<byte> html, Span<byte> destination, out int written)
    {
        written = 0;
        // '<' and '>' are ASCII, and neither a multi-byte UTF-8 sequence nor the decoder's replacement of an invalid
        // one takes in an ASCII byte, so tags are where Strip finds them. Text between tags is copied as it is.
        for (var rest = html; ;)
        {
            var open = rest.IndexOf((byte)'<');
            if (open < 0)
            {
                rest.CopyTo(destination[written..]);
                written += rest.Length;
                break;
            }
            rest[..open].CopyTo(destination[written..]);
            written += open;
            destination[written++] = (byte)' ';
            var close = rest[(open + 1)..].IndexOf((byte)'>');
            if (close < 0) break;
            rest = rest[(open + close + 2)..];
        }
        var text = destination[..written];
        return !text.Contains((byte)'&') && System.Text.Unicode.Utf8.IsValid(text);
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
