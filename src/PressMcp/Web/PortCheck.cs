using System.Net;
using System.Net.Sockets;

namespace PressMcp.Web;

/// <summary>
/// Whether an address the server is to listen on is taken by another program, tried before anything else starts: a
/// taken port is then one line naming it and what to do, instead of a setup address pointing at the other program
/// and a stack trace. Kestrel still reports a port taken between this check and its own bind (the same line).
/// </summary>
internal static class PortCheck
{
    /// <summary>The first of <paramref name="urls"/> whose address and port cannot be bound now, as <c>host:port</c>; null when all can.</summary>
    public static string? FirstInUse(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) continue;
            foreach (var address in AddressesOf(uri.Host))
            {
                try
                {
                    var listener = new TcpListener(address, uri.Port);
                    listener.Start();
                    listener.Stop();
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    return $"{uri.Host}:{uri.Port}";
                }
                catch (SocketException)
                {
                    // Not this check's business (an address this machine lacks, no IPv6): Kestrel reports it.
                }
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="ex"/> is Kestrel's failure to bind a taken address.</summary>
    public static bool IsAddressInUse(Exception ex) =>
        ex is IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } }
        || ex.InnerException is { } inner && IsAddressInUse(inner);

    public static string Message(string hostPort, string scheme = "http") =>
        $"{hostPort} is in use; pass --urls {scheme}://{hostPort.Split(':')[0]}:PORT";

    private static IEnumerable<IPAddress> AddressesOf(string host) => host switch
    {
        "localhost" => [IPAddress.Loopback],
        "*" or "+" or "0.0.0.0" => [IPAddress.Any],
        "[::]" => [IPAddress.IPv6Any],
        _ => IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? [ip] : [],
    };
}
