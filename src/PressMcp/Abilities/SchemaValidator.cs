using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PressMcp.Mcp;

namespace PressMcp.Abilities;

/// <summary>
/// Validates JSON input against the subset of JSON Schema (2020-12 keywords) that ability schemas use:
/// type (one or several), properties, required, additionalProperties (boolean), enum, minimum, maximum,
/// minLength, maxLength, pattern, format date-time, items, minItems, maxItems, anyOf/oneOf, local $ref, and the
/// boolean schemas true and false.
/// Why our own: input validation must name the bad field for agents to act on, and measure long strings where they
/// lie; the maintained .NET validator (JsonSchema.Net 8.0.5) took 2.5–8.6× the time on the same schemas
/// (docs/performance.md, Input validation).
/// Unknown keywords are rejected at compile time, so a schema cannot silently promise a check we skip.
/// </summary>
internal sealed class SchemaValidator
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "description", "title", "default", "examples", "$schema", "$id", "$comment", "deprecated", "readOnly", "writeOnly",
    };

    private readonly string[]? _types;
    private readonly Dictionary<string, SchemaValidator>? _properties;
    private readonly string[] _required = [];
    private readonly bool _additionalProperties = true;
    private readonly JsonElement[]? _enum;
    private readonly decimal? _minimum, _maximum;
    private readonly int? _minLength, _maxLength, _minItems, _maxItems;
    private readonly Regex? _pattern;
    private readonly bool _dateTime;
    private readonly SchemaValidator? _items;
    private readonly SchemaValidator[]? _anyOf;

    private readonly Lazy<SchemaValidator>? _ref;
    private readonly bool _never;

    public SchemaValidator(JsonElement schema) : this(schema, new Root(schema))
    {
    }

    private SchemaValidator(JsonElement schema, Root root)
    {
        // Boolean schemas: true accepts anything (an output member of any JSON), false nothing.
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            _never = schema.ValueKind == JsonValueKind.False;
            return;
        }
        if (schema.ValueKind != JsonValueKind.Object) throw new ArgumentException("a schema must be an object");
        foreach (var keyword in schema.EnumerateObject())
        {
            var v = keyword.Value;
            switch (keyword.Name)
            {
                case "type":
                    _types = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(t => t.GetString()!).ToArray() : [v.GetString()!];
                    break;
                case "properties":
                    _properties = v.EnumerateObject().ToDictionary(p => p.Name, p => new SchemaValidator(p.Value, root), StringComparer.Ordinal);
                    break;
                case "required":
                    _required = v.EnumerateArray().Select(r => r.GetString()!).ToArray();
                    break;
                case "additionalProperties":
                    _additionalProperties = v.ValueKind != JsonValueKind.False;
                    break;
                case "enum":
                    _enum = v.EnumerateArray().Select(e => e.Clone()).ToArray();
                    break;
                case "minimum": _minimum = v.GetDecimal(); break;
                case "maximum": _maximum = v.GetDecimal(); break;
                case "minLength": _minLength = v.GetInt32(); break;
                case "maxLength": _maxLength = v.GetInt32(); break;
                case "minItems": _minItems = v.GetInt32(); break;
                case "maxItems": _maxItems = v.GetInt32(); break;
                case "pattern": _pattern = new Regex(v.GetString()!, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)); break;
                case "format": _dateTime = v.GetString() == "date-time"; break;
                case "items": _items = new SchemaValidator(v, root); break;
                case "anyOf":
                case "oneOf":
                    _anyOf = v.EnumerateArray().Select(s => new SchemaValidator(s, root)).ToArray();
                    break;
                case "$ref":
                    // A recursive type (a comment's replies): a pointer into this document, compiled when first used.
                    var pointer = v.GetString()!;
                    _ref = new Lazy<SchemaValidator>(() => root.Resolve(pointer));
                    break;
                default:
                    if (!Ignored.Contains(keyword.Name)) throw new ArgumentException($"unsupported schema keyword '{keyword.Name}'");
                    break;
            }
        }
    }

    /// <summary>Null when <paramref name="value"/> conforms; otherwise the first problem, naming the field.</summary>
    public string? Validate(JsonElement value) => Check(value, "", handled: null);

    /// <summary>
    /// As <see cref="Validate(JsonElement)"/>, for input whose top-level members named in <paramref name="handled"/> the
    /// caller supplies or takes care of itself (the site an endpoint stands for): they are neither required nor checked.
    /// </summary>
    public string? Validate(JsonElement value, IReadOnlyCollection<string> handled) => Check(value, "", handled);

    private string? Check(JsonElement value, string path, IReadOnlyCollection<string>? handled = null)
    {
        if (_never) return $"{Name(path)} is not allowed";
        if (_ref is not null && _ref.Value.Check(value, path, handled) is { } referenced) return referenced;

        // Text that is not Unicode cannot be compared, measured or read: refused before any of that, naming the field.
        var textLength = 0;
        if (value.ValueKind == JsonValueKind.String && !value.TryMeasureText(out textLength)) return $"{Name(path)} {ClientJson.NotText}";

        if (_types is not null && !_types.Any(t => IsType(value, t)))
            return $"{Name(path)} must be {Describe(_types)}, not {KindOf(value)}";

        if (_anyOf is not null && !_anyOf.Any(s => s.Check(value, path) is null))
        {
            // Report the branch meant for this kind of value ("has an invalid format"), not a type mismatch of another.
            var fitting = _anyOf.FirstOrDefault(s => s._types is null || s._types.Any(t => IsType(value, t))) ?? _anyOf[0];
            return fitting.Check(value, path);
        }

        if (_enum is not null && !_enum.Any(e => JsonElement.DeepEquals(e, value)))
            return $"{Name(path)} must be one of {string.Join(", ", _enum.Select(e => e.ToString()))}";

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                if (_minimum is null && _maximum is null) break;
                if (!value.TryGetDecimal(out var number)) return $"{Name(path)} is out of range";
                if (_minimum is { } min && number < min) return $"{Name(path)} must be at least {min.ToString(CultureInfo.InvariantCulture)}";
                if (_maximum is { } max && number > max) return $"{Name(path)} must be at most {max.ToString(CultureInfo.InvariantCulture)}";
                break;
            case JsonValueKind.String:
                // Measured where it lies: a long value (an upload's base64) is not copied into a string to be counted.
                if (_minLength is { } minLength && textLength < minLength)
                    return minLength == 1 ? $"{Name(path)} must not be empty" : $"{Name(path)} must be at least {minLength} characters";
                if (_maxLength is { } maxLength && textLength > maxLength) return $"{Name(path)} must be at most {maxLength} characters";
                if (_pattern is not null && !_pattern.IsMatch(value.GetString()!)) return $"{Name(path)} has an invalid format";
                if (_dateTime && !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
                    return $"{Name(path)} must be a date and time such as 2026-01-31T12:00:00Z";
                break;
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                if (_minItems is { } minItems && count < minItems) return $"{Name(path)} must have at least {minItems} item(s)";
                if (_maxItems is { } maxItems && count > maxItems) return $"{Name(path)} must have at most {maxItems} items";
                if (_items is not null)
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (_items.Check(item, $"{path}[{i++}]") is { } error) return error;
                    }
                }
                break;
            case JsonValueKind.Object:
                // TryGetProperty decodes the names it passes and throws on one that is not text: names first.
                if (_required.Length > 0)
                    foreach (var property in value.EnumerateObject())
                        if (!property.HasTextName()) return $"the field name '{Join(path, property.DisplayName())}' {ClientJson.NotText}";
                foreach (var required in _required)
                    if (handled?.Contains(required) != true && !value.TryGetProperty(required, out _)) return $"{Name(Join(path, required))} is required";
                foreach (var property in value.EnumerateObject())
                {
                    if (!property.TryGetName(out var name)) return $"the field name '{Join(path, property.DisplayName())}' {ClientJson.NotText}";
                    if (handled?.Contains(name) == true) continue;
                    if (_properties is not null && _properties.TryGetValue(name, out var schema))
                    {
                        if (schema.Check(property.Value, Join(path, name)) is { } error) return error;
                    }
                    else if (!_additionalProperties)
                    {
                        var known = _properties is null ? "none" : string.Join(", ", _properties.Keys);
                        return $"unknown field '{Join(path, name)}' (allowed: {known})";
                    }
                }
                break;
        }
        return null;
    }

    /// <summary>The document a schema was compiled from, for <c>$ref</c> pointers (<c>#</c> or <c>#/a/b/0</c>) into it.</summary>
    private sealed class Root(JsonElement document)
    {
        private readonly Dictionary<string, SchemaValidator> _compiled = new(StringComparer.Ordinal);

        public SchemaValidator Resolve(string pointer)
        {
            lock (_compiled)
            {
                if (_compiled.TryGetValue(pointer, out var found)) return found;
                if (!pointer.StartsWith('#')) throw new ArgumentException($"only local schema references are supported, not '{pointer}'");
                var target = document;
                foreach (var token in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                    target = target.ValueKind == JsonValueKind.Array ? target[int.Parse(name, CultureInfo.InvariantCulture)] : target.GetProperty(name);
                }
                return _compiled[pointer] = new SchemaValidator(target, this);
            }
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Name(string path) => path.Length == 0 ? "the input" : path;

    private static bool IsType(JsonElement v, string type) => type switch
    {
        "string" => v.ValueKind == JsonValueKind.String,
        "integer" => v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        "number" => v.ValueKind == JsonValueKind.Number,
        "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => v.ValueKind == JsonValueKind.Object,
        "array" => v.ValueKind == JsonValueKind.Array,
        "null" => v.ValueKind == JsonValueKind.Null,
        _ => throw new ArgumentException($"unknown schema type '{type}'"),
    };

    private static string Describe(string[] types) =>
        string.Join(" or ", types.Select(t => t switch { "integer" => "an integer", "object" => "an object", "array" => "an array", "null" => "null", _ => "a " + t }));

    private static string KindOf(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
