using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Media;

/// <summary>Uploads, files, folders and rules, their abilities, and the public file addresses.</summary>
internal static class MediaServices
{
    public const string UploadsSegment = "wp-content/uploads";

    public static IServiceCollection AddPressMedia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPressOptions<MediaOptions>().PostConfigure<StorageSettings>((o, storage) => o.Root = MediaOptions.RootFor(o.Root, storage));
        services.AddSingleton<MediaStorage>();
        services.AddScoped<MediaFolderService>();
        services.AddScoped<MediaRuleService>();
        services.AddScoped<MediaUploader>();
        services.AddScoped<MediaFileServer>();
        // Registered here rather than in AddPressMcp: the registry takes every registered ability, wherever it is added.
        services.AddAbility<Abilities.MediaUploadAbility>();
        services.AddAbility<Abilities.MediaUpdateAbility>();
        services.AddAbility<Abilities.MediaDeleteAbility>();
        services.AddAbility<Abilities.FolderListAbility>();
        services.AddAbility<Abilities.FolderCreateAbility>();
        services.AddAbility<Abilities.FolderUpdateAbility>();
        services.AddAbility<Abilities.FolderDeleteAbility>();
        services.AddAbility<Abilities.FolderAddAbility>();
        services.AddAbility<Abilities.FolderRemoveAbility>();
        services.AddAbility<Abilities.FolderSuggestionsAbility>();
        services.AddAbility<Abilities.RuleListAbility>();
        services.AddAbility<Abilities.RuleCreateAbility>();
        services.AddAbility<Abilities.RuleUpdateAbility>();
        services.AddAbility<Abilities.RuleDeleteAbility>();
        services.AddAbility<Abilities.RulePreviewAbility>();
        services.AddAbility<Abilities.RuleApplyAbility>();
        Scans.ScanServices.AddMediaScans(services, configuration);
        return services;
    }

    /// <summary>
    /// <c>/sites/{slug}/wp-content/uploads/yyyy/mm/name</c>, and the same below the site's host name (routed here by
    /// <see cref="SiteHostRouting"/>). A site with a host name redirects its <c>/sites/{slug}/</c> addresses there, as its pages do.
    /// </summary>
    public static void MapPressMedia(this IEndpointRouteBuilder app)
    {
        app.MapMethods($"{SiteHostRouting.SitesPrefix}/{{site}}/{UploadsSegment}/{{year}}/{{month}}/{{name}}", [HttpMethods.Get, HttpMethods.Head], ServePublicAsync);
        Pages.MediaPageEndpoints.MapMediaPage(app);
        Exports.ExportEndpoints.MapExportDownloads(app);
    }

    private static async Task<IResult> ServePublicAsync(HttpContext http, string site, string year, string month, string name, PressDbContext db, SiteUrls urls,
        MediaFileServer files, CancellationToken ct)
    {
        var slug = site.ToLowerInvariant();
        var found = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, ct);
        if (found is null) return Results.NotFound();
        if (found.HostName is not null && http.Features.Get<SiteHostFeature>() is null)
            return Results.Redirect($"{urls.BaseOf(found)}/{UploadsSegment}/{Uri.EscapeDataString(year)}/{Uri.EscapeDataString(month)}/{Uri.EscapeDataString(name)}", permanent: true);
        var item = await files.FindByPathAsync(found.Id, $"{year}/{month}/{name}", ct);
        // Not found and not public answer alike, so the address of an unpublished post's file gives nothing away.
        if (item is null || !MediaFileServer.IsPublic(item)) return Results.NotFound();
        return files.Serve(http, item, publicCache: true);
    }
}
