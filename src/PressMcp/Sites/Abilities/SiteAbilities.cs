using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Sites.Abilities;

/// <summary><c>site/settings</c>: the site's settings by section, as on WordPress's settings screens (administrators).</summary>
internal sealed class SiteSettingsAbility(PressDbContext db, SiteUrls urls) : Ability<SiteSettingsInput, SiteSettingsResult>, IAbilityDefinition
{
    public const string Name = "site/settings";

    public static AbilityInfo Info { get; } = new(Name, "Site settings",
        "Reads the site's settings by section (general, reading, discussion, media), as on WordPress's settings screens.", "site",
        AbilityAnnotations.Read, ["settings:read"], Caps.ManageOptions, SiteScoped: true, SiteJson.Default.SiteSettingsInput, SiteJson.Default.SiteSettingsResult);

    protected override async Task<Outcome<SiteSettingsResult>> ExecuteAsync(SiteSettingsInput input, AbilityCall call, CancellationToken ct)
    {
        var site = call.Site!;
        var wanted = input.Sections is { } sections ? sections.Select(NameOf).ToHashSet() : [.. SiteSettingsCatalog.Sections];
        var stored = await db.SiteOptions.AsNoTracking().Where(o => o.SiteId == site.Id).ToDictionaryAsync(o => o.Name, o => o.Value, ct);
        JsonObject? Section(string section)
        {
            if (!wanted.Contains(section)) return null;
            var values = new JsonObject();
            if (section == SiteSettingsCatalog.General)
            {
                values["title"] = site.Title;
                values["tagline"] = site.Tagline;
                values["timezone"] = site.TimeZone;
                values["language"] = site.Language;
                values["url"] = urls.BaseOf(site);
            }
            foreach (var option in SiteSettingsCatalog.Options.Where(o => o.Section == section))
                values[option.Name] = Typed(option, stored.GetValueOrDefault(option.Name, option.Default));
            return values;
        }
        return new SiteSettingsResult
        {
            General = Section(SiteSettingsCatalog.General),
            Reading = Section(SiteSettingsCatalog.Reading),
            Discussion = Section(SiteSettingsCatalog.Discussion),
            Media = Section(SiteSettingsCatalog.MediaSection),
        };
    }

    private static string NameOf(SiteSettingsSection section) => section switch
    {
        SiteSettingsSection.General => SiteSettingsCatalog.General,
        SiteSettingsSection.Reading => SiteSettingsCatalog.Reading,
        SiteSettingsSection.Discussion => SiteSettingsCatalog.Discussion,
        _ => SiteSettingsCatalog.MediaSection,
    };

    private static JsonNode? Typed(SettingDefinition option, string value) => option.Type switch
    {
        SettingType.Integer when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        SettingType.Boolean => JsonValue.Create(value == "1"),
        _ => JsonValue.Create(value),
    };
}

/// <summary><c>site/users</c>: the site's users with their roles (administrators only, as on WordPress.com).</summary>
internal sealed class SiteUsersAbility(SiteDirectory directory) : Ability<SiteUsersInput, SiteUsersResult>, IAbilityDefinition
{
    public const string Name = "site/users";

    public static AbilityInfo Info { get; } = new(Name, "Site users", "Lists the site's users with their roles (administrators only, as on WordPress.com).", "site",
        AbilityAnnotations.Read, ["users:read"], Caps.ListUsers, SiteScoped: true, SiteJson.Default.SiteUsersInput, SiteJson.Default.SiteUsersResult);

    protected override async Task<Outcome<SiteUsersResult>> ExecuteAsync(SiteUsersInput input, AbilityCall call, CancellationToken ct)
    {
        var members = await directory.MembersOfAsync(call.Site!.Id, ct);
        return new SiteUsersResult([.. members.Where(m => input.Role is null || m.Role == input.Role)
            .Select(m => new SiteUser(m.UserId, m.Login, m.DisplayName, m.Email, m.Role))]);
    }
}

internal sealed record SiteSettingsInput
{
    [MinLength(1), Description("Default: every section")]
    public IReadOnlyList<SiteSettingsSection>? Sections { get; init; }
}

/// <summary>A section of the settings screens.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SiteSettingsSection>))]
internal enum SiteSettingsSection
{
    [JsonStringEnumMemberName(SiteSettingsCatalog.General)] General,
    [JsonStringEnumMemberName(SiteSettingsCatalog.Reading)] Reading,
    [JsonStringEnumMemberName(SiteSettingsCatalog.Discussion)] Discussion,
    [JsonStringEnumMemberName(SiteSettingsCatalog.MediaSection)] Media,
}

/// <summary>The sections asked for; the others are left out.</summary>
internal sealed record SiteSettingsResult
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? General { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Reading { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Discussion { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Media { get; init; }
}

internal sealed record SiteUsersInput
{
    [AllowedValues(Roles.Administrator, Roles.Editor, Roles.Author, Roles.Contributor, Roles.Subscriber)]
    public string? Role { get; init; }
}

internal sealed record SiteUsersResult(IReadOnlyList<SiteUser> Users);

internal sealed record SiteUser(long Id, string Login, string DisplayName, string Email, string Role);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SiteSettingsInput))]
[JsonSerializable(typeof(SiteSettingsResult))]
[JsonSerializable(typeof(SiteUsersInput))]
[JsonSerializable(typeof(SiteUsersResult))]
internal sealed partial class SiteJson : JsonSerializerContext;
