using System.Collections.Frozen;

namespace PressMcp.Abilities;

/// <summary>TEMPORARY while abilities move to classes: supplies abilities given as schema text and delegates.</summary>
internal interface IAbilitySource
{
    IEnumerable<Ability> Abilities();
}

/// <summary>Every ability, by name. Built once from the registered abilities (<see cref="AbilityServices.AddAbility{T}"/>); names must be unique.</summary>
internal sealed class AbilityRegistry
{
    private readonly FrozenDictionary<string, Ability> _byName;

    public AbilityRegistry(IEnumerable<Ability> abilities, IEnumerable<IAbilitySource> sources)
    {
        abilities = abilities.Concat(sources.SelectMany(s => s.Abilities()));
        var all = new Dictionary<string, Ability>(StringComparer.Ordinal);
        foreach (var ability in abilities)
        {
            if (!all.TryAdd(ability.Name, ability)) throw new InvalidOperationException($"two abilities are named '{ability.Name}'");
        }
        _byName = all.ToFrozenDictionary(StringComparer.Ordinal);
        All = [.. _byName.Values.OrderBy(a => a.Category, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<Ability> All { get; }

    public Ability? Find(string name) => _byName.GetValueOrDefault(name);
}
