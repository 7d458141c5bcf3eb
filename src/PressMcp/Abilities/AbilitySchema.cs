using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace PressMcp.Abilities;

/// <summary>A string property holding a date and time (ISO 8601): <c>"format": "date-time"</c> in the schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DateTimeTextAttribute : Attribute;

/// <summary>
/// The JSON Schemas of an ability, generated from its input and output records by System.Text.Json's
/// <see cref="JsonSchemaExporter"/>, so a schema cannot drift from the type it describes. Descriptions and bounds are
/// attributes on the properties (<see cref="DescriptionAttribute"/>, <see cref="RangeAttribute"/>,
/// <see cref="StringLengthAttribute"/>, <see cref="MinLengthAttribute"/>/<see cref="MaxLengthAttribute"/> for arrays,
/// <see cref="AllowedValuesAttribute"/>, <see cref="DateTimeTextAttribute"/>). Input schemas are strict: no member
/// beyond the record's, and an optional member is given or left out, never <c>null</c>.
/// </summary>
internal static class AbilitySchema
{
    /// <summary>The site argument every site-scoped ability takes (WordPress.com's name for it).</summary>
    public const string SiteArgument = "wpcom_site";

    private static readonly JsonSchemaExporterOptions InputOptions = new() { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = (c, n) => Transform(c, n, input: true) };
    private static readonly JsonSchemaExporterOptions OutputOptions = new() { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = (c, n) => Transform(c, n, input: false) };

    /// <summary>The input schema; a site-scoped ability's starts with the required <c>wpcom_site</c>.</summary>
    public static JsonObject Input(JsonTypeInfo type, bool siteScoped)
    {
        var schema = type.GetJsonSchemaAsNode(InputOptions).AsObject();
        if (!siteScoped) return schema;
        var properties = new JsonObject { [SiteArgument] = SiteProperty() };
        foreach (var (name, value) in (schema["properties"] as JsonObject ?? []).ToList())
            properties[name] = value?.DeepClone();
        schema["properties"] = properties;
        schema["required"] = new JsonArray([SiteArgument, .. (schema["required"] as JsonArray ?? []).Select(r => r?.DeepClone())]);
        return schema;
    }

    public static JsonObject Output(JsonTypeInfo type) => type.GetJsonSchemaAsNode(OutputOptions).AsObject();

    /// <summary><paramref name="schema"/> without <c>wpcom_site</c>: where an endpoint or a tool supplies the site itself.</summary>
    public static JsonObject WithoutSite(JsonObject schema)
    {
        var copy = schema.DeepClone().AsObject();
        (copy["properties"] as JsonObject)?.Remove(SiteArgument);
        if (copy["required"] is JsonArray required)
        {
            var rest = required.Where(r => r?.GetValue<string>() != SiteArgument).Select(r => r?.DeepClone()).ToArray();
            if (rest.Length == 0) copy.Remove("required");
            else copy["required"] = new JsonArray(rest);
        }
        return copy;
    }

    /// <summary>The site property as schema text, for a tool that writes its schema by hand (content authoring).</summary>
    public static readonly string SitePropertyText = $"\"{SiteArgument}\":{SiteProperty().ToJsonString()}";

    /// <summary>An id, a slug or a host name.</summary>
    private static JsonObject SiteProperty() => new()
    {
        ["anyOf"] = new JsonArray(
            new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            new JsonObject { ["type"] = "integer", ["minimum"] = 1 }),
        ["description"] = "The site: its id, slug or host name",
    };

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema, bool input)
    {
        if (context.TypeInfo.Type.GetCustomAttributes(typeof(JsonSchemaTextAttribute), inherit: false) is [JsonSchemaTextAttribute own])
            schema = JsonNode.Parse(own.Schema)!;
        if (schema is not JsonObject node) return schema;
        // A list of such a type: the exporter sees only a converter for the items (the schema true), leaves "items" out
        // and never shows them to this transform, so the element type's own schema is put in here.
        if (context.TypeInfo.ElementType?.GetCustomAttributes(typeof(JsonSchemaTextAttribute), inherit: false) is [JsonSchemaTextAttribute items] && !node.ContainsKey("items"))
            node["items"] = JsonNode.Parse(items.Schema);
        var property = context.PropertyInfo;
        if (property?.AttributeProvider is { } provider)
        {
            var array = IsType(node, "array");
            foreach (var attribute in provider.GetCustomAttributes(inherit: true))
            {
                switch (attribute)
                {
                    case DescriptionAttribute d: node["description"] = d.Description; break;
                    case RangeAttribute r:
                        node["minimum"] = Number(r.Minimum);
                        if (Number(r.Maximum) is { } max && max < long.MaxValue) node["maximum"] = max;
                        break;
                    case StringLengthAttribute s:
                        if (s.MinimumLength > 0) node["minLength"] = s.MinimumLength;
                        node["maxLength"] = s.MaximumLength;
                        break;
                    case MinLengthAttribute m: node[array ? "minItems" : "minLength"] = m.Length; break;
                    case MaxLengthAttribute m: node[array ? "maxItems" : "maxLength"] = m.Length; break;
                    case AllowedValuesAttribute a: node["enum"] = new JsonArray([.. a.Values.Select(v => JsonValue.Create(v?.ToString()))]); break;
                    case RegularExpressionAttribute p: node["pattern"] = p.Pattern; break;
                    case DateTimeTextAttribute: node["format"] = "date-time"; break;
                }
            }
        }
        if (input)
        {
            // An optional input member is given or left out: null is not a value an agent means.
            if (property is { IsRequired: false } && node["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null"))
            {
                var rest = types.Where(t => t?.GetValue<string>() != "null").Select(t => t!.GetValue<string>()).ToArray();
                node["type"] = rest.Length == 1 ? rest[0] : new JsonArray([.. rest.Select(t => JsonValue.Create(t))]);
            }
            // Every record is strict, an empty one (no input but the site) included: a misspelt member is refused by name.
            if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && !node.ContainsKey("$ref") && !node.ContainsKey("additionalProperties"))
            {
                node["properties"] ??= new JsonObject();
                node["additionalProperties"] = false;
            }
        }
        return node;
    }

    private static bool IsType(JsonObject node, string type) => node["type"] switch
    {
        JsonValue v => v.GetValue<string>() == type,
        JsonArray a => a.Any(t => t?.GetValue<string>() == type),
        _ => false,
    };

    private static long? Number(object? value) => value switch
    {
        null => null,
        int i => i,
        long l => l,
        double d => d >= long.MaxValue ? long.MaxValue : (long)d,
        string s => long.Parse(s, CultureInfo.InvariantCulture),
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };
}
