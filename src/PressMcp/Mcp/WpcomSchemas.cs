using System.Text.Json.Nodes;
using PressMcp.Abilities;

namespace PressMcp.Mcp;

/// <summary>
/// The JSON Schemas <c>describe</c> returns for an operation, in WordPress.com's shapes: the input is the ability's
/// own schema (without the site) put through the operation's table (<see cref="AuthoringOperation"/>) the way
/// <see cref="WpcomArguments"/> puts a call through it, so the two cannot disagree; the output is the REST-style
/// object <see cref="WpcomResults"/> makes.
/// </summary>
internal static class WpcomSchemas
{
    public static JsonObject Input(AuthoringOperation operation, Ability ability, Ability? permanent)
    {
        var schema = JsonNode.Parse(ability.InputSchemaWithoutSite.GetRawText())!.AsObject();
        var properties = schema["properties"] as JsonObject ?? [];
        var required = (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToList();

        foreach (var name in operation.Fixed?.Select(f => f.Key) ?? [])
        {
            properties.Remove(name);
            required.Remove(name);
        }
        foreach (var name in WpcomArguments.RawFields)
        {
            if (properties[name] is not JsonObject text || text["type"]?.GetValue<string>() != "string") continue;
            var plain = text.DeepClone().AsObject();
            var description = plain["description"]?.GetValue<string>();
            plain.Remove("description");
            properties[name] = new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    new JsonObject { ["type"] = "object", ["required"] = new JsonArray("raw"), ["additionalProperties"] = false, ["properties"] = new JsonObject { ["raw"] = plain.DeepClone() } },
                    plain),
                ["description"] = (description is null ? "" : description + ". ") + "WordPress.com's {\"raw\": \"…\"}, or a plain string",
            };
        }
        foreach (var (wpcom, member) in operation.Renames)
        {
            if (properties[member] is not { } node) continue;
            properties.Remove(member);
            properties[wpcom] = node;
            var at = required.IndexOf(member);
            if (at >= 0) required[at] = wpcom;
        }
        if (operation.IdMember is { } idMember && properties[idMember] is { } id)
        {
            // WordPress.com names the object id; the ability's own name stays accepted (one of the two is required).
            properties["id"] = id.DeepClone();
            properties[idMember]!.AsObject()["description"] = $"The same as id (PressMcp's name for it)";
            if (required.Remove(idMember))
                schema["anyOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("id") }, new JsonObject { ["required"] = new JsonArray(idMember) });
        }
        if (properties["meta"] is JsonObject meta)
        {
            meta["description"] = "Custom fields to set or delete (null). Values are strings, numbers or booleans (true is stored as 1, false as empty), " +
                "among them WordPress.com's SEO fields: advanced_seo_description (the meta description), jetpack_seo_html_title (the page's <title>), jetpack_seo_noindex (true asks search engines not to index it)";
            meta["additionalProperties"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean", "null") };
        }
        if (operation.StatusAbility is not null)
            properties["status"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("approved", "hold", "spam", "trash"), ["description"] = "Moderates the comment; give it with id alone" };
        if (permanent is not null)
        {
            properties[WpcomArguments.Force] = new JsonObject { ["type"] = "boolean", ["description"] = "true deletes for good instead of moving to the trash; needs confirm_permanent_delete: true" };
            properties[WpcomArguments.ConfirmPermanentDelete] = new JsonObject { ["type"] = "boolean", ["description"] = "Must be true with force: the user confirmed a deletion that cannot be undone" };
        }
        properties[WpcomArguments.IncludeFields] = new JsonObject
        {
            ["type"] = "array",
            ["maxItems"] = WpcomArguments.MaxIncludeFields,
            ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = WpcomArguments.MaxFieldName },
            ["description"] = "Only these fields of the result (names or dotted paths such as title.raw); id is always included; names the result lacks are ignored",
        };
        if (!ability.Annotations.ReadOnly)
            properties["user_confirmed"] = new JsonObject { ["type"] = "boolean", ["description"] = "true once the user confirmed this change (or give it beside params)" };
        schema["properties"] = properties;
        if (required.Count > 0) schema["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        else schema.Remove("required");
        return schema;
    }

    public static JsonObject Output(AuthoringOperation operation, Ability ability)
    {
        JsonObject Of(ResultShape shape) => shape switch
        {
            ResultShape.Post => Parse(PostSchema),
            ResultShape.Comment => Parse(CommentSchema),
            ResultShape.Term => Parse(TermSchema),
            ResultShape.Media => Parse(MediaSchema),
            ResultShape.PostDeleted => Deleted(Parse("""{"type":"object","properties":{"id":{"type":"integer"},"type":{"type":"string"},"title":{"type":"object"},"status":{"type":"string"}}}""")),
            ResultShape.CommentDeleted => Deleted(Parse(CommentSchema)),
            ResultShape.TermDeleted => Deleted(Parse("""{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"taxonomy":{"type":"string"}}}""")),
            ResultShape.MediaDeleted => Deleted(Parse(MediaSchema)),
            _ => JsonNode.Parse(ability.OutputSchema.GetRawText())!.AsObject(),
        };
        var schema = Of(operation.Shape);
        if (operation.PermanentAbility is not null)
            return new JsonObject { ["anyOf"] = new JsonArray(schema, Of(operation.PermanentShape)), ["description"] = "Without force: the object, now in the trash. With force: {deleted, previous}" };
        return schema;
    }

    private static JsonObject Deleted(JsonObject previous) => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("id", "deleted"),
        ["properties"] = new JsonObject
        {
            ["id"] = new JsonObject { ["type"] = "integer" },
            ["deleted"] = new JsonObject { ["type"] = "boolean", ["enum"] = new JsonArray(true) },
            ["previous"] = previous,
            ["revisions_deleted"] = new JsonObject { ["type"] = "integer" },
            ["note"] = new JsonObject { ["type"] = "string" },
        },
    };

    private static JsonObject Parse(string text) => JsonNode.Parse(text)!.AsObject();

    private const string Rendered = """{"type":"object","properties":{"raw":{"type":"string"},"rendered":{"type":"string"}}}""";

    private const string PostSchema = $$$$"""
        {"type":"object","required":["id"],"description":"Fields outside include_fields are left out","properties":{
          "id":{"type":"integer"},"type":{"type":"string","enum":["post","page"]},"date":{"type":"string"},"modified":{"type":"string"},
          "slug":{"type":"string"},"status":{"type":"string","enum":["publish","future","draft","pending","private","trash"]},"link":{"type":"string"},
          "title":{{{{Rendered}}}},"content":{{{{Rendered}}}},"excerpt":{{{{Rendered}}}},
          "author":{"type":"integer"},"featured_media":{"type":"integer"},"comment_status":{"type":"string","enum":["open","closed"]},
          "meta":{"type":"object","description":"Custom fields, as text"},
          "categories":{"type":"array","items":{"type":"integer"},"description":"Posts only"},"tags":{"type":"array","items":{"type":"integer"},"description":"Posts only"},
          "parent":{"type":"integer","description":"Pages only; 0 at the top level"},"menu_order":{"type":"integer","description":"Pages only"},
          "revision_id":{"type":"integer","description":"PressMcp: the revision keeping the version this write replaced"},
          "note":{"type":"string","description":"PressMcp: present when the result differs from what was asked, and why"}}}
        """;

    private const string CommentSchema = $$$$"""
        {"type":"object","required":["id"],"properties":{
          "id":{"type":"integer"},"post":{"type":"integer"},"parent":{"type":"integer","description":"0 for a comment on the post"},
          "author_name":{"type":"string"},"date":{"type":"string"},"status":{"type":"string","enum":["approved","hold","spam","trash"]},
          "content":{{{{Rendered}}}},"link":{"type":"string"},
          "previous_status":{"type":"string","enum":["approved","hold","spam","trash"]},"note":{"type":"string"}}}
        """;

    private const string TermSchema = """
        {"type":"object","required":["id"],"properties":{
          "id":{"type":"integer"},"name":{"type":"string"},"slug":{"type":"string"},"description":{"type":"string"},
          "parent":{"type":"integer","description":"0 at the top level (tags: always 0)"},"taxonomy":{"type":"string"},"link":{"type":"string"}}}
        """;

    private const string MediaSchema = $$$$"""
        {"type":"object","required":["id"],"properties":{
          "id":{"type":"integer"},"date":{"type":"string"},"modified":{"type":"string"},"slug":{"type":"string"},"type":{"type":"string"},
          "author":{"type":"integer"},"title":{{{{Rendered}}}},"alt_text":{"type":"string"},"caption":{{{{Rendered}}}},"description":{{{{Rendered}}}},
          "media_type":{"type":"string","enum":["image","file"]},"mime_type":{"type":"string"},"source_url":{"type":"string"},
          "post":{"type":["integer","null"],"description":"The post or page it is attached to"}}}
        """;
}
