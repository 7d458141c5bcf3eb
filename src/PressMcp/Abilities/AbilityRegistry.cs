using System.Collections.Frozen;

namespace PressMcp.Abilities;

/// <summary>Every ability, by name. Built once from the registered abilities (<see cref="AbilityServices.AddAbility{T}"/>); names must be unique.</summary>
internal sealed class AbilityRegistry
{
    private readonly FrozenDictionary<string, Ability> _byName;

    public AbilityRegistry(IEnumerable<Ability> abilities)
    {
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
