using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Sites.Abilities;

/// <summary>Site-level abilities for administrators: settings by section, and the site's users with their roles.</summary>
internal sealed class SiteAbilities : IAbilitySource
{
    public const string Settings = "site/settings";
    public const string Users = "site/users";

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Settings, "Site settings", "Reads the site's settings by section (general, reading, discussion, media), as on WordPress's settings screens.", "site",
            $$$$"""
            {"type":"object","additionalProperties":false,"required":["wpcom_site"],"properties":{
              {{{{AbilityInput.SiteProperty}}}},
              "sections":{"type":"array","items":{"type":"string","enum":["general","reading","discussion","media"]},"minItems":1,"description":"Default: every section"}}}
            """,
            """{"type":"object","properties":{"general":{"type":"object"},"reading":{"type":"object"},"discussion":{"type":"object"},"media":{"type":"object"}}}""",
            AbilityAnnotations.Read, scopes: ["settings:read"], capability: Caps.ManageOptions, siteScoped: true, SettingsAsync),
        new Ability(Users, "Site users", "Lists the site's users with their roles (administrators only, as on WordPress.com).", "site",
            $$$$"""
            {"type":"object","additionalProperties":false,"required":["wpcom_site"],"properties":{
              {{{{AbilityInput.SiteProperty}}}},
              "role":{"type":"string","enum":["administrator","editor","author","contributor","subscriber"]}}}
            """,
            """
            {"type":"object","required":["users"],"properties":{"users":{"type":"array","items":{"type":"object","required":["id","login","display_name","role"],
              "properties":{"id":{"type":"integer"},"login":{"type":"string"},"display_name":{"type":"string"},"email":{"type":"string"},"role":{"type":"string"}}}}}}
            """,
            AbilityAnnotations.Read, scopes: ["users:read"], capability: Caps.ListUsers, siteScoped: true, UsersAsync),
    ];

    private static async Task<Outcome<JsonElement>> SettingsAsync(AbilityCall call, CancellationToken ct)
    {
        var site = call.Site!;
        var wanted = call.Input.TryGetProperty("sections", out var s) ? s.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [.. SiteSettingsCatalog.Sections];
        var stored = await call.Services.GetRequiredService<PressDbContext>().SiteOptions.AsNoTracking()
            .Where(o => o.SiteId == site.Id).ToDictionaryAsync(o => o.Name, o => o.Value, ct);
        var result = new JsonObject();
        foreach (var section in SiteSettingsCatalog.Sections.Where(wanted.Contains))
        {
            var values = new JsonObject();
            if (section == SiteSettingsCatalog.General)
            {
                values["title"] = site.Title;
                values["tagline"] = site.Tagline;
                values["timezone"] = site.TimeZone;
                values["language"] = site.Language;
                values["url"] = call.Services.GetRequiredService<SiteUrls>().BaseOf(site);
            }
            foreach (var option in SiteSettingsCatalog.Options.Where(o => o.Section == section))
                values[option.Name] = Typed(option, stored.GetValueOrDefault(option.Name, option.Default));
            result[section] = values;
        }
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(result));
    }

    private static JsonNode? Typed(SettingDefinition option, string value) => option.Type switch
    {
        SettingType.Integer when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        SettingType.Boolean => JsonValue.Create(value == "1"),
        _ => JsonValue.Create(value),
    };

    private static async Task<Outcome<JsonElement>> UsersAsync(AbilityCall call, CancellationToken ct)
    {
        var members = await call.Services.GetRequiredService<SiteDirectory>().MembersOfAsync(call.Site!.Id, ct);
        var role = call.Input.Text("role");
        var users = members.Where(m => role is null || m.Role == role)
            .Select(m => new { id = m.UserId, login = m.Login, display_name = m.DisplayName, email = m.Email, role = m.Role });
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(new { users }));
    }
}
