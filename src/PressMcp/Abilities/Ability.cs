using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace PressMcp.Abilities;

/// <summary>
/// One operation an agent can perform, as the registry holds it: its <see cref="AbilityInfo"/>, the JSON Schemas
/// generated from its input and output types (each parsed and compiled once), and how to get the ability class that
/// runs it from a request's services. Every MCP tool of every endpoint is a view over these: the name, schemas and
/// annotations are what a client sees; the scopes and the capability are what <see cref="AbilityPermission"/> checks;
/// the class runs only after both checks and input validation.
/// </summary>
internal sealed class Ability
{
    private readonly Func<IServiceProvider, IAbilityHandler> _handler;

    public Ability(AbilityInfo info, Func<IServiceProvider, IAbilityHandler> handler)
    {
        if (!info.Name.Contains('/', StringComparison.Ordinal)) throw new ArgumentException($"ability name '{info.Name}' must be namespace/name");
        Info = info;
        _handler = handler;
        var input = AbilitySchema.Input(info.Input, info.SiteScoped);
        InputSchema = JsonSerializer.SerializeToElement(input, AbilityJson.Default.JsonObject);
        InputSchemaWithoutSite = info.SiteScoped ? JsonSerializer.SerializeToElement(AbilitySchema.WithoutSite(input), AbilityJson.Default.JsonObject) : InputSchema;
        OutputSchema = JsonSerializer.SerializeToElement(AbilitySchema.Output(info.Output), AbilityJson.Default.JsonObject);
        Input = new SchemaValidator(InputSchema);
        Output = new SchemaValidator(OutputSchema);
    }

    /// <summary>The registration of ability class <typeparamref name="T"/>, which the request's services create.</summary>
    public static Ability Of<T>() where T : class, IAbilityHandler, IAbilityDefinition
    {
        var info = T.Info;
        if (!AbilityJson.IsAbilityOptions(info.Input.Options) || !AbilityJson.IsAbilityOptions(info.Output.Options))
            throw new InvalidOperationException($"{typeof(T).Name}'s types must be serialized with AbilityJson's options (snake_case, required constructor parameters, nullable annotations, the default encoder)");
        var expected = typeof(Ability<,>).MakeGenericType(info.Input.Type, info.Output.Type);
        if (!expected.IsAssignableFrom(typeof(T)))
            throw new InvalidOperationException($"{typeof(T).Name} declares input {info.Input.Type.Name} and output {info.Output.Type.Name} but is not an Ability of them");
        return new Ability(info, services => services.GetRequiredService<T>());
    }

    public AbilityInfo Info { get; }

    /// <summary><c>namespace/name</c>, e.g. <c>posts/search</c>.</summary>
    public string Name => Info.Name;
    public string Label => Info.Label;
    public string Description => Info.Description;
    public string Category => Info.Category;
    public JsonElement InputSchema { get; }
    /// <summary>The input schema where the endpoint or the tool supplies the site (the adapter, content authoring's params).</summary>
    public JsonElement InputSchemaWithoutSite { get; }
    public JsonElement OutputSchema { get; }
    public SchemaValidator Input { get; }
    /// <summary>Checked in tests against every result, so the published outputSchema stays true.</summary>
    public SchemaValidator Output { get; }
    public JsonTypeInfo InputType => Info.Input;
    public JsonTypeInfo OutputType => Info.Output;
    public AbilityAnnotations Annotations => Info.Annotations;
    /// <summary>OAuth scopes the grant must hold (all of them); <c>auth</c> expands to every scope.</summary>
    public IReadOnlyList<string> Scopes => Info.Scopes;
    /// <summary>The primitive WordPress capability the caller's role needs on the site, if any.</summary>
    public string? Capability => Info.Capability;
    /// <summary>Acts on one site (named in the input), so the site must be granted and the role checked there.</summary>
    public bool SiteScoped => Info.SiteScoped;
    public bool PublicOverMcp => Info.PublicOverMcp;

    /// <summary>Runs the ability's class, created in <paramref name="services"/> (the request's scope).</summary>
    public Task<Outcome<AbilityResultJson>> RunAsync(AbilityCall call, IServiceProvider services, CancellationToken ct) =>
        _handler(services).RunAsync(this, call, ct);
}
