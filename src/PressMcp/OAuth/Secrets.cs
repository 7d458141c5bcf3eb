using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace PressMcp.OAuth;

/// <summary>
/// Random handles (codes, tokens, client ids) and their hashes. Only the SHA-256 hash of a code or token is
/// stored, so a copy of the database does not hand out working credentials.
/// </summary>
internal static class Secrets
{
    public const string AccessTokenPrefix = "pmat_";
    public const string RefreshTokenPrefix = "pmrt_";
    public const string CodePrefix = "pmac_";

    /// <summary>256 random bits, base64url, behind a prefix that makes a leaked token recognisable.</summary>
    public static string NewHandle(string prefix) => prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string NewClientId() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    public static string NewFamilyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Lower-case hex SHA-256 of the handle: the only form in which it is stored and looked up.</summary>
    public static string Hash(string handle) => Hash(handle.AsSpan());

    /// <summary>The same hash of a handle still inside the header it came in (every MCP call hashes its token: no copies).</summary>
    public static string Hash(ReadOnlySpan<char> handle)
    {
        // Handles are short (a bearer token is at most 512 characters), so their bytes fit on the stack.
        Span<byte> utf8 = handle.Length <= 512 ? stackalloc byte[handle.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(handle.Length)];
        var length = Encoding.UTF8.GetBytes(handle, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))) must equal the stored challenge. Compared in
    /// constant time so the comparison leaks nothing about how much of a guess was right.
    /// </summary>
    public static bool VerifiesChallenge(string codeVerifier, string codeChallenge)
    {
        var computed = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(codeChallenge));
    }

    /// <summary>RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]; the same alphabet bounds a challenge.</summary>
    public static bool IsPkceValue(string? value) =>
        value is { Length: >= 43 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');
}
