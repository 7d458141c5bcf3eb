using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace PressMcp.Web;

/// <summary>
/// Opaque tokens that carry their own payload, for what the server hands out without storing it (download links,
/// adapter session ids): sealed with ASP.NET Core Data Protection, whose authenticated encryption checks the tag in
/// constant time and refuses anything it did not seal, under the key ring every instance shares, and written as
/// base64url. Each use gets its own purpose string, so no token of one use is accepted by another. What a payload
/// means, and when it expires, is its user's business.
/// </summary>
internal sealed class SealedTokens(IDataProtector protector)
{
    public static SealedTokens For(IDataProtectionProvider protection, string purpose) => new(protection.CreateProtector(purpose));

    public string Seal(byte[] payload) => WebEncoders.Base64UrlEncode(protector.Protect(payload));

    /// <summary>
    /// The payload this server sealed for this purpose, or null: empty or longer than <paramref name="maxLength"/>
    /// (bounded before any decoding), not base64url, forged, altered, or sealed under a key this server does not have.
    /// </summary>
    public byte[]? Open(string token, int maxLength)
    {
        if (token.Length is 0 || token.Length > maxLength) return null;
        try
        {
            return protector.Unprotect(WebEncoders.Base64UrlDecode(token));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
