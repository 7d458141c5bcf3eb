using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PressMcp.Abilities;
using PressMcp.OAuth;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>
/// The authenticated caller of an MCP endpoint, as ASP.NET Core's <c>HttpContext.User</c> carries it: the
/// <see cref="McpCaller"/> every permission check reads, the protected-resource URL the request addressed (for the
/// step-up challenge) and the site the endpoint itself stands for (an adapter endpoint), if any. No claims: nothing
/// reads them, and a call builds none.
/// </summary>
internal sealed class McpIdentity(string scheme, McpCaller caller, string resource, Site? endpointSite) : ClaimsIdentity(authenticationType: scheme)
{
    public McpCaller Caller { get; } = caller;
    public string Resource { get; } = resource;
    public Site? EndpointSite { get; } = endpointSite;

    /// <summary>The identity the endpoint's scheme put on the request; its endpoints require it, so it is always there.</summary>
    public static McpIdentity Of(HttpContext http) =>
        http.User.Identity as McpIdentity ?? throw new InvalidOperationException("An MCP endpoint ran without its authentication scheme (RequireAuthorization is missing).");
}

/// <summary>
/// What a scheme's check found: the caller, or how to answer a request without one (the exact status, headers and
/// body each endpoint has always given: RFC 6750 challenges, WordPress-shaped errors).
/// </summary>
internal sealed record McpAuthentication(McpCaller? Caller, Func<HttpResponse, Task>? Refuse, string Resource, Site? EndpointSite = null)
{
    public static McpAuthentication Refused(Func<HttpResponse, Task> refuse, string resource) => new(null, refuse, resource);
}

/// <summary>
/// The MCP endpoints' authentication schemes and the policies their endpoints require. Each endpoint names its own
/// scheme, so a browser's sign-in cookie (the default scheme) never authenticates an MCP call.
/// </summary>
internal static class McpAuthenticationSchemes
{
    public const string Wpcom = "PressMcp.Wpcom";
    public const string Adapter = "PressMcp.Adapter";

    public static readonly AuthorizationPolicy WpcomPolicy = Require(Wpcom);
    public static readonly AuthorizationPolicy AdapterPolicy = Require(Adapter);

    private static AuthorizationPolicy Require(string scheme) =>
        new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser().Build();

    public static IServiceCollection AddMcpAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, WpcomAuthenticationHandler>(Wpcom, displayName: null, _ => { })
            .AddScheme<AuthenticationSchemeOptions, AdapterAuthenticationHandler>(Adapter, displayName: null, _ => { });
        // The authorization middleware asks this evaluator; it answers the MCP policies directly (see there), any other as before.
        services.AddAuthorization();
        services.Replace(ServiceDescriptor.Transient<IPolicyEvaluator, McpPolicyEvaluator>());
        // ASP.NET Core logs each challenge of a scheme at Information under the handler's type name: one line per
        // refused call of an endpoint anyone can reach. The checks log refusals themselves, with the reason.
        services.AddLogging(logging => logging
            .AddFilter(typeof(WpcomAuthenticationHandler).FullName, LogLevel.Warning)
            .AddFilter(typeof(AdapterAuthenticationHandler).FullName, LogLevel.Warning));
        return services;
    }
}

/// <summary>
/// The part every MCP scheme shares. Checks in order: Origin (DNS-rebinding protection of the MCP transport: a browser
/// page of another origin may not call us, whatever credentials it holds), then the endpoint's own credentials
/// (<see cref="AuthenticateCallerAsync"/>). A refusal is written by the challenge, exactly as the check decided it.
/// <para>
/// Refusals are reported to ASP.NET Core as "no result", not as failures: the framework logs every failure and every
/// challenge at Information, which for an endpoint anyone on the internet can call is noise; the checks log what
/// matters in their own words (<c>BearerAuthenticator</c>, the failure limiter of Application Passwords).
/// </para>
/// </summary>
internal abstract class McpAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OriginPolicy origins)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private Func<HttpResponse, Task>? _refusal;

    protected abstract Task<McpAuthentication> AuthenticateCallerAsync(CancellationToken ct);

    protected sealed override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        Response.Headers.CacheControl = "no-store";
        if (!origins.IsAllowed(Request))
        {
            _refusal = OriginRefusedAsync;
            return AuthenticateResult.NoResult();
        }
        var outcome = await AuthenticateCallerAsync(Context.RequestAborted);
        if (outcome.Caller is null)
        {
            _refusal = outcome.Refuse;
            return AuthenticateResult.NoResult();
        }
        var identity = new McpIdentity(Scheme.Name, outcome.Caller, outcome.Resource, outcome.EndpointSite);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected sealed override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The authorization middleware authenticated first; this reads that result again, it does not check twice.
        await HandleAuthenticateOnceSafeAsync();
        if (_refusal is null)
        {
            await base.HandleChallengeAsync(properties);
            return;
        }
        await _refusal(Response);
    }

    private static Task OriginRefusedAsync(HttpResponse response) =>
        McpHttpTransport.WriteAsync(response.HttpContext, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, "origin not allowed"), StatusCodes.Status403Forbidden);
}
