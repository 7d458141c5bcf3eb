using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Media.Abilities;

/// <summary>
/// The <c>vmfo-rules/*</c> abilities: placement rules that put media in folders. Listing and previewing need
/// <c>upload_files</c>, as does applying (it only moves media, which that capability allows one by one);
/// creating, changing and deleting rules need <c>manage_options</c>.
/// </summary>
internal static class RuleAbilities
{
    public const string List = "vmfo-rules/list-rules";
    public const string Create = "vmfo-rules/create-rule";
    public const string Update = "vmfo-rules/update-rule";
    public const string Delete = "vmfo-rules/delete-rule";
    public const string Preview = "vmfo-rules/preview";
    public const string Apply = "vmfo-rules/apply";

    /// <summary>Every folder's path by id, for the rules' <c>folder_path</c>.</summary>
    public static async Task<Dictionary<long, string>> PathsAsync(MediaFolderService folders, long siteId, CancellationToken ct) =>
        (await folders.TreeAsync(siteId, ct)).ToDictionary(f => f.Id, f => f.Path);

    /// <summary>The conditions of a create or update input; the uploader may be a login, looked up here.</summary>
    public static async Task<Outcome<RuleConditions?>> ConditionsAsync(PressDbContext db, RuleConditionsInput? c, CancellationToken ct)
    {
        if (c is null) return Outcome<RuleConditions?>.Ok(null);
        var uploader = c.Uploader?.Id;
        if (c.Uploader?.Login is { } login)
        {
            uploader = await db.Users.Where(x => x.UserName == login).Select(x => (long?)x.Id).FirstOrDefaultAsync(ct);
            if (uploader is null) return Problem.NotFound($"no user with the login '{login}'");
        }
        return Outcome<RuleConditions?>.Ok(new RuleConditions(
            c.MimeType, c.FileName, AbilityInput.DateUtc(c.UploadedAfter), AbilityInput.DateUtc(c.UploadedBefore),
            c.MinSize, c.MaxSize, Int(c.MinWidth), Int(c.MaxWidth), Int(c.MinHeight), Int(c.MaxHeight), uploader));
    }

    // The schema bounds these below only (a width has no upper bound worth stating), so a larger one is read as int's largest.
    private static int? Int(long? value) => value is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : null;
}

internal sealed class RuleListAbility(MediaRuleService rules, MediaFolderService folders) : Ability<NoInput, RuleListResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.List, "List media rules", "Lists the site's placement rules, highest priority first, with their folder and conditions.",
        MediaAbilities.Category, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, AbilityJson.Default.NoInput, RuleJson.Default.RuleListResult);

    protected override async Task<Outcome<RuleListResult>> ExecuteAsync(NoInput input, AbilityCall call, CancellationToken ct)
    {
        var paths = await RuleAbilities.PathsAsync(folders, call.Site!.Id, ct);
        var list = await rules.ListAsync(call.Site!.Id, ct);
        return new RuleListResult([.. list.Select(r => RuleResult.Of(r, paths))]);
    }
}

internal sealed class RuleCreateAbility(MediaRuleService rules, MediaFolderService folders, PressDbContext db) : Ability<RuleCreateInput, RuleResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Create, "Create a media rule",
        "Creates a rule placing media that meet its conditions (MIME type, file name glob, upload dates, size, dimensions, uploader) in a folder. New uploads without a folder follow the enabled rules, highest priority first.",
        MediaAbilities.Category, AbilityAnnotations.Write, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, RuleJson.Default.RuleCreateInput, RuleJson.Default.RuleResult);

    protected override async Task<Outcome<RuleResult>> ExecuteAsync(RuleCreateInput input, AbilityCall call, CancellationToken ct)
    {
        var conditions = await RuleAbilities.ConditionsAsync(db, input.Conditions, ct);
        if (!conditions.Succeeded) return conditions.Problem!;
        var changes = new RuleChanges(input.Name, input.FolderId.Folder, input.Enabled, input.Priority, conditions.Value);
        var created = await rules.CreateAsync(call.Site!.Id, changes, MediaChanges.For(call), ct);
        return created.Succeeded ? RuleResult.Of(created.Value!, await RuleAbilities.PathsAsync(folders, call.Site!.Id, ct)) : created.Problem!;
    }
}

internal sealed class RuleUpdateAbility(MediaRuleService rules, MediaFolderService folders, PressDbContext db) : Ability<RuleUpdateInput, RuleResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Update, "Change a media rule",
        "Changes a rule's name, folder, enabled flag, priority or conditions (conditions given replace all of them).",
        MediaAbilities.Category, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, RuleJson.Default.RuleUpdateInput, RuleJson.Default.RuleResult);

    protected override async Task<Outcome<RuleResult>> ExecuteAsync(RuleUpdateInput input, AbilityCall call, CancellationToken ct)
    {
        var conditions = await RuleAbilities.ConditionsAsync(db, input.Conditions, ct);
        if (!conditions.Succeeded) return conditions.Problem!;
        var changes = new RuleChanges(input.Name, input.FolderId?.Folder, input.Enabled, input.Priority, conditions.Value);
        var updated = await rules.UpdateAsync(call.Site!.Id, input.RuleId, changes, MediaChanges.For(call), ct);
        return updated.Succeeded ? RuleResult.Of(updated.Value!, await RuleAbilities.PathsAsync(folders, call.Site!.Id, ct)) : updated.Problem!;
    }
}

internal sealed class RuleDeleteAbility(MediaRuleService rules) : Ability<RuleDeleteInput, RuleDeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Delete, "Delete a media rule", "Deletes a rule; media it placed stay where they are.",
        MediaAbilities.Category, MediaAbilities.Destructive, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, RuleJson.Default.RuleDeleteInput, RuleJson.Default.RuleDeleteResult);

    protected override async Task<Outcome<RuleDeleteResult>> ExecuteAsync(RuleDeleteInput input, AbilityCall call, CancellationToken ct)
    {
        var deleted = await rules.DeleteAsync(call.Site!.Id, input.RuleId, MediaChanges.For(call), ct);
        return deleted.Succeeded ? new RuleDeleteResult(Deleted: true, deleted.Value!.Id) : deleted.Problem!;
    }
}

internal sealed class RulePreviewAbility(MediaRuleService rules) : Ability<RuleScopeInput, RulePlanResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Preview, "Preview media rules", "Reports what applying the enabled rules would move, without moving anything.",
        MediaAbilities.Category, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, RuleJson.Default.RuleScopeInput, RuleJson.Default.RulePlanResult);

    protected override async Task<Outcome<RulePlanResult>> ExecuteAsync(RuleScopeInput input, AbilityCall call, CancellationToken ct) =>
        RulePlanResult.Of(input, await rules.PreviewAsync(call.Site!.Id, input.ToScope(), ct), applied: false);
}

internal sealed class RuleApplyAbility(MediaRuleService rules) : Ability<RuleScopeInput, RulePlanResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Apply, "Apply media rules",
        "Moves media to the folders the enabled rules choose (unassigned media only unless scope is all); reports each move.",
        MediaAbilities.Category, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true, RuleJson.Default.RuleScopeInput, RuleJson.Default.RulePlanResult);

    protected override async Task<Outcome<RulePlanResult>> ExecuteAsync(RuleScopeInput input, AbilityCall call, CancellationToken ct) =>
        RulePlanResult.Of(input, await rules.ApplyRulesAsync(call.Site!.Id, input.ToScope(), MediaChanges.For(call), ct), applied: true);
}

/// <summary>A rule's uploader as an agent names it: a user id (a JSON number) or a login (a string).</summary>
[JsonConverter(typeof(UserArgumentConverter))]
[JsonSchemaText("""{"anyOf":[{"type":"integer","minimum":1},{"type":"string","minLength":1,"maxLength":256}]}""")]
internal sealed record UserArgument(long? Id, string? Login);

internal sealed class UserArgumentConverter : JsonConverter<UserArgument>
{
    public override UserArgument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var id) => new UserArgument(id, null),
        JsonTokenType.String => new UserArgument(null, reader.GetString()),
        _ => throw new JsonException("a user is an id or a login"),
    };

    public override void Write(Utf8JsonWriter writer, UserArgument value, JsonSerializerOptions options)
    {
        if (value.Id is { } id) writer.WriteNumberValue(id);
        else writer.WriteStringValue(value.Login);
    }
}

/// <summary>A rule's conditions as given; each one left out is not a condition.</summary>
internal sealed record RuleConditionsInput
{
    [StringLength(100, MinimumLength = 3), Description("image/png, or a family: image/*")]
    public string? MimeType { get; init; }

    [StringLength(255, MinimumLength = 1), Description("A glob on the file name: * any run, ? one character; any case")]
    public string? FileName { get; init; }

    [DateTimeText]
    public string? UploadedAfter { get; init; }

    [DateTimeText]
    public string? UploadedBefore { get; init; }

    [Range(0, long.MaxValue), Description("Bytes")]
    public long? MinSize { get; init; }

    [Range(0, long.MaxValue), Description("Bytes")]
    public long? MaxSize { get; init; }

    [Range(0, long.MaxValue)]
    public long? MinWidth { get; init; }

    [Range(0, long.MaxValue)]
    public long? MaxWidth { get; init; }

    [Range(0, long.MaxValue)]
    public long? MinHeight { get; init; }

    [Range(0, long.MaxValue)]
    public long? MaxHeight { get; init; }

    [Description("The uploader's user id or login")]
    public UserArgument? Uploader { get; init; }
}

internal sealed record RuleCreateInput
{
    [StringLength(200, MinimumLength = 1)]
    public required string Name { get; init; }

    [Description("Default true")]
    public bool? Enabled { get; init; }

    [Range(-1_000_000, 1_000_000), Description("Higher runs first; default 0")]
    public int? Priority { get; init; }

    [Description("The folder (id or path)")]
    public required FolderArgument FolderId { get; init; }

    [Description("Every condition given must hold; on update, conditions replace the rule's conditions")]
    public RuleConditionsInput? Conditions { get; init; }
}

internal sealed record RuleUpdateInput
{
    [Range(1, long.MaxValue)]
    public required long RuleId { get; init; }

    [StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    [Description("Default true")]
    public bool? Enabled { get; init; }

    [Range(-1_000_000, 1_000_000), Description("Higher runs first; default 0")]
    public int? Priority { get; init; }

    [Description("The folder (id or path)")]
    public FolderArgument? FolderId { get; init; }

    [Description("Every condition given must hold; on update, conditions replace the rule's conditions")]
    public RuleConditionsInput? Conditions { get; init; }
}

internal sealed record RuleDeleteInput
{
    [Range(1, long.MaxValue)]
    public required long RuleId { get; init; }
}

internal sealed record RuleScopeInput
{
    [AllowedValues("unassigned", "all"), Description("unassigned (default): only media in no folder; all: every item, moving those a rule places elsewhere")]
    public string Scope { get; set; } = "unassigned";

    [StringLength(100, MinimumLength = 3), Description("Only media of this type or family (image/*)")]
    public string? MimeType { get; init; }

    public RuleScope ToScope() => new(Scope == "all", MimeType?.ToLowerInvariant());
}

/// <summary>A rule on the wire: its conditions that are set, by their input names.</summary>
internal sealed record RuleResult(long Id, string Name, long FolderId, string FolderPath, bool Enabled, int Priority, RuleConditionsResult Conditions)
{
    public static RuleResult Of(MediaRule r, IReadOnlyDictionary<long, string> paths) => new(r.Id, r.Name, r.FolderId, paths.GetValueOrDefault(r.FolderId, ""), r.Enabled, r.Priority,
        new RuleConditionsResult
        {
            MimeType = r.MimeType,
            FileName = r.FileNamePattern,
            UploadedAfter = r.UploadedAfterUtc?.ToString("O", CultureInfo.InvariantCulture),
            UploadedBefore = r.UploadedBeforeUtc?.ToString("O", CultureInfo.InvariantCulture),
            MinSize = r.MinSizeBytes,
            MaxSize = r.MaxSizeBytes,
            MinWidth = r.MinWidth,
            MaxWidth = r.MaxWidth,
            MinHeight = r.MinHeight,
            MaxHeight = r.MaxHeight,
            Uploader = r.UploaderId,
        });
}

/// <summary>The conditions of a rule; those not set are left out.</summary>
internal sealed record RuleConditionsResult
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MimeType { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? FileName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? UploadedAfter { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? UploadedBefore { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? MinSize { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? MaxSize { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MinWidth { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MaxWidth { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MinHeight { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MaxHeight { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("The uploader's user id")] public long? Uploader { get; init; }
}

internal sealed record RuleListResult(IReadOnlyList<RuleResult> Rules);

internal sealed record RuleDeleteResult(bool Deleted, long Id);

internal sealed record RulePlanResult(string Scope, int Examined, int Unmatched, int AlreadyPlaced, bool Applied, IReadOnlyList<RuleMoveResult> Moves)
{
    public static RulePlanResult Of(RuleScopeInput input, RulePlan plan, bool applied) => new(input.Scope, plan.Examined, plan.Unmatched, plan.AlreadyPlaced, applied,
        [.. plan.Moves.Select(m => new RuleMoveResult(m.MediaId, m.FileName, m.FromFolderId, m.ToFolderId, m.ToFolderPath, m.RuleId, m.RuleName))]);
}

internal sealed record RuleMoveResult(long MediaId, string Filename, long? FromFolderId, long ToFolderId, string ToFolderPath, long RuleId, string RuleName);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(RuleListResult))]
[JsonSerializable(typeof(RuleCreateInput))]
[JsonSerializable(typeof(RuleUpdateInput))]
[JsonSerializable(typeof(RuleResult))]
[JsonSerializable(typeof(RuleDeleteInput))]
[JsonSerializable(typeof(RuleDeleteResult))]
[JsonSerializable(typeof(RuleScopeInput))]
[JsonSerializable(typeof(RulePlanResult))]
internal sealed partial class RuleJson : JsonSerializerContext;
