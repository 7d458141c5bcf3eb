using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
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

    /// <summary>The schemes as <see cref="McpEndpointAuthorization"/> hands them to their handlers: the same names and handler types as registered below.</summary>
    private static readonly AuthenticationScheme WpcomScheme = new(Wpcom, null, typeof(WpcomAuthenticationHandler));
    private static readonly AuthenticationScheme AdapterScheme = new(Adapter, null, typeof(AdapterAuthenticationHandler));

    /// <summary>
    /// Whether the request was routed to an endpoint that requires an MCP scheme. <see cref="McpEndpointAuthorization"/>
    /// authenticates and authorizes those, so the default scheme's work (the sign-in cookie: a handler, the cookie read, and
    /// for a browser the ticket's decryption and its session check) and the framework's authorization would be thrown
    /// away; <c>ServerHost</c> skips both for them.
    /// </summary>
    public static bool IsMcpEndpoint(HttpContext http) => SchemeOf(http) is not null;

    /// <summary>
    /// The MCP scheme the request's endpoint requires, when that is all its authorization metadata requires: one of the two
    /// MCP policies, and beside it only the empty <c>[Authorize]</c> that <c>RequireAuthorization(policy)</c> adds. An
    /// endpoint that also names a role, another policy or scheme, or a requirement gets null, so the framework's
    /// middlewares decide it with everything it requires (the MCP scheme included) instead of the direct path dropping
    /// what it does not check. Decided once per endpoint (its metadata does not change once routing is built) and
    /// remembered beside it: every request asks twice, <c>ServerHost</c>'s branch and <see cref="McpEndpointAuthorization"/>.
    /// </summary>
    public static AuthenticationScheme? SchemeOf(HttpContext http) =>
        http.GetEndpoint() is { } endpoint ? Decided.GetValue(endpoint, Decide).Scheme : null;

    /// <summary>Each endpoint's answer, held as long as the endpoint is (a data source may replace its endpoints).</summary>
    private static readonly ConditionalWeakTable<Endpoint, EndpointScheme> Decided = new();

    private static readonly ConditionalWeakTable<Endpoint, EndpointScheme>.CreateValueCallback Decide =
        endpoint => new EndpointScheme(SchemeRequiredBy(endpoint.Metadata));

    private sealed record EndpointScheme(AuthenticationScheme? Scheme);

    private static AuthenticationScheme? SchemeRequiredBy(EndpointMetadataCollection metadata)
    {
        if (metadata.GetMetadata<AuthorizationPolicy>() is not { } policy) return null;
        var scheme = ReferenceEquals(policy, WpcomPolicy) ? WpcomScheme : ReferenceEquals(policy, AdapterPolicy) ? AdapterScheme : null;
        return scheme is not null && RequiresNothingElse(metadata) ? scheme : null;
    }

    private static bool RequiresNothingElse(EndpointMetadataCollection metadata)
    {
        if (metadata.GetOrderedMetadata<AuthorizationPolicy>().Count != 1) return false;
        if (metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count != 0) return false;
        foreach (var data in metadata.GetOrderedMetadata<IAuthorizeData>())
            if (data.Policy is not null || data.Roles is not null || data.AuthenticationSchemes is not null) return false;
        return true;
    }

    private static AuthorizationPolicy Require(string scheme) =>
        new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser().Build();

    public static IServiceCollection AddMcpAuthentication(this IServiceCollection services)
    {
        // Registered as plain schemes (a handler type, created per request like any other), not through AddScheme, which
        // takes only handlers derived from AuthenticationHandler<TOptions>: see McpAuthenticationHandler for why not.
        services.AddAuthentication(o =>
        {
            o.AddScheme(Wpcom, scheme => scheme.HandlerType = typeof(WpcomAuthenticationHandler));
            o.AddScheme(Adapter, scheme => scheme.HandlerType = typeof(AdapterAuthenticationHandler));
        });
        services.AddTransient<WpcomAuthenticationHandler>();
        services.AddTransient<AdapterAuthenticationHandler>();
        return services;
    }
}

/// <summary>
/// The part every MCP scheme shares. Checks in order: Origin (DNS-rebinding protection of the MCP transport: a browser
/// page of another origin may not call us, whatever credentials it holds), then the endpoint's own credentials
/// (<see cref="AuthenticateCallerAsync"/>). A refusal is written by the challenge, exactly as the check decided it.
/// <para>
/// Refusals are reported to ASP.NET Core as "no result", not as failures: the checks log what matters in their own
/// words (<c>BearerAuthenticator</c>, the failure limiter of Application Passwords).
/// </para>
/// <para>
/// An <see cref="IAuthenticationHandler"/> of its own rather than the framework's <c>AuthenticationHandler&lt;TOptions&gt;</c>:
/// these schemes have no options, events, forwarding or sign-in, and that base class paid for them on every MCP call
/// (a logger created through the factory's lock, the options looked up by name, an events object, the forwarding
/// checks) before the first check ran. What it did that matters is kept: authentication runs once per request and the
/// challenge reads the same result; an exception during the check is a failed authentication (a bare 401 from the
/// challenge), not an error page; forbid answers 403.
/// </para>
/// </summary>
internal abstract class McpAuthenticationHandler(OriginPolicy origins) : IAuthenticationHandler
{
    private AuthenticationScheme? _scheme;
    private HttpContext? _context;
    private Task<AuthenticateResult>? _result;
    private Func<HttpResponse, Task>? _refusal;

    /// <summary>The request being authenticated.</summary>
    protected HttpContext Context => _context ?? throw new InvalidOperationException("The handler was not initialized.");

    protected abstract Task<McpAuthentication> AuthenticateCallerAsync(CancellationToken ct);

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        (_scheme, _context) = (scheme, context);
        return Task.CompletedTask;
    }

    /// <summary>Once per request: <see cref="McpEndpointAuthorization"/> (or the framework) authenticates, and the challenge reads that result again.</summary>
    public Task<AuthenticateResult> AuthenticateAsync() => _result ??= AuthenticateOnceAsync();

    private async Task<AuthenticateResult> AuthenticateOnceAsync()
    {
        try
        {
            return await HandleAuthenticateAsync();
        }
        catch (Exception ex)
        {
            // As ASP.NET Core's handlers: a check that throws fails the authentication, and the challenge answers 401.
            return AuthenticateResult.Fail(ex);
        }
    }

    private async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var http = Context;
        http.Response.Headers.CacheControl = "no-store";
        if (!origins.IsAllowed(http.Request))
        {
            _refusal = OriginRefusedAsync;
            return AuthenticateResult.NoResult();
        }
        var outcome = await AuthenticateCallerAsync(http.RequestAborted);
        if (outcome.Caller is null)
        {
            _refusal = outcome.Refuse;
            return AuthenticateResult.NoResult();
        }
        var scheme = _scheme!.Name;
        var identity = new McpIdentity(scheme, outcome.Caller, outcome.Resource, outcome.EndpointSite);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), scheme));
    }

    public async Task ChallengeAsync(AuthenticationProperties? properties)
    {
        await AuthenticateAsync();
        if (_refusal is null)
        {
            Context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        await _refusal(Context.Response);
    }

    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        Context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private static Task OriginRefusedAsync(HttpResponse response) =>
        McpHttpTransport.WriteAsync(response.HttpContext, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, "origin not allowed"), StatusCodes.Status403Forbidden);
}
