namespace PressMcp.Media.Organizer;

/// <summary>
/// The AI organizer's optional chat model, from configuration (<c>Media:Organizer:*</c>, <c>Media__Organizer__*</c> in the
/// environment): <c>ChatEndpoint</c> (the base address of an OpenAI-compatible API, e.g. <c>https://api.openai.com/v1</c>),
/// <c>Model</c>, <c>ApiKey</c> (sent as a bearer token; never logged or shown), <c>BatchSize</c> (items per question,
/// default 20) and <c>TimeoutSeconds</c> (default 60). Without an endpoint the organizer uses the heuristic only.
/// </summary>
internal sealed class OrganizerOptions
{
    public const string ChatClientKey = "media-organizer";

    public Uri? ChatEndpoint { get; init; }
    public string? Model { get; init; }
    public string? ApiKey { get; init; }
    public int BatchSize { get; init; } = 20;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public static OrganizerOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Media:Organizer");
        Uri? endpoint = null;
        if (section["ChatEndpoint"] is { Length: > 0 } text)
        {
            if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && !endpoint.IsLoopback))
                throw new InvalidOperationException("Media:Organizer:ChatEndpoint must be an absolute https address (http only on loopback)");
            if (string.IsNullOrWhiteSpace(section["Model"])) throw new InvalidOperationException("Media:Organizer:Model is required with Media:Organizer:ChatEndpoint");
        }
        var batch = section.GetValue<int?>("BatchSize") ?? 20;
        if (batch is < 1 or > 200) throw new InvalidOperationException("Media:Organizer:BatchSize must be between 1 and 200");
        var timeout = section.GetValue<int?>("TimeoutSeconds") ?? 60;
        if (timeout is < 1 or > 600) throw new InvalidOperationException("Media:Organizer:TimeoutSeconds must be between 1 and 600");
        return new OrganizerOptions
        {
            ChatEndpoint = endpoint,
            Model = section["Model"],
            ApiKey = string.IsNullOrEmpty(section["ApiKey"]) ? null : section["ApiKey"],
            BatchSize = batch,
            Timeout = TimeSpan.FromSeconds(timeout),
        };
    }
}
