using PressMcp.OAuth.Authorization;
using PressMcp.OAuth.Bearer;
using PressMcp.OAuth.Clients;
using PressMcp.OAuth.Grants;
using PressMcp.OAuth.Hosting;
using PressMcp.OAuth.Metadata;
using PressMcp.OAuth.Registration;
using PressMcp.OAuth.Tokens;

namespace PressMcp.OAuth;

/// <summary>The OAuth 2.1 authorization server: its services, and its endpoints in one place.</summary>
internal static class OAuthServices
{
    public static IServiceCollection AddPressOAuth(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<string> allowedOrigins)
    {
        services.AddPressOptions<OAuthOptions>();
        services.AddPressRateLimits(configuration);
        services.AddSingleton(new OriginPolicy(allowedOrigins));
        // Any origin: browser-based MCP clients (the MCP Inspector's web UI…) discover, register and get tokens from
        // their own origin. These endpoints read no cookie and answer only what the request itself proves, so a
        // page of another origin learns nothing it could not fetch without a browser; credentials are never allowed.
        // The authorization endpoint and the pages (cookies) never answer CORS; the MCP endpoints keep their
        // Origin check against --allowed-origin (OriginPolicy).
        services.AddCors(o => o.AddPolicy(OriginPolicy.CorsPolicyName, p => p
            .AllowAnyOrigin()
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type", "Authorization", "MCP-Protocol-Version")
            .WithExposedHeaders("WWW-Authenticate")));

        services.AddSingleton<IAddressPolicy, PublicAddressPolicy>();
        services.AddSingleton(sp => MetadataDocumentHttp.CreateDefault(sp.GetRequiredService<IAddressPolicy>()));
        services.AddSingleton<MetadataDocumentFetcher>();
        services.AddScoped<ClientStore>();
        services.AddScoped<McpResources>();
        services.AddScoped<AuthorizationValidator>();
        services.AddScoped<GrantStore>();
        services.AddScoped<ConnectedApps>();
        services.AddScoped<TokenStore>();
        services.AddScoped<AuthorizationCodeGrant>();
        services.AddScoped<RefreshTokenGrant>();
        services.AddScoped<BearerAuthenticator>();
        services.AddSingleton<BearerCache>();
        services.AddSingleton<OAuthCleanupService>();
        services.AddHostedService(sp => sp.GetRequiredService<OAuthCleanupService>());
        return services;
    }

    public static IEndpointRouteBuilder MapPressOAuth(this IEndpointRouteBuilder app)
    {
        var metadata = app.MapGroup("").RequireCors(OriginPolicy.CorsPolicyName);
        metadata.MapGet(DiscoveryEndpoints.AuthorizationServerPath, DiscoveryEndpoints.AuthorizationServer);
        metadata.MapGet(DiscoveryEndpoints.AuthorizationServerPath + "/{**path}", DiscoveryEndpoints.AuthorizationServerWithPath);
        metadata.MapGet(DiscoveryEndpoints.OpenIdConfigurationPath, DiscoveryEndpoints.AuthorizationServer);
        metadata.MapGet(McpResources.MetadataPath + "/{**path}", DiscoveryEndpoints.ProtectedResource);

        // Machine endpoints: no cookies are read, so no antiforgery, and CORS for any origin.
        // The group carries the conventions only: the paths are OAuthRoutes', which the metadata documents publish too.
        var oauth = app.MapGroup(string.Empty).RequireCors(OriginPolicy.CorsPolicyName).DisableAntiforgery();
        oauth.MapPost(OAuthRoutes.Register, RegisterEndpoint.HandleAsync).RequireRateLimiting(RateLimitPolicies.Register);
        oauth.MapPost(OAuthRoutes.Token, TokenEndpoint.HandleAsync).RequireRateLimiting(RateLimitPolicies.Token);
        oauth.MapPost(OAuthRoutes.Revoke, RevokeEndpoint.HandleAsync).RequireRateLimiting(RateLimitPolicies.Token);
        oauth.MapPost(OAuthRoutes.TokenInfo, TokenInfoEndpoint.HandleAsync).RequireRateLimiting(RateLimitPolicies.Token);
        return app;
    }
}
