using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.OAuth;

namespace PressMcp.Sites.Abilities;

/// <summary>Names of the abilities that change a site's settings and members.</summary>
internal static class SiteWriteAbilities
{
    public const string UpdateSettings = "site/update-settings";
    public const string AddMember = "site/add-member";
    public const string UpdateMemberRole = "site/update-member-role";
    public const string RemoveMember = "site/remove-member";

    public static readonly AbilityAnnotations Update = new(ReadOnly: false, Destructive: true, Idempotent: true);
}

/// <summary>
/// <c>site/update-settings</c>: changes settings of the site's General, Reading, Discussion and Media screens and its
/// MCP policy (administrators: <c>manage_options</c>). Each value is checked by <see cref="SiteSettingsCatalog"/>; all
/// change or none; the answer is every section after the change.
/// </summary>
internal sealed class UpdateSiteSettingsAbility(SiteSettingsStore store) : Ability<SiteSettingsUpdateInput, SiteSettingsResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(SiteWriteAbilities.UpdateSettings, "Update site settings",
        "Changes the site's settings (title, tagline, time zone, formats, reading, discussion, media, MCP policy); give only those to change. "
        + "All are checked before any is written; the result is every section after the change.", "site",
        SiteWriteAbilities.Update, [Scopes.SettingsWrite], Caps.ManageOptions, SiteScoped: true, SiteJson.Default.SiteSettingsUpdateInput, SiteJson.Default.SiteSettingsResult);

    protected override async Task<Outcome<SiteSettingsResult>> ExecuteAsync(SiteSettingsUpdateInput input, AbilityCall call, CancellationToken ct)
    {
        var changed = await store.UpdateAsync(call.Site!.Id, ChangesOf(input), call, ct);
        if (!changed.Succeeded) return changed.Problem!;
        return await store.ResultAsync(changed.Value!, SiteSettingsCatalog.Sections.ToHashSet(), ct);
    }

    /// <summary>
    /// The settings given, by their catalogue names, as text: the record written back by its own serializer (so its
    /// property names are the catalogue's names), nulls left out. Booleans become WordPress's 1 and 0.
    /// </summary>
    internal static IReadOnlyList<(string Name, string Value)> ChangesOf(SiteSettingsUpdateInput input)
    {
        var json = JsonSerializer.SerializeToElement(input, SiteJson.Default.SiteSettingsUpdateInput);
        var changes = new List<(string, string)>();
        foreach (var property in json.EnumerateObject())
        {
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.True => "1",
                JsonValueKind.False => "0",
                JsonValueKind.Number => property.Value.GetInt64().ToString(CultureInfo.InvariantCulture),
                _ => property.Value.GetString(),
            };
            if (text is not null) changes.Add((property.Name, text));
        }
        return changes;
    }
}

/// <summary><c>site/add-member</c>: adds an existing user to the site with a role (<c>promote_users</c>, as WordPress's "Add existing user").</summary>
internal sealed class AddMemberAbility(SiteDirectory directory) : Ability<MemberAddInput, SiteUser>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(SiteWriteAbilities.AddMember, "Add a site member",
        "Adds an existing user, named by login or e-mail address, to the site with a role.", "site",
        AbilityAnnotations.Write, [Scopes.UsersWrite], Caps.PromoteUsers, SiteScoped: true, SiteJson.Default.MemberAddInput, SiteJson.Default.SiteUser);

    protected override async Task<Outcome<SiteUser>> ExecuteAsync(MemberAddInput input, AbilityCall call, CancellationToken ct) =>
        MemberResults.Of(await directory.AddMemberAsync(call.Site!, input.User, input.Role, call, ct));
}

/// <summary><c>site/update-member-role</c>: changes a member's role (<c>promote_users</c>); the site keeps at least one administrator.</summary>
internal sealed class UpdateMemberRoleAbility(SiteDirectory directory) : Ability<MemberRoleInput, SiteUser>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(SiteWriteAbilities.UpdateMemberRole, "Change a member's role",
        "Changes the role of a member, named by login or e-mail address; the last administrator cannot be demoted.", "site",
        SiteWriteAbilities.Update, [Scopes.UsersWrite], Caps.PromoteUsers, SiteScoped: true, SiteJson.Default.MemberRoleInput, SiteJson.Default.SiteUser);

    protected override async Task<Outcome<SiteUser>> ExecuteAsync(MemberRoleInput input, AbilityCall call, CancellationToken ct) =>
        MemberResults.Of(await directory.ChangeRoleAsync(call.Site!, input.User, input.Role, call, ct));
}

/// <summary><c>site/remove-member</c>: removes a member from the site (<c>remove_users</c>); never the last administrator. Their content stays.</summary>
internal sealed class RemoveMemberAbility(SiteDirectory directory) : Ability<MemberRemoveInput, SiteUser>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(SiteWriteAbilities.RemoveMember, "Remove a site member",
        "Removes a member, named by login or e-mail address, from the site (their account and content stay); the last administrator cannot be removed. "
        + "The result is the member as they were.", "site",
        new AbilityAnnotations(ReadOnly: false, Destructive: true, Idempotent: false), [Scopes.UsersWrite], Caps.RemoveUsers, SiteScoped: true,
        SiteJson.Default.MemberRemoveInput, SiteJson.Default.SiteUser);

    protected override async Task<Outcome<SiteUser>> ExecuteAsync(MemberRemoveInput input, AbilityCall call, CancellationToken ct) =>
        MemberResults.Of(await directory.RemoveMemberAsync(call.Site!, input.User, call, ct));
}

internal static class MemberResults
{
    public static Outcome<SiteUser> Of(Outcome<MemberSummary> outcome) =>
        outcome.Succeeded ? new SiteUser(outcome.Value!.UserId, outcome.Value.Login, outcome.Value.DisplayName, outcome.Value.Email, outcome.Value.Role) : outcome.Problem!;
}

internal sealed record MemberRemoveInput
{
    [StringLength(256, MinimumLength = 1), Description("The user's login or e-mail address")]
    public required string User { get; init; }
}

internal sealed record MemberRoleInput
{
    [StringLength(256, MinimumLength = 1), Description("The user's login or e-mail address")]
    public required string User { get; init; }

    [AllowedValues(Roles.Administrator, Roles.Editor, Roles.Author, Roles.Contributor, Roles.Subscriber)]
    public required string Role { get; init; }
}

internal sealed record MemberAddInput
{
    [StringLength(256, MinimumLength = 1), Description("The user's login or e-mail address")]
    public required string User { get; init; }

    [AllowedValues(Roles.Administrator, Roles.Editor, Roles.Author, Roles.Contributor, Roles.Subscriber)]
    public required string Role { get; init; }
}

/// <summary>
/// The settings <c>site/update-settings</c> can change, flat as WordPress's REST settings: each property is named as
/// the setting in <see cref="SiteSettingsCatalog"/> (a test keeps the two lists equal), whose rules decide; the
/// bounds here only describe them to a client.
/// </summary>
internal sealed record SiteSettingsUpdateInput
{
    [StringLength(SiteSettingsCatalog.MaxTitleLength, MinimumLength = 1)]
    public string? Title { get; init; }
    [StringLength(200)]
    public string? Tagline { get; init; }
    [StringLength(100, MinimumLength = 1), Description("IANA time zone, e.g. Europe/Madrid or UTC")]
    public string? Timezone { get; init; }
    [StringLength(35, MinimumLength = 2), Description("Language tag, e.g. en-US")]
    public string? Language { get; init; }
    [AllowedValues(SiteMcpPolicies.Allow, SiteMcpPolicies.ReadOnly, SiteMcpPolicies.Blocked),
     Description("What MCP apps may do on this site for every member: allow (each member's MCP settings decide), read-only, or blocked")]
    public string? McpPolicy { get; init; }
    [StringLength(SiteSettingsCatalog.MaxFormatLength, MinimumLength = 1), Description("PHP date format as WordPress's, e.g. F j, Y or Y-m-d")]
    public string? DateFormat { get; init; }
    [StringLength(SiteSettingsCatalog.MaxFormatLength, MinimumLength = 1), Description("PHP time format as WordPress's, e.g. g:i a or H:i")]
    public string? TimeFormat { get; init; }
    [Range(0, 6), Description("0 Sunday … 6 Saturday")]
    public long? StartOfWeek { get; init; }
    [Range(1, 100)]
    public long? PostsPerPage { get; init; }
    [Description("False asks search engines not to index the site")]
    public bool? BlogPublic { get; init; }
    [AllowedValues("open", "closed"), Description("Comments on new posts")]
    public string? DefaultCommentStatus { get; init; }
    [Description("Hold every comment for moderation")]
    public bool? CommentModeration { get; init; }
    [Description("Hold a comment unless its author has a previously approved comment")]
    public bool? CommentPreviouslyApproved { get; init; }
    [Description("Only signed-in users may comment")]
    public bool? CommentRegistration { get; init; }
    [Description("Comment authors must give a name and an e-mail address")]
    public bool? RequireNameEmail { get; init; }
    [Range(0, 10_000)] public long? ThumbnailSizeW { get; init; }
    [Range(0, 10_000)] public long? ThumbnailSizeH { get; init; }
    public bool? ThumbnailCrop { get; init; }
    [Range(0, 10_000)] public long? MediumSizeW { get; init; }
    [Range(0, 10_000)] public long? MediumSizeH { get; init; }
    [Range(0, 10_000)] public long? LargeSizeW { get; init; }
    [Range(0, 10_000)] public long? LargeSizeH { get; init; }
    [AllowedValues(Permalinks.Plain, Permalinks.DayAndName, Permalinks.MonthAndName, Permalinks.Numeric, Permalinks.PostName),
     Description("How posts are addressed, as WordPress's permalink_structure: \"\" (plain, ?p=123), /%year%/%monthnum%/%day%/%postname%/, /%year%/%monthnum%/%postname%/, /archives/%post_id% or /%postname%/")]
    public string? PermalinkStructure { get; init; }
}
