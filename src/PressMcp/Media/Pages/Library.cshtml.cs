using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Web;

namespace PressMcp.Media.Pages;

/// <summary>One item of the media grid.</summary>
internal sealed record LibraryItem(long Id, string FileName, string Title, string Mime, long SizeBytes, int? Width, int? Height, long? FolderId, bool HasFile)
{
    public bool IsImage => Mime.StartsWith("image/", StringComparison.Ordinal);
}

/// <summary>
/// <c>/account/sites/{slug}/media</c>: a site's media library for members with upload_files. A folder tree, a grid
/// (images shown by the browser scaling the original file), a move menu on each item (and drag and drop onto a folder,
/// from <c>/assets/media.js</c>), upload (the multipart endpoint of <see cref="MediaPageEndpoints"/>), and for members
/// with manage_categories creating, renaming and deleting folders. Every change goes through the same services as the
/// abilities, with their change records; every POST carries the antiforgery token (a form field, or a header from script).
/// </summary>
[Authorize]
internal sealed class LibraryModel(UserManager<User> users, SiteResolver sites, PressDbContext db, MediaFolderService folders, MediaOptions options, TimeProvider clock) : PageModel
{
    public const string NoticeKey = "media.notice";
    public const string ErrorKey = "media.error";
    public const int PageSize = 200;

    public MediaPageUser Member { get; private set; } = null!;
    public IReadOnlyList<FolderInfo> Folders { get; private set; } = [];
    public IReadOnlyList<LibraryItem> Items { get; private set; } = [];
    public int UnassignedCount { get; private set; }
    public int TotalCount { get; private set; }
    /// <summary>null: all media; 0: unassigned; otherwise a folder id.</summary>
    public long? Selected { get; private set; }
    public string SelectedTitle { get; private set; } = "All media";
    public string? Notice { get; private set; }
    public string? Error { get; private set; }
    public string MaxUploadText => options.MaxUploadText;
    public string Slug => Member.Site.Slug;

    public async Task<IActionResult> OnGetAsync(string slug, string? folder, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var (member, status) = await MediaPageAccess.ResolveAsync(User, slug, users, sites, ct);
        if (member is null) return StatusCode(status);
        Member = member;
        Notice = TempData[NoticeKey] as string;
        Error = TempData[ErrorKey] as string;
        await LoadAsync(folder, ct);
        return Page();
    }

    public Task<IActionResult> OnPostCreateFolderAsync(string slug, string? name, long? parentId, CancellationToken ct) =>
        FolderActionAsync(slug, change => folders.CreateAsync(Member.Site.Id, name ?? "", parentId is > 0 ? FolderRef.ById(parentId.Value) : null, change, ct),
            f => $"Created folder {f.Name}", ct);

    public Task<IActionResult> OnPostRenameFolderAsync(string slug, long folderId, string? name, CancellationToken ct) =>
        FolderActionAsync(slug, change => folders.UpdateAsync(Member.Site.Id, FolderRef.ById(folderId), name ?? "", null, change, ct),
            f => $"Renamed the folder to {f.Name}", ct);

    public Task<IActionResult> OnPostDeleteFolderAsync(string slug, long folderId, bool force, CancellationToken ct) =>
        FolderActionAsync(slug, change => folders.DeleteAsync(Member.Site.Id, FolderRef.ById(folderId), force, change, ct),
            d => d.UnassignedMedia > 0 ? $"Deleted the folder; {d.UnassignedMedia} item(s) are now unassigned" : "Deleted the folder", ct);

    /// <summary>Moves one item to a folder (0 or none: out of its folder). Answers JSON to script, a redirect to a form.</summary>
    public async Task<IActionResult> OnPostMoveAsync(string slug, long mediaId, long? folderId, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var (member, status) = await MediaPageAccess.ResolveAsync(User, slug, users, sites, ct);
        if (member is null) return StatusCode(status);
        Member = member;
        var change = MediaChanges.For(member.Actor.UserId, member.Site.Id, clock);
        Outcome<IReadOnlyList<ItemResult>> moved;
        if (folderId is > 0) moved = await folders.AddAsync(member.Site.Id, FolderRef.ById(folderId.Value), [mediaId], change, ct);
        else
        {
            var current = await db.MediaFiles.Where(m => m.SiteId == member.Site.Id && m.PostId == mediaId).Select(m => m.FolderId).FirstOrDefaultAsync(ct);
            moved = current is { } from
                ? await folders.RemoveAsync(member.Site.Id, FolderRef.ById(from), [mediaId], change, ct)
                : Outcome<IReadOnlyList<ItemResult>>.Ok([new ItemResult(mediaId, "unchanged", "not in any folder")]);
        }
        var problem = moved.Problem?.Message ?? moved.Value!.Where(r => r.Status == "not_found").Select(r => r.Message).FirstOrDefault();
        if (MediaPageEndpoints.WantsJson(HttpContext))
            return problem is null ? new JsonResult(new { moved = mediaId, folder_id = folderId is > 0 ? folderId : null }) : new JsonResult(new { error = problem }) { StatusCode = 400 };
        if (problem is null) TempData[NoticeKey] = "Moved the item";
        else TempData[ErrorKey] = problem;
        return new SeeOtherResult(ReturnTo(slug));
    }

    private async Task<IActionResult> FolderActionAsync<T>(string slug, Func<RecordChange, Task<Outcome<T>>> action, Func<T, string> notice, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var (member, status) = await MediaPageAccess.ResolveAsync(User, slug, users, sites, ct);
        if (member is null) return StatusCode(status);
        Member = member;
        // The buttons are not shown without the capability; a forged post is refused all the same.
        if (!member.CanManageFolders) return StatusCode(StatusCodes.Status403Forbidden);
        var outcome = await action(MediaChanges.For(member.Actor.UserId, member.Site.Id, clock));
        if (outcome.Succeeded) TempData[NoticeKey] = notice(outcome.Value!);
        else TempData[ErrorKey] = outcome.Problem!.Message;
        return new SeeOtherResult(ReturnTo(slug));
    }

    /// <summary>Back to the folder the form was posted from (a number only; anything else shows all media).</summary>
    private string ReturnTo(string slug) =>
        MediaPageAccess.PagePath(slug) + (long.TryParse(Request.Form["return"], NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? "?folder=" + f.ToString(CultureInfo.InvariantCulture) : "");

    private async Task LoadAsync(string? folder, CancellationToken ct)
    {
        var siteId = Member.Site.Id;
        Folders = await folders.TreeAsync(siteId, ct);
        UnassignedCount = await folders.UnassignedCountAsync(siteId, ct);
        if (folder == "unassigned" || folder == "0")
        {
            Selected = 0;
            SelectedTitle = "Unassigned";
        }
        else if (long.TryParse(folder, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Folders.FirstOrDefault(f => f.Id == id) is { } chosen)
        {
            Selected = id;
            SelectedTitle = chosen.Path;
        }
        var files = db.MediaFiles.AsNoTracking().Where(m => m.SiteId == siteId);
        if (Selected == 0) files = files.Where(m => m.FolderId == null);
        else if (Selected is { } sel) files = files.Where(m => m.FolderId == sel);
        var rows = files.Join(db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && p.Type == PostTypes.Attachment && p.Status != PostStatuses.Trash),
            m => m.PostId, p => p.Id, (m, p) => new { m, p });
        TotalCount = await rows.CountAsync(ct);
        var page = await rows.OrderByDescending(r => r.p.DateUtc).ThenByDescending(r => r.p.Id).Take(PageSize).ToListAsync(ct);
        Items = page.Select(r => new LibraryItem(r.p.Id, r.m.FileName, r.p.Title, r.p.MimeType ?? "application/octet-stream", r.m.SizeBytes, r.m.Width, r.m.Height,
            r.m.FolderId, r.m.StoragePath != null)).ToList();
    }

    public string FileUrl(LibraryItem item) => $"{MediaPageAccess.PagePath(Slug)}/file/{item.Id.ToString(CultureInfo.InvariantCulture)}";

    public static string Size(long bytes) => MediaOptions.Describe(bytes);
}
