using System.Net;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Web;

/// <summary>Everything <c>pressmcp serve</c> needs, validated before the host is built.</summary>
internal sealed record ServeSettings(
    StorageSettings Storage,
    IReadOnlyList<string> Urls,
    PublicUrl PublicUrl,
    IReadOnlyList<IPAddress> TrustedProxies,
    IReadOnlyList<System.Net.IPNetwork> TrustedNetworks,
    LogLevel MinimumLogLevel = LogLevel.Information)
{
    /// <summary>Browser origins allowed to call the OAuth and MCP endpoints from script (CORS and the MCP Origin check).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];
    /// <summary>
    /// The configuration the server reads its options from (<see cref="Cli.PressConfiguration"/>: command line,
    /// environment, file). A test host that gives none gets the environment's.
    /// </summary>
    public IConfiguration Configuration { get; init; } = Cli.PressConfiguration.FromEnvironment();
    /// <summary>Apply pending migrations at start (false: <c>--no-migrate</c>, refuse to start when the schema is behind).</summary>
    public bool Migrate { get; init; } = true;
    /// <summary><c>--log-format json</c>: one JSON object per log line on standard output.</summary>
    public bool JsonLogs { get; init; }
}
