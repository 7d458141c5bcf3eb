using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PressMcp.Accounts.SignIn;
using PressMcp.OAuth.Hosting;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

/// <summary>Sign-in with a login or e-mail address; the rules (limits, lock, equal answers) are <see cref="PasswordSignIn"/>'s.</summary>
[EnableRateLimiting(RateLimitPolicies.Login)]
internal sealed class LoginModel(PasswordSignIn signIn, SignInLimits limits) : PageModel
{
    [BindProperty] public string? Login { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() => PageHelpers.NoStore(Response);

    public async Task<IActionResult> OnPostAsync()
    {
        PageHelpers.NoStore(Response);
        if (string.IsNullOrWhiteSpace(Login) || string.IsNullOrEmpty(Password))
            return Refuse(StatusCodes.Status400BadRequest, "Enter your login (or e-mail address) and password.");

        switch (await signIn.SignInAsync(Login.Trim(), Password, HttpContext.Connection.RemoteIpAddress))
        {
            case SignInVerdict.SignedIn:
                return new SeeOtherResult(PageHelpers.SafeReturnUrl(ReturnUrl));
            case SignInVerdict.AddressLimited:
                return Refuse(StatusCodes.Status429TooManyRequests,
                    $"Too many failed sign-ins from your network address. Wait up to {limits.WindowText} before trying again.");
            case SignInVerdict.Locked:
                // The same words for an unknown login, so the lock says nothing about which accounts exist.
                return Refuse(StatusCodes.Status429TooManyRequests,
                    $"Too many failed sign-ins for this account from many addresses: it is locked for up to {limits.WindowText}. "
                    + "A server administrator can unlock it now by resetting its password on the Users page or with pressmcp user set-password.");
            case SignInVerdict.Disabled:
                return Refuse(StatusCodes.Status403Forbidden,
                    "This account is disabled. A server administrator can enable it again on the Users page or with pressmcp user enable.");
            default:
                // The same message for an unknown login and a wrong password: no hint which logins exist.
                return Refuse(StatusCodes.Status400BadRequest, "Unknown login or wrong password.");
        }
    }

    private PageResult Refuse(int status, string message)
    {
        Error = message;
        Response.StatusCode = status;
        if (status == StatusCodes.Status429TooManyRequests)
            Response.Headers.RetryAfter = ((int)limits.Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Page();
    }
}
