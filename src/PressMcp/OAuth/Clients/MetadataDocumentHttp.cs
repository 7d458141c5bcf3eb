using System.Net;
using System.Net.Sockets;

namespace PressMcp.OAuth.Clients;

/// <summary>
/// The HTTP client that fetches Client ID Metadata Documents. By default a socket handler that resolves the
/// host itself and connects only to addresses the <see cref="IAddressPolicy"/> allows (so a DNS answer
/// cannot point the fetch at the private network), follows no redirects and uses no proxy. Tests pass a
/// handler that serves fixture documents.
/// </summary>
internal sealed class MetadataDocumentHttp(HttpMessageHandler handler) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public HttpClient Client { get; } = new(handler) { Timeout = Timeout };

    public static MetadataDocumentHttp CreateDefault(IAddressPolicy policy) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = Timeout,
        MaxResponseHeadersLength = 16,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.FirstOrDefault(policy.Allows)
                ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} has no public address");
            var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(allowed, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    public void Dispose() => Client.Dispose();
}
