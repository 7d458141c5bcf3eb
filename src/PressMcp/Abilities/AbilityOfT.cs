using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PressMcp.Abilities;

/// <summary>The untyped face of an ability instance, as <see cref="AbilityInvoker"/> runs it.</summary>
internal interface IAbilityHandler
{
    Task<Outcome<AbilityResultJson>> RunAsync(Ability ability, AbilityCall call, CancellationToken ct);
}

/// <summary>
/// An ability: a class with its services injected (a new instance per request scope), that takes a
/// <typeparamref name="TInput"/> and gives a <typeparamref name="TOutput"/>. The input has been validated against the
/// schema generated from <typeparamref name="TInput"/> before it is read into the record; the result is written by the
/// source-generated serializer (<see cref="AbilityJson"/>), once, into an <see cref="AbilityResultJson"/>, so each type's JSON is decided in one place.
/// </summary>
internal abstract class Ability<TInput, TOutput> : IAbilityHandler
{
    public async Task<Outcome<AbilityResultJson>> RunAsync(Ability ability, AbilityCall call, CancellationToken ct)
    {
        TInput input;
        try
        {
            input = call.Input.Deserialize((JsonTypeInfo<TInput>)ability.InputType)!;
        }
        catch (JsonException ex)
        {
            // The schema lets through what the record cannot hold (an integer beyond 64 bits, 1.0 for an id).
            return Problem.Invalid($"invalid arguments: {(ex.Path is { Length: > 2 } path ? path[2..] : "the input")} cannot be read as this ability expects");
        }
        var outcome = await ExecuteAsync(input, call, ct);
        return outcome.Succeeded
            ? Outcome<AbilityResultJson>.Ok(AbilityResultJson.Of(outcome.Value!, (JsonTypeInfo<TOutput>)ability.OutputType))
            : outcome.Problem!;
    }

    /// <summary>Runs once every permission layer has allowed the call on <see cref="AbilityCall.Site"/>, if site-scoped.</summary>
    protected abstract Task<Outcome<TOutput>> ExecuteAsync(TInput input, AbilityCall call, CancellationToken ct);
}
