using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using PressMcp.Abilities;

namespace PressMcp.Tests.Abilities;

internal sealed record SampleInput
{
    [Range(1, long.MaxValue), Description("The thing's id")]
    public required long ThingId { get; init; }

    [StringLength(20, MinimumLength = 1)]
    public string? Title { get; init; }

    [AllowedValues("draft", "publish")]
    public string? Status { get; init; }

    [MaxLength(3)]
    public IReadOnlyList<long>? Tags { get; init; }

    [DateTimeText]
    public string? Date { get; init; }

    public bool Flag { get; init; }

    public int Count { get; set; } = 7;
}

internal sealed record Node(string Name, IReadOnlyList<Node> Children, string? Note);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SampleInput))]
[JsonSerializable(typeof(Node))]
internal sealed partial class SampleJson : JsonSerializerContext;

[Trait(Category.Name, Category.Unit)]
public sealed class AbilitySchemaTests(ITestOutputHelper output)
{
    private static readonly SchemaValidator Input = new(JsonSerializer.SerializeToElement(AbilitySchema.Input(SampleJson.Default.SampleInput, siteScoped: true), AbilityJson.Default.JsonObject));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Input_GeneratedFromTheRecord_SiteFirst_RequiredStrictBounded()
    {
        var schema = AbilitySchema.Input(SampleJson.Default.SampleInput, siteScoped: true);
        output.WriteLine(schema.ToJsonString());
        Assert.Equal(["wpcom_site", "thing_id", "title", "status", "tags", "date", "flag", "count"], schema["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["wpcom_site", "thing_id"], schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        Assert.Equal("The thing's id", schema["properties"]!["thing_id"]!["description"]!.GetValue<string>());
        // Optional members are given or left out: null is not among their types.
        Assert.Equal("string", schema["properties"]!["title"]!["type"]!.GetValue<string>());

        Assert.Null(Input.Validate(Json("""{"wpcom_site":"a","thing_id":3,"title":"x","status":"draft","tags":[1,2],"date":"2026-01-01T00:00:00Z","flag":true}""")));
        Assert.Equal("wpcom_site is required", Input.Validate(Json("""{"thing_id":3}""")));
        Assert.Equal("thing_id is required", Input.Validate(Json("""{"wpcom_site":1}""")));
        Assert.Equal("thing_id must be at least 1", Input.Validate(Json("""{"wpcom_site":1,"thing_id":0}""")));
        Assert.Equal("title must not be empty", Input.Validate(Json("""{"wpcom_site":1,"thing_id":1,"title":""}""")));
        Assert.Equal("title must be at most 20 characters", Input.Validate(Json("""{"wpcom_site":1,"thing_id":1,"title":"123456789012345678901"}""")));
        Assert.Equal("title must be a string, not null", Input.Validate(Json("""{"wpcom_site":1,"thing_id":1,"title":null}""")));
        Assert.Equal("status must be one of draft, publish", Input.Validate(Json("""{"wpcom_site":1,"thing_id":1,"status":"x"}""")));
        Assert.Equal("tags must have at most 3 items", Input.Validate(Json("""{"wpcom_site":1,"thing_id":1,"tags":[1,2,3,4]}""")));
        Assert.StartsWith("date must be a date and time", Input.Validate(Json("""{"wpcom_site":1,"thing_id":1,"date":"soon"}""")));
        Assert.StartsWith("unknown field 'other'", Input.Validate(Json("""{"wpcom_site":1,"thing_id":1,"other":1}""")));
    }

    [Fact]
    public void Input_Read_DefaultsOfAbsentMembersKept_OthersAsGiven()
    {
        var input = Json("""{"wpcom_site":1,"thing_id":3,"tags":[4]}""").Deserialize(SampleJson.Default.SampleInput)!;
        Assert.Equal(3, input.ThingId);
        Assert.Equal(7, input.Count);
        Assert.Equal([4L], input.Tags);
        Assert.Null(input.Title);
        Assert.Equal(9, Json("""{"thing_id":3,"count":9}""").Deserialize(SampleJson.Default.SampleInput)!.Count);
    }

    [Fact]
    public void Input_EmptyRecord_RefusesEveryMember()
    {
        var schema = new SchemaValidator(JsonSerializer.SerializeToElement(AbilitySchema.Input(AbilityJson.Default.NoInput, siteScoped: false), AbilityJson.Default.JsonObject));
        Assert.Null(schema.Validate(Json("{}")));
        Assert.StartsWith("unknown field 'surprise'", schema.Validate(Json("""{"surprise":1}""")));
    }

    [Fact]
    public void WithoutSite_RemovesTheSiteArgumentOnly()
    {
        var schema = AbilitySchema.WithoutSite(AbilitySchema.Input(SampleJson.Default.SampleInput, siteScoped: true));
        Assert.False(schema["properties"]!.AsObject().ContainsKey("wpcom_site"));
        Assert.Equal(["thing_id"], schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void Output_RecursiveRecord_ValidatedThroughItsReference()
    {
        var schema = AbilitySchema.Output(SampleJson.Default.Node);
        output.WriteLine(schema.ToJsonString());
        var validator = new SchemaValidator(JsonSerializer.SerializeToElement(schema, AbilityJson.Default.JsonObject));
        var tree = new Node("a", [new Node("b", [new Node("c", [], null)], "n")], null);
        Assert.Null(validator.Validate(JsonSerializer.SerializeToElement(tree, SampleJson.Default.Node)));
        // A wrong value deep in the recursion is found through the reference.
        Assert.Equal("children[0].children[0].name must be a string, not a number",
            validator.Validate(Json("""{"name":"a","note":null,"children":[{"name":"b","note":null,"children":[{"name":1,"note":null,"children":[]}]}]}""")));
    }
}

/// <summary>Serialized with System.Text.Json's defaults (PascalCase, nothing required): not how abilities must be.</summary>
[JsonSerializable(typeof(SampleInput))]
internal sealed partial class DefaultOptionsJson : JsonSerializerContext;

internal sealed class WronglySerializedAbility : Ability<SampleInput, SampleInput>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new("test/wrong", "Wrong", "Serialized with other options", "test", AbilityAnnotations.Read, [], null,
        SiteScoped: false, DefaultOptionsJson.Default.SampleInput, DefaultOptionsJson.Default.SampleInput);

    protected override Task<Outcome<SampleInput>> ExecuteAsync(SampleInput input, AbilityCall call, CancellationToken ct) => Task.FromResult<Outcome<SampleInput>>(input);
}

internal sealed class SampleAbility : Ability<SampleInput, Node>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new("test/sample", "Sample", "Well made", "test", AbilityAnnotations.Read, [], null,
        SiteScoped: true, SampleJson.Default.SampleInput, SampleJson.Default.Node);

    protected override Task<Outcome<Node>> ExecuteAsync(SampleInput input, AbilityCall call, CancellationToken ct) => Task.FromResult<Outcome<Node>>(new Node(input.Title ?? "", [], null));
}

[Trait(Category.Name, Category.Unit)]
public sealed class AbilityRegistrationTests
{
    [Fact]
    public void Of_TypesSerializedWithOtherOptions_RefusedAtStartUp()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Ability.Of<WronglySerializedAbility>());
        Assert.Contains("AbilityJson's options", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_WellMadeAbility_SchemasFromItsRecords_SiteOnlyWhereTheEndpointDoesNotGiveIt()
    {
        var ability = Ability.Of<SampleAbility>();
        Assert.Equal("test/sample", ability.Name);
        Assert.True(ability.InputSchema.GetProperty("properties").TryGetProperty("wpcom_site", out _));
        Assert.False(ability.InputSchemaWithoutSite.GetProperty("properties").TryGetProperty("wpcom_site", out _));
        Assert.True(ability.OutputSchema.GetProperty("properties").TryGetProperty("children", out _));
    }
}
