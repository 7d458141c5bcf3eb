using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

[Authorize]
internal sealed class ChangePasswordModel(UserManager<User> users, SignInManager<User> signIn) : PageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    [BindProperty(SupportsGet = true)] public bool Changed { get; set; }
    public string? Error { get; private set; }

    public void OnGet() => PageHelpers.NoStore(Response);

    public async Task<IActionResult> OnPostAsync()
    {
        PageHelpers.NoStore(Response);
        var user = await users.GetUserAsync(User);
        if (user is null) return new SeeOtherResult("/login");
        if (string.IsNullOrEmpty(CurrentPassword) || string.IsNullOrEmpty(NewPassword))
            return Refuse("Enter your current password and the new one.");
        if (NewPassword != ConfirmPassword) return Refuse("The new passwords do not match.");

        var result = await users.ChangePasswordAsync(user, CurrentPassword, NewPassword);
        if (!result.Succeeded)
        {
            var wrongCurrent = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch));
            return Refuse(wrongCurrent ? "The current password is wrong." : UserAccounts.Describe(result));
        }
        // ChangePasswordAsync renewed the security stamp; refresh this session so only the others end.
        await signIn.RefreshSignInAsync(user);
        return new SeeOtherResult("/account/password?changed=true");
    }

    private PageResult Refuse(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
