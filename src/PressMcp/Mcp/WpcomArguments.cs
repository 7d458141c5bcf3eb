using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;

namespace PressMcp.Mcp;

/// <summary>One execute call in the ability's terms: which ability, its input, how to shape its result, and which fields to keep.</summary>
internal sealed record AuthoringCall(string Ability, JsonElement Input, ResultShape Shape, IReadOnlyList<string>? IncludeFields);

/// <summary>
/// WordPress.com's argument shapes mapped onto the abilities' own, in one place for every operation, so the
/// abilities' schemas stay strict and single-shaped: <c>title</c>, <c>content</c>, <c>excerpt</c>, <c>caption</c> and
/// <c>description</c> as <c>{"raw": "…"}</c> or a string; <c>id</c> for the object (the ability's post_id or
/// comment_id stay accepted); <c>meta</c> values as strings, numbers or booleans (WordPress.com's
/// <c>jetpack_seo_noindex</c> is a boolean; post meta is text); <c>include_fields</c>; <c>force</c> with
/// <c>confirm_permanent_delete</c> for a delete for good. Everything else is passed on for the ability's schema to
/// judge, so an unknown or malformed argument is still refused by name. Work is linear in the size of params.
/// </summary>
internal static class WpcomArguments
{
    public const string IncludeFields = "include_fields";
    public const string ConfirmPermanentDelete = "confirm_permanent_delete";
    public const string Force = "force";
    public const int MaxIncludeFields = 50;
    public const int MaxFieldName = 100;

    /// <summary>Fields WordPress.com gives as <c>{"raw": "…"}</c> (a plain string stays accepted).</summary>
    public static readonly IReadOnlyList<string> RawFields = ["title", "content", "excerpt", "caption", "description"];

    public static Outcome<AuthoringCall> Map(AuthoringOperation operation, JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object) return Problem.Invalid("params must be an object");
        // Each member as its JSON text, copied as given (never decoded here): text that is not valid Unicode reaches the
        // ability's schema, which refuses it by name, and the call is logged like any invalid one.
        var input = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string>? include = null;
        bool force = false, confirmed = false;
        JsonElement? id = null;
        foreach (var property in parameters.EnumerateObject())
        {
            var (name, value) = (property.Name, property.Value);
            switch (name)
            {
                // The tool's own confirmation (read by ContentAuthoringTool), not the operation's input.
                case "user_confirmed":
                    continue;
                case IncludeFields:
                    var fields = ReadFields(value);
                    if (!fields.Succeeded) return fields.Problem!;
                    include = fields.Value;
                    continue;
                case Force:
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return Problem.Invalid("force must be true or false");
                    force = value.ValueKind == JsonValueKind.True;
                    continue;
                case "id":
                    id = value;
                    continue;
                case "meta":
                    var meta = Meta(value);
                    if (!meta.Succeeded) return meta.Problem!;
                    input["meta"] = meta.Value!;
                    continue;
            }
            if (name == ConfirmPermanentDelete)
            {
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return Problem.Invalid("confirm_permanent_delete must be true or false");
                confirmed = value.ValueKind == JsonValueKind.True;
            }
            if (RawFields.Contains(name))
            {
                var text = Raw(name, value);
                if (!text.Succeeded) return text.Problem!;
                input[name] = text.Value!;
                continue;
            }
            var member = operation.Renames.FirstOrDefault(r => r.Wpcom == name).Member ?? name;
            if (input.ContainsKey(member)) return Problem.Invalid($"{name} and {member} are the same argument; give one");
            input[member] = value.GetRawText();
        }

        if (id is { } given)
        {
            var member = operation.IdMember ?? "id";
            if (input.GetValueOrDefault(member) is { } other && other != given.GetRawText())
                return Problem.Invalid($"id and {member} name different objects; give one of them");
            input[member] = given.GetRawText();
        }

        var ability = operation.Ability;
        var shape = operation.Shape;
        JsonObject? set = operation.Fixed;
        // A term or media delete is for good already (WordPress's REST API asks force: true for them): nothing to switch.
        if (operation.Shape is ResultShape.TermDeleted or ResultShape.MediaDeleted) force = false;
        if (force)
        {
            if (operation.PermanentAbility is null) return Problem.Invalid($"force: {operation.Name} has no permanent form; leave force out");
            if (!confirmed)
                return Problem.Invalid($"force: true deletes for good, which cannot be undone, so it also needs confirm_permanent_delete: true; ask the user first (without force, {operation.Name} moves it to the trash)");
            (ability, shape, set) = (operation.PermanentAbility, operation.PermanentShape, operation.PermanentFixed);
        }
        else if (operation.StatusAbility is not null && input.GetValueOrDefault("status") is { } status)
        {
            // comments.update with a status is a moderation; WordPress.com's statuses are named as the REST API names them.
            if (input.Count > 2 || !input.ContainsKey(operation.IdMember!))
                return Problem.Invalid("status: give it with id alone (it moderates the comment); change the text or author fields in a separate call");
            var moderation = ModerationOf(status);
            if (moderation is null) return Problem.Invalid("status must be one of approved, hold, spam, trash");
            input["status"] = Quote(moderation);
            ability = operation.StatusAbility;
        }
        if (set is not null)
        {
            foreach (var (name, value) in set)
            {
                if (input.ContainsKey(name) && !force) return Problem.Invalid($"{name}: {operation.Name} sets it itself; leave it out");
                input[name] = value?.ToJsonString() ?? "null";
            }
        }
        // Only the abilities that take it keep confirm_permanent_delete (term and media deletes): elsewhere it was read above.
        if (ability != operation.Ability || operation.Shape is not (ResultShape.TermDeleted or ResultShape.MediaDeleted)) input.Remove(ConfirmPermanentDelete);
        return new AuthoringCall(ability, ObjectOf(input), shape, include);
    }

    /// <summary>An object from members given as JSON text; parsing does not decode strings, so invalid text stays for the schema to name.</summary>
    private static JsonElement ObjectOf(Dictionary<string, string> members)
    {
        var text = new System.Text.StringBuilder("{");
        foreach (var (name, value) in members)
        {
            if (text.Length > 1) text.Append(',');
            text.Append(Quote(name)).Append(':').Append(value);
        }
        using var document = JsonDocument.Parse(text.Append('}').ToString());
        return document.RootElement.Clone();
    }

    private static string Quote(string text) => $"\"{JsonEncodedText.Encode(text).Value}\"";

    // Compared as JSON text, so a status that is not valid Unicode is simply not one of these.
    private static string? ModerationOf(string status) => status switch
    {
        "\"approved\"" or "\"approve\"" => "approve",
        "\"hold\"" or "\"unapproved\"" or "\"pending\"" => "hold",
        "\"spam\"" => "spam",
        "\"trash\"" => "trash",
        _ => null,
    };

    /// <summary>A field name, or null for text that is not valid Unicode (no field is named so).</summary>
    private static string? FieldName(JsonElement item)
    {
        try
        {
            return item.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }



    /// <summary>A string, or <c>{"raw": "…"}</c> (WordPress.com's and the REST API's edit shape).</summary>
    private static Outcome<string> Raw(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String) return value.GetRawText();
        if (value.ValueKind == JsonValueKind.Object)
        {
            string? raw = null;
            foreach (var member in value.EnumerateObject())
            {
                if (member.Name != "raw") return Problem.Invalid($"{name}: expected a string or {{\"raw\": \"…\"}}, and '{member.Name}' is not read (only raw is)");
                if (member.Value.ValueKind != JsonValueKind.String) return Problem.Invalid($"{name}.raw must be a string");
                raw = member.Value.GetRawText();
            }
            return raw is null ? Problem.Invalid($"{name}: {{\"raw\": \"…\"}} needs raw") : raw;
        }
        return Problem.Invalid($"{name} must be a string or {{\"raw\": \"…\"}}");
    }

    /// <summary>Custom fields: text as stored; WordPress.com's booleans and numbers as WordPress stores them (true as 1, false as empty); null deletes.</summary>
    private static Outcome<string> Meta(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) return Problem.Invalid("meta must be an object of key: value");
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in value.EnumerateObject())
        {
            meta[field.Name] = field.Value.ValueKind switch
            {
                JsonValueKind.String => field.Value.GetRawText(),
                JsonValueKind.True => "\"1\"",
                JsonValueKind.False => "\"\"",
                JsonValueKind.Number => Quote(field.Value.GetRawText()),
                JsonValueKind.Null => "null",
                _ => "",
            };
            if (meta[field.Name].Length == 0) return Problem.Invalid($"meta.{field.Name} must be a string, number, boolean or null (null deletes it)");
        }
        return ObjectOf(meta).GetRawText();
    }

    private static Outcome<IReadOnlyList<string>> ReadFields(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) return Problem.Invalid("include_fields must be an array of field names, e.g. [\"id\", \"title\", \"link\"]");
        var fields = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (fields.Count == MaxIncludeFields) return Problem.Invalid(string.Create(CultureInfo.InvariantCulture, $"include_fields: at most {MaxIncludeFields} names"));
            if (item.ValueKind != JsonValueKind.String || FieldName(item) is not { Length: > 0 and <= MaxFieldName } name)
                return Problem.Invalid(string.Create(CultureInfo.InvariantCulture, $"include_fields: each name must be a string of 1 to {MaxFieldName} characters"));
            fields.Add(name);
        }
        return Outcome<IReadOnlyList<string>>.Ok(fields);
    }
}
