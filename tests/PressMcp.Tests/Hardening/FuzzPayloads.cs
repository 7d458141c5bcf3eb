using System.Text;

namespace PressMcp.Tests.Hardening;

/// <summary>
/// The damage the fuzzer does, as raw bytes to put where a JSON value, a JSON key, a form value or a URL part
/// was. Each payload has a kind (how failures are grouped) and is built from the request's own random source,
/// so a (seed, index) pair always produces the same bytes.
/// </summary>
internal static class FuzzPayloads
{
    public sealed record Payload(string Kind, byte[] Bytes);

    private static byte[] A(string s) => Encoding.ASCII.GetBytes(s);
    private static byte[] Cat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
    private static byte[] Repeat(string unit, int times) => A(new StringBuilder(unit.Length * times).Insert(0, unit, times).ToString());

    /// <summary>A JSON string literal whose escapes decode to a lone or misordered surrogate (not valid Unicode).</summary>
    private static readonly string[] SurrogateStrings =
        [@"""\ud800""", @"""\udfff""", @"""a\ud800b""", @"""\ud800\ud800""", @"""\udc00\ud800""", @"""\uD83D""", @"""x\uDE00""", @"""\ud800\u0041"""];

    /// <summary>Bytes that are not UTF-8: a stray continuation, an overlong slash, an encoded surrogate, beyond U+10FFFF, a cut sequence.</summary>
    private static readonly byte[][] InvalidUtf8 =
        [[0xff], [0xfe, 0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xc3, 0x28], [0xf8, 0x88, 0x80, 0x80, 0x80]];

    /// <summary>Numbers an int or long parser may not hold, and forms JSON allows but code may not expect.</summary>
    private static readonly string[] Numbers =
        ["2147483648", "-2147483649", "2147483647", "-2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999",
         "1e400", "-1e400", "1e-400", "-0", "0", "-1", "0.5", "1.0", "1E+2", "4294967296", "18446744073709551616", "1" + new string('0', 400), "0.0000000000000000000001"];

    private static readonly string[] WrongTypes = ["true", "false", "null", "{}", "[]", "\"\"", "\"1\"", "[1]", "{\"a\":1}", "[[]]", "[null]", "\" \""];

    /// <summary>Characters JSON forbids raw in a string, and their escapes.</summary>
    private static readonly byte[][] ControlStrings =
        [Cat(A("\"a"), [0x00], A("b\"")), Cat(A("\""), [0x01, 0x1f], A("\"")), Cat(A("\"a"), [0x0a], A("\"")), A(@"""\u0000"""), A(@"""a\u0000b"""),
         A(@"""\r\n\t"""), A(@"""\u001b[31m"""), A(@"""\u202e"""), A(@"""\ufeff"""), A(@"""\uffff"""), A(@"""\\"""), A(@"""/\u0000/""")];

    /// <summary>A JSON value damaged in one way, to take the place of a value.</summary>
    public static Payload Value(Random r)
    {
        var roll = r.Next(100);
        return roll switch
        {
            < 22 => new("lone-surrogate", A(SurrogateStrings[r.Next(SurrogateStrings.Length)])),
            < 34 => new("invalid-utf8-in-string", Cat(A("\"a"), InvalidUtf8[r.Next(InvalidUtf8.Length)], A("b\""))),
            < 42 => new("control-char", ControlStrings[r.Next(ControlStrings.Length)]),
            < 60 => new("odd-number", A(Numbers[r.Next(Numbers.Length)])),
            < 74 => new("wrong-type", A(WrongTypes[r.Next(WrongTypes.Length)])),
            < 80 => new("deep-nesting", DeepNesting(r)),
            < 84 => new("oversized-array", OversizedArray(r)),
            < 88 => new("oversized-string", OversizedString(r)),
            < 94 => new("long-string", Cat(A("\""), Repeat("x", 1 << r.Next(10, 17)), A("\""))),
            _ => new("surrogate-in-long-string", Cat(A("\""), Repeat("ab", 5000), A(@"\ud800"), Repeat("cd", 5000), A("\""))),
        };
    }

    /// <summary>A JSON string damaged in one way, to take the place of an object key.</summary>
    public static Payload Key(Random r) => r.Next(5) switch
    {
        0 or 1 => new("lone-surrogate-key", A(SurrogateStrings[r.Next(SurrogateStrings.Length)])),
        2 => new("invalid-utf8-key", Cat(A("\""), InvalidUtf8[r.Next(InvalidUtf8.Length)], A("\""))),
        3 => new("control-char-key", ControlStrings[r.Next(ControlStrings.Length)]),
        _ => new("long-key", Cat(A("\""), Repeat("k", 1 << r.Next(8, 17)), A("\""))),
    };

    public static byte[] DeepNesting(Random r)
    {
        var depth = r.Next(3) switch { 0 => 70, 1 => 1_000, _ => 10_000 };
        return r.Next(3) switch
        {
            0 => Cat(Repeat("[", depth), Repeat("]", depth)),
            1 => Cat(Repeat("{\"a\":", depth), A("1"), Repeat("}", depth)),
            _ => Repeat("[", depth),
        };
    }

    /// <summary>An array of small items, one to eight megabytes.</summary>
    public static byte[] OversizedArray(Random r)
    {
        var items = 1 << r.Next(19, 22);
        var unit = r.Next(4) switch { 0 => "0,", 1 => "\"a\",", 2 => "{},", _ => "[],", };
        return Cat(A("["), Repeat(unit, items), A("0]"));
    }

    /// <summary>The largest array a 32 MB body can hold: sixteen million one-digit items.</summary>
    public static byte[] BodyLimitArray(int bodyBytesOutside)
    {
        var items = (32 * 1024 * 1024 - bodyBytesOutside - 64) / 2;
        return Cat(A("["), Repeat("0,", items), A("0]"));
    }

    public static byte[] OversizedString(Random r) => r.Next(3) switch
    {
        0 => Cat(A("\""), Repeat("a", 1 << r.Next(20, 23)), A("\"")),
        1 => Cat(A("\""), Repeat(@"\u00e9", 1 << r.Next(17, 20)), A("\"")),
        _ => Cat(A("\""), Repeat(@"\ud83d\ude00", 1 << r.Next(16, 19)), A("\"")),
    };

    /// <summary>A percent-encoded damaged text for a form value, a query parameter or a path segment.</summary>
    public static Payload UrlText(Random r)
    {
        string[] surrogates = ["%ED%A0%80", "%ED%BF%BF", "a%ED%A0%80b", "%uD800", "%F0%9F%98", "\\ud800"];
        string[] invalid = ["%FF", "%FE%FF", "%C0%AF", "%80", "%F4%90%80%80", "%E2%82", "%C3%28", "%", "%G1", "%%", "%0"];
        string[] control = ["%00", "a%00b", "%01", "%1F", "%0D%0A", "%0A", "%0D%0ASet-Cookie:%20x=1", "%7F", "%1B%5B31m", "%E2%80%AE", "%EF%BB%BF", "%09"];
        string[] numbers = ["2147483648", "-1", "99999999999999999999999", "1e400", "-9223372036854775809", "0x10", "NaN"];
        return r.Next(100) switch
        {
            < 20 => new("lone-surrogate", A(surrogates[r.Next(surrogates.Length)])),
            < 40 => new("invalid-utf8", A(invalid[r.Next(invalid.Length)])),
            < 60 => new("control-char", A(control[r.Next(control.Length)])),
            < 70 => new("odd-number", A(numbers[r.Next(numbers.Length)])),
            < 80 => new("empty", []),
            < 92 => new("long-value", Repeat("v", 1 << r.Next(10, 14))),
            _ => new("raw-invalid-utf8", InvalidUtf8[r.Next(InvalidUtf8.Length)]),
        };
    }

    /// <summary>A damaged header value (Latin-1 text: bytes 0x80–0xFF go on the wire as single bytes).</summary>
    public static string HeaderText(Random r) => r.Next(9) switch
    {
        0 => "",
        1 => " ",
        2 => "\u00ff\u00fe\u00ed\u00a0\u0080",
        3 => new string('a', 1 << r.Next(10, 14)),
        4 => "null",
        5 => "\u0001\u0002\u007f",
        6 => "2025-06-18, 2025-11-25",
        7 => "\u00c3\u0028",
        _ => "%ED%A0%80",
    };
}
