using System.Text.Json;

namespace PressMcp.Abilities;

/// <summary>How a tool call ended, as each endpoint maps it to its wire and the activity log shows it.</summary>
internal enum CallOutcome
{
    Succeeded,
    /// <summary>The arguments did not fit the schema, or the ability rejected them.</summary>
    Invalid,
    /// <summary>The object named does not exist (or is not visible to the caller).</summary>
    NotFound,
    /// <summary>Refused by grant, site, role or MCP settings.</summary>
    Refused,
    /// <summary>The token lacked a scope; the client was asked to step up.</summary>
    StepUp,
    /// <summary>The ability failed for another reason (conflict, unexpected error).</summary>
    Failed,
}

/// <summary>
/// How an invocation ended; each endpoint maps these to its own wire shapes (docs/mcp.md's table). <see cref="Result"/>
/// is a success's JSON as serialized (an MCP reply copies it); <see cref="Value"/> the same parsed, for readers that navigate it.
/// </summary>
internal sealed record Invocation(CallOutcome Outcome, AbilityResultJson? Result, string Message, IReadOnlyList<string> MissingScopes, Refusal Refusal)
{
    public bool Succeeded => Outcome == CallOutcome.Succeeded;

    /// <summary>A success's result as an element (parsed on first use); default for any other outcome.</summary>
    public JsonElement Value => Result?.Element ?? default;

    public static Invocation Ok(AbilityResultJson result) => new(CallOutcome.Succeeded, result, "", [], Refusal.None);

    public static Invocation Fail(CallOutcome outcome, string message) => new(outcome, null, message, [], Refusal.None);

    public static Invocation Refused(PermissionDecision d) =>
        new(d.Refusal == Refusal.MissingScope ? CallOutcome.StepUp : CallOutcome.Refused, null, d.Message, d.Missing, d.Refusal);
}
