using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Abilities;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

/// <summary>
/// <c>/account/profile</c>: the signed-in person's display name, e-mail, website and biographical info. Saving runs
/// <c>user/update-profile</c> as the person (<see cref="PersonCalls"/>), the ability an agent would call, so the same
/// rules apply and the activity log records it.
/// </summary>
[Authorize]
internal sealed class ProfileModel(UserManager<User> users, PersonCalls calls) : PageModel
{
    public const string Path = "/account/profile";

    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Website { get; set; }
    [BindProperty] public string? Bio { get; set; }
    [BindProperty(SupportsGet = true)] public bool Saved { get; set; }
    public string Login { get; private set; } = "";
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        PageHelpers.NoStore(Response);
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        Login = user.UserName ?? "";
        DisplayName = user.DisplayName;
        Email = user.Email;
        Website = user.Website;
        Bio = user.Bio;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        Login = user.UserName ?? "";
        var result = await calls.RunAsync(new SiteActor(user.Id, user.IsServerAdmin, null), UpdateProfileAbility.Name, new JsonObject
        {
            ["display_name"] = DisplayName ?? "",
            ["email"] = Email ?? "",
            ["website"] = Website ?? "",
            ["bio"] = Bio ?? "",
        }, "profile: save", ct);
        if (result.Succeeded) return new SeeOtherResult(Path + "?saved=true");
        // The form keeps what the person typed, with what was wrong.
        Error = result.Message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
