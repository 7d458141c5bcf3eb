using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.OAuth;
using PressMcp.Sites;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

/// <summary>What to do next, after first-run setup: connect an AI app, bring in a WordPress export, open the site.</summary>
[Authorize]
internal sealed class WelcomeModel(UserManager<User> users, SiteDirectory sites, McpResources resources) : PageModel
{
    public IReadOnlyList<MembershipSummary> Sites { get; private set; } = [];

    /// <summary>The WordPress.com-style MCP endpoint, the URL an AI app is given.</summary>
    public string McpUrl => resources.Wpcom;

    public string SiteEndpoint(string slug) => resources.SiteEndpoint(slug);

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var userId = users.IdOf(User);
        Sites = await sites.SitesOfAsync(userId, ct);
    }
}
