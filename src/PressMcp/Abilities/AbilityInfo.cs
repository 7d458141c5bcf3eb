using System.Text.Json.Serialization.Metadata;

namespace PressMcp.Abilities;

/// <summary>MCP tool annotations: what a client may assume about an ability before calling it.</summary>
internal sealed record AbilityAnnotations(bool ReadOnly, bool Destructive, bool Idempotent)
{
    public static readonly AbilityAnnotations Read = new(ReadOnly: true, Destructive: false, Idempotent: true);
    public static readonly AbilityAnnotations Write = new(ReadOnly: false, Destructive: false, Idempotent: false);
}

/// <summary>
/// What an ability is, as every endpoint and the permission function see it: its name, words for people and agents,
/// hints, the scopes and capability it needs, whether it acts on one site, and the types of its input and output
/// (their JSON Schemas are generated from them by <see cref="AbilitySchema"/>). Each ability class declares one
/// (<see cref="IAbilityDefinition.Info"/>).
/// </summary>
internal sealed record AbilityInfo(
    string Name, string Label, string Description, string Category, AbilityAnnotations Annotations,
    IReadOnlyList<string> Scopes, string? Capability, bool SiteScoped, JsonTypeInfo Input, JsonTypeInfo Output)
{
    /// <summary>Offered over MCP (both endpoints); false for abilities only people's pages and the command line use.</summary>
    public bool PublicOverMcp { get; init; } = true;
}

/// <summary>An ability class's description of itself, read at registration (<see cref="AbilityServices.AddAbility{T}"/>).</summary>
internal interface IAbilityDefinition
{
    static abstract AbilityInfo Info { get; }
}
