using Microsoft.AspNetCore.Mvc;
using PressMcp.Accounts;

namespace PressMcp.Sites.Pages;

/// <summary><c>/account/sites/{slug}</c>: a site's dashboard, for every member.</summary>
internal sealed class DashboardModel(SitePages pages) : SitePageModel(pages)
{
    public override string Section => "dashboard";

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.Read, ct) is { } refused) return refused;
        return Page();
    }
}
