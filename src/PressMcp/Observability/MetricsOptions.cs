namespace PressMcp.Observability;

/// <summary>
/// Section <c>Metrics</c>: both exports are off by default. <c>Metrics:Prometheus:Enabled</c> serves a scrape endpoint at
/// <c>Metrics:Prometheus:Path</c> to the addresses in <c>Metrics:Prometheus:AllowedNetworks</c> (loopback when empty);
/// <c>Metrics:Otlp:Endpoint</c> pushes to an OpenTelemetry collector every <c>Metrics:Otlp:ExportInterval</c>.
/// </summary>
internal sealed class MetricsOptions : IPressOptions
{
    public static string Section => "Metrics";

    public PrometheusMetricsOptions Prometheus { get; set; } = new();

    public OtlpMetricsOptions Otlp { get; set; } = new();

    /// <summary>Whether anything reads the measurements; when not, no meter provider is registered and instruments stay idle.</summary>
    public bool Enabled => Prometheus.Enabled || Otlp.Endpoint is not null;

    public IEnumerable<string?> Problems()
    {
        var path = Prometheus.Path;
        yield return path.Length is < 2 or > 100 || path[0] != '/' || path.Any(c => c is '?' or '#' or '{' or '}' || char.IsWhiteSpace(c) || char.IsControl(c))
            ? $"{Section}:Prometheus:Path is '{path}'; it must be a path of 2 to 100 characters starting with '/', without ?, #, braces or spaces"
            : null;
        yield return Prometheus.AllowedNetworks.Length > PrometheusMetricsOptions.MaxNetworks
            ? $"{Section}:Prometheus:AllowedNetworks has {Prometheus.AllowedNetworks.Length} entries; at most {PrometheusMetricsOptions.MaxNetworks} are allowed"
            : null;
        foreach (var entry in Prometheus.AllowedNetworks.Take(PrometheusMetricsOptions.MaxNetworks))
            yield return PrometheusMetricsOptions.ParseNetwork(entry) is null
                ? $"{Section}:Prometheus:AllowedNetworks has '{entry}'; each entry must be an address (127.0.0.1, ::1) or a network in CIDR form (10.0.0.0/8)"
                : null;
        if (Otlp.Endpoint is { } endpoint)
            yield return !endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
                ? $"{Section}:Otlp:Endpoint is '{endpoint}'; it must be an absolute http:// or https:// address (http://127.0.0.1:4317)"
                : null;
        yield return Otlp.Protocol is OtlpMetricsOptions.Grpc or OtlpMetricsOptions.HttpProtobuf
            ? null
            : $"{Section}:Otlp:Protocol is '{Otlp.Protocol}'; it must be {OtlpMetricsOptions.Grpc} or {OtlpMetricsOptions.HttpProtobuf}";
        yield return PressOptions.Range<MetricsOptions, TimeSpan>("Otlp:ExportInterval", Otlp.ExportInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    }
}

/// <summary><c>Metrics:Prometheus</c>: the pull export.</summary>
internal sealed class PrometheusMetricsOptions
{
    public const int MaxNetworks = 100;

    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// Who may scrape, by the connection's address (or the client's, when a trusted proxy forwarded it). Empty: loopback
    /// only. An array, not a list: the binder would add configured entries to a default list instead of replacing it.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    public static System.Net.IPNetwork? ParseNetwork(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry)) return null;
        if (System.Net.IPNetwork.TryParse(entry, out var network)) return network;
        return System.Net.IPAddress.TryParse(entry, out var address)
            ? new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }
}

/// <summary><c>Metrics:Otlp</c>: the push export to an OpenTelemetry collector.</summary>
internal sealed class OtlpMetricsOptions
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The collector's address; none (the default) sends nothing.</summary>
    public Uri? Endpoint { get; set; }

    public string Protocol { get; set; } = Grpc;

    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(60);
}
