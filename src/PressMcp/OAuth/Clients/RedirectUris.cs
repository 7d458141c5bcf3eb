namespace PressMcp.OAuth.Clients;

/// <summary>
/// Which redirect URIs a client may register, and whether a requested one matches a registered one.
/// Allowed: https; http only on a loopback host (localhost, 127.0.0.1, [::1]); a private-use scheme for
/// native apps (<c>cursor://…</c>, RFC 8252 §7.1). Never a fragment, and never a scheme a browser would
/// run or read locally.
/// </summary>
internal static class RedirectUris
{
    public const int MaxLength = 2000;

    private static readonly HashSet<string> ForbiddenSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        "javascript", "data", "file", "vbscript", "blob", "about", "ftp", "ws", "wss", "mailto", "chrome", "view-source",
    };

    /// <summary>Null when <paramref name="value"/> may be registered, otherwise what is wrong with it.</summary>
    public static string? Validate(string value)
    {
        if (value.Length == 0) return "a redirect URI is empty";
        if (value.Length > MaxLength) return $"a redirect URI is longer than {MaxLength} characters";
        if (value.Any(char.IsWhiteSpace) || value.Any(char.IsControl)) return $"the redirect URI '{value}' contains white space or control characters";
        // On Unix, .NET reads "/path" as an absolute file URI: require the scheme to be written out.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !value.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
            return $"'{value}' is not an absolute URI";
        if (value.Contains('#')) return $"the redirect URI '{value}' has a fragment (not allowed)";
        var scheme = uri.Scheme;
        if (ForbiddenSchemes.Contains(scheme)) return $"the redirect URI '{value}' uses the '{scheme}' scheme, which is not allowed";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return $"the redirect URI '{value}' has user information (not allowed)";
        if (scheme == Uri.UriSchemeHttps) return uri.Host.Length == 0 ? $"the redirect URI '{value}' has no host" : null;
        if (scheme == Uri.UriSchemeHttp)
            return IsLoopbackHost(uri) ? null : $"the redirect URI '{value}' uses http on a host that is not loopback (use https, or http://localhost, 127.0.0.1 or [::1])";
        // A private-use scheme must look like a reverse domain name or an app name (RFC 8252 §7.1), never a web scheme.
        return IsPrivateUseScheme(scheme) ? null : $"the redirect URI '{value}' uses an unsupported scheme '{scheme}'";
    }

    public static bool IsLoopbackHost(Uri uri) =>
        uri.Host is "localhost" or "127.0.0.1" or "[::1]" or "::1";

    public static bool IsLoopback(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && IsLoopbackHost(uri);

    private static bool IsPrivateUseScheme(string scheme) =>
        scheme.Length >= 2 && char.IsAsciiLetter(scheme[0]) && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+');

    /// <summary>
    /// Exact string comparison, except that a loopback http URI matches on any port (RFC 8252 §7.3: native
    /// apps listen on whatever port the system gives them).
    /// </summary>
    public static bool Matches(string registered, string requested)
    {
        if (string.Equals(registered, requested, StringComparison.Ordinal)) return true;
        if (!IsLoopback(registered) || !IsLoopback(requested)) return false;
        var a = new Uri(registered);
        var b = new Uri(requested);
        return a.Host == b.Host
            && string.Equals(a.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped), b.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped), StringComparison.Ordinal)
            && string.IsNullOrEmpty(b.UserInfo) && !requested.Contains('#');
    }

    public static bool MatchesAny(IEnumerable<string> registered, string requested) => registered.Any(r => Matches(r, requested));

    /// <summary>
    /// The host (or scheme, for native apps) the consent page names as where the user is sent back, in its ASCII
    /// form: an internationalized name in punycode (<c>xn--…</c>), so a look-alike letter (a Cyrillic "а" in
    /// "claude.ai") cannot pass for the real name.
    /// </summary>
    public static string DisplayHost(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
            ? (uri.Scheme is "http" or "https" ? uri.IdnHost : uri.Scheme + "://")
            : redirectUri;

    /// <summary>Whether the redirect URI's host is written with other than ASCII characters, for a warning beside its punycode form.</summary>
    public static bool HasInternationalHost(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !System.Text.Ascii.IsValid(uri.Host);
}
