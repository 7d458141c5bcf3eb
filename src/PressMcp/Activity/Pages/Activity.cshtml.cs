using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Accounts;
using PressMcp.Sites;
using PressMcp.Web;

namespace PressMcp.Activity.Pages;

/// <summary>
/// <c>/account/activity</c>: what agents did on the user's behalf, newest first, filterable by app and site.
/// A server administrator may switch to everyone's activity.
/// </summary>
[Authorize]
internal sealed class ActivityModel(ActivityQuery query, SiteDirectory sites, UserManager<User> users) : PageModel
{
    public ActivityPage Entries { get; private set; } = new([], false);
    public IReadOnlyList<KeyValuePair<string, string>> Clients { get; private set; } = [];
    public IReadOnlyList<MembershipSummary> Sites { get; private set; } = [];
    public bool IsServerAdmin { get; private set; }
    public bool Everyone { get; private set; }
    public string? Client { get; private set; }
    public long? SiteId { get; private set; }
    public int PageNumber { get; private set; } = 1;

    public async Task OnGetAsync(string? client, long? site, bool all, int page = 1, CancellationToken ct = default)
    {
        PageHelpers.NoStore(Response);
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("signed-in user not found");
        IsServerAdmin = user.IsServerAdmin;
        Everyone = all && IsServerAdmin;
        Client = string.IsNullOrWhiteSpace(client) ? null : client;
        SiteId = site;
        PageNumber = Math.Clamp(page, 1, 10_000);
        var userFilter = Everyone ? (long?)null : user.Id;
        Entries = await query.ListAsync(new ActivityFilter(userFilter, Client, SiteId, PageNumber), ct);
        Clients = await query.ClientsAsync(userFilter, ct);
        Sites = await sites.SitesOfAsync(user.Id, ct);
    }

    public string PageLink(int page) =>
        "/account/activity?" + string.Join("&", new[]
        {
            Client is null ? null : "client=" + Uri.EscapeDataString(Client),
            SiteId is null ? null : "site=" + SiteId.Value.ToString(CultureInfo.InvariantCulture),
            Everyone ? "all=true" : null,
            "page=" + page.ToString(CultureInfo.InvariantCulture),
        }.Where(p => p is not null));
}
