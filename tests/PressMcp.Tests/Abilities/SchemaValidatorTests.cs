using System.Text.Json;
using PressMcp.Abilities;

namespace PressMcp.Tests.Abilities;

[Trait(Category.Name, Category.Unit)]
public sealed class SchemaValidatorTests
{
    private static readonly SchemaValidator Schema = new(JsonDocument.Parse("""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["wpcom_site"],
          "properties": {
            "wpcom_site": { "type": "string", "minLength": 1, "description": "id, slug or host" },
            "per_page": { "type": "integer", "minimum": 1, "maximum": 100 },
            "status": { "type": "string", "enum": ["publish", "draft"] },
            "after": { "type": "string", "format": "date-time" },
            "folder_id": { "anyOf": [ { "type": "integer", "minimum": 1 }, { "type": "string", "pattern": "^[^/]+(/[^/]+)*$" } ] },
            "ids": { "type": "array", "items": { "type": "integer" }, "minItems": 1, "maxItems": 3 },
            "meta": { "type": "object", "properties": { "key": { "type": "string" } }, "required": ["key"] }
          }
        }
        """).RootElement);

    private static string? Check(string json) => Schema.Validate(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("""{"wpcom_site":"news"}""")]
    [InlineData("""{"wpcom_site":"news","per_page":100,"status":"draft","after":"2026-01-31T12:00:00Z"}""")]
    [InlineData("""{"wpcom_site":"news","folder_id":7}""")]
    [InlineData("""{"wpcom_site":"news","folder_id":"Photos/2026/Trips","ids":[1,2,3],"meta":{"key":"mood"}}""")]
    [InlineData("""{"wpcom_site":"news","per_page":10.0}""")]
    public void Validate_ConformingInput_Passes(string json) => Assert.Null(Check(json));

    [Theory]
    [InlineData("""{}""", "wpcom_site is required")]
    [InlineData("""[]""", "the input must be an object, not an array")]
    [InlineData("""{"wpcom_site":5}""", "wpcom_site must be a string, not a number")]
    [InlineData("""{"wpcom_site":""}""", "wpcom_site must not be empty")]
    [InlineData("""{"wpcom_site":"x","per_page":0}""", "per_page must be at least 1")]
    [InlineData("""{"wpcom_site":"x","per_page":101}""", "per_page must be at most 100")]
    [InlineData("""{"wpcom_site":"x","per_page":1.5}""", "per_page must be an integer, not a number")]
    [InlineData("""{"wpcom_site":"x","status":"published"}""", "status must be one of publish, draft")]
    [InlineData("""{"wpcom_site":"x","after":"yesterday"}""", "after must be a date and time")]
    [InlineData("""{"wpcom_site":"x","folder_id":"/abs"}""", "folder_id has an invalid format")]
    [InlineData("""{"wpcom_site":"x","ids":[]}""", "ids must have at least 1 item(s)")]
    [InlineData("""{"wpcom_site":"x","ids":[1,"two"]}""", "ids[1] must be an integer, not a string")]
    [InlineData("""{"wpcom_site":"x","meta":{}}""", "meta.key is required")]
    [InlineData("""{"wpcom_site":"x","surprise":1}""", "unknown field 'surprise'")]
    public void Validate_BadInput_NamesTheField(string json, string expected)
    {
        var error = Check(json);
        Assert.NotNull(error);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"wpcom_site":"a\ud800"}""", "wpcom_site is not valid Unicode text")]
    [InlineData("""{"wpcom_site":"\udc00\ud800"}""", "wpcom_site is not valid Unicode text")]
    [InlineData("""{"wpcom_site":"x","status":"\ud800"}""", "status is not valid Unicode text")]
    [InlineData("""{"wpcom_site":"x","meta":{"key":"\ud83d"}}""", "meta.key is not valid Unicode text")]
    [InlineData("""{"wpcom_site":"x","\ud800":1}""", "the field name '\uFFFD' is not valid Unicode text")]
    // Before a required field (found by the fuzzer: the look-up of the required name threw on the name before it).
    [InlineData("""{"\udc00\ud800":1,"wpcom_site":"x"}""", "the field name '\uFFFD\uFFFD' is not valid Unicode text")]
    [InlineData("""{"wpcom_site":"x","meta":{"\ud800":1,"key":"k"}}""", "the field name 'meta.\uFFFD' is not valid Unicode text")]
    public void Validate_TextThatIsNotUnicode_NamesTheField(string json, string expected)
    {
        var error = Check(json);
        Assert.NotNull(error);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    // maxLength counts UTF-16 code units of the decoded text, as string.Length does, whether or not the JSON escapes them.
    [InlineData("\"\\u00e9\\u00e9\\u00e9\"", null)]
    [InlineData("\"\\u00e9\\u00e9\\u00e9\\n\"", "s must be at most 3 characters")]
    [InlineData("\"é\\\"é\"", null)]
    [InlineData("\"\\ud83d\\ude00x\"", null)]
    [InlineData("\"😀xy\"", "s must be at most 3 characters")]
    public void Validate_MaxLength_CountsDecodedText(string value, string? expected)
    {
        var schema = new SchemaValidator(JsonDocument.Parse("""{"type":"object","properties":{"s":{"type":"string","maxLength":3}}}""").RootElement);
        Assert.Equal(expected, schema.Validate(JsonDocument.Parse("{\"s\":" + value + "}").RootElement));
    }

    [Fact]
    public void Validate_HandledMember_IsNeitherRequiredNorChecked()
    {
        Assert.Null(Schema.Validate(JsonDocument.Parse("""{"per_page":5}""").RootElement, ["wpcom_site"]));
        Assert.Null(Schema.Validate(JsonDocument.Parse("""{"wpcom_site":{},"user_confirmed":true}""").RootElement, ["wpcom_site", "user_confirmed"]));
        Assert.StartsWith("per_page must be at most 100", Schema.Validate(JsonDocument.Parse("""{"per_page":500}""").RootElement, ["wpcom_site"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_UnsupportedKeyword_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new SchemaValidator(JsonDocument.Parse("""{"type":"object","patternProperties":{}}""").RootElement));
}
