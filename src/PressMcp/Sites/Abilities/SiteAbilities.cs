using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Sites.Abilities;

/// <summary><c>site/settings</c>: the site's settings by section, as on WordPress's settings screens (administrators).</summary>
internal sealed class SiteSettingsAbility(SiteSettingsStore store) : Ability<SiteSettingsInput, SiteSettingsResult>, IAbilityDefinition
{
    public const string Name = "site/settings";

    public static AbilityInfo Info { get; } = new(Name, "Site settings",
        "Reads the site's settings by section (general, writing, reading, discussion, media, permalinks, privacy), as on WordPress's settings screens.", "site",
        AbilityAnnotations.Read, ["settings:read"], Caps.ManageOptions, SiteScoped: true, SiteJson.Default.SiteSettingsInput, SiteJson.Default.SiteSettingsResult);

    protected override async Task<Outcome<SiteSettingsResult>> ExecuteAsync(SiteSettingsInput input, AbilityCall call, CancellationToken ct)
    {
        var wanted = input.Sections is { } sections ? sections.Select(NameOf).ToHashSet() : [.. SiteSettingsCatalog.Sections];
        return await store.ResultAsync(call.Site!, wanted, ct);
    }

    private static string NameOf(SiteSettingsSection section) => section switch
    {
        SiteSettingsSection.General => SiteSettingsCatalog.General,
        SiteSettingsSection.Reading => SiteSettingsCatalog.Reading,
        SiteSettingsSection.Discussion => SiteSettingsCatalog.Discussion,
        SiteSettingsSection.Permalinks => SiteSettingsCatalog.PermalinksSection,
        SiteSettingsSection.Writing => SiteSettingsCatalog.Writing,
        SiteSettingsSection.Privacy => SiteSettingsCatalog.Privacy,
        _ => SiteSettingsCatalog.MediaSection,
    };
}

/// <summary>
/// <c>site/users</c>: the site's users with their roles, when each last signed in and how many published posts each
/// has on the site (WordPress's <c>count_user_posts</c>). Administrators only, as on WordPress.com. One statement: the
/// post counts are a grouped subquery over the site's posts (the index on site, author), not one query per user.
/// </summary>
internal sealed class SiteUsersAbility(PressDbContext db) : Ability<SiteUsersInput, SiteUsersResult>, IAbilityDefinition
{
    public const string Name = "site/users";

    public static AbilityInfo Info { get; } = new(Name, "Site users",
        "Lists the site's users with their roles, when each last signed in and how many published posts each has here (administrators only, as on WordPress.com).", "site",
        AbilityAnnotations.Read, ["users:read"], Caps.ListUsers, SiteScoped: true, SiteJson.Default.SiteUsersInput, SiteJson.Default.SiteUsersResult);

    protected override async Task<Outcome<SiteUsersResult>> ExecuteAsync(SiteUsersInput input, AbilityCall call, CancellationToken ct)
    {
        var siteId = call.Site!.Id;
        var members = from m in db.SiteMembers
                      join u in db.Users on m.UserId equals u.Id
                      where m.SiteId == siteId && (input.Role == null || m.Role == input.Role)
                      orderby u.UserName
                      select new
                      {
                          u.Id, Login = u.UserName!, u.DisplayName, Email = u.Email!, m.Role, u.LastSignInUtc,
                          Posts = db.Posts.Count(p => p.SiteId == siteId && p.AuthorId == u.Id && p.Type == PostTypes.Post && p.Status == PostStatuses.Publish),
                      };
        var rows = await members.AsNoTracking().ToListAsync(ct);
        return new SiteUsersResult([.. rows.Select(r => new SiteUser(r.Id, r.Login, r.DisplayName, r.Email, r.Role)
        {
            LastLogin = r.LastSignInUtc?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            PostCount = r.Posts,
        })]);
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
    [JsonStringEnumMemberName(SiteSettingsCatalog.PermalinksSection)] Permalinks,
    [JsonStringEnumMemberName(SiteSettingsCatalog.Writing)] Writing,
    [JsonStringEnumMemberName(SiteSettingsCatalog.Privacy)] Privacy,
}

/// <summary>The sections asked for; the others are left out.</summary>
internal sealed record SiteSettingsResult
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? General { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Writing { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Reading { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Discussion { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Media { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Permalinks { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? Privacy { get; init; }
}

internal sealed record SiteUsersInput
{
    [AllowedValues(Roles.Administrator, Roles.Editor, Roles.Author, Roles.Contributor, Roles.Subscriber)]
    public string? Role { get; init; }
}

internal sealed record SiteUsersResult(IReadOnlyList<SiteUser> Users);

internal sealed record SiteUser(long Id, string Login, string DisplayName, string Email, string Role)
{
    [Description("When the user last signed in (a password sign-in, or an app's token or Application Password in use), UTC; null if never")]
    public string? LastLogin { get; init; }

    [Range(0, int.MaxValue), Description("Published posts by the user on this site")]
    public int PostCount { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SiteSettingsInput))]
[JsonSerializable(typeof(SiteSettingsResult))]
[JsonSerializable(typeof(SiteUsersInput))]
[JsonSerializable(typeof(SiteUsersResult))]
[JsonSerializable(typeof(SiteSettingsUpdateInput))]
[JsonSerializable(typeof(MemberAddInput))]
[JsonSerializable(typeof(MemberRoleInput))]
[JsonSerializable(typeof(MemberRemoveInput))]
[JsonSerializable(typeof(SiteUser))]
internal sealed partial class SiteJson : JsonSerializerContext;
