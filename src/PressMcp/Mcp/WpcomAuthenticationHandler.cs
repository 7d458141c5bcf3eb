using PressMcp.Abilities;
using PressMcp.OAuth;
using PressMcp.OAuth.Bearer;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>
/// The scheme of the WordPress.com-style endpoint: an OAuth bearer token issued for its exact URL
/// (<see cref="BearerAuthenticator"/>), acting on every site its grant names.
/// </summary>
internal sealed class WpcomAuthenticationHandler(OriginPolicy origins, BearerAuthenticator bearer, SiteUrls urls)
    : McpAuthenticationHandler(origins)
{
    /// <summary>The endpoint's name in the activity log.</summary>
    public const string EndpointName = "wpcom";

    protected override async Task<McpAuthentication> AuthenticateCallerAsync(CancellationToken ct)
    {
        var resource = urls.WpcomEndpoint;
        var auth = await bearer.AuthenticateAsync(Context, resource, ct);
        if (!auth.Succeeded) return McpAuthentication.Refused(auth.Challenge!.WriteAsync, resource);
        // The authenticator already checked that the user exists and read whether they operate the server.
        var principal = auth.Principal!;
        return new McpAuthentication(
            new McpCaller(principal.UserId, principal.UserIsServerAdmin, principal.Scopes, principal.SiteIds, principal.ClientId, EndpointName),
            null, resource);
    }
}
