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
/// network or cloud metadata services (SSRF): loopback, private (RFC 1918, fc00::/7, the deprecated site-local
/// fec0::/10), link-local, CGNAT, multicast, documentation and other reserved ranges are refused, also when IPv4
/// hides inside IPv6: mapped (::ffff:0:0/96) and compatible (::/96) addresses, NAT64 (64:ff9b::/96 and the
/// local-use 64:ff9b:1::/48, RFC 8215, which a NAT64 gateway turns into any IPv4 address, private ones included),
/// Teredo (2001::/32, whose IPv4 is obfuscated) are refused whole; 6to4 (2002::/16) is judged by the IPv4
/// address it embeds.
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
        IPNetwork.Parse("::/96"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001::/32"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)) return false;
        if (Refused.Any(n => n.Contains(address))) return false;
        // 2002:AABB:CCDD::/48 is routed to the IPv4 address AA.BB.CC.DD.
        return !SixToFour.Contains(address) || Allows(new IPAddress(address.GetAddressBytes().AsSpan(2, 4)));
    }
}
