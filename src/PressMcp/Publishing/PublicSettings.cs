using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Publishing;

/// <summary>
/// The settings a public page follows: how many posts a list shows, how dates and times are written, and whether
/// search engines are asked to stay away (Reading's <c>blog_public</c>). Read in one query per page (never cached,
/// so a change shows on the next page), with the catalogue's defaults for what was never written.
/// </summary>
internal sealed record PublicSettings(int PostsPerPage, string DateFormat, string TimeFormat, bool Indexable)
{
    private const string BlogPublic = "blog_public";

    private static readonly string[] Names = [SiteSettingsCatalog.PostsPerPage, SiteSettingsCatalog.DateFormat, SiteSettingsCatalog.TimeFormat, BlogPublic];

    public static async Task<PublicSettings> ReadAsync(PressDbContext db, long siteId, CancellationToken ct)
    {
        var stored = await db.SiteOptions.AsNoTracking()
            .Where(o => o.SiteId == siteId && Names.Contains(o.Name))
            .ToDictionaryAsync(o => o.Name, o => o.Value, StringComparer.Ordinal, ct);
        return From(stored);
    }

    private static PublicSettings From(IReadOnlyDictionary<string, string> stored)
    {
        // A stored value the catalogue would refuse today (an import, an older version) falls back to the default
        // rather than breaking every page of the site.
        string Value(string name)
        {
            var setting = SiteSettingsCatalog.Find(name)!;
            return stored.TryGetValue(name, out var value) && setting.Validate(value) is null ? value : setting.Default;
        }
        var perPage = int.Parse(Value(SiteSettingsCatalog.PostsPerPage), NumberStyles.Integer, CultureInfo.InvariantCulture);
        return new PublicSettings(Math.Clamp(perPage, 1, PostQuery.MaxPerPage), Value(SiteSettingsCatalog.DateFormat), Value(SiteSettingsCatalog.TimeFormat), Value(BlogPublic) == "1");
    }

    /// <summary>A date on the site's clock, written in the site's date format (and time format, WordPress's "at" between).</summary>
    public SiteDate Date(Site site, DateTime utc, bool withTime = false)
    {
        var text = SiteDateFormat.Format(site, utc, DateFormat);
        if (withTime) text += " at " + SiteDateFormat.Format(site, utc, TimeFormat);
        return new SiteDate(text, SiteDateFormat.Format(site, utc, "c"));
    }
}
