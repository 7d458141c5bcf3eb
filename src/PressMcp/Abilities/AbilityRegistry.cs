using System.Collections.Frozen;

namespace PressMcp.Abilities;

/// <summary>Supplies the abilities of one capability folder (posts, comments, media folders, …).</summary>
internal interface IAbilitySource
{
    IEnumerable<Ability> Abilities();
}

/// <summary>Every ability, by name. Built once at start-up from the registered sources; names must be unique.</summary>
internal sealed class AbilityRegistry
{
    private readonly FrozenDictionary<string, Ability> _byName;

    public AbilityRegistry(IEnumerable<IAbilitySource> sources)
    {
        var all = new Dictionary<string, Ability>(StringComparer.Ordinal);
        foreach (var ability in sources.SelectMany(s => s.Abilities()))
        {
            if (!all.TryAdd(ability.Name, ability)) throw new InvalidOperationException($"two abilities are named '{ability.Name}'");
        }
        _byName = all.ToFrozenDictionary(StringComparer.Ordinal);
        All = [.. _byName.Values.OrderBy(a => a.Category, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<Ability> All { get; }

    public Ability? Find(string name) => _byName.GetValueOrDefault(name);
}
