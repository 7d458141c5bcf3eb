using PressMcp.Activity;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using PressMcp.Sites;

namespace PressMcp.Accounts.Pages.Admin;

/// <summary><c>/account/admin/sites</c>: every site on the server, for server administrators.</summary>
internal sealed class SitesModel(UserManager<User> users, PersonActivity activity, SiteDirectory directory, SiteAdministration admin) : AdminPageModel(users, activity)
{
    public const string Path = "/account/admin/sites";

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public AdminSitePage List { get; private set; } = new([], 0, 1, SiteAdministration.PageSize);
    public IReadOnlyList<string> TimeZones => SiteRules.TimeZoneNames();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await EnterAsync() is { } refused) return refused;
        List = await admin.ListAsync(PageNumber, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? title, string? slug, string? timeZone, string? hostName, string? owner, CancellationToken ct)
    {
        if (await EnterAsync() is { } refused) return refused;
        // The same path as first-run setup and `pressmcp site create`.
        var created = string.IsNullOrWhiteSpace(owner) ? Problem.Invalid("choose the site's first administrator (a login)")
            : await directory.CreateAsync(new NewSite(slug ?? "", title ?? "", owner.Trim(), string.IsNullOrWhiteSpace(hostName) ? null : hostName, TimeZone: timeZone), ct);
        Record("admin/site-create", "admin: create site", created.Problem, $"slug={slug} owner={owner}", created.Value?.Id);
        return Done(Path, created.Succeeded ? $"Created the site {created.Value!.Title} ({created.Value.Slug}), with {owner!.Trim()} as its administrator." : null, created.Problem);
    }

    public async Task<IActionResult> OnPostRenameAsync(long id, string? title, CancellationToken ct)
    {
        if (await EnterAsync() is { } refused) return refused;
        var done = await admin.RenameAsync(id, title, ct);
        Record("admin/site-rename", "admin: rename site", done.Problem, $"site={Id(id)}", id);
        return Done(Back(), done.Succeeded ? $"Renamed {done.Value!.Slug} to {done.Value.Title}." : null, done.Problem);
    }

    public async Task<IActionResult> OnPostHostAsync(long id, string? hostName, CancellationToken ct)
    {
        if (await EnterAsync() is { } refused) return refused;
        var done = await admin.SetHostAsync(id, hostName, ct);
        Record("admin/site-set-host", "admin: set site host", done.Problem, $"site={Id(id)} host={hostName}", id);
        return Done(Back(), done.Succeeded
            ? done.Value!.HostName is { } host ? $"{done.Value.Title} is now served at {host}." : $"{done.Value.Title} has no host name of its own now."
            : null, done.Problem);
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, string? confirm, CancellationToken ct)
    {
        if (await EnterAsync() is { } refused) return refused;
        var done = await admin.DeleteAsync(id, confirm, ct);
        Record("admin/site-delete", "admin: delete site", done.Problem, $"site={Id(id)} slug={done.Value?.Slug}", id);
        return Done(Back(), done.Succeeded ? $"Deleted the site {done.Value!.Title} ({done.Value.Slug}) with all its content and media." : null, done.Problem);
    }

    public string PagePath(int page) => Path + "?p=" + page.ToString(CultureInfo.InvariantCulture);

    private string Back() => PagePath(Math.Max(1, PageNumber));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
