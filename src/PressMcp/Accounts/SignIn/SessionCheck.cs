using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PressMcp.Storage;

namespace PressMcp.Accounts.SignIn;

/// <summary>
/// Checks a sign-in cookie against its account on every request that carries one: the account must still exist, must
/// not be disabled, and must have the security stamp the cookie was issued with (a new password, a reset by a server
/// administrator or disabling the account renews it). Otherwise the session ends at once, on every instance: the
/// cookie is rejected and deleted. This replaces Identity's <see cref="SecurityStampValidator"/>, which reloads the
/// whole account and re-issues the cookie once per interval, so a disabled account kept working until the interval
/// passed. The price is one primary-key read of two columns per request that carries the cookie (compiled, no
/// tracking); requests without the cookie (agents, public pages) pay nothing.
/// </summary>
internal static class SessionCheck
{
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var principal = context.Principal;
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var stamp = principal?.FindFirstValue(stampClaim);
        SessionRow? row = null;
        if (long.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            row = await RowOf(services.GetRequiredService<PressDbContext>(), id, context.HttpContext.RequestAborted);
        if (row is { DisabledUtc: null } && stamp is not null && string.Equals(row.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            // What the read found, for the layout (the server administrators' links) at no further query.
            context.HttpContext.Features.Set(new SignedInAccount(id, row.IsServerAdmin));
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    internal sealed record SessionRow(DateTime? DisabledUtc, string? SecurityStamp, bool IsServerAdmin);

    // Compiled: this runs on every signed-in request, where EF Core's per-query work would cost more than the read.
    private static readonly Func<PressDbContext, long, CancellationToken, Task<SessionRow?>> RowOf = EF.CompileAsyncQuery(
        (PressDbContext db, long id, CancellationToken ct) =>
            db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new SessionRow(u.DisabledUtc, u.SecurityStamp, u.IsServerAdmin)).FirstOrDefault());
}

/// <summary>The signed-in account as <see cref="SessionCheck"/> read it on this request (a request feature).</summary>
internal sealed record SignedInAccount(long UserId, bool IsServerAdmin);
