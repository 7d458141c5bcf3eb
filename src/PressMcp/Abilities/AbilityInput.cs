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
}
