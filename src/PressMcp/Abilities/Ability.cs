using System.Text.Json;

namespace PressMcp.Abilities;

/// <summary>MCP tool annotations: what a client may assume about an ability before calling it.</summary>
internal sealed record AbilityAnnotations(bool ReadOnly, bool Destructive, bool Idempotent)
{
    public static readonly AbilityAnnotations Read = new(ReadOnly: true, Destructive: false, Idempotent: true);
    public static readonly AbilityAnnotations Write = new(ReadOnly: false, Destructive: false, Idempotent: false);
}

/// <summary>
/// One operation an agent can perform. Every MCP tool of every endpoint is a view over these: the name,
/// schemas and annotations are what a client sees; the scopes and the capability are what
/// <see cref="AbilityPermission"/> checks; <see cref="Execute"/> runs only after both checks and input validation.
/// </summary>
internal sealed class Ability
{
    public Ability(string name, string label, string description, string category, string inputSchema, string outputSchema,
        AbilityAnnotations annotations, IReadOnlyList<string> scopes, string? capability, bool siteScoped,
        Func<AbilityCall, CancellationToken, Task<Outcome<JsonElement>>> execute, bool publicOverMcp = true)
    {
        if (!name.Contains('/', StringComparison.Ordinal)) throw new ArgumentException($"ability name '{name}' must be namespace/name");
        Name = name;
        Label = label;
        Description = description;
        Category = category;
        InputSchema = JsonDocument.Parse(inputSchema).RootElement.Clone();
        OutputSchema = JsonDocument.Parse(outputSchema).RootElement.Clone();
        Input = new SchemaValidator(InputSchema);
        Output = new SchemaValidator(OutputSchema);
        Annotations = annotations;
        Scopes = scopes;
        Capability = capability;
        SiteScoped = siteScoped;
        Execute = execute;
        PublicOverMcp = publicOverMcp;
    }

    /// <summary><c>namespace/name</c>, e.g. <c>posts/search</c>.</summary>
    public string Name { get; }
    public string Label { get; }
    public string Description { get; }
    public string Category { get; }
    public JsonElement InputSchema { get; }
    public JsonElement OutputSchema { get; }
    public SchemaValidator Input { get; }
    /// <summary>Checked in tests against every result, so the published outputSchema stays true.</summary>
    public SchemaValidator Output { get; }
    public AbilityAnnotations Annotations { get; }
    /// <summary>OAuth scopes the grant must hold (all of them); <c>auth</c> expands to every scope.</summary>
    public IReadOnlyList<string> Scopes { get; }
    /// <summary>The primitive WordPress capability the caller's role needs on the site, if any.</summary>
    public string? Capability { get; }
    /// <summary>Acts on one site (named in the input), so the site must be granted and the role checked there.</summary>
    public bool SiteScoped { get; }
    public bool PublicOverMcp { get; }
    public Func<AbilityCall, CancellationToken, Task<Outcome<JsonElement>>> Execute { get; }
}
