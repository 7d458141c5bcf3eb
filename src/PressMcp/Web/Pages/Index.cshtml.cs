using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Accounts;

namespace PressMcp.Web.Pages;

internal sealed class IndexModel(UserAccounts accounts) : PageModel
{
    public bool SetupOpen { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => SetupOpen = !await accounts.AnyAsync(ct);
}
