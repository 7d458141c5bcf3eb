using PressMcp.Activity;
using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using PressMcp.Accounts;
using PressMcp.Sites;
using PressMcp.Web;

using PressMcp.Sites.Pages;

namespace PressMcp.Media.Pages;

/// <summary>
/// The media page's two endpoints that are not pages: the multipart upload (<c>POST …/media/upload</c>) and the
/// file of any item for members (<c>GET …/media/file/{id}</c>, the page's thumbnails, whatever the item's public
/// visibility). The upload is a plain endpoint rather than a page handler so that its body limit (from
/// <c>Media:MaxUploadBytes</c>) is set before anything reads the form, the antiforgery check included.
/// </summary>
internal static partial class MediaPageEndpoints
{
    public static void MapMediaPage(this IEndpointRouteBuilder app)
    {
        app.MapPost(MediaPageAccess.BasePath + "/{slug}/media/upload", UploadAsync).RequireAuthorization();
        app.MapGet(MediaPageAccess.BasePath + "/{slug}/media/file/{id:long}", FileAsync).RequireAuthorization();
    }

    private static async Task<IResult> UploadAsync(HttpContext http, string slug, SitePages pages, IAntiforgery antiforgery,
        MediaOptions options, MediaUploader uploader, TimeProvider clock, ITempDataDictionaryFactory tempData, ILoggerFactory logs, PersonActivity activity)
    {
        var ct = http.RequestAborted;
        PageHelpers.NoStore(http.Response);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = options.FormBodyLimit;
        if (http.Request.ContentLength > options.FormBodyLimit)
            return Fail(http, tempData, slug, StatusCodes.Status413PayloadTooLarge, $"the file is larger than the upload limit of {options.MaxUploadText}");
        if (!http.Request.HasFormContentType) return Fail(http, tempData, slug, StatusCodes.Status400BadRequest, "send the file as multipart/form-data");
        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = options.FormBodyLimit }));
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            // A cross-site form or a missing token: nothing is read or stored.
            return Results.Json(new { error = "the request's antiforgery token is missing or invalid; reload the page and try again" }, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (InvalidDataException)
        {
            return Fail(http, tempData, slug, StatusCodes.Status413PayloadTooLarge, $"the file is larger than the upload limit of {options.MaxUploadText}");
        }

        var (member, status) = await MediaPageAccess.ResolveAsync(http.User, slug, pages, ct);
        if (member is null) return Results.StatusCode(status);
        var form = await http.Request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file) return Fail(http, tempData, slug, StatusCodes.Status400BadRequest, "choose a file to upload");
        FolderRef? folder = long.TryParse(form["folderId"], NumberStyles.None, CultureInfo.InvariantCulture, out var folderId) && folderId > 0 ? FolderRef.ById(folderId) : null;
        var request = new UploadRequest(file.FileName, Blank(form["title"]), Blank(form["altText"]), Blank(form["caption"]), folder);
        await using var content = file.OpenReadStream();
        var uploaded = await uploader.UploadAsync(member.Site, member.Actor, content, request, MediaChanges.For(member.Actor.UserId, member.Site.Id, clock), ct);
        // In the activity log beside agents' media/upload calls: the same ability name, the person as actor.
        activity.Record(member.Actor.UserId, Abilities.MediaUploadAbility.Name, "media: upload", uploaded.Problem, file.FileName, member.Site.Id);
        if (!uploaded.Succeeded)
        {
            var problem = uploaded.Problem!;
            return Fail(http, tempData, slug, problem.Kind switch
            {
                ErrorKind.NotFound => StatusCodes.Status404NotFound,
                ErrorKind.Conflict => StatusCodes.Status409Conflict,
                ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status400BadRequest,
            }, problem.Message);
        }
        var m = uploaded.Value!;
        LogUploaded(logs.CreateLogger("PressMcp.Media.Pages.Upload"), member.Actor.UserId, member.Site.Id, m.Id, m.Mime, m.SizeBytes);
        if (WantsJson(http))
            return Results.Json(new { id = m.Id, url = m.Url, filename = m.FileName, mime_type = m.Mime, width = m.Width, height = m.Height, folder_id = m.FolderId, folder_path = m.FolderPath },
                statusCode: StatusCodes.Status201Created);
        Notify(http, tempData, SitePageModel.NoticeKey, $"Uploaded {m.FileName}" + (m.PlacedByRule is { } rule ? $" (placed in {m.FolderPath} by rule '{rule}')" : ""));
        return SeeOther(http, MediaPageAccess.PagePath(slug) + (m.FolderId is { } f ? "?folder=" + f.ToString(CultureInfo.InvariantCulture) : ""));
    }

    private static async Task<IResult> FileAsync(HttpContext http, string slug, long id, SitePages pages, MediaFileServer files)
    {
        var (member, status) = await MediaPageAccess.ResolveAsync(http.User, slug, pages, http.RequestAborted);
        if (member is null) return Results.StatusCode(status);
        var found = await files.FindByIdAsync(member.Site.Id, id, http.RequestAborted);
        return found is null ? Results.NotFound() : files.Serve(http, found, publicCache: false);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    internal static bool WantsJson(HttpContext http) => http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>A refusal: JSON for script, otherwise back to the page with the message shown once.</summary>
    private static IResult Fail(HttpContext http, ITempDataDictionaryFactory tempData, string slug, int status, string message)
    {
        if (WantsJson(http) || !(http.User.Identity?.IsAuthenticated ?? false)) return Results.Json(new { error = message }, statusCode: status);
        Notify(http, tempData, SitePageModel.ErrorKey, message);
        return SeeOther(http, MediaPageAccess.PagePath(slug));
    }

    /// <summary>303: the browser follows with a GET, so a reload never uploads twice.</summary>
    private static IResult SeeOther(HttpContext http, string location)
    {
        http.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static void Notify(HttpContext http, ITempDataDictionaryFactory tempData, string key, string message)
    {
        var data = tempData.GetTempData(http);
        data[key] = message;
        data.Save();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} uploaded media {MediaId} ({Mime}, {Size} bytes) to site {SiteId} from the media page")]
    private static partial void LogUploaded(ILogger logger, long userId, long siteId, long mediaId, string mime, long size);
}
