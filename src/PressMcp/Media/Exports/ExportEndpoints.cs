using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Media.Scans;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Media.Exports;

/// <summary>
/// <c>/sites/{slug}/vmfa-exports/{token}</c> (and the same below the site's host name): a finished export's archive,
/// for the holder of a link that get-export-status made for the user who started it. The link is the only credential
/// (a browser or <c>curl</c> can follow it), so everything it grants is checked again here: the seal, the expiry, that
/// the export still exists, is finished and is that user's, and that the user may still upload files on the site.
/// </summary>
internal static class ExportEndpoints
{
    public static void MapExportDownloads(this IEndpointRouteBuilder app) =>
        app.MapMethods($"{SiteHostRouting.SitesPrefix}/{{site}}/{ExportLinks.Segment}/{{token}}", [HttpMethods.Get, HttpMethods.Head], DownloadAsync);

    private static async Task<IResult> DownloadAsync(HttpContext http, string site, string token, ExportLinks links, PressDbContext db, SiteResolver sites,
        ExportOptions options, CancellationToken ct)
    {
        // A link is a credential: no shared cache keeps the archive, no referrer carries the link on.
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        var read = links.Read(token);
        if (!read.Succeeded)
            return Results.Text(read.Problem!.Message, statusCode: read.Problem.Kind == ErrorKind.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status404NotFound);
        var grant = read.Value!;
        var slug = site.ToLowerInvariant();
        var siteId = await db.Sites.AsNoTracking().Where(s => s.Slug == slug).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
        if (siteId != grant.SiteId) return Results.Text("this download link is not valid", statusCode: StatusCodes.Status404NotFound);

        var job = await db.MediaScans.AsNoTracking()
            .Where(s => s.SiteId == grant.SiteId && s.Kind == ScanKinds.Export && s.CallId == grant.JobId && s.Status == ScanStatuses.Completed && s.StartedBy == grant.UserId)
            .FirstOrDefaultAsync(ct);
        var archive = job is null ? null : ExportArchive.From(job.Counts);
        var path = FolderExport.FinalPath(options, grant.SiteId, grant.JobId);
        if (archive is null || !File.Exists(path)) return Results.Text("this export no longer exists", statusCode: StatusCodes.Status404NotFound);

        var user = await db.Users.AsNoTracking().Where(u => u.Id == grant.UserId).Select(u => new { u.IsServerAdmin }).FirstOrDefaultAsync(ct);
        if (user is null || !Permissions.Can(await sites.ActorAsync(grant.UserId, user.IsServerAdmin, grant.SiteId, ct), Caps.UploadFiles))
            return Results.Text("the user this link was made for may no longer upload files on this site", statusCode: StatusCodes.Status403Forbidden);
        return Results.File(path, "application/zip", archive.FileName, enableRangeProcessing: true);
    }
}
