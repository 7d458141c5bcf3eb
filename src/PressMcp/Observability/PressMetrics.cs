using System.Diagnostics;
using System.Diagnostics.Metrics;
using PressMcp.Abilities;

namespace PressMcp.Observability;

/// <summary>
/// The server's own measurements, in one <see cref="Meter"/> named <c>PressMcp</c>: ability calls, OAuth answers and
/// import progress. Static, so a call records without a service lookup; an instrument nobody listens to (metrics off,
/// the default) is skipped after one field read, before any tag is built. Tags are bounded sets named in code (tool
/// and ability names, outcomes, RFC error codes): never a login, a site, a client id, a token or an argument.
/// </summary>
internal static class PressMetrics
{
    public const string MeterName = "PressMcp";

    private static readonly Meter Meter = new(MeterName, typeof(PressMetrics).Assembly.GetName().Version?.ToString());

    // Seconds, like ASP.NET Core's http.server.request.duration: a call takes from under a millisecond to seconds.
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static readonly Counter<long> ToolCalls = Meter.CreateCounter<long>(
        "pressmcp.tool.calls", "{call}", "Ability calls by endpoint (wpcom, adapter, web), tool, ability and outcome.");

    private static readonly Histogram<double> ToolCallDuration = Meter.CreateHistogram(
        "pressmcp.tool.call.duration", "s", "How long ability calls took, from validation to the result, by endpoint, tool, ability and outcome.",
        tags: null, advice: SecondsBuckets);

    private static readonly Counter<long> TokensIssued = Meter.CreateCounter<long>(
        "pressmcp.oauth.tokens.issued", "{response}", "Token pairs issued by the token endpoint, by grant type.");

    private static readonly Counter<long> OAuthRefusals = Meter.CreateCounter<long>(
        "pressmcp.oauth.refusals", "{response}", "OAuth requests refused, by endpoint (token, authorize), grant type (token endpoint) and RFC error code.");

    private static readonly Counter<long> Consents = Meter.CreateCounter<long>(
        "pressmcp.oauth.consents", "{decision}", "Answers on the consent page: approved, denied, or remembered (an earlier approval covered the request).");

    private static readonly Counter<long> ImportItems = Meter.CreateCounter<long>(
        "pressmcp.import.items", "{item}", "Items written by imports, by kind (posts, comments, …) and result (created, updated, skipped), counted as each batch commits.");

    // Names for the tag values, built once: an enum's ToString would allocate on every call.
    private static readonly string[] Outcomes = Enum.GetValues<CallOutcome>().Select(o => o.ToString().ToLowerInvariant()).ToArray();

    /// <summary>One finished ability call (<see cref="AbilityInvoker"/>, the path every call takes).</summary>
    public static void ToolCalled(string endpoint, string tool, string ability, CallOutcome outcome, TimeSpan elapsed)
    {
        if (!ToolCalls.Enabled && !ToolCallDuration.Enabled) return;
        var tags = new TagList
        {
            { "endpoint", endpoint },
            { "tool", tool },
            { "ability", ability },
            { "outcome", (uint)outcome < (uint)Outcomes.Length ? Outcomes[(int)outcome] : "unknown" },
        };
        ToolCalls.Add(1, tags);
        ToolCallDuration.Record(elapsed.TotalSeconds, tags);
    }

    public static void TokenIssued(string grantType) =>
        TokensIssued.Add(1, new KeyValuePair<string, object?>("grant_type", KnownGrantType(grantType)));

    public static void TokenRefused(string grantType, string error) =>
        OAuthRefusals.Add(1, new("endpoint", "token"), new("grant_type", KnownGrantType(grantType)), new("error", error));

    public static void AuthorizeRefused(string error) =>
        OAuthRefusals.Add(1, new KeyValuePair<string, object?>("endpoint", "authorize"), new KeyValuePair<string, object?>("error", error));

    public static void ConsentGiven(string decision) =>
        Consents.Add(1, new KeyValuePair<string, object?>("decision", decision));

    public static bool ImportEnabled => ImportItems.Enabled;

    public static void Imported(string kind, string result, int count)
    {
        if (count > 0) ImportItems.Add(count, new("kind", kind), new KeyValuePair<string, object?>("result", result));
    }

    /// <summary>The grant type as a tag: the client writes it, so anything but the two we serve is "other" (bounded series).</summary>
    private static string KnownGrantType(string grantType) => grantType switch
    {
        "authorization_code" => "authorization_code",
        "refresh_token" => "refresh_token",
        "" => "none",
        _ => "other",
    };
}
