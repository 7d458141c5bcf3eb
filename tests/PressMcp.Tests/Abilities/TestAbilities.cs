using System.Text.Json;
using System.Text.Json.Serialization;
using PressMcp.Abilities;

namespace PressMcp.Tests.Abilities;

internal sealed record EmptyInput;

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(EmptyInput))]
internal sealed partial class TestAbilityJson : JsonSerializerContext;

/// <summary>Abilities for tests of the registry and the permission function, which never run them.</summary>
internal static class TestAbilities
{
    public static Ability Make(AbilityInfo info) => new(info, _ => NeverRun.Instance);

    private sealed class NeverRun : IAbilityHandler
    {
        public static readonly NeverRun Instance = new();

        public Task<Outcome<AbilityResultJson>> RunAsync(Ability ability, AbilityCall call, CancellationToken ct) =>
            throw new InvalidOperationException("this test ability is not meant to run");
    }
}
