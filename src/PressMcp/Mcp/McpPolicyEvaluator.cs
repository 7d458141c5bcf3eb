using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace PressMcp.Mcp;

/// <summary>
/// The authorization middleware's evaluator, with a direct path for the MCP endpoints' policies. Those policies say
/// one thing: "a user authenticated by this one MCP scheme" (<see cref="McpAuthenticationSchemes"/>). The framework's
/// evaluator answers it the long way on every call: it merges the scheme's principal into a new one, joins the scheme
/// names into a new ticket, then asks the authorization service (a handler context, the registered handlers, the
/// evaluator) whether an authenticated identity is there. Here the scheme is authenticated exactly as before (the same
/// handler, once per request, so its challenge writes the refusal it decided), its principal becomes the request's user
/// as it is, and the decision is whether that authentication succeeded, which is what the deny-anonymous requirement
/// checks. Any other policy (the pages' sign-in) goes to the framework's evaluator unchanged. The authorization service
/// and the framework's evaluator are created only for those: the middleware asks for an evaluator on every request, and
/// the service's graph (handler provider, handlers, context factory, evaluator) is a dozen objects an MCP call never uses.
/// </summary>
internal sealed class McpPolicyEvaluator(Deferred<IAuthorizationService> authorization) : IPolicyEvaluator
{
    private PolicyEvaluator? _framework;

    private PolicyEvaluator Framework => _framework ??= new(authorization.Value);

    public async Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        if (McpSchemeOf(policy) is not { } scheme) return await Framework.AuthenticateAsync(policy, context);
        var result = await context.AuthenticateAsync(scheme);
        if (result.Succeeded)
        {
            context.User = result.Principal!;
            return result;
        }
        // As the framework leaves a request its policy did not authenticate: an anonymous user.
        context.User = new ClaimsPrincipal(new ClaimsIdentity());
        return AuthenticateResult.NoResult();
    }

    public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        if (McpSchemeOf(policy) is null) return Framework.AuthorizeAsync(policy, authenticationResult, context, resource);
        // Not authenticated: the middleware challenges the policy's scheme, whose handler writes the refusal.
        return Task.FromResult(authenticationResult.Succeeded ? PolicyAuthorizationResult.Success() : PolicyAuthorizationResult.Challenge());
    }

    /// <summary>
    /// The MCP scheme a policy requires, when that is all it requires: one scheme of ours and only deny-anonymous
    /// requirements. <c>RequireAuthorization(policy)</c> also adds an empty <c>[Authorize]</c>, so the endpoint's policy is
    /// ours combined with the default one (another deny-anonymous), hence "only", not "one".
    /// </summary>
    private static string? McpSchemeOf(AuthorizationPolicy policy)
    {
        if (policy.AuthenticationSchemes is not [var scheme] || scheme is not (McpAuthenticationSchemes.Wpcom or McpAuthenticationSchemes.Adapter))
            return null;
        foreach (var requirement in policy.Requirements)
            if (requirement is not DenyAnonymousAuthorizationRequirement) return null;
        return scheme;
    }
}
