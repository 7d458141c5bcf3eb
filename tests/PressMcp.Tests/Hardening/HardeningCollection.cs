namespace PressMcp.Tests.Hardening;

/// <summary>
/// The hardening tests run one after another: each measures a server process (its memory, its timing under
/// concurrent writers), and one running beside another would make those figures the sum of both.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HardeningCollection
{
    public const string Name = "Hardening";
}
