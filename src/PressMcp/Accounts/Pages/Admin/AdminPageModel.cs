using PressMcp.Activity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages.Admin;

/// <summary>
/// The base of the server administrators' pages (<c>/account/admin/…</c>). Anyone else gets 404, as for a page that
/// does not exist: the pages are not advertised to people who cannot use them. Every handler starts with
/// <c>if (await EnterAsync() is { } refused) return refused;</c>; after a POST, <see cref="Done"/> redirects with the
/// outcome as a one-time message.
/// </summary>
[Authorize]
internal abstract class AdminPageModel(UserManager<User> users, PersonActivity activity) : PageModel
{
    public const string NoticeKey = "admin.notice";
    public const string ErrorKey = "admin.error";

    /// <summary>The signed-in server administrator.</summary>
    public User Me { get; private set; } = null!;
    public string? Notice { get; protected set; }
    public string? Error { get; protected set; }

    protected async Task<IActionResult?> EnterAsync()
    {
        PageHelpers.NoStore(Response);
        var me = await users.GetUserAsync(User);
        if (me is null) return Challenge();
        if (!me.IsServerAdmin) return NotFound();
        Me = me;
        Notice = TempData[NoticeKey] as string;
        Error = TempData[ErrorKey] as string;
        return null;
    }

    /// <summary>Records the action in the activity log with the administrator as actor; the outcome's problem, or null.</summary>
    protected Problem? Record(string ability, string tool, Problem? problem, string arguments, long? siteId = null)
    {
        activity.Record(Me.Id, ability, tool, problem, arguments, siteId);
        return problem;
    }

    /// <summary>After a POST: the outcome as a one-time message and a redirect (303) to <paramref name="path"/>.</summary>
    protected IActionResult Done(string path, string? notice, Problem? problem = null)
    {
        if (problem is not null) TempData[ErrorKey] = Capitalize(problem.Message) + ".";
        else if (notice is not null) TempData[NoticeKey] = notice;
        return new SeeOtherResult(path);
    }

    protected static string Capitalize(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..];
}
