using PressMcp.OAuth.Protocol;
using PressMcp.Sites;

namespace PressMcp.OAuth.Metadata;

/// <summary>
/// Discovery documents: RFC 8414 authorization server metadata (served as <c>openid-configuration</c> too)
/// and RFC 9728 protected resource metadata per MCP endpoint. The issuer is the configured public URL,
/// byte-identical everywhere it appears.
/// </summary>
internal static class DiscoveryEndpoints
{
    public const string AuthorizationServerPath = "/.well-known/oauth-authorization-server";
    public const string OpenIdConfigurationPath = "/.well-known/openid-configuration";

    public static AuthorizationServerMetadata ServerMetadata(SiteUrls urls) => new()
    {
        Issuer = urls.Public,
        AuthorizationEndpoint = urls.Public + OAuthRoutes.Authorize,
        TokenEndpoint = urls.Public + OAuthRoutes.Token,
        RegistrationEndpoint = urls.Public + OAuthRoutes.Register,
        RevocationEndpoint = urls.Public + OAuthRoutes.Revoke,
        IntrospectionEndpoint = urls.Public + OAuthRoutes.TokenInfo,
        ScopesSupported = Scopes.Supported,
        ResponseTypesSupported = ["code"],
        ResponseModesSupported = ["query"],
        GrantTypesSupported = ["authorization_code", "refresh_token"],
        TokenEndpointAuthMethodsSupported = ["none"],
        RevocationEndpointAuthMethodsSupported = ["none"],
        IntrospectionEndpointAuthMethodsSupported = ["none"],
        CodeChallengeMethodsSupported = ["S256"],
    };

    public static IResult AuthorizationServer(HttpContext http, SiteUrls urls)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(ServerMetadata(urls), OAuthJson.Default.AuthorizationServerMetadata);
    }

    /// <summary>RFC 8414 §3.1 for an issuer with a path: the well-known segment goes before the issuer's path.</summary>
    public static IResult AuthorizationServerWithPath(HttpContext http, SiteUrls urls, string path)
    {
        var issuerPath = new Uri(urls.Public).AbsolutePath.TrimEnd('/');
        return "/" + path.TrimEnd('/') == issuerPath && issuerPath.Length > 0 ? AuthorizationServer(http, urls) : TypedResults.NotFound();
    }

    public static async Task<IResult> ProtectedResource(HttpContext http, McpResources resources, SiteUrls urls, string? path, CancellationToken ct)
    {
        var resourcePath = string.IsNullOrEmpty(path) ? "" : "/" + path;
        var resource = await resources.FromMetadataPathAsync(resourcePath, http.Request.Host.Host, ct);
        if (resource is null) return TypedResults.NotFound();
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(new ProtectedResourceMetadata
        {
            Resource = resource.Url,
            AuthorizationServers = [urls.Public],
            ScopesSupported = Scopes.Supported,
            BearerMethodsSupported = ["header"],
            ResourceName = resource.IsSiteEndpoint ? "PressMcp site MCP endpoint" : "PressMcp MCP endpoint",
        }, OAuthJson.Default.ProtectedResourceMetadata);
    }
}
