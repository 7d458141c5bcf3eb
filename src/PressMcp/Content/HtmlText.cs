using System.Buffers;
using System.Net;

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
        var buffer = ArrayPool<char>.Shared.Rent(html.Length);
        try
        {
            return WebUtility.HtmlDecode(new string(buffer, 0, StripTags(html, buffer)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// <see cref="Strip"/>'s tags: runs between tags are copied whole; a tag (or an unclosed one, to the end) becomes one
    /// space. <paramref name="destination"/> must be as long as <paramref name="html"/>: stripping never lengthens text.
    /// Stripping a prefix of some HTML gives a prefix of what stripping all of it gives (a tag cut off becomes its space).
    /// </summary>
    private static int StripTags(ReadOnlySpan<char> html, Span<char> destination)
    {
        var written = 0;
        for (var rest = html; ;)
        {
            var open = rest.IndexOf('<');
            if (open < 0)
            {
                rest.CopyTo(destination[written..]);
                return written + rest.Length;
            }
            rest[..open].CopyTo(destination[written..]);
            written += open;
            destination[written++] = ' ';
            var close = rest[(open + 1)..].IndexOf('>');
            if (close < 0) return written;
            rest = rest[(open + close + 2)..];
        }
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
    public static string TrimWords(string text, int words = 55) => TryTrimWords(text, words, whole: true, out var trimmed) ? trimmed : "";

    /// <summary>
    /// <c>TrimWords(Strip(html), words)</c>, the automatic excerpt of a post, reading only the start of the HTML when
    /// that holds enough words. Search answers ten excerpts a call, and stripping each post whole (twice its size in
    /// copies, for about 300 characters kept) was a third of the bytes a posts-search call allocated
    /// (docs/performance.md, Memory). The start is taken only where it gives the same answer as the
    /// whole (<see cref="TryExcerptOf"/>); otherwise a longer start, and at last the whole, is read.
    /// </summary>
    public static string Excerpt(string? html, int words = ExcerptWords)
    {
        if (string.IsNullOrEmpty(html)) return "";
        for (var length = Math.Min(html.Length, ExcerptStart(words)); ; length = Math.Min(html.Length, length * 4))
            if (TryExcerptOf(html.AsSpan(0, length), length == html.Length, words, out var excerpt)) return excerpt;
    }

    /// <summary>The words of an automatic excerpt (WordPress's excerpt_length).</summary>
    public const int ExcerptWords = 55;

    /// <summary>
    /// The characters of HTML <see cref="Excerpt"/> reads first: about 16 a word is enough for most posts (a word and its
    /// space are 6-8, markup the rest). A reader that needs only the excerpt reads this much of the content
    /// (<see cref="TryExcerptOfStart"/>).
    /// </summary>
    public static int ExcerptStart(int words = ExcerptWords) => Math.Max(words, 16) * 16;

    /// <summary>
    /// <see cref="Excerpt"/> of a content of which only <paramref name="start"/> was read: false when the rest could change
    /// it (then the whole content decides). <paramref name="whole"/>: the start is the whole content.
    /// </summary>
    public static bool TryExcerptOfStart(string start, bool whole, out string excerpt, int words = ExcerptWords) =>
        TryExcerptOf(start, whole, words, out excerpt);

    /// <summary>
    /// The excerpt from <paramref name="start"/>, the HTML or a prefix of it, when it is the whole HTML's. Stripped, a prefix
    /// gives a prefix of the whole's stripped text. Decoded, it is still one when every '&amp;' in it is followed within
    /// it by a ';' or another '&amp;' (WebUtility.HtmlDecode decides an entity by reading to the next of these, and a cut
    /// inside an entity would leave it undecoded). The words kept are then the whole's when the word after the last one
    /// kept begins inside the prefix: each kept word ended at white space that is the whole's too.
    /// </summary>
    private static bool TryExcerptOf(ReadOnlySpan<char> start, bool whole, int words, out string excerpt)
    {
        excerpt = "";
        var buffer = ArrayPool<char>.Shared.Rent(start.Length);
        try
        {
            var stripped = buffer.AsSpan(0, StripTags(start, buffer));
            var lastAmpersand = stripped.LastIndexOf('&');
            if (lastAmpersand < 0) return TryTrimWords(stripped, words, whole, out excerpt);
            if (!whole && stripped[(lastAmpersand + 1)..].IndexOf(';') < 0) return false;
            return TryTrimWords(WebUtility.HtmlDecode(new string(stripped)), words, whole, out excerpt);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// <see cref="TrimWords"/> over <paramref name="text"/>; when it is not the <paramref name="whole"/> text, false unless
    /// the word after the last one kept begins in it (so what follows cannot change the answer).
    /// </summary>
    private static bool TryTrimWords(ReadOnlySpan<char> text, int words, bool whole, out string trimmed)
    {
        trimmed = "";
        // The answer is never longer than the text read plus " …"; built in a pooled buffer, then copied once.
        var buffer = ArrayPool<char>.Shared.Rent(Math.Min(text.Length, 4096) + 2);
        try
        {
            var length = 0;
            var count = 0;
            var i = 0;
            while (true)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                if (i == text.Length)
                {
                    if (!whole) return false;
                    trimmed = new string(buffer, 0, length);
                    return true;
                }
                var begin = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                if (count == words)
                {
                    Append(" …");
                    trimmed = new string(buffer, 0, length);
                    return true;
                }
                if (count++ > 0) Append(" ");
                Append(text[begin..i]);
            }

            void Append(ReadOnlySpan<char> part)
            {
                if (length + part.Length > buffer.Length)
                {
                    var larger = ArrayPool<char>.Shared.Rent(Math.Max(buffer.Length * 2, length + part.Length));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<char>.Shared.Return(buffer);
                    buffer = larger;
                }
                part.CopyTo(buffer.AsSpan(length));
                length += part.Length;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
