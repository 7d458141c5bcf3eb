using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

/// <summary>
/// First-run setup: exists only while the server has no user, and needs the code from the console. Creates the first
/// server administrator and the first site, with the administrator as its administrator, in one transaction: a refusal
/// leaves nothing behind, and the page can be sent again.
/// </summary>
internal sealed class SetupModel(
    SetupGate gate, UserAccounts accounts, SiteDirectory sites, PressDbContext db, SignInManager<User> signIn, ILogger<SetupModel> logger) : PageModel
{
    // One setup at a time in this process, so two quick submissions cannot both create an administrator.
    private static readonly SemaphoreSlim Serial = new(1, 1);

    [BindProperty] public string? SetupCode { get; set; }
    [BindProperty] public string? Login { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    [BindProperty] public string? SiteTitle { get; set; }
    [BindProperty] public string? SiteSlug { get; set; }
    [BindProperty] public string? TimeZone { get; set; }
    public string? Error { get; private set; }

    /// <summary>The time zones to choose from (IANA names); the page's script picks the browser's.</summary>
    public static IReadOnlyList<string> TimeZones { get; } = SiteRules.TimeZoneNames();

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

            var site = new NewSite(SiteSlug ?? "", SiteTitle ?? "", Login ?? "", TimeZone: TimeZone);
            var fields = await sites.CheckAsync(site, ct);
            if (!fields.Succeeded) return Refuse("Site: " + fields.Problem!.Message + ".");

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var created = await accounts.CreateAsync(new NewUser(Login ?? "", Email ?? "", Password ?? "", IsServerAdmin: true, DisplayName), ct);
            if (!created.Succeeded) return Refuse(Capitalize(created.Problem!.Message) + ".");
            var madeSite = await sites.CreateAsync(site with { OwnerLogin = created.Value!.UserName! }, ct);
            if (!madeSite.Succeeded) return Refuse("Site: " + madeSite.Problem!.Message + ".");
            await tx.CommitAsync(ct);

            gate.Consume();
            logger.LogInformation("First server administrator {Login} and site {Slug} created by setup", created.Value!.UserName, madeSite.Value!.Slug);
            await signIn.SignInAsync(created.Value!, isPersistent: false);
            return new SeeOtherResult("/account/welcome");
        }
        finally
        {
            Serial.Release();
        }
    }

    private async Task<bool> IsOpenAsync(CancellationToken ct) => gate.HasCode && !await accounts.AnyAsync(ct);

    private PageResult Refuse(string message)
    {
        // Anything the transaction wrote is rolled back when it is disposed without a commit.
        db.ChangeTracker.Clear();
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
