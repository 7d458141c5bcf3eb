using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace PressMcp.Mcp;

/// <summary>
/// Reading text out of JSON a client sent. JSON's grammar allows an escaped lone UTF-16 surrogate (<c>"\ud800"</c>),
/// and <see cref="JsonDocument"/> accepts bytes that are not UTF-8 inside strings; both make
/// <see cref="JsonElement.GetString"/>, <see cref="JsonProperty.Name"/> and <see cref="JsonElement.ValueEquals(string)"/>
/// throw. Every read of client text goes through here: <c>Try…</c> says "not text" as a value, <c>Display…</c>
/// renders it for logs and messages with U+FFFD in place of what is not text. The checks work on the raw bytes and
/// allocate nothing, so they cost a scan of the value.
/// </summary>
internal static class ClientJson
{
    /// <summary>What a refusal says about a value that is not text.</summary>
    public const string NotText = "is not valid Unicode text (a lone UTF-16 surrogate escape or bytes that are not UTF-8)";

    /// <summary>The string, or false when the element is not a string or its value is not valid Unicode text.</summary>
    public static bool TryGetText(this JsonElement element, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (element.ValueKind != JsonValueKind.String || !TryMeasure(RawString(element), out _)) return false;
        text = element.GetString()!;
        return true;
    }

    /// <summary>The string when it is valid text, otherwise null (also for other kinds of value).</summary>
    public static string? TextOrNull(this JsonElement element) => element.TryGetText(out var text) ? text : null;

    /// <summary>The member's name, or false when it is not valid Unicode text.</summary>
    public static bool TryGetName(this JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        name = null;
        if (!TryMeasure(JsonMarshal.GetRawUtf8PropertyName(property), out _)) return false;
        name = property.Name;
        return true;
    }

    /// <summary>Whether a string value is valid text; its length in UTF-16 code units (what <c>maxLength</c> counts), without materializing it.</summary>
    public static bool TryMeasureText(this JsonElement element, out int length)
    {
        length = 0;
        return element.ValueKind == JsonValueKind.String && TryMeasure(RawString(element), out length);
    }

    /// <summary>Whether the raw name of a member is valid text.</summary>
    public static bool HasTextName(this JsonProperty property) => TryMeasure(JsonMarshal.GetRawUtf8PropertyName(property), out _);

    /// <summary>A string value for a log or a message: the text, with U+FFFD where it is not text.</summary>
    public static string DisplayText(this JsonElement element) =>
        element.TryGetText(out var text) ? text : Unescape(RawString(element));

    /// <summary>A member's name for a log or a message, with U+FFFD where it is not text.</summary>
    public static string DisplayName(this JsonProperty property) =>
        property.TryGetName(out var name) ? name : Unescape(JsonMarshal.GetRawUtf8PropertyName(property));

    /// <summary>Whether the escaped bytes of a string (as in the JSON text, without quotes) are valid text.</summary>
    public static bool IsText(ReadOnlySpan<byte> escaped) => TryMeasure(escaped, out _);

    // The raw value of a string element includes its quotes.
    private static ReadOnlySpan<byte> RawString(JsonElement element) => JsonMarshal.GetRawUtf8Value(element)[1..^1];

    /// <summary>
    /// One pass over a string as written in JSON (escapes not yet decoded): valid UTF-8, and every <c>\u</c> escape
    /// of a surrogate paired; the length is what the decoded string's <see cref="string.Length"/> will be.
    /// </summary>
    private static bool TryMeasure(ReadOnlySpan<byte> escaped, out int length)
    {
        length = 0;
        var backslash = escaped.IndexOf((byte)'\\');
        if (backslash < 0)
        {
            // The common case: no escapes, so the text is the bytes; the check and the count are vectorized.
            if (!Utf8.IsValid(escaped)) return false;
            length = Encoding.UTF8.GetCharCount(escaped);
            return true;
        }
        if (!Utf8.IsValid(escaped)) return false;
        length = Encoding.UTF8.GetCharCount(escaped[..backslash]);
        var i = backslash;
        while (i < escaped.Length)
        {
            if (escaped[i] != (byte)'\\')
            {
                var next = escaped[i..].IndexOf((byte)'\\');
                var run = next < 0 ? escaped[i..] : escaped[i..(i + next)];
                length += Encoding.UTF8.GetCharCount(run);
                i += run.Length;
                continue;
            }
            // The reader has checked the escapes' grammar; only \uXXXX needs a look at what it encodes.
            if (escaped[i + 1] != (byte)'u')
            {
                length++;
                i += 2;
                continue;
            }
            var unit = Hex(escaped.Slice(i + 2, 4));
            i += 6;
            length++;
            if (char.IsLowSurrogate((char)unit)) return false;
            if (!char.IsHighSurrogate((char)unit)) continue;
            if (i + 6 > escaped.Length || escaped[i] != (byte)'\\' || escaped[i + 1] != (byte)'u' || !char.IsLowSurrogate((char)Hex(escaped.Slice(i + 2, 4))))
                return false;
            length++;
            i += 6;
        }
        return true;
    }

    // The reader has checked that four hex digits follow \u.
    private static int Hex(ReadOnlySpan<byte> four) => int.Parse(four, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Decodes a string as written in JSON, with U+FFFD for bytes that are not UTF-8 and for lone surrogates. Only for text that failed the check.</summary>
    private static string Unescape(ReadOnlySpan<byte> escaped)
    {
        var text = new StringBuilder(escaped.Length);
        var i = 0;
        while (i < escaped.Length)
        {
            var next = escaped[i..].IndexOf((byte)'\\');
            var run = next < 0 ? escaped[i..] : escaped[i..(i + next)];
            text.Append(Encoding.UTF8.GetString(run)); // the default decoder replaces what is not UTF-8 with U+FFFD
            i += run.Length;
            if (i >= escaped.Length) break;
            var kind = escaped[i + 1];
            if (kind != (byte)'u')
            {
                text.Append(kind switch { (byte)'b' => '\b', (byte)'f' => '\f', (byte)'n' => '\n', (byte)'r' => '\r', (byte)'t' => '\t', _ => (char)kind });
                i += 2;
                continue;
            }
            var unit = (char)Hex(escaped.Slice(i + 2, 4));
            i += 6;
            if (char.IsHighSurrogate(unit) && i + 6 <= escaped.Length && escaped[i] == (byte)'\\' && escaped[i + 1] == (byte)'u'
                && (char)Hex(escaped.Slice(i + 2, 4)) is var low && char.IsLowSurrogate(low))
            {
                text.Append(unit).Append(low);
                i += 6;
            }
            else
            {
                text.Append(char.IsSurrogate(unit) ? '\uFFFD' : unit);
            }
        }
        return text.ToString();
    }
}
