using Microsoft.EntityFrameworkCore;
using PressMcp.Media;
using PressMcp.Storage;

namespace PressMcp.Sites;

/// <summary>A site as the server administrators' Sites page lists it.</summary>
internal sealed record AdminSiteRow(long Id, string Slug, string Title, string? HostName, string Url, int Members, int Posts, DateTime CreatedUtc);

internal sealed record AdminSitePage(IReadOnlyList<AdminSiteRow> Rows, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// What server administrators do to whole sites beyond creating them (<see cref="SiteDirectory.CreateAsync"/>): list
/// them with their sizes, rename one, set or change its host name, delete one with everything in it.
/// </summary>
internal sealed partial class SiteAdministration(PressDbContext db, SiteUrls urls, MediaStorage media, ILogger<SiteAdministration> logger)
{
    public const int PageSize = 50;
    public const int MaxTitleLength = SiteSettingsCatalog.MaxTitleLength;

    /// <summary>One page of sites by slug, with member and post counts (posts and pages, not revisions or attachments).</summary>
    public async Task<AdminSitePage> ListAsync(int page, CancellationToken ct)
    {
        var total = await db.Sites.CountAsync(ct);
        page = Math.Clamp(page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var rows = await db.Sites.AsNoTracking().OrderBy(s => s.Slug).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(s => new
            {
                s.Id, s.Slug, s.Title, s.HostName, s.CreatedUtc,
                Members = db.SiteMembers.Count(m => m.SiteId == s.Id),
                Posts = db.Posts.Count(p => p.SiteId == s.Id && (p.Type == "post" || p.Type == "page")),
            }).ToListAsync(ct);
        return new AdminSitePage([.. rows.Select(r => new AdminSiteRow(r.Id, r.Slug, r.Title, r.HostName, urls.BaseOf(r.Slug, r.HostName), r.Members, r.Posts, r.CreatedUtc))],
            total, page, PageSize);
    }

    public async Task<Outcome<Site>> RenameAsync(long siteId, string? title, CancellationToken ct)
    {
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null) return NoSuchSite(siteId);
        var checkedTitle = SiteRules.Title(title);
        if (!checkedTitle.Succeeded) return checkedTitle.Problem!;
        site.Title = checkedTitle.Value!;
        await db.SaveChangesAsync(ct);
        return site;
    }

    /// <summary>Sets the site's own host name, or removes it when <paramref name="hostName"/> is empty (the site is then served under /sites/{slug}).</summary>
    public async Task<Outcome<Site>> SetHostAsync(long siteId, string? hostName, CancellationToken ct)
    {
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null) return NoSuchSite(siteId);
        var host = SiteRules.NormalizeHostName(hostName, out var error);
        if (error is not null) return Problem.Invalid(error);
        if (host is not null && await db.Sites.AnyAsync(s => s.HostName == host && s.Id != siteId, ct))
            return Problem.Conflict($"the host name '{host}' is already used by another site");
        site.HostName = host;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (host is not null)
        {
            // Another administrator took the name between the check and the write; the unique index said no.
            if (!await db.Sites.AsNoTracking().AnyAsync(s => s.HostName == host && s.Id != siteId, ct)) throw;
            return Problem.Conflict($"the host name '{host}' is already used by another site");
        }
        return site;
    }

    /// <summary>
    /// Deletes the site when <paramref name="typedSlug"/> is its slug: its posts, pages, comments, terms, options,
    /// memberships, statistics and media (rows, then the files once the rows are gone). The activity log keeps its rows.
    /// </summary>
    public async Task<Outcome<Site>> DeleteAsync(long siteId, string? typedSlug, CancellationToken ct)
    {
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null) return NoSuchSite(siteId);
        if (!string.Equals(typedSlug?.Trim(), site.Slug, StringComparison.Ordinal))
            return Problem.Invalid($"type the site's slug '{site.Slug}' to confirm the deletion");

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Folders refer to their parents without cascading (a folder with subfolders cannot be deleted by mistake):
            // unhook them first, so the site's cascade can remove them in any order.
            await db.MediaFolders.Where(f => f.SiteId == siteId && f.ParentId != null).ExecuteUpdateAsync(u => u.SetProperty(f => f.ParentId, (long?)null), ct);
            await db.Sites.Where(s => s.Id == siteId).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        // After the commit: a failed transaction leaves every file in place; a failed file deletion leaves only
        // unreferenced files, which nothing serves.
        var directory = Path.Combine(media.Root, siteId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFilesLeft(logger, siteId, directory, e.Message);
        }
        return site;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Site {SiteId} was deleted, but its media files under {Directory} could not all be removed: {Reason}")]
    private static partial void LogFilesLeft(ILogger logger, long siteId, string directory, string reason);

    private static Problem NoSuchSite(long id) => Problem.NotFound($"no site with the id {id.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
