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
    LogLevel MinimumLogLevel = LogLevel.Information);
