using System.Globalization;
using System.Text.Json;

namespace PressMcp.Abilities;

/// <summary>
/// Reading validated ability input. The schema has already checked types, so these only pick optional fields
/// out; one place instead of a copy in every ability.
/// </summary>
internal static class AbilityInput
{
    /// <summary>The name of the site argument every site-scoped ability declares (WordPress.com's).</summary>
    public const string SiteArgument = AbilitySchema.SiteArgument;

    /// <summary>The site argument every site-scoped ability declares: an id, a slug or a host name.</summary>
    public const string SiteProperty =
        "\"wpcom_site\":{\"anyOf\":[{\"type\":\"string\",\"minLength\":1},{\"type\":\"integer\",\"minimum\":1}],\"description\":\"The site: its id, slug or host name\"}";

    public static string? Text(this JsonElement input, string name) =>
        input.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long? Integer(this JsonElement input, string name) =>
        input.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    public static bool Flag(this JsonElement input, string name) =>
        input.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>A date-time field (already checked by the schema's format) as UTC.</summary>
    public static DateTime? DateUtc(this JsonElement input, string name) => DateUtc(input.Text(name));

    /// <summary>A date-time text (already checked by the schema's format) as UTC.</summary>
    public static DateTime? DateUtc(string? text) =>
        text is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).UtcDateTime : null;
}
