using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Sites;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

[Authorize]
internal sealed class AccountModel(UserManager<User> users, SiteDirectory sites) : PageModel
{
    public IReadOnlyList<MembershipSummary> Sites { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var userId = users.IdOf(User);
        Sites = await sites.SitesOfAsync(userId, ct);
    }
}
