using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace PressMcp.Accounts.SignIn;

/// <summary>
/// Configuration section <c>PressMcp:RateLimits:SignInFailures</c>: how many failed web sign-ins are allowed, per
/// client address and per account, within <see cref="Minutes"/>, which is also how long a lock lasts.
/// </summary>
internal sealed class SignInLimitOptions : IPressOptions
{
    public static string Section => "PressMcp:RateLimits:SignInFailures";

    public int PerAddressLimit { get; set; } = 10;
    public int PerAccountLimit { get; set; } = 50;
    public int Minutes { get; set; } = 15;

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<SignInLimitOptions, int>(nameof(PerAddressLimit), PerAddressLimit, 1, 1_000_000);
        yield return PressOptions.Range<SignInLimitOptions, int>(nameof(PerAccountLimit), PerAccountLimit, 1, 1_000_000);
        yield return PressOptions.Range<SignInLimitOptions, int>(nameof(Minutes), Minutes, 1, 24 * 60);
    }
}

/// <summary>
/// Counts failed web sign-ins in two fixed windows (ASP.NET Core's rate limiters, in memory, per instance): per
/// client address (an IPv6 client by its /64, which one customer usually holds whole), and per account (by the
/// normalized login, whether or not such an account exists). Only failures take a permit: a successful
/// sign-in costs nothing. The per-address limit comes first and stops one address guessing. An account is
/// locked only when failures from several addresses together pass the per-account limit, which is kept above
/// twice the per-address limit (fixed windows may overlap), so that one address alone can never lock anyone out.
/// </summary>
internal sealed class SignInLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInLimits(SignInLimitOptions options)
    {
        Window = TimeSpan.FromMinutes(Math.Max(1, options.Minutes));
        var perAddress = Math.Max(1, options.PerAddressLimit);
        _perAddress = Create(perAddress, Window);
        _perAccount = Create(Math.Max(options.PerAccountLimit, 2 * perAddress + 1), Window);
    }

    /// <summary>The counting window, and how long an account lock lasts.</summary>
    public TimeSpan Window { get; }

    public string WindowText => Window.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " minutes";

    /// <summary>Whether the address may try (no permit is taken).</summary>
    public bool AddressMayTry(string address) => Check(_perAddress, address);

    /// <summary>Whether the account (or the unknown login) is still below its limit (no permit is taken).</summary>
    public bool AccountMayTry(string normalizedLogin) => Check(_perAccount, normalizedLogin);

    /// <summary>Counts a failure; true when it reached the account's limit, so the account is to be locked.</summary>
    public bool RecordFailure(string address, string normalizedLogin)
    {
        using (_perAddress.AttemptAcquire(address)) { }
        using var account = _perAccount.AttemptAcquire(normalizedLogin);
        return !account.IsAcquired || !AccountMayTry(normalizedLogin);
    }

    /// <summary>The address a limit applies to: IPv4 as is, IPv6 by its /64 prefix.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    // A permit count of zero asks whether a permit is left without taking one.
    private static bool Check(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key, 0);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Create(int limit, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }
}
