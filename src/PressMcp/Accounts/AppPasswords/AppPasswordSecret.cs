using System.Security.Cryptography;
using System.Text;

namespace PressMcp.Accounts.AppPasswords;

/// <summary>
/// Generating, normalising and hashing Application Passwords. A password is 24 letters and digits from the
/// cryptographic RNG: 24 × log2(62) ≈ 142.9 bits, far beyond any guessing, so (as for OAuth tokens) an unkeyed
/// SHA-256 is the right storage form: a slow password hash protects low-entropy secrets chosen by people and
/// would only cost CPU on every MCP call here. It is shown once, as six groups of four separated by spaces;
/// spaces (and other white space) are ignored when it is presented.
/// </summary>
internal static class AppPasswordSecret
{
    public const int Length = 24;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new password, in the shown form (<c>abcd efgh ijkl mnop qrst uvwx</c>).</summary>
    public static string Generate()
    {
        // GetItems picks uniformly (no modulo bias) from the alphabet.
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, Length);
        return string.Join(' ', Enumerable.Range(0, Length / 4).Select(i => new string(chars, i * 4, 4)));
    }

    /// <summary>The password without white space, or null when what remains cannot be one of ours.</summary>
    public static string? Normalize(string presented)
    {
        if (presented.Length > 200) return null;
        var compact = string.Concat(presented.Where(c => !char.IsWhiteSpace(c)));
        return compact.Length == Length && compact.All(char.IsAsciiLetterOrDigit) ? compact : null;
    }

    public static string Hash(string normalized) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    /// <summary>Constant-time comparison of two hex hashes, so timing tells nothing about how much of a guess matched.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
