using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PressMcp.Accounts;
using PressMcp.OAuth.Authorization;
using PressMcp.OAuth.Clients;
using PressMcp.OAuth.Grants;
using PressMcp.OAuth.Hosting;
using PressMcp.Observability;
using PressMcp.Sites;
using PressMcp.Web;

namespace PressMcp.OAuth.Pages;

/// <summary>
/// <c>/oauth2-1/authorize</c>: validates the request, sends a signed-out user to the sign-in page, skips
/// consent when an approval already covers the request, and otherwise shows the consent form. The POST
/// validates every parameter again (hidden fields are not trusted), then approves or denies with a 303.
/// </summary>
[EnableRateLimiting(RateLimitPolicies.Authorize)]
internal sealed partial class AuthorizeModel(
    AuthorizationValidator validator, GrantStore grants, SiteDirectory siteDirectory, UserManager<User> users, SiteUrls urls,
    Mcp.Settings.McpSettingsStore mcpSettings, ILogger<AuthorizeModel> logger) : PageModel
{
    public ValidAuthorization? Authorization { get; private set; }
    public string? PageError { get; private set; }
    public string? FormError { get; private set; }
    public IReadOnlyList<MembershipSummary> Sites { get; private set; } = [];
    public IReadOnlyList<ScopeInfo> Permissions { get; private set; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; private set; } = [];
    public bool LocalhostOnly { get; private set; }
    public bool FirstApproval { get; private set; }
    /// <summary>Whether the account's MCP master switch is on; when off, the form offers to turn it on with the read tools.</summary>
    public bool McpEnabled { get; private set; }
    public string RedirectHost => Authorization is null ? "" : RedirectUris.DisplayHost(Authorization.RedirectUri);
    /// <summary>The redirect host is not plain ASCII: it is shown in punycode with a warning that it may imitate another name.</summary>
    public bool InternationalHost => Authorization is not null && RedirectUris.HasInternationalHost(Authorization.RedirectUri);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var parameters = new AuthorizationParameters(Request.Query);
        var (request, refusal) = await validator.ValidateAsync(parameters, ct);
        if (refusal is not null) return Refuse(refusal, seeOther: false);

        if (User.Identity?.IsAuthenticated != true)
            return Redirect("/login?ReturnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));

        var userId = CurrentUserId();
        if (await grants.FindCoveringAsync(userId, request!, ct) is { } grant)
        {
            LogConsentSkipped(logger, userId, request!.Client.Id);
            PressMetrics.ConsentGiven("remembered");
            return Redirect(await IssueAsync(grant, request, ct));
        }
        await PrepareAsync(request!, parameters, userId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision, long[]? site, [FromForm(Name = "enable_mcp")] string? enableMcp, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var parameters = new AuthorizationParameters(Request.Form);
        var (request, refusal) = await validator.ValidateAsync(parameters, ct);
        if (refusal is not null) return Refuse(refusal, seeOther: true);
        if (User.Identity?.IsAuthenticated != true)
            return ErrorPage("Your session ended before you answered. Start the connection again from the app.");

        var userId = CurrentUserId();
        if (decision == "deny")
        {
            LogDenied(logger, userId, request!.Client.Id);
            PressMetrics.ConsentGiven("denied");
            var denied = new OAuthError(OAuthErrors.AccessDenied, "the user denied the request");
            return new SeeOtherResult(AuthorizationResponse.Error(request.RedirectUri, denied, request.State, urls.Public));
        }
        if (decision != "approve") return ErrorPage("Choose Approve or Deny.");

        await PrepareAsync(request!, parameters, userId, ct);
        var chosen = (site ?? []).Distinct().ToList();
        var offered = Sites.Select(s => s.SiteId).ToHashSet();
        if (chosen.Count == 0 || !chosen.All(offered.Contains))
        {
            FormError = "Choose at least one of your sites for this app to use.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var grant = await grants.ApproveAsync(userId, request!, chosen, ct);
        LogApproved(logger, userId, request!.Client.Id, grant.Id);
        PressMetrics.ConsentGiven("approved");
        if (!McpEnabled && enableMcp == "read")
        {
            // Turning MCP on keeps the defaults: read tools on, write tools off until chosen on the settings page.
            await mcpSettings.SetEnabledAsync(userId, true, ct);
            LogMcpEnabled(logger, userId);
        }
        return new SeeOtherResult(await IssueAsync(grant, request, ct));
    }

    private async Task<string> IssueAsync(Model.OAuthGrant grant, ValidAuthorization request, CancellationToken ct)
    {
        var code = await grants.IssueCodeAsync(grant, request, ct);
        return AuthorizationResponse.Success(request.RedirectUri, code, request.State, urls.Public);
    }

    /// <summary>What the consent page shows: the sites offered (only the endpoint's own site for a site endpoint) and the warnings.</summary>
    private async Task PrepareAsync(ValidAuthorization request, AuthorizationParameters parameters, long userId, CancellationToken ct)
    {
        Authorization = request;
        Parameters = parameters.All().ToList();
        Permissions = Scopes.Describe(request.Scope);
        var mine = await siteDirectory.SitesOfAsync(userId, ct);
        Sites = request.Resource.SiteId is { } only ? mine.Where(s => s.SiteId == only).ToList() : mine;
        LocalhostOnly = request.Client.RedirectUriList.All(RedirectUris.IsLoopback);
        FirstApproval = !await grants.HasApprovedClientBeforeAsync(userId, request.Client.Id, ct);
        McpEnabled = (await mcpSettings.LoadAsync(userId, ct)).Enabled;
    }

    private IActionResult Refuse(AuthorizationRefusal refusal, bool seeOther)
    {
        LogRefused(logger, refusal.Error.Code, refusal.Error.LogReason);
        PressMetrics.AuthorizeRefused(refusal.Error.Code);
        if (refusal.Kind == RefusalKind.ErrorPage) return ErrorPage(refusal.Error.Description);
        var location = AuthorizationResponse.Error(refusal.RedirectUri!, refusal.Error, refusal.State, urls.Public);
        return seeOther ? new SeeOtherResult(location) : Redirect(location);
    }

    private PageResult ErrorPage(string message)
    {
        PageError = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private long CurrentUserId() => users.IdOf(User);

    [LoggerMessage(Level = LogLevel.Information, Message = "Authorization request refused ({Error}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string error, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} approved client {ClientId} (grant {GrantId})")]
    private static partial void LogApproved(ILogger logger, long userId, string clientId, long grantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} turned MCP access on from the consent page")]
    private static partial void LogMcpEnabled(ILogger logger, long userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} denied client {ClientId}")]
    private static partial void LogDenied(ILogger logger, long userId, string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} had already approved client {ClientId}: consent skipped")]
    private static partial void LogConsentSkipped(ILogger logger, long userId, string clientId);
}
