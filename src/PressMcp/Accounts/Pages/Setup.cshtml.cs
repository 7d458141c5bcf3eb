using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

/// <summary>First-run setup: exists only while the server has no user, and needs the code from the console.</summary>
internal sealed class SetupModel(SetupGate gate, UserAccounts accounts, SignInManager<User> signIn, ILogger<SetupModel> logger) : PageModel
{
    // One setup at a time in this process, so two quick submissions cannot both create an administrator.
    private static readonly SemaphoreSlim Serial = new(1, 1);

    [BindProperty] public string? SetupCode { get; set; }
    [BindProperty] public string? Login { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        return await IsOpenAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        await Serial.WaitAsync(ct);
        try
        {
            if (!await IsOpenAsync(ct)) return NotFound();
            if (!gate.Verify(SetupCode))
            {
                logger.LogWarning("Setup refused: wrong setup code from {Address}", HttpContext.Connection.RemoteIpAddress);
                return Refuse("The setup code is wrong. Use the code printed by pressmcp serve.");
            }
            if (Password != ConfirmPassword) return Refuse("The passwords do not match.");

            var created = await accounts.CreateAsync(new NewUser(Login ?? "", Email ?? "", Password ?? "", IsServerAdmin: true), ct);
            if (!created.Succeeded) return Refuse(Capitalize(created.Problem!.Message) + ".");

            gate.Consume();
            logger.LogInformation("First server administrator {Login} created by setup", created.Value!.UserName);
            await signIn.SignInAsync(created.Value!, isPersistent: false);
            return new SeeOtherResult("/account");
        }
        finally
        {
            Serial.Release();
        }
    }

    private async Task<bool> IsOpenAsync(CancellationToken ct) => gate.HasCode && !await accounts.AnyAsync(ct);

    private PageResult Refuse(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
