using System.Net;
using PressMcp.Publishing;
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
    /// <summary><c>serve --publish-interval</c>: <c>Publishing:ScheduleInterval</c> (<see cref="PublishingOptions"/>) from the command line.</summary>
    public TimeSpan? PublishInterval { get; init; }
}
