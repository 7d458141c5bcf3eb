namespace PressMcp.OAuth;

/// <summary>
/// The browser origins allowed to call the MCP endpoints from script (<c>serve --allowed-origin</c>,
/// <c>PRESSMCP_ALLOWED_ORIGINS</c>): their Origin check (DNS-rebinding protection). A request without an
/// Origin header is not from a browser page of another origin, so it is allowed. The OAuth machine endpoints
/// (discovery, registration, token, revocation, introspection) answer CORS for any origin instead
/// (<see cref="CorsPolicyName"/>): they use no cookies.
/// </summary>
internal sealed class OriginPolicy(IReadOnlyList<string> allowedOrigins)
{
    /// <summary>CORS for any origin, without credentials, on the OAuth endpoints that read no cookie.</summary>
    public const string CorsPolicyName = "oauth";

    private readonly HashSet<string> _allowed = new(allowedOrigins, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> AllowedOrigins { get; } = allowedOrigins;

    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        if (origin.Count == 0) return true;
        return origin.Count == 1 && origin[0] is { } value && _allowed.Contains(value);
    }

    /// <summary>Normalizes a configured origin (<c>scheme://host[:port]</c>), or says why it is not one.</summary>
    public static string? Normalize(string value, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            error = $"'{value}' is not an origin (expected scheme://host[:port], e.g. https://app.example.com)";
            return null;
        }
        return uri.GetLeftPart(UriPartial.Authority);
    }
}
