namespace PressMcp.Sites;

/// <summary>Dates are stored in UTC and shown in the site's time zone; these are the only conversions.</summary>
internal static class SiteTime
{
    public static TimeZoneInfo ZoneOf(Site site) => ZoneOf(site.TimeZone);

    public static TimeZoneInfo ZoneOf(string timeZone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Validated at creation; a zone that vanished from the system falls back to UTC rather than failing pages.
            return TimeZoneInfo.Utc;
        }
    }

    public static DateTime ToLocal(Site site, DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), ZoneOf(site));

    /// <summary>A wall-clock time on the site (e.g. WordPress's post_date) to UTC.</summary>
    public static DateTime ToUtc(Site site, DateTime local) => ToUtc(ZoneOf(site), local);

    public static DateTime ToUtc(TimeZoneInfo zone, DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A time skipped by a daylight-saving jump does not exist; move it forward by the gap, as clocks do.
        if (zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    /// <summary>The calendar day on the site at <paramref name="utc"/> (statistics are counted per site day).</summary>
    public static DateOnly DayOf(Site site, DateTime utc) => DateOnly.FromDateTime(ToLocal(site, utc));
}
