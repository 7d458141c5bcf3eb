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
using PressMcp.Abilities;
using PressMcp.Media.Abilities;
using PressMcp.Sites.Pages;
using System.Text.Json;
using System.Text.Json.Nodes;

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
/// with manage_categories creating, renaming and deleting folders. Folder changes and moves are the VMFA
/// abilities run as the person's calls (PersonCalls: the activity log names them); every POST carries the antiforgery token (a form field, or a header from script).
/// </summary>
internal sealed class LibraryModel(SitePages pages, PersonCalls calls, PressDbContext db, MediaFolderService folders, MediaOptions options) : SitePageModel(pages)
{
    public const int PageSize = 200;

    public override string Section => "media";
    public IReadOnlyList<FolderInfo> Folders { get; private set; } = [];
    public IReadOnlyList<LibraryItem> Items { get; private set; } = [];
    public int UnassignedCount { get; private set; }
    public int TotalCount { get; private set; }
    /// <summary>null: all media; 0: unassigned; otherwise a folder id.</summary>
    public long? Selected { get; private set; }
    public string SelectedTitle { get; private set; } = "All media";
    public string MaxUploadText => options.MaxUploadText;
    public string Slug => Member.Site.Slug;
    public bool CanManageFolders => Member.Can(Caps.ManageCategories);

    public async Task<IActionResult> OnGetAsync(string slug, string? folder, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.UploadFiles, ct) is { } refused) return refused;
        await LoadAsync(folder, ct);
        return Page();
    }

    // Folder actions are the VMFA abilities an agent calls (PersonCalls): the same rules, change records and activity log.
    public Task<IActionResult> OnPostCreateFolderAsync(string slug, string? name, long? parentId, CancellationToken ct) =>
        FolderActionAsync(slug, FolderAbilities.Create, "media: create folder",
            parentId is > 0 ? new JsonObject { ["name"] = name ?? "", ["parent_id"] = parentId } : new JsonObject { ["name"] = name ?? "" }, _ => $"Created folder {name?.Trim()}", ct);

    public Task<IActionResult> OnPostRenameFolderAsync(string slug, long folderId, string? name, CancellationToken ct) =>
        FolderActionAsync(slug, FolderAbilities.Update, "media: rename folder",
            new JsonObject { ["folder_id"] = folderId, ["name"] = name ?? "" }, _ => $"Renamed the folder to {name?.Trim()}", ct);

    public Task<IActionResult> OnPostDeleteFolderAsync(string slug, long folderId, bool force, CancellationToken ct) =>
        FolderActionAsync(slug, FolderAbilities.Delete, "media: delete folder", new JsonObject { ["folder_id"] = folderId, ["force"] = force },
            v => v.TryGetProperty("unassigned_media", out var n) && n.GetInt32() > 0 ? $"Deleted the folder; {n.GetInt32()} item(s) are now unassigned" : "Deleted the folder", ct);

    /// <summary>Moves one item to a folder (0 or none: out of its folder). Answers JSON to script, a redirect to a form.</summary>
    public async Task<IActionResult> OnPostMoveAsync(string slug, long mediaId, long? folderId, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.UploadFiles, ct) is { } refused) return refused;
        Invocation? moved = null;
        string? problem = null;
        if (folderId is > 0)
        {
            moved = await calls.RunAsync(Member.Actor, Member.Site, FolderAbilities.Add, new JsonObject { ["folder_id"] = folderId, ["attachment_ids"] = new JsonArray(mediaId) }, "media: move", ct);
        }
        else
        {
            var current = await db.MediaFiles.Where(m => m.SiteId == Member.Site.Id && m.PostId == mediaId).Select(m => m.FolderId).FirstOrDefaultAsync(ct);
            if (current is { } from)
                moved = await calls.RunAsync(Member.Actor, Member.Site, FolderAbilities.Remove, new JsonObject { ["folder_id"] = from, ["attachment_ids"] = new JsonArray(mediaId) }, "media: move", ct);
        }
        if (moved is not null)
        {
            problem = !moved.Succeeded ? moved.Message
                : moved.Value.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("status").GetString() == "not_found")
                    .Select(r => r.TryGetProperty("message", out var m) ? m.GetString() : "not found").FirstOrDefault();
        }
        if (MediaPageEndpoints.WantsJson(HttpContext))
            return problem is null ? new JsonResult(new { moved = mediaId, folder_id = folderId is > 0 ? folderId : null }) : new JsonResult(new { error = problem }) { StatusCode = 400 };
        return Done(ReturnTo(slug), problem is null ? "Moved the item" : null, problem);
    }

    private async Task<IActionResult> FolderActionAsync(string slug, string ability, string action, JsonObject arguments, Func<JsonElement, string> notice, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.UploadFiles, ct) is { } refused) return refused;
        return AfterCall(await calls.RunAsync(Member.Actor, Member.Site, ability, arguments, action, ct), ReturnTo(slug), notice);
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
