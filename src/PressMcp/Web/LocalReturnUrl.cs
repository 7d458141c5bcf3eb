using System.Globalization;
using System.Text;

namespace PressMcp.Web;

/// <summary>
/// The one rule for every address a page sends the browser back to after a form (sign-in, consent…): a path on
/// this server, and nothing a browser could read as another host. Browsers drop tabs and line breaks anywhere in a
/// URL and read <c>\</c> as <c>/</c>, so <c>/%09/evil</c> becomes <c>//evil</c>, a protocol-relative address; a
/// line break in a Location header is refused by the server (a 500). So the path part is checked as given and
/// after percent-decoding (repeatedly, so <c>%255C</c> is <c>\</c> too): one leading <c>/</c>, never followed by
/// <c>/</c> or <c>\</c>, no <c>\</c> at all, and no control, format or line-separator character anywhere.
/// </summary>
internal static class LocalReturnUrl
{
    public const int MaxLength = 2048;

    /// <summary>Enough to undo any escaping a well-meaning caller adds; more layers than this are refused.</summary>
    private const int MaxDecodings = 4;

    /// <summary><paramref name="value"/> fit for a Location header (non-ASCII percent-encoded), or <paramref name="fallback"/>.</summary>
    public static string SafeOr(string? value, string fallback) => Validate(value) ?? fallback;

    /// <summary>The local address, percent-encoded where a header needs it, or null when it is not one.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength) return null;
        var decoded = value;
        for (var i = 0; ; i++)
        {
            if (!IsSafe(decoded)) return null;
            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded) break;
            if (i == MaxDecodings) return null;
            decoded = next;
        }
        return EncodeForHeader(value);
    }

    private static bool IsSafe(string url)
    {
        var end = url.AsSpan().IndexOfAny('?', '#');
        var path = end < 0 ? url.AsSpan() : url.AsSpan(0, end);
        if (path.Length == 0 || path[0] != '/') return false;
        if (path.Length > 1 && path[1] is '/' or '\\') return false;
        if (path.Contains('\\')) return false;
        // A lone surrogate, a control, format or line-separator character: dropped by browsers or refused in a header.
        return TextRules.FirstHidden(url) is null;
    }

    /// <summary>Header values are ASCII: everything else (and the space) is sent as UTF-8 percent-escapes, which the browser reads back.</summary>
    private static string EncodeForHeader(string url)
    {
        if (url.All(c => c is > ' ' and < (char)0x7F)) return url;
        var sb = new StringBuilder(url.Length * 2);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value is > ' ' and < 0x7F)
            {
                sb.Append((char)rune.Value);
                continue;
            }
            var n = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..n]) sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
