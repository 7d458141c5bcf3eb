using System.Security.Claims;
using PressMcp.Accounts;
using PressMcp.Sites.Pages;

namespace PressMcp.Media.Pages;

internal static class MediaPageAccess
{
    public const string BasePath = SitePages.BasePath;

    public static string PagePath(string slug) => SitePages.PathOf(slug, "media");

    /// <summary>The site and the signed-in member with upload_files, by the rules of every site page (<see cref="SitePages"/>).</summary>
    public static async Task<(SitePageUser? User, int Status)> ResolveAsync(ClaimsPrincipal principal, string slug, SitePages pages, CancellationToken ct)
    {
        var (user, status, _) = await pages.ResolveAsync(principal, slug, Caps.UploadFiles, ct);
        return (user, status);
    }
}
