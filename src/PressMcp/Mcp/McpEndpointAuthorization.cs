using System.Security.Claims;

namespace PressMcp.Mcp;

/// <summary>
/// Authentication and authorization of the MCP endpoints, in place of ASP.NET Core's two middlewares for them
/// (<c>ServerHost</c> runs those for every other endpoint). An MCP endpoint's policy says one thing: "a user
/// authenticated by this one MCP scheme" (<see cref="McpAuthenticationSchemes"/>). Here that scheme's handler is created
/// and asked directly: when it authenticates the caller, its principal becomes the request's user and the endpoint runs;
/// otherwise its challenge writes the refusal it decided (the same handler instance, so the same answer, byte for byte)
/// and nothing else runs. The same decision the framework's middlewares took, without what they spent on it every call:
/// the authorization middleware's policy look-up, evaluator and result handler, the authentication service, its handler
/// provider and the claims transformation (docs/performance.md, MCP: the trivial call). Any other endpoint passes
/// through untouched. Should an endpoint with an MCP policy ever reach the framework's middlewares instead, they
/// authenticate the policy's scheme (registered as usual) and refuse it just as strictly.
/// </summary>
internal sealed class McpEndpointAuthorization(RequestDelegate next)
{
    /// <summary>
    /// The key the authorization middleware sets once it has decided a request to an endpoint with authorization metadata;
    /// the endpoint middleware refuses to run such an endpoint without it (ASP.NET Core's <c>AuthorizationMiddleware</c>; not
    /// public). Set only after the caller was authenticated here.
    /// </summary>
    private const string AuthorizationDecidedKey = "__AuthorizationMiddlewareWithEndpointInvoked";

    public Task InvokeAsync(HttpContext http) =>
        McpAuthenticationSchemes.SchemeOf(http) is { } scheme ? AuthorizeAsync(http, scheme) : next(http);

    private async Task AuthorizeAsync(HttpContext http, Microsoft.AspNetCore.Authentication.AuthenticationScheme scheme)
    {
        var handler = (McpAuthenticationHandler)http.RequestServices.GetRequiredService(scheme.HandlerType);
        await handler.InitializeAsync(scheme, http);
        var result = await handler.AuthenticateAsync();
        if (!result.Succeeded)
        {
            // As the framework leaves a request its policy did not authenticate: an anonymous user, then the scheme's challenge.
            http.User = new ClaimsPrincipal(new ClaimsIdentity());
            await handler.ChallengeAsync(null);
            return;
        }
        http.User = result.Principal!;
        http.Items[AuthorizationDecidedKey] = true;
        await next(http);
    }
}
