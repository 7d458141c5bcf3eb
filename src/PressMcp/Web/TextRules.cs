using System.Buffers;
using System.Globalization;
using System.Text;

namespace PressMcp.Web;

/// <summary>Characters that must not reach a page, a header or a stored name from outside.</summary>
internal static class TextRules
{
    /// <summary>
    /// The first character that is invisible or breaks a line or a header: controls (Cc: NUL, tab, CR, LF…), format
    /// characters (Cf: bidirectional overrides, zero-width joiners, the BOM), line and paragraph separators, and
    /// unpaired surrogates. Null when there is none. They let a name read differently from what it is (a "moc.evil"
    /// reversed into "live.com"), so a name shown to a user for a decision must be free of them.
    /// </summary>
    public static string? FirstHidden(string text)
    {
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var rune, out var used) != OperationStatus.Done) return "an unpaired surrogate";
            if (IsHidden(rune)) return $"U+{rune.Value:X4}";
            span = span[used..];
        }
        return null;
    }

    private static bool IsHidden(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
