using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

/// <summary>Logging out is a POST with an antiforgery token, so another site cannot sign a user out.</summary>
internal sealed class LogoutModel(SignInManager<User> signIn) : PageModel
{
    public void OnGet() => PageHelpers.NoStore(Response);

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return new SeeOtherResult("/login");
    }
}
