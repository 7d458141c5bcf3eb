using System.Text;

namespace PressMcp.OAuth.Authorization;

/// <summary>
/// Builds the redirect back to the client (RFC 6749 §4.1.2): the code or the error, the state as sent, and
/// the issuer (RFC 9207) so the client can tell which server answered. Parameters the redirect URI already
/// has are kept.
/// </summary>
internal static class AuthorizationResponse
{
    public static string Success(string redirectUri, string code, string? state, string issuer) =>
        Build(redirectUri, [("code", code), ("state", state), ("iss", issuer)]);

    public static string Error(string redirectUri, OAuthError error, string? state, string issuer) =>
        Build(redirectUri, [("error", error.Code), ("error_description", error.Description), ("state", state), ("iss", issuer)]);

    private static string Build(string redirectUri, (string Name, string? Value)[] parameters)
    {
        var sb = new StringBuilder(redirectUri);
        var separator = redirectUri.Contains('?') ? '&' : '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null) continue;
            sb.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return sb.ToString();
    }
}
