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

/// <summary>How an invocation ended; each endpoint maps these to its own wire shapes (docs/mcp.md's table).</summary>
internal sealed record Invocation(CallOutcome Outcome, JsonElement Value, string Message, IReadOnlyList<string> MissingScopes, Refusal Refusal)
{
    public bool Succeeded => Outcome == CallOutcome.Succeeded;

    public static Invocation Ok(JsonElement value) => new(CallOutcome.Succeeded, value, "", [], Refusal.None);

    public static Invocation Fail(CallOutcome outcome, string message) => new(outcome, default, message, [], Refusal.None);

    public static Invocation Refused(PermissionDecision d) =>
        new(d.Refusal == Refusal.MissingScope ? CallOutcome.StepUp : CallOutcome.Refused, default, d.Message, d.Missing, d.Refusal);
}
