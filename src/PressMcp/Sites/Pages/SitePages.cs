using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Accounts;
using PressMcp.Web;
using PressMcp.Web.Pages;

namespace PressMcp.Sites.Pages;

/// <summary>The signed-in person on one of their sites: the site, their role there (as the permission function sees it) and their account.</summary>
internal sealed record SitePageUser(Site Site, SiteActor Actor, User User)
{
    public bool Can(string capability) => Permissions.Can(Actor, capability);

    /// <summary>The role to show; a server administrator who is not a member acts as WordPress's super admin.</summary>
    public string RoleText => Actor.Role ?? (Actor.IsServerAdmin ? "server administrator" : "none");
}

/// <summary>
/// Resolves <c>/account/sites/{slug}/…</c> for the signed-in person: the site by its slug, their role there, and the
/// capability the page needs. A site the person is not a member of answers like an unknown one (404), so the pages do
/// not reveal which sites exist; a member whose role lacks the capability gets 403 with the reason.
/// </summary>
internal sealed class SitePages(UserManager<User> users, SiteResolver sites, SiteDirectory directory)
{
    public const string BasePath = "/account/sites";

    public static string PathOf(string slug, string page = "") => page.Length == 0 ? $"{BasePath}/{slug}" : $"{BasePath}/{slug}/{page}";

    public async Task<(SitePageUser? User, int Status, string? Reason)> ResolveAsync(System.Security.Claims.ClaimsPrincipal principal, string slug, string? capability, CancellationToken ct)
    {
        var id = users.GetUserId(principal);
        var user = id is null ? null : await users.FindByIdAsync(id);
        if (user is null) return (null, StatusCodes.Status401Unauthorized, null);
        // Slugs only: this is an address, not a place to type an id or host name.
        if (SiteRules.IsAllDigits(slug)) return (null, StatusCodes.Status404NotFound, null);
        var site = await sites.ResolveAsync(slug, ct);
        if (!site.Succeeded || site.Value!.Slug != slug.ToLowerInvariant()) return (null, StatusCodes.Status404NotFound, null);
        var actor = await sites.ActorAsync(user, site.Value.Id, ct);
        if (actor.Role is null && !actor.IsServerAdmin) return (null, StatusCodes.Status404NotFound, null);
        var member = new SitePageUser(site.Value, actor, user);
        if (capability is not null && Permissions.MissingCapabilities(actor, capability) is { Count: > 0 } missing)
            return (null, StatusCodes.Status403Forbidden, $"Your role on {site.Value.Title} ({member.RoleText}) lacks the capability {string.Join(", ", missing)} this page needs.");
        return (member, StatusCodes.Status200OK, null);
    }

    /// <summary>The person's sites, for the site switcher.</summary>
    public Task<List<MembershipSummary>> SitesOfAsync(long userId, CancellationToken ct) => directory.SitesOfAsync(userId, ct);
}

/// <summary>
/// The base of every per-site page: resolves the site and the person's role with <see cref="SitePages"/> before a
/// handler runs, and holds what the site navigation (<c>_SiteNav</c>) shows. A handler starts with
/// <c>if (await EnterAsync(slug, capability, ct) is { } refused) return refused;</c>.
/// </summary>
[Authorize]
internal abstract class SitePageModel(SitePages pages) : PageModel
{
    public const string NoticeKey = "site.notice";
    public const string ErrorKey = "site.error";

    public SitePageUser Member { get; private set; } = null!;
    public IReadOnlyList<MembershipSummary> MySites { get; private set; } = [];
    /// <summary>Which tab of the site navigation is this page (<c>dashboard</c>, <c>posts</c>, …).</summary>
    public abstract string Section { get; }
    public string? Notice { get; private set; }
    public string? Error { get; private set; }

    public Site Site => Member.Site;
    public string SitePath(string page = "") => SitePages.PathOf(Member.Site.Slug, page);

    protected async Task<IActionResult?> EnterAsync(string slug, string? capability, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var (member, status, reason) = await pages.ResolveAsync(User, slug, capability, ct);
        if (member is null)
        {
            if (reason is not null) ErrorModelReason.Set(HttpContext, reason);
            return status == StatusCodes.Status401Unauthorized ? Challenge() : StatusCode(status);
        }
        Member = member;
        MySites = await pages.SitesOfAsync(member.User.Id, ct);
        Notice = TempData[NoticeKey] as string;
        Error = TempData[ErrorKey] as string;
        return null;
    }

    /// <summary>
    /// After a person's ability call (<see cref="Abilities.PersonCalls"/>): success or a problem with the input goes back
    /// to <paramref name="path"/> with the notice or the error; a refusal by the permission function (a forged form: the
    /// page offers only what the role allows) answers 403 with its reason.
    /// </summary>
    protected IActionResult AfterCall(PressMcp.Abilities.Invocation result, string path, Func<System.Text.Json.JsonElement, string> notice)
    {
        if (result.Succeeded) return Done(path, notice(result.Value));
        if (result.Outcome is PressMcp.Abilities.CallOutcome.Refused or PressMcp.Abilities.CallOutcome.StepUp)
        {
            ErrorModelReason.Set(HttpContext, result.Message);
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        return Done(path, null, result.Message);
    }

    /// <summary>After a POST: the outcome as a one-time message, and a redirect (303) to <paramref name="path"/>, so a reload does not repeat it.</summary>
    protected IActionResult Done(string path, string? notice, string? error = null)
    {
        if (notice is not null) TempData[NoticeKey] = notice;
        if (error is not null) TempData[ErrorKey] = error;
        return new SeeOtherResult(path);
    }
}
