using System.Globalization;
using System.Text.Json;

namespace PressMcp.Abilities;

/// <summary>
/// Reading validated ability input. The schema has already checked types, so these only pick optional fields
/// out; one place instead of a copy in every ability.
/// </summary>
internal static class AbilityInput
{
    public static string? Text(this JsonElement input, string name) =>
        input.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool Flag(this JsonElement input, string name) =>
        input.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>A date-time text (already checked by the schema's format) as UTC.</summary>
    public static DateTime? DateUtc(string? text) =>
        text is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).UtcDateTime : null;

    /// <summary>
    /// A post's date as WordPress reads it: with an offset (<c>Z</c>, <c>+02:00</c>) an exact instant, returned as UTC;
    /// without one a wall-clock time on the site (WordPress's <c>date</c>, against <c>date_gmt</c>), returned as is for
    /// whoever knows the site's time zone to convert (<see cref="Sites.SiteTime.ToUtc(Sites.Site, DateTime)"/>).
    /// </summary>
    public static (DateTime? Utc, DateTime? SiteLocal) InstantOrSiteTime(string? text)
    {
        if (text is null) return (null, null);
        var parsed = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return parsed.Kind == DateTimeKind.Unspecified ? (null, parsed) : (DateUtc(text), null);
    }
}
