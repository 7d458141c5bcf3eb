using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using PressMcp.Accounts;
using PressMcp.Sites;

namespace PressMcp.Media.Pages;

/// <summary>Who may use a site's media page: members whose role has upload_files (folder actions also need manage_categories).</summary>
internal sealed record MediaPageUser(Site Site, SiteActor Actor)
{
    public bool CanManageFolders => Permissions.Can(Actor, Caps.ManageCategories);
}

internal static class MediaPageAccess
{
    public const string BasePath = "/account/sites";

    public static string PagePath(string slug) => $"{BasePath}/{slug}/media";

    /// <summary>
    /// The site and the signed-in user's role there. A site the user is not a member of answers like an unknown one
    /// (404), so the page does not reveal which sites exist; a member without upload_files gets 403.
    /// </summary>
    public static async Task<(MediaPageUser? User, int Status)> ResolveAsync(ClaimsPrincipal principal, string slug, UserManager<User> users, SiteResolver sites, CancellationToken ct)
    {
        if (!long.TryParse(users.GetUserId(principal), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)) return (null, StatusCodes.Status401Unauthorized);
        var user = await users.FindByIdAsync(userId.ToString(CultureInfo.InvariantCulture));
        if (user is null) return (null, StatusCodes.Status401Unauthorized);
        // Slugs only: this is an address, not a place to type an id or host name.
        if (SiteRules.IsAllDigits(slug)) return (null, StatusCodes.Status404NotFound);
        var site = await sites.ResolveAsync(slug, ct);
        if (!site.Succeeded || site.Value!.Slug != slug.ToLowerInvariant()) return (null, StatusCodes.Status404NotFound);
        var actor = await sites.ActorAsync(user, site.Value.Id, ct);
        if (actor.Role is null && !actor.IsServerAdmin) return (null, StatusCodes.Status404NotFound);
        if (!Permissions.Can(actor, Caps.UploadFiles)) return (null, StatusCodes.Status403Forbidden);
        return (new MediaPageUser(site.Value, actor), StatusCodes.Status200OK);
    }
}
