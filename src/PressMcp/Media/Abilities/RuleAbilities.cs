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

    /// <summary>
    /// The conditions of a create or update input: the plugin's list of <c>{type, operator, value}</c>, or the object of
    /// PressMcp's own conditions, whose uploader may be a login, looked up here.
    /// </summary>
    public static async Task<Outcome<RuleConditions?>> ConditionsAsync(PressDbContext db, RuleConditionsArgument? argument, CancellationToken ct)
    {
        if (argument is null) return Outcome<RuleConditions?>.Ok(null);
        if (argument.List is { } list)
            return Outcome<RuleConditions?>.Ok(new RuleConditions(Text: [.. list.Select(t => new TextCondition(t.Type, t.Operator, t.Value))]));
        var c = argument.Fields!;
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
        MediaAbilities.RulesCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, AbilityJson.Default.NoInput, RuleJson.Default.RuleListResult);

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
        "Creates a rule placing media that meet its conditions in a folder: the plugin's list of {type: filename|mimetype|title|alt, operator: contains|equals|starts_with|ends_with, value}, " +
        "or an object of MIME type, file name glob, upload dates, size, dimensions and uploader. Every condition must hold. New uploads without a folder follow the enabled rules, highest priority first.",
        MediaAbilities.RulesCategory, AbilityAnnotations.Write, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, RuleJson.Default.RuleCreateInput, RuleJson.Default.RuleResult);

    protected override async Task<Outcome<RuleResult>> ExecuteAsync(RuleCreateInput input, AbilityCall call, CancellationToken ct)
    {
        var conditions = await RuleAbilities.ConditionsAsync(db, input.Conditions, ct);
        if (!conditions.Succeeded) return conditions.Problem!;
        var changes = new RuleChanges(input.Name, input.FolderId.Folder, input.Enabled, input.Priority, conditions.Value, input.Description);
        var created = await rules.CreateAsync(call.Site!.Id, changes, MediaChanges.For(call), ct);
        return created.Succeeded ? RuleResult.Of(created.Value!, await RuleAbilities.PathsAsync(folders, call.Site!.Id, ct)) : created.Problem!;
    }
}

internal sealed class RuleUpdateAbility(MediaRuleService rules, MediaFolderService folders, PressDbContext db) : Ability<RuleUpdateInput, RuleResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Update, "Change a media rule",
        "Changes a rule's name, description, folder, enabled flag, priority or conditions (conditions given, in either form, replace all of them).",
        MediaAbilities.RulesCategory, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, RuleJson.Default.RuleUpdateInput, RuleJson.Default.RuleResult);

    protected override async Task<Outcome<RuleResult>> ExecuteAsync(RuleUpdateInput input, AbilityCall call, CancellationToken ct)
    {
        var conditions = await RuleAbilities.ConditionsAsync(db, input.Conditions, ct);
        if (!conditions.Succeeded) return conditions.Problem!;
        var changes = new RuleChanges(input.Name, input.FolderId?.Folder, input.Enabled, input.Priority, conditions.Value, input.Description);
        var updated = await rules.UpdateAsync(call.Site!.Id, input.RuleId.Value, changes, MediaChanges.For(call), ct);
        return updated.Succeeded ? RuleResult.Of(updated.Value!, await RuleAbilities.PathsAsync(folders, call.Site!.Id, ct)) : updated.Problem!;
    }
}

internal sealed class RuleDeleteAbility(MediaRuleService rules) : Ability<RuleDeleteInput, RuleDeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Delete, "Delete a media rule", "Deletes a rule; media it placed stay where they are.",
        MediaAbilities.RulesCategory, MediaAbilities.Destructive, [MediaAbilities.WriteScope], Caps.ManageOptions, SiteScoped: true, RuleJson.Default.RuleDeleteInput, RuleJson.Default.RuleDeleteResult);

    protected override async Task<Outcome<RuleDeleteResult>> ExecuteAsync(RuleDeleteInput input, AbilityCall call, CancellationToken ct)
    {
        var deleted = await rules.DeleteAsync(call.Site!.Id, input.RuleId.Value, MediaChanges.For(call), ct);
        return deleted.Succeeded ? new RuleDeleteResult(Deleted: true, deleted.Value!.Id) : deleted.Problem!;
    }
}

internal sealed class RulePreviewAbility(MediaRuleService rules) : Ability<RulePreviewInput, RulePlanResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Preview, "Preview media rules", "Reports what applying the enabled rules would move, without moving anything.",
        MediaAbilities.RulesCategory, AbilityAnnotations.Read, [MediaAbilities.ReadScope], Caps.UploadFiles, SiteScoped: true, RuleJson.Default.RulePreviewInput, RuleJson.Default.RulePlanResult);

    protected override async Task<Outcome<RulePlanResult>> ExecuteAsync(RulePreviewInput input, AbilityCall call, CancellationToken ct)
    {
        if (input.Conflict is { } conflict) return conflict;
        var plan = await rules.PreviewAsync(call.Site!.Id, input.ToScope(), ct);
        return plan.Succeeded ? RulePlanResult.Of(input, plan.Value!, applied: false, input.Offset ?? 0, input.Limit ?? RulePreviewInput.DefaultLimit) : plan.Problem!;
    }
}

internal sealed class RuleApplyAbility(MediaRuleService rules) : Ability<RuleScopeInput, RulePlanResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(RuleAbilities.Apply, "Apply media rules",
        "Moves media to the folders the enabled rules choose (unassigned media only unless scope is all); reports each move.",
        MediaAbilities.RulesCategory, MediaAbilities.IdempotentWrite, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true, RuleJson.Default.RuleScopeInput, RuleJson.Default.RulePlanResult);

    protected override async Task<Outcome<RulePlanResult>> ExecuteAsync(RuleScopeInput input, AbilityCall call, CancellationToken ct)
    {
        if (input.Conflict is { } conflict) return conflict;
        var plan = await rules.ApplyRulesAsync(call.Site!.Id, input.ToScope(), MediaChanges.For(call), ct);
        return plan.Succeeded ? RulePlanResult.Of(input, plan.Value!, applied: true) : plan.Problem!;
    }
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

/// <summary>
/// A rule's conditions as an agent gives them: the plugin's list of <c>{type, operator, value}</c> (a JSON array), or
/// PressMcp's object of named conditions. The schema below states both forms in full, so every bound is checked before
/// the converter reads the value.
/// </summary>
[JsonConverter(typeof(RuleConditionsArgumentConverter))]
[JsonSchemaText("""
    {"anyOf":[
      {"type":"array","minItems":1,"maxItems":20,"description":"The plugin's conditions; every one must hold",
       "items":{"type":"object","properties":{
         "type":{"type":"string","enum":["filename","mimetype","title","alt"]},
         "operator":{"type":"string","enum":["contains","equals","starts_with","ends_with"]},
         "value":{"type":"string","minLength":1,"maxLength":255}},
        "required":["type","operator","value"],"additionalProperties":false}},
      {"type":"object","description":"PressMcp's conditions; each one given must hold","properties":{
         "mime_type":{"type":"string","minLength":3,"maxLength":100,"description":"image/png, or a family: image/*"},
         "file_name":{"type":"string","minLength":1,"maxLength":255,"description":"A glob on the file name: * any run, ? one character; any case"},
         "uploaded_after":{"type":"string","format":"date-time"},
         "uploaded_before":{"type":"string","format":"date-time"},
         "min_size":{"type":"integer","minimum":0,"description":"Bytes"},
         "max_size":{"type":"integer","minimum":0,"description":"Bytes"},
         "min_width":{"type":"integer","minimum":0},
         "max_width":{"type":"integer","minimum":0},
         "min_height":{"type":"integer","minimum":0},
         "max_height":{"type":"integer","minimum":0},
         "uploader":{"anyOf":[{"type":"integer","minimum":1},{"type":"string","minLength":1,"maxLength":256}],"description":"The uploader's user id or login"}},
       "additionalProperties":false}]}
    """)]
internal sealed record RuleConditionsArgument(IReadOnlyList<TextConditionInput>? List, RuleConditionsInput? Fields);

internal sealed class RuleConditionsArgumentConverter : JsonConverter<RuleConditionsArgument>
{
    public override RuleConditionsArgument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.StartArray => new RuleConditionsArgument(JsonSerializer.Deserialize(ref reader, RuleJson.Default.IReadOnlyListTextConditionInput), null),
        JsonTokenType.StartObject => new RuleConditionsArgument(null, JsonSerializer.Deserialize(ref reader, RuleJson.Default.RuleConditionsInput)),
        _ => throw new JsonException("conditions are a list of {type, operator, value} or an object"),
    };

    public override void Write(Utf8JsonWriter writer, RuleConditionsArgument value, JsonSerializerOptions options)
    {
        if (value.List is { } list) JsonSerializer.Serialize(writer, list, RuleJson.Default.IReadOnlyListTextConditionInput);
        else JsonSerializer.Serialize(writer, value.Fields, RuleJson.Default.RuleConditionsInput!);
    }
}

/// <summary>One of the plugin's conditions as given.</summary>
internal sealed record TextConditionInput(string Type, string Operator, string Value);

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

    [Description("Every condition given must hold")]
    public RuleConditionsArgument? Conditions { get; init; }

    [StringLength(1000), Description("What the rule is for")]
    public string? Description { get; init; }
}

internal sealed record RuleUpdateInput
{
    [Description("The rule's id, as a number or a string (the plugin's rule ids are strings)")]
    public required RuleIdArgument RuleId { get; init; }

    [StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    [Description("Default true")]
    public bool? Enabled { get; init; }

    [Range(-1_000_000, 1_000_000), Description("Higher runs first; default 0")]
    public int? Priority { get; init; }

    [Description("The folder (id or path)")]
    public FolderArgument? FolderId { get; init; }

    [Description("Every condition given must hold; they replace all of the rule's conditions")]
    public RuleConditionsArgument? Conditions { get; init; }

    [StringLength(1000), Description("What the rule is for; an empty string clears it")]
    public string? Description { get; init; }
}

internal sealed record RuleDeleteInput
{
    [Description("The rule's id, as a number or a string (the plugin's rule ids are strings)")]
    public required RuleIdArgument RuleId { get; init; }
}

/// <summary>
/// A rule id as an agent gives it: a number, or the same digits as a string, since the plugin's <c>rule_id</c> is a
/// string and a skill written for it passes one.
/// </summary>
[JsonConverter(typeof(RuleIdArgumentConverter))]
[JsonSchemaText("""{"anyOf":[{"type":"integer","minimum":1},{"type":"string","pattern":"^[1-9][0-9]{0,17}$"}]}""")]
internal readonly record struct RuleIdArgument(long Value);

internal sealed class RuleIdArgumentConverter : JsonConverter<RuleIdArgument>
{
    public override RuleIdArgument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var id) => new RuleIdArgument(id),
        JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) => new RuleIdArgument(id),
        _ => throw new JsonException("a rule id is a number or a string of digits"),
    };

    public override void Write(Utf8JsonWriter writer, RuleIdArgument value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
}

internal record RuleScopeInput
{
    [Description("Only this rule (its id, a number or a string), enabled or not; omit for every enabled rule")]
    public RuleIdArgument? RuleId { get; init; }

    [AllowedValues("unassigned", "all"), Description("unassigned (default): only media in no folder; all: every item, moving those a rule places elsewhere")]
    public string? Scope { get; init; }

    [Description("The plugin's name for the scope: true is unassigned, false is all")]
    public bool? UnassignedOnly { get; init; }

    [StringLength(100, MinimumLength = 3), Description("Only media of this type or family (image/*)")]
    public string? MimeType { get; init; }

    /// <summary>The scope asked for, by either name; unassigned when neither is given.</summary>
    [JsonIgnore]
    public string EffectiveScope => UnassignedOnly is { } only ? (only ? "unassigned" : "all") : Scope ?? "unassigned";

    /// <summary>Both names given and saying different things: which one meant it cannot be guessed.</summary>
    [JsonIgnore]
    public Problem? Conflict => UnassignedOnly is { } only && Scope is { } scope && (scope == "unassigned") != only
        ? Problem.Invalid($"scope '{scope}' and unassigned_only {(only ? "true" : "false")} disagree; give one of them")
        : null;

    public RuleScope ToScope() => new(EffectiveScope == "all", MimeType?.ToLowerInvariant(), RuleId?.Value);
}

/// <summary><c>vmfo-rules/preview</c>'s input: the scope, and the page of <c>items</c> to list (the plugin's limit and offset).</summary>
internal sealed record RulePreviewInput : RuleScopeInput
{
    public const int DefaultLimit = 50;

    [Range(1, 500), Description("How many of the matched items to list (default 50); the counts cover them all")]
    public int? Limit { get; init; }

    [Range(0, 1_000_000), Description("How many matched items to skip before listing")]
    public int? Offset { get; init; }
}

/// <summary>
/// A rule on the wire, as the plugin's abilities answer it: <c>conditions</c> is a list of <c>{type, operator, value}</c>.
/// The plugin's own conditions appear as given; PressMcp's others in the same shape with types and operators of their
/// own (<c>filename matches</c> a glob, <c>size at_least</c>, <c>uploaded after</c>, <c>uploader equals</c> a user id …).
/// </summary>
internal sealed record RuleResult(long Id, string Name, long FolderId, string FolderPath, bool Enabled, int Priority, string? Description, IReadOnlyList<RuleConditionResult> Conditions)
{
    public static RuleResult Of(MediaRule r, IReadOnlyDictionary<long, string> paths) =>
        new(r.Id, r.Name, r.FolderId, paths.GetValueOrDefault(r.FolderId, ""), r.Enabled, r.Priority, r.Description, ConditionsOf(r));

    private static List<RuleConditionResult> ConditionsOf(MediaRule r)
    {
        var list = r.ParsedTextConditions.Select(c => new RuleConditionResult(c.Type, c.Operator, c.Value)).ToList();
        static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
        if (r.MimeType is { } mime)
            list.Add(mime.EndsWith("/*", StringComparison.Ordinal) ? new("mimetype", "starts_with", mime[..^1]) : new("mimetype", "equals", mime));
        if (r.FileNamePattern is { } glob) list.Add(new("filename", "matches", glob));
        if (r.UploadedAfterUtc is { } after) list.Add(new("uploaded", "after", after.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        if (r.UploadedBeforeUtc is { } before) list.Add(new("uploaded", "before", before.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        if (r.MinSizeBytes is { } minSize) list.Add(new("size", "at_least", N(minSize)));
        if (r.MaxSizeBytes is { } maxSize) list.Add(new("size", "at_most", N(maxSize)));
        if (r.MinWidth is { } minWidth) list.Add(new("width", "at_least", N(minWidth)));
        if (r.MaxWidth is { } maxWidth) list.Add(new("width", "at_most", N(maxWidth)));
        if (r.MinHeight is { } minHeight) list.Add(new("height", "at_least", N(minHeight)));
        if (r.MaxHeight is { } maxHeight) list.Add(new("height", "at_most", N(maxHeight)));
        if (r.UploaderId is { } uploader) list.Add(new("uploader", "equals", N(uploader)));
        return list;
    }
}

/// <summary>One condition of a rule, in the plugin's shape.</summary>
internal sealed record RuleConditionResult(string Type, string Operator, string Value);

internal sealed record RuleListResult(IReadOnlyList<RuleResult> Rules);

internal sealed record RuleDeleteResult(bool Deleted, long Id);

/// <summary>
/// What a preview or apply found: PressMcp's counts and moves, and the plugin's fields for the same facts (a preview's
/// <c>total_count</c>, <c>matched</c>, <c>unmatched</c> and <c>items</c>; an apply's <c>processed</c>, <c>assigned</c>
/// and <c>skipped</c>), so an agent written for either reads its own names.
/// </summary>
internal sealed record RulePlanResult(string Scope, int Examined, int Unmatched, int AlreadyPlaced, bool Applied, IReadOnlyList<RuleMoveResult> Moves,
    int TotalCount, int Matched, IReadOnlyList<RuleMatchItem> Items, int Processed, int Assigned, int Skipped)
{
    /// <param name="offset">With <paramref name="limit"/>: the page of <c>items</c> listed (preview); apply lists every move.</param>
    public static RulePlanResult Of(RuleScopeInput input, RulePlan plan, bool applied, int offset = 0, int limit = int.MaxValue) => new(input.EffectiveScope, plan.Examined, plan.Unmatched, plan.AlreadyPlaced, applied,
        [.. plan.Moves.Select(m => new RuleMoveResult(m.MediaId, m.FileName, m.FromFolderId, m.ToFolderId, m.ToFolderPath, m.RuleId, m.RuleName))],
        plan.Examined, plan.Moves.Count + plan.AlreadyPlaced, [.. plan.Moves.Skip(offset).Take(limit).Select(m => new RuleMatchItem(m.MediaId, m.Title, m.RuleId, m.ToFolderId))],
        plan.Examined, applied ? plan.Moves.Count : 0, applied ? plan.Examined - plan.Moves.Count : plan.Examined);
}

/// <summary>One item a rule places, as the plugin's preview lists it.</summary>
internal sealed record RuleMatchItem(long AttachmentId, string Title, long MatchedRuleId, long TargetFolderId);

internal sealed record RuleMoveResult(long MediaId, string Filename, long? FromFolderId, long ToFolderId, string ToFolderPath, long RuleId, string RuleName);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(RuleListResult))]
[JsonSerializable(typeof(RuleCreateInput))]
[JsonSerializable(typeof(RuleUpdateInput))]
[JsonSerializable(typeof(RuleResult))]
[JsonSerializable(typeof(RuleDeleteInput))]
[JsonSerializable(typeof(RuleDeleteResult))]
[JsonSerializable(typeof(RuleScopeInput))]
[JsonSerializable(typeof(RulePreviewInput))]
[JsonSerializable(typeof(RulePlanResult))]
[JsonSerializable(typeof(RuleConditionsInput))]
[JsonSerializable(typeof(IReadOnlyList<TextConditionInput>))]
internal sealed partial class RuleJson : JsonSerializerContext;
