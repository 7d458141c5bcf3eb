using System.Text;

namespace PressMcp.Tests.Hardening;

/// <summary>
/// One request the fuzzer sends, fully determined by (seed, index): the endpoint family (<paramref name="Target"/>),
/// the valid request it started from (<paramref name="SeedName"/>), what was done to it (<paramref name="Mutation"/>,
/// the class used to group failures; <paramref name="Detail"/> says where), and the exact bytes and headers.
/// </summary>
public sealed record FuzzRequest(
    int Seed, int Index, string Target, string SeedName, string Mutation, string Detail,
    HttpMethod Method, string PathAndQuery, byte[]? Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>Groups failures: the same endpoint, the same kind of damage.</summary>
    public string Shape => $"{Target} {Mutation}";

    /// <summary>How to send this one request again: the seed, the index and what it looks like.</summary>
    /// <param name="redact">Replaces credentials in header values and the body before anything is shortened.</param>
    public string Describe(Func<string, string> redact, int bodyChars = 300)
    {
        var sb = new StringBuilder();
        sb.Append(Method.Method).Append(' ').Append(Truncate(PathAndQuery, 300));
        sb.Append($"  [seed {Seed}, index {Index}, from '{SeedName}', {Mutation}{(Detail.Length > 0 ? " at " + Detail : "")}]");
        foreach (var (k, v) in Headers)
            sb.Append("\n    ").Append(k).Append(": ").Append(Printable(Encoding.Latin1.GetBytes(redact(v)), 160));
        if (Body is not null)
            sb.Append($"\n    body ({Body.Length:N0} bytes): ").Append(Printable(Encoding.Latin1.GetBytes(redact(Encoding.Latin1.GetString(Body, 0, Math.Min(Body.Length, 4096)))), bodyChars));
        return sb.ToString();
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + $"…(+{s.Length - max} chars)";

    /// <summary>Bytes as text a person can read in a test log: ASCII as is, anything else as \xNN.</summary>
    public static string Printable(byte[] bytes, int max)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes.AsSpan(0, Math.Min(bytes.Length, max)))
            sb.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        if (bytes.Length > max) sb.Append($"…(+{bytes.Length - max:N0} bytes)");
        return sb.ToString();
    }
}
