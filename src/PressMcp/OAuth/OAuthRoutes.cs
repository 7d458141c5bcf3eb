namespace PressMcp.OAuth;

/// <summary>The OAuth endpoint paths (WordPress.com's), relative to the public URL.</summary>
internal static class OAuthRoutes
{
    public const string Register = "/oauth2-1/register";
    public const string Authorize = "/oauth2-1/authorize";
    public const string Token = "/oauth2-1/token";
    public const string Revoke = "/oauth2-1/revoke";
    public const string TokenInfo = "/oauth2-1/token-info";
    public const string ConnectedApps = "/account/apps";
}
