namespace PressMcp.OAuth;

/// <summary>Lifetimes and retention of the authorization server, bound from configuration section <c>PressMcp:OAuth</c>.</summary>
internal sealed class OAuthOptions : IPressOptions
{
    public static string Section => "PressMcp:OAuth";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How long a replaced refresh token may still be presented, so concurrent refreshes both succeed.</summary>
    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Registered clients that no user approved are deleted after this many days.</summary>
    public int UnapprovedClientRetentionDays { get; set; } = 30;
    /// <summary>
    /// At most this many clients nobody approved are kept (registrations and metadata-document clients together);
    /// each new one beyond it removes the oldest. With registrations bounded to 4 KB, they hold at most about 4 MB.
    /// </summary>
    public int MaxUnapprovedClients { get; set; } = 1000;
    /// <summary>How often the clean-up of unapproved clients and expired codes and tokens runs.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<string?> Problems()
    {
        var second = TimeSpan.FromSeconds(1);
        yield return PressOptions.Range<OAuthOptions, TimeSpan>(nameof(AccessTokenLifetime), AccessTokenLifetime, second, TimeSpan.FromDays(1));
        yield return PressOptions.Range<OAuthOptions, TimeSpan>(nameof(RefreshTokenLifetime), RefreshTokenLifetime, second, TimeSpan.FromDays(365));
        yield return PressOptions.Range<OAuthOptions, TimeSpan>(nameof(CodeLifetime), CodeLifetime, second, TimeSpan.FromHours(1));
        yield return PressOptions.Range<OAuthOptions, TimeSpan>(nameof(RefreshReuseGrace), RefreshReuseGrace, TimeSpan.Zero, TimeSpan.FromHours(1));
        yield return PressOptions.Range<OAuthOptions, int>(nameof(UnapprovedClientRetentionDays), UnapprovedClientRetentionDays, 1, 3650);
        yield return PressOptions.Range<OAuthOptions, int>(nameof(MaxUnapprovedClients), MaxUnapprovedClients, 1, 1_000_000);
        yield return PressOptions.Range<OAuthOptions, TimeSpan>(nameof(CleanupInterval), CleanupInterval, second, TimeSpan.FromDays(1));
    }
}
