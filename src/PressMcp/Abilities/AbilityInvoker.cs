using System.Diagnostics;
using System.Text.Json;
using PressMcp.Activity;
using PressMcp.Mcp;
using PressMcp.Mcp.Settings;
using PressMcp.Observability;
using PressMcp.Sites;

namespace PressMcp.Abilities;

/// <summary>
/// An ability call's arguments as the client sent them, and what the endpoint supplies beside them. The site comes
/// from <see cref="EndpointSite"/> (the adapter: the endpoint stands for one site), else <see cref="SiteReference"/>
/// (a tool that took the site once for all its operations), else the <c>wpcom_site</c> argument. Top-level members
/// named in <see cref="Handled"/> are the endpoint's (a confirmation flag): the ability's schema does not see them.
/// Nothing is copied: the arguments stay the element the request was parsed into.
/// </summary>
internal sealed record AbilityArguments(JsonElement Values)
{
    public Site? EndpointSite { get; init; }
    public JsonElement SiteReference { get; init; }
    public IReadOnlyList<string> Handled { get; init; } = [];

    /// <summary>Whether the site is given beside the arguments, so the ability's own <c>wpcom_site</c> is not needed (and not read).</summary>
    public bool SiteGiven => EndpointSite is not null || SiteReference.ValueKind != JsonValueKind.Undefined;
}

/// <summary>
/// The one path every ability call takes, whatever the endpoint: validate the arguments against the schema,
/// resolve the site (from the arguments, or the endpoint's own site), read the user's MCP settings, decide with
/// <see cref="AbilityPermission"/>, execute, and record the call in the activity log. Endpoints only translate
/// their request into this call and its <see cref="Invocation"/> into their wire shape.
/// </summary>
internal sealed partial class AbilityInvoker(
    CallerAccess access, ActivityLog activity, TimeProvider clock, IServiceProvider services, ILogger<AbilityInvoker> logger)
{
    /// <summary>
    /// Runs <paramref name="ability"/> for <paramref name="caller"/>. <paramref name="endpointSite"/> is the site an
    /// endpoint itself stands for (the adapter endpoint); it is the call's site, whatever the arguments name.
    /// <paramref name="tool"/> is the name the client used, for the log.
    /// </summary>
    public Task<Invocation> InvokeAsync(McpCaller caller, string tool, Ability ability, JsonElement arguments, Site? endpointSite, CancellationToken ct) =>
        InvokeAsync(caller, tool, ability, new AbilityArguments(arguments) { EndpointSite = endpointSite }, ct);

    /// <summary>Runs <paramref name="ability"/> with arguments and what the endpoint gives beside them (<see cref="AbilityArguments"/>).</summary>
    public async Task<Invocation> InvokeAsync(McpCaller caller, string tool, Ability ability, AbilityArguments arguments, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var call = new AbilityCall(caller, arguments.Values, null, null, clock);
        Invocation result;
        try
        {
            (result, call) = await RunAsync(call, ability, arguments, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAbilityFailed(logger, ex, ability.Name, caller.UserId);
            result = Invocation.Fail(CallOutcome.Failed, "the server could not complete this call; it has been logged");
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        PressMetrics.ToolCalled(caller.Endpoint, tool, ability.Name, result.Outcome, elapsed);
        activity.Record(new ActivityEntry
        {
            CallId = call.CallId,
            AtUtc = clock.GetUtcNow().UtcDateTime,
            UserId = caller.UserId,
            Client = caller.Client,
            Endpoint = caller.Endpoint,
            Tool = tool,
            Ability = ability.Name,
            SiteId = call.Site?.Id ?? arguments.EndpointSite?.Id,
            Outcome = result.Outcome,
            Message = result.Succeeded ? null : TextBounds.Shorten(result.Message, 1000),
            DurationMs = (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds),
            Arguments = ArgumentSummary.Render(arguments.Values),
            IsWrite = !ability.Annotations.ReadOnly,
        });
        return result;
    }

    /// <summary>The caller's MCP settings as they stand for this request (<see cref="CallerAccess"/>).</summary>
    public Task<McpSettingsSnapshot> SettingsAsync(long userId, CancellationToken ct) => access.SettingsAsync(userId, ct);

    /// <summary>
    /// What <see cref="InvokeAsync"/> would refuse this call with (invalid arguments, unknown site, a permission layer),
    /// or null when it would execute it; nothing is executed or logged. For a tool that must ask the user before a
    /// write: the user is asked only about a call that can succeed. The real call decides again.
    /// </summary>
    public async Task<Invocation?> CheckAsync(McpCaller caller, Ability ability, AbilityArguments arguments, CancellationToken ct) =>
        (await PrepareAsync(new AbilityCall(caller, arguments.Values, null, null, clock), ability, arguments, ct)).Refusal;

    /// <summary>
    /// Whether every permission layer (scopes, grant, MCP settings, role) lets <paramref name="caller"/> run
    /// <paramref name="ability"/> on <paramref name="site"/>, arguments aside; for a decision taken before a request
    /// is read (who may send a body as large as an upload).
    /// </summary>
    public async Task<bool> IsAllowedAsync(McpCaller caller, Ability ability, Site site, CancellationToken ct)
    {
        var actor = await access.ActorAsync(caller.UserId, caller.IsServerAdmin, site.Id, ct);
        return AbilityPermission.Decide(caller, ability, site.Id, actor, await SettingsAsync(caller.UserId, ct), site.McpPolicy).IsAllowed;
    }

    private async Task<(Invocation, AbilityCall)> RunAsync(AbilityCall call, Ability ability, AbilityArguments arguments, CancellationToken ct)
    {
        var (refusal, prepared) = await PrepareAsync(call, ability, arguments, ct);
        if (refusal is not null) return (refusal, prepared);
        call = prepared;

        var outcome = await ability.RunAsync(call, services, ct);
        if (outcome.Succeeded) return (Invocation.Ok(outcome.Value!), call);
        var problem = outcome.Problem!;
        return (Invocation.Fail(problem.Kind switch
        {
            ErrorKind.Invalid => CallOutcome.Invalid,
            ErrorKind.NotFound => CallOutcome.NotFound,
            ErrorKind.Forbidden => CallOutcome.Refused,
            _ => CallOutcome.Failed,
        }, problem.Message), call);
    }

    /// <summary>Validation, the site and the caller's role there, and the permission decision: everything before execution.</summary>
    private async Task<(Invocation? Refusal, AbilityCall Call)> PrepareAsync(AbilityCall call, Ability ability, AbilityArguments given, CancellationToken ct)
    {
        var arguments = call.Input.ValueKind == JsonValueKind.Undefined || call.Input.ValueKind == JsonValueKind.Null
            ? EmptyObject
            : call.Input;
        call = call with { Input = arguments };
        // A site given beside the arguments is the call's: a wpcom_site among them is not required, checked or read.
        IReadOnlyList<string> handled = !ability.SiteScoped || !given.SiteGiven ? given.Handled
            : given.Handled.Count == 0 ? SiteOnly : [.. given.Handled, AbilitySchema.SiteArgument];
        var invalid = handled.Count == 0 ? ability.Input.Validate(arguments) : ability.Input.Validate(arguments, handled);
        if (invalid is not null) return (Invocation.Fail(CallOutcome.Invalid, $"invalid arguments: {invalid}"), call);

        if (ability.SiteScoped)
        {
            if (given.EndpointSite is { } endpointSite)
            {
                call = call with { Site = endpointSite, Actor = await access.ActorAsync(call.Caller.UserId, call.Caller.IsServerAdmin, endpointSite.Id, ct) };
            }
            else
            {
                // The schema allows an id (number) or a slug or host name (string); both have been checked.
                var s = given.SiteReference.ValueKind != JsonValueKind.Undefined ? given.SiteReference
                    : arguments.TryGetProperty(AbilitySchema.SiteArgument, out var argument) ? argument : default;
                var reference = s.ValueKind == JsonValueKind.Number ? s.GetRawText() : s.TextOrNull();
                // The site and the caller's role there, from the cache or in one round trip (every site-scoped call).
                var resolved = await access.SiteAsync(reference, call.Caller.UserId, call.Caller.IsServerAdmin, ct);
                if (!resolved.Succeeded) return (Invocation.Fail(CallOutcome.NotFound, resolved.Problem!.Message), call);
                call = call with { Site = resolved.Value.Site, Actor = resolved.Value.Actor };
            }
        }

        var settings = call.Caller.IsPerson ? McpSettingsSnapshot.AllOff : await SettingsAsync(call.Caller.UserId, ct);
        var decision = AbilityPermission.Decide(call.Caller, ability, call.Site?.Id, call.Actor, settings, call.Site?.McpPolicy ?? SiteMcpPolicy.Allow);
        if (!decision.IsAllowed) return (Invocation.Refused(decision), call);
        return (null, call);
    }

    private static readonly string[] SiteOnly = [AbilitySchema.SiteArgument];

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    [LoggerMessage(Level = LogLevel.Error, Message = "Ability {Ability} failed for user {UserId}")]
    private static partial void LogAbilityFailed(ILogger logger, Exception exception, string ability, long userId);
}
