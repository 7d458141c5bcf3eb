using System.Net;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace PressMcp.Observability;

/// <summary>
/// Metrics in the OpenTelemetry standard, off unless configured (<see cref="MetricsOptions"/>): this server's meter
/// (<see cref="PressMetrics"/>), ASP.NET Core's (requests and their durations per route, Kestrel's connections, rate
/// limiting), Npgsql's (the PostgreSQL connection pool) and EF Core's (contexts, queries, saves); exported by a Prometheus
/// scrape endpoint, by OTLP to a collector, or both.
/// </summary>
internal static class MetricsServices
{
    /// <summary>Meters other than ours that are exported: the framework's and the database client's.</summary>
    private static readonly string[] LibraryMeters = ["Npgsql", "Microsoft.EntityFrameworkCore"];

    /// <summary>
    /// Registers the meter provider when metrics are on. Call it after every configuration source has been added: whether
    /// a provider exists at all is decided here, from the configuration as it stands, so that with metrics off nothing
    /// listens and every instrument stays idle.
    /// </summary>
    public static void AddPressMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddPressOptions<MetricsOptions>();
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        // A wrong value stops the start with its message (AddPressOptions validates on start); nothing is half-registered.
        if (!options.Enabled || options.Problems().Any(p => p is not null)) return;

        if (options.Prometheus.Enabled)
            builder.Services.AddSingleton(new ScrapeAccess(options.Prometheus));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(Describe)
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PressMetrics.MeterName).AddMeter(LibraryMeters).AddAspNetCoreInstrumentation();
                if (options.Prometheus.Enabled)
                    metrics.AddPrometheusExporter(o =>
                    {
                        o.ScrapeEndpointPath = options.Prometheus.Path;
                        // Every scrape reads the current values: the endpoint is closed to all but the allowed networks, so
                        // the exporter's cache (against many scrapers at once) buys nothing and would hide fresh counts.
                        o.ScrapeResponseCacheDurationMilliseconds = 0;
                    });
                AddOtlp(metrics, options.Otlp);
            });
    }

    /// <summary>
    /// For a command run (<c>pressmcp import</c> above all, whose item counter is the import's throughput): a meter
    /// provider pushing this server's meter and EF Core's to the configured collector, or null when <c>Metrics:Otlp</c>
    /// is not set. Disposing it sends what is left, so a run shorter than the export interval is still reported.
    /// </summary>
    public static MeterProvider? StartCommandExport(MetricsOptions options)
    {
        if (options.Otlp.Endpoint is null) return null;
        var metrics = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(Describe)
            .AddMeter(PressMetrics.MeterName).AddMeter(LibraryMeters);
        AddOtlp(metrics, options.Otlp);
        return metrics.Build();
    }

    /// <summary>The service every export names, the server's and a command's alike.</summary>
    private static void Describe(ResourceBuilder resource) =>
        resource.AddService("pressmcp", serviceVersion: typeof(MetricsServices).Assembly.GetName().Version?.ToString());

    private static void AddOtlp(MeterProviderBuilder metrics, OtlpMetricsOptions otlp)
    {
        if (otlp.Endpoint is not { } endpoint) return;
        metrics.AddOtlpExporter((exporter, reader) =>
        {
            var http = otlp.Protocol == OtlpMetricsOptions.HttpProtobuf;
            exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            // Over HTTP the exporter posts to the address as given; a collector's base address (what OTLP's own
            // OTEL_EXPORTER_OTLP_ENDPOINT takes) gets the metrics path, as that variable would.
            exporter.Endpoint = http && endpoint.AbsolutePath == "/" ? new Uri(endpoint, "v1/metrics") : endpoint;
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.ExportInterval.TotalMilliseconds;
        });
    }

    /// <summary>Maps the scrape endpoint when the Prometheus export is on; otherwise its path is like any unknown one (404).</summary>
    public static void MapPressMetrics(this WebApplication app)
    {
        if (app.Services.GetService<ScrapeAccess>() is not { } access) return;
        app.MapPrometheusScrapingEndpoint(access.Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(access.Check), optionsName: null);
    }
}

/// <summary>
/// Who may read the scrape endpoint: a client whose address is in the allowed networks (loopback by default). The
/// figures are not secret in the way tokens are, but they tell an outsider which tools run and how busy the server is.
/// A refused client gets 404, as if the endpoint did not exist.
/// </summary>
internal sealed class ScrapeAccess
{
    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
    private readonly IPNetwork[] _allowed;

    public ScrapeAccess(PrometheusMetricsOptions options)
    {
        Path = options.Path;
        var configured = options.AllowedNetworks.Select(PrometheusMetricsOptions.ParseNetwork).OfType<IPNetwork>().ToArray();
        _allowed = configured.Length == 0 ? Loopback : configured;
    }

    public string Path { get; }

    public bool Allows(HttpContext http)
    {
        // A request relayed by a proxy the server does not trust still carries its forwarding headers (a trusted one's are
        // consumed by UseForwardedHeaders, which sets the client's address): its connection address is the proxy's, often
        // loopback, and says nothing about who asked. Such a request is refused, so an nginx on the same machine does not
        // open the endpoint to the internet.
        if (http.Request.Headers.ContainsKey("X-Forwarded-For") || http.Request.Headers.ContainsKey("Forwarded")) return false;
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null) return false;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        foreach (var network in _allowed)
            if (network.Contains(remote)) return true;
        return false;
    }

    public Task Check(HttpContext http, RequestDelegate next)
    {
        if (Allows(http)) return next(http);
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
