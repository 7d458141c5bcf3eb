using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PressMcp.OAuth.Hosting;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

[EnableRateLimiting(RateLimitPolicies.Login)]
internal sealed class LoginModel(SignInManager<User> signIn, ILogger<LoginModel> logger) : PageModel
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
        {
            Error = "Enter your login and password.";
            return Page();
        }

        // lockoutOnFailure: failed attempts are counted in the database and lock the account after five.
        var result = await signIn.PasswordSignInAsync(Login.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("User {Login} signed in", Login.Trim());
            return new SeeOtherResult(PageHelpers.SafeReturnUrl(ReturnUrl));
        }
        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused for {Login}: account locked out", Login.Trim());
            Error = "Too many failed attempts. This account is locked for a while; try again later.";
        }
        else
        {
            // The same message for an unknown login and a wrong password: no hint which logins exist.
            Error = "Unknown login or wrong password.";
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
