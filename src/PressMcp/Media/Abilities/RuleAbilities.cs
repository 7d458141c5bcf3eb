using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
internal sealed class RuleAbilities : IAbilitySource
{
    public const string List = "vmfo-rules/list-rules";
    public const string Create = "vmfo-rules/create-rule";
    public const string Update = "vmfo-rules/update-rule";
    public const string Delete = "vmfo-rules/delete-rule";
    public const string Preview = "vmfo-rules/preview";
    public const string Apply = "vmfo-rules/apply";

    private const string Category = "media";

    private const string Conditions = """
        "conditions":{"type":"object","additionalProperties":false,"description":"Every condition given must hold; on update, conditions replace the rule's conditions","properties":{
          "mime_type":{"type":"string","minLength":3,"maxLength":100,"description":"image/png, or a family: image/*"},
          "file_name":{"type":"string","minLength":1,"maxLength":255,"description":"A glob on the file name: * any run, ? one character; any case"},
          "uploaded_after":{"type":"string","format":"date-time"},
          "uploaded_before":{"type":"string","format":"date-time"},
          "min_size":{"type":"integer","minimum":0,"description":"Bytes"},
          "max_size":{"type":"integer","minimum":0,"description":"Bytes"},
          "min_width":{"type":"integer","minimum":0},"max_width":{"type":"integer","minimum":0},
          "min_height":{"type":"integer","minimum":0},"max_height":{"type":"integer","minimum":0},
          "uploader":{"anyOf":[{"type":"integer","minimum":1},{"type":"string","minLength":1,"maxLength":256}],"description":"The uploader's user id or login"}}}
        """;

    private const string RuleFields = """
        "name":{"type":"string","minLength":1,"maxLength":200},
        "enabled":{"type":"boolean","description":"Default true"},
        "priority":{"type":"integer","minimum":-1000000,"maximum":1000000,"description":"Higher runs first; default 0"}
        """;

    private const string RuleOutput = """
        {"type":"object","required":["id","name","folder_id","folder_path","enabled","priority","conditions"],"properties":{"id":{"type":"integer"},"name":{"type":"string"},
          "folder_id":{"type":"integer"},"folder_path":{"type":"string"},"enabled":{"type":"boolean"},"priority":{"type":"integer"},"conditions":{"type":"object"}}}
        """;

    private const string ScopeFields = """
        "scope":{"type":"string","enum":["unassigned","all"],"description":"unassigned (default): only media in no folder; all: every item, moving those a rule places elsewhere"},
        "mime_type":{"type":"string","minLength":3,"maxLength":100,"description":"Only media of this type or family (image/*)"}
        """;

    private const string PlanOutput = """
        {"type":"object","required":["scope","examined","moves","unmatched","already_placed","applied"],"properties":{"scope":{"type":"string"},"examined":{"type":"integer"},
          "unmatched":{"type":"integer"},"already_placed":{"type":"integer"},"applied":{"type":"boolean"},
          "moves":{"type":"array","items":{"type":"object","required":["media_id","filename","from_folder_id","to_folder_id","to_folder_path","rule_id","rule_name"],"properties":{
            "media_id":{"type":"integer"},"filename":{"type":"string"},"from_folder_id":{"type":["integer","null"]},"to_folder_id":{"type":"integer"},
            "to_folder_path":{"type":"string"},"rule_id":{"type":"integer"},"rule_name":{"type":"string"}}}}}}
        """;

    private static string Schema(string required, params string[] properties) =>
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"wpcom_site\"" + required + "],\"properties\":{"
        + string.Join(",", [AbilityInput.SiteProperty, .. properties]) + "}}";

    private const string RuleId = "\"rule_id\":{\"type\":\"integer\",\"minimum\":1}";

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(List, "List media rules", "Lists the site's placement rules, highest priority first, with their folder and conditions.", Category,
            Schema(""), """{"type":"object","required":["rules"],"properties":{"rules":{"type":"array","items":""" + RuleOutput + "}}}",
            AbilityAnnotations.Read, [MediaSchemas.ReadScope], Caps.UploadFiles, siteScoped: true, ListAsync),
        new Ability(Create, "Create a media rule",
            "Creates a rule placing media that meet its conditions (MIME type, file name glob, upload dates, size, dimensions, uploader) in a folder. New uploads without a folder follow the enabled rules, highest priority first.", Category,
            Schema(",\"name\",\"folder_id\"", RuleFields, MediaSchemas.FolderProperty("folder_id", "The folder (id or path)"), Conditions),
            RuleOutput, AbilityAnnotations.Write, [MediaSchemas.WriteScope], Caps.ManageOptions, siteScoped: true, CreateAsync),
        new Ability(Update, "Change a media rule", "Changes a rule's name, folder, enabled flag, priority or conditions (conditions given replace all of them).", Category,
            Schema(",\"rule_id\"", RuleId, RuleFields, MediaSchemas.FolderProperty("folder_id", "The folder (id or path)"), Conditions),
            RuleOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.ManageOptions, siteScoped: true, UpdateAsync),
        new Ability(Delete, "Delete a media rule", "Deletes a rule; media it placed stay where they are.", Category,
            Schema(",\"rule_id\"", RuleId),
            """{"type":"object","required":["deleted","id"],"properties":{"deleted":{"type":"boolean"},"id":{"type":"integer"}}}""",
            MediaSchemas.Destructive, [MediaSchemas.WriteScope], Caps.ManageOptions, siteScoped: true, DeleteAsync),
        new Ability(Preview, "Preview media rules", "Reports what applying the enabled rules would move, without moving anything.", Category,
            Schema("", ScopeFields), PlanOutput, AbilityAnnotations.Read, [MediaSchemas.ReadScope], Caps.UploadFiles, siteScoped: true, PreviewAsync),
        new Ability(Apply, "Apply media rules", "Moves media to the folders the enabled rules choose (unassigned media only unless scope is all); reports each move.", Category,
            Schema("", ScopeFields), PlanOutput, MediaSchemas.IdempotentWrite, [MediaSchemas.WriteScope], Caps.UploadFiles, siteScoped: true, ApplyAsync),
    ];

    private static MediaRuleService Rules(AbilityCall call) => call.Services.GetRequiredService<MediaRuleService>();

    private static async Task<Outcome<JsonElement>> ListAsync(AbilityCall call, CancellationToken ct)
    {
        var paths = await PathsAsync(call, ct);
        var rules = await Rules(call).ListAsync(call.Site!.Id, ct);
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(new JsonObject { ["rules"] = new JsonArray([.. rules.Select(r => Json(r, paths))]) }));
    }

    private static async Task<Outcome<JsonElement>> CreateAsync(AbilityCall call, CancellationToken ct)
    {
        var changes = await ReadAsync(call, ct);
        if (!changes.Succeeded) return changes.Problem!;
        var created = await Rules(call).CreateAsync(call.Site!.Id, changes.Value!, MediaChanges.For(call), ct);
        return created.Succeeded ? Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(Json(created.Value!, await PathsAsync(call, ct)))) : created.Problem!;
    }

    private static async Task<Outcome<JsonElement>> UpdateAsync(AbilityCall call, CancellationToken ct)
    {
        var changes = await ReadAsync(call, ct);
        if (!changes.Succeeded) return changes.Problem!;
        var updated = await Rules(call).UpdateAsync(call.Site!.Id, call.Input.Integer("rule_id")!.Value, changes.Value!, MediaChanges.For(call), ct);
        return updated.Succeeded ? Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(Json(updated.Value!, await PathsAsync(call, ct)))) : updated.Problem!;
    }

    private static async Task<Outcome<JsonElement>> DeleteAsync(AbilityCall call, CancellationToken ct)
    {
        var deleted = await Rules(call).DeleteAsync(call.Site!.Id, call.Input.Integer("rule_id")!.Value, MediaChanges.For(call), ct);
        return deleted.Succeeded ? MediaSchemas.Ok(new { deleted = true, id = deleted.Value!.Id }) : deleted.Problem!;
    }

    private static async Task<Outcome<JsonElement>> PreviewAsync(AbilityCall call, CancellationToken ct) =>
        Plan(call, await Rules(call).PreviewAsync(call.Site!.Id, Scope(call), ct), applied: false);

    private static async Task<Outcome<JsonElement>> ApplyAsync(AbilityCall call, CancellationToken ct) =>
        Plan(call, await Rules(call).ApplyRulesAsync(call.Site!.Id, Scope(call), MediaChanges.For(call), ct), applied: true);

    private static RuleScope Scope(AbilityCall call) => new(call.Input.Text("scope") == "all", call.Input.Text("mime_type")?.ToLowerInvariant());

    private static Outcome<JsonElement> Plan(AbilityCall call, RulePlan plan, bool applied) => MediaSchemas.Ok(new
    {
        scope = call.Input.Text("scope") ?? "unassigned",
        examined = plan.Examined,
        unmatched = plan.Unmatched,
        already_placed = plan.AlreadyPlaced,
        applied,
        moves = plan.Moves.Select(m => new
        {
            media_id = m.MediaId, filename = m.FileName, from_folder_id = m.FromFolderId, to_folder_id = m.ToFolderId,
            to_folder_path = m.ToFolderPath, rule_id = m.RuleId, rule_name = m.RuleName,
        }),
    });

    /// <summary>The rule fields of a create or update input; the uploader may be a login, looked up here.</summary>
    private static async Task<Outcome<RuleChanges>> ReadAsync(AbilityCall call, CancellationToken ct)
    {
        var input = call.Input;
        RuleConditions? conditions = null;
        if (input.TryGetProperty("conditions", out var c))
        {
            long? uploader = null;
            if (c.TryGetProperty("uploader", out var u))
            {
                if (u.ValueKind == JsonValueKind.Number) uploader = u.GetInt64();
                else
                {
                    var login = u.GetString()!;
                    var db = call.Services.GetRequiredService<PressDbContext>();
                    uploader = await db.Users.Where(x => x.UserName == login).Select(x => (long?)x.Id).FirstOrDefaultAsync(ct);
                    if (uploader is null) return Problem.NotFound($"no user with the login '{login}'");
                }
            }
            conditions = new RuleConditions(
                c.Text("mime_type"), c.Text("file_name"), c.DateUtc("uploaded_after"), c.DateUtc("uploaded_before"),
                c.Integer("min_size"), c.Integer("max_size"), Int(c, "min_width"), Int(c, "max_width"), Int(c, "min_height"), Int(c, "max_height"), uploader);
        }
        bool? enabled = input.TryGetProperty("enabled", out var e) ? e.GetBoolean() : null;
        return Outcome<RuleChanges>.Ok(new RuleChanges(input.Text("name"), input.Folder("folder_id"), enabled, Int(input, "priority"), conditions));
    }

    private static int? Int(JsonElement e, string name) => e.Integer(name) is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : null;

    private static async Task<Dictionary<long, string>> PathsAsync(AbilityCall call, CancellationToken ct) =>
        (await call.Services.GetRequiredService<MediaFolderService>().TreeAsync(call.Site!.Id, ct)).ToDictionary(f => f.Id, f => f.Path);

    /// <summary>A rule on the wire: conditions that are set, by their input names.</summary>
    public static JsonObject Json(MediaRule r, IReadOnlyDictionary<long, string> paths)
    {
        var conditions = new JsonObject();
        void Set(string name, JsonNode? value)
        {
            if (value is not null) conditions[name] = value;
        }
        Set("mime_type", r.MimeType);
        Set("file_name", r.FileNamePattern);
        Set("uploaded_after", r.UploadedAfterUtc?.ToString("O", CultureInfo.InvariantCulture));
        Set("uploaded_before", r.UploadedBeforeUtc?.ToString("O", CultureInfo.InvariantCulture));
        Set("min_size", r.MinSizeBytes);
        Set("max_size", r.MaxSizeBytes);
        Set("min_width", r.MinWidth);
        Set("max_width", r.MaxWidth);
        Set("min_height", r.MinHeight);
        Set("max_height", r.MaxHeight);
        Set("uploader", r.UploaderId);
        return new JsonObject
        {
            ["id"] = r.Id,
            ["name"] = r.Name,
            ["folder_id"] = r.FolderId,
            ["folder_path"] = paths.GetValueOrDefault(r.FolderId, ""),
            ["enabled"] = r.Enabled,
            ["priority"] = r.Priority,
            ["conditions"] = conditions,
        };
    }
}
