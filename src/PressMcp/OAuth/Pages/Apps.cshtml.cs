using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Accounts;
using PressMcp.OAuth.Grants;
using PressMcp.Web;

namespace PressMcp.OAuth.Pages;

/// <summary>
/// <c>/account/apps</c>: every app the user approved, what it may do where, and what happened to it.
/// Revoke ends the grant and with it every code and token, so the app's next call is refused.
/// </summary>
[Authorize]
internal sealed partial class AppsModel(ConnectedApps apps, GrantStore grants, UserManager<User> users, ILogger<AppsModel> logger) : PageModel
{
    public IReadOnlyList<Connection> Connections { get; private set; } = [];
    public string? Notice { get; private set; }

    public async Task OnGetAsync(bool revoked, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        if (revoked) Notice = "The app was disconnected. Its next request will be refused.";
        Connections = await apps.OfUserAsync(CurrentUserId(), ct);
    }

    public async Task<IActionResult> OnPostRevokeAsync(long grantId, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var userId = CurrentUserId();
        // Only the user's own grants: another id simply matches nothing.
        if (await grants.RevokeAsync(userId, grantId, ct)) LogRevoked(logger, userId, grantId);
        return new SeeOtherResult(OAuthRoutes.ConnectedApps + "?revoked=true");
    }

    private long CurrentUserId() => users.IdOf(User);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} revoked grant {GrantId}")]
    private static partial void LogRevoked(ILogger logger, long userId, long grantId);
}
