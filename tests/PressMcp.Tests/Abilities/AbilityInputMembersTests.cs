using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PressMcp.Abilities;

namespace PressMcp.Tests.Abilities;

/// <summary>
/// Every argument an ability's input schema publishes must be one a caller can set: a settable (<c>init</c>/<c>set</c>)
/// member or a constructor parameter of its record, at every depth. A computed get-only member (a property derived
/// from the arguments) would otherwise be published as an argument that the deserializer then ignores: the agent's
/// value is silently dropped. Checked here by reflection over the published schemas of every ability class in the
/// application, not at start-up (reading the serializer's property metadata while registering broke every call).
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class AbilityInputMembersTests(ITestOutputHelper output)
{
    public static TheoryData<string> AbilityClasses() => [.. Definitions().Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(AbilityClasses))]
    public void InputSchema_EveryPublishedProperty_IsASettableMemberOfItsRecord(string abilityClass)
    {
        var info = InfoOf(Definitions().Single(t => t.FullName == abilityClass));
        var schema = AbilitySchema.Input(info.Input, info.SiteScoped);
        var problems = new List<string>();
        Check(schema, info.Input.Type, info.Name, "", problems, info.SiteScoped);
        output.WriteLine(schema.ToJsonString());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheCheck_FindsAComputedMember_AndPassesSettableOnes()
    {
        var problems = new List<string>();
        var schema = JsonNode.Parse("""{"type":"object","properties":{"given":{"type":"string"},"from_constructor":{"type":"integer"},"derived":{"type":"string"},"inner":{"type":"object","properties":{"also_derived":{"type":"boolean"}}}}}""")!.AsObject();
        Check(schema, typeof(WithComputed), "sample", "", problems, siteScoped: false);
        Assert.Equal(["sample: derived is published but WithComputed.Derived is computed (get-only, no constructor parameter)",
            "sample: inner.also_derived is published but Inner.AlsoDerived is computed (get-only, no constructor parameter)"], problems);
    }

    [Fact]
    public void Definitions_AreFound()
    {
        // The catalogue has dozens of abilities; a reflection mistake must not pass by checking none.
        Assert.True(Definitions().Count() > 50, $"found {Definitions().Count()} ability classes");
    }

    private sealed record WithComputed(long FromConstructor)
    {
        public string? Given { get; init; }
        public string Derived => Given ?? "none";
        public Inner? Inner { get; init; }
    }

    private sealed record Inner
    {
        public bool AlsoDerived => true;
    }

    private static IEnumerable<Type> Definitions() =>
        typeof(IAbilityDefinition).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAbilityDefinition).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static AbilityInfo InfoOf(Type definition) =>
        (AbilityInfo)definition.GetProperty(nameof(IAbilityDefinition.Info), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static void Check(JsonObject schema, Type type, string ability, string prefix, List<string> problems, bool siteScoped)
    {
        foreach (var shape in Shapes(schema))
        {
            if (shape["properties"] is not JsonObject properties) continue;
            foreach (var (name, node) in properties)
            {
                if (siteScoped && prefix.Length == 0 && name == AbilitySchema.SiteArgument) continue;
                var member = MemberOf(type, name);
                var where = $"{ability}: {prefix}{name}";
                if (member is null)
                {
                    problems.Add($"{where} is published but {type.Name} has no member of that name");
                    continue;
                }
                if (member.SetMethod is null && !IsConstructorParameter(type, member.Name))
                {
                    problems.Add($"{where} is published but {type.Name}.{member.Name} is computed (get-only, no constructor parameter)");
                    continue;
                }
                if (node is JsonObject child && NestedType(member.PropertyType) is { } nested)
                    Check(child, nested, ability, prefix + name + ".", problems, siteScoped: false);
            }
        }
    }

    /// <summary>The object shapes a schema node allows: itself, its array items, and its anyOf/oneOf branches.</summary>
    private static IEnumerable<JsonObject> Shapes(JsonObject schema)
    {
        yield return schema;
        if (schema["items"] is JsonObject items)
            foreach (var shape in Shapes(items)) yield return shape;
        foreach (var key in new[] { "anyOf", "oneOf" })
            if (schema[key] is JsonArray branches)
                foreach (var branch in branches.OfType<JsonObject>())
                    foreach (var shape in Shapes(branch)) yield return shape;
    }

    private static PropertyInfo? MemberOf(Type type, string name) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .FirstOrDefault(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)) == name);

    private static bool IsConstructorParameter(Type type, string member) =>
        type.GetConstructors().Any(c => c.GetParameters().Any(p => string.Equals(p.Name, member, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The record a member's schema was generated from (through Nullable and collections), or null for a value or hand-written schema.</summary>
    private static Type? NestedType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type)) return null;
        // A type read by a converter of its own says its schema in text; there is no record behind it.
        if (type.GetCustomAttribute<JsonSchemaTextAttribute>() is not null) return null;
        if (type.IsArray) return NestedType(type.GetElementType()!);
        if (typeof(IDictionary).IsAssignableFrom(type)) return null;
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var arguments = type.GetGenericArguments();
            // A dictionary's values are keyed by the caller's names, not the record's members.
            return arguments.Length == 1 ? NestedType(arguments[0]) : null;
        }
        return type.IsClass || type.IsValueType ? type : null;
    }
}
