namespace PressMcp.Media.Organizer;

/// <summary>
/// The AI organizer's optional chat model, from configuration (<c>Media:Organizer:*</c>, <c>Media__Organizer__*</c> in the
/// environment): <c>ChatEndpoint</c> (the base address of an OpenAI-compatible API, e.g. <c>https://api.openai.com/v1</c>),
/// <c>Model</c>, <c>ApiKey</c> (sent as a bearer token; never logged or shown), <c>BatchSize</c> (items per question,
/// default 20) and <c>TimeoutSeconds</c> (default 60). Without an endpoint the organizer uses the heuristic only.
/// </summary>
internal sealed class OrganizerOptions : IPressOptions
{
    public const string ChatClientKey = "media-organizer";

    public static string Section => "Media:Organizer";

    public string? ChatEndpoint { get; set; }
    public string? Model { get; set; }
    public string? ApiKey { get; set; }
    public int BatchSize { get; set; } = 20;
    public int TimeoutSeconds { get; set; } = 60;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>The endpoint as a base address (ending in "/", so relative paths append), or null without one.</summary>
    public Uri? ChatBaseAddress =>
        string.IsNullOrEmpty(ChatEndpoint) || !Uri.TryCreate(ChatEndpoint.TrimEnd('/') + "/", UriKind.Absolute, out var uri) ? null : uri;

    /// <summary>The key, or null when none is configured (an empty value counts as none).</summary>
    public string? Key => string.IsNullOrEmpty(ApiKey) ? null : ApiKey;

    public IEnumerable<string?> Problems()
    {
        if (!string.IsNullOrEmpty(ChatEndpoint))
        {
            if (ChatBaseAddress is not { } uri || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
                yield return $"{Section}:{nameof(ChatEndpoint)} is '{ChatEndpoint}'; it must be an absolute https address (http only on loopback)";
            if (string.IsNullOrWhiteSpace(Model)) yield return $"{Section}:{nameof(Model)} is required with {Section}:{nameof(ChatEndpoint)}";
        }
        yield return PressOptions.Range<OrganizerOptions, int>(nameof(BatchSize), BatchSize, 1, 200);
        yield return PressOptions.Range<OrganizerOptions, int>(nameof(TimeoutSeconds), TimeoutSeconds, 1, 600);
    }
}
