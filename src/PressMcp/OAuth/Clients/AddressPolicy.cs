using System.Net;
using System.Net.Sockets;

namespace PressMcp.OAuth.Clients;

/// <summary>Which IP addresses the server may connect to when it fetches a client's metadata document.</summary>
internal interface IAddressPolicy
{
    bool Allows(IPAddress address);
}

/// <summary>
/// Public unicast addresses only. Fetching a URL a stranger chose must not reach this machine, the private
/// network or cloud metadata services (SSRF): loopback, private (RFC 1918, fc00::/7), link-local, CGNAT,
/// multicast, documentation and other reserved ranges are refused, also when IPv4 hides inside IPv6.
/// </summary>
internal sealed class PublicAddressPolicy : IAddressPolicy
{
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.88.99.0/24"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)) return false;
        return !Refused.Any(n => n.Contains(address));
    }
}
