using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Accounts.AppPasswords;

internal enum AppPasswordVerdict
{
    Accepted,
    /// <summary>Unknown login, wrong or revoked password: one answer for all, so logins cannot be probed.</summary>
    Invalid,
}

internal sealed record AppPasswordResult(AppPasswordVerdict Verdict, AppPasswordUser? User, string? PasswordName);

/// <summary>What a call needs of the user an accepted Application Password belongs to.</summary>
internal sealed record AppPasswordUser(long Id, bool IsServerAdmin);

/// <summary>
/// Checks <c>login:password</c> against the user's application passwords. The login is matched case-insensitively,
/// as Identity does for sign-in. A password once accepted is remembered (<see cref="AppPasswordCache"/>, by login and
/// the password's SHA-256, never the password) for the current <see cref="AccessVersion"/> only: revoking a password,
/// renaming, disabling or deleting the user all move the version, so each is refused on the very next call on this instance, within SharedAccessVersion.MaxAge (1 s) on the others.
/// Only acceptances are remembered, never failures.
/// The web sign-in lock (failed account-password sign-ins, <c>SignIn.PasswordSignIn</c>) does not apply here, and
/// failures here do not count towards it: either would let anyone shut a user's agents out by sending wrong
/// passwords to the sign-in page or the API. Guessing is limited per client address instead
/// (<see cref="AppPasswordFailureLimiter"/>), and 142 random bits are not guessable anyway.
/// </summary>
internal sealed partial class AppPasswordAuthenticator(
    PressDbContext db, UserManager<User> users, AccessVersion version, AppPasswordCache cache, TimeProvider clock, ILogger<AppPasswordAuthenticator> logger)
{
    /// <summary>How stale "last used" may get before a call writes it again (WordPress: a day).</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromDays(1);

    public async Task<AppPasswordResult> VerifyAsync(string login, string presentedPassword, IPAddress? clientIp, CancellationToken ct = default)
    {
        var normalized = AppPasswordSecret.Normalize(presentedPassword);
        // Hash even when the shape is wrong or the login unknown, so the time taken says nothing about either.
        var hash = AppPasswordSecret.Hash(normalized ?? presentedPassword);
        var validLogin = login.Length is > 0 and <= UserAccounts.MaxLoginLength;
        var key = validLogin && normalized is not null ? (users.NormalizeName(login), hash) : default;
        var current = await version.CurrentAsync(ct);
        if (key != default && cache.Passwords.TryGet(key, current, out var known)) return await AcceptAsync(known, clientIp, ct);

        var user = validLogin ? await users.FindByNameAsync(login) : null;
        if (user is null || normalized is null) return Invalid(login, user is null ? "unknown login" : "not an application password");

        var candidates = await db.Set<AppPassword>().AsNoTracking().Where(p => p.UserId == user.Id)
            .Select(p => new { p.Id, p.Name, p.Hash, p.LastUsedUtc }).ToListAsync(ct);
        // Every stored hash is compared (no early exit), each in constant time.
        var match = candidates.Where(c => AppPasswordSecret.HashesEqual(c.Hash, hash)).ToList().FirstOrDefault();
        if (match is null) return Invalid(login, "wrong or revoked application password");
        // A disabled account's passwords stop working with it, answered as a wrong password. Disabling moves the access
        // version, so an acceptance remembered before it is not used either.
        if (user.IsDisabled) return Invalid(login, "the account is disabled");

        var accepted = new AcceptedAppPassword(new AppPasswordUser(user.Id, user.IsServerAdmin), match.Id, match.Name, match.LastUsedUtc);
        cache.Passwords.Set(key, current, accepted);
        return await AcceptAsync(accepted, clientIp, ct);
    }

    private async Task<AppPasswordResult> AcceptAsync(AcceptedAppPassword accepted, IPAddress? clientIp, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (accepted.LastUsed.TryClaim(now, LastUsedResolution))
        {
            // Not an access change (the triggers leave these columns out), so the remembered acceptance stays valid.
            var ip = clientIp?.ToString();
            await db.Set<AppPassword>().Where(p => p.Id == accepted.PasswordId)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.LastUsedUtc, now).SetProperty(p => p.LastIp, ip), ct);
            await db.Users.Where(u => u.Id == accepted.User.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSignInUtc, now), ct);
        }
        return new(AppPasswordVerdict.Accepted, accepted.User, accepted.PasswordName);
    }

    private AppPasswordResult Invalid(string login, string reason)
    {
        LogRefused(logger, login.Length > 60 ? login[..60] : login, reason);
        return new(AppPasswordVerdict.Invalid, null, null);
    }

    // The login is logged (it is not a secret, and it is what an operator looks for); the password never is.
    [LoggerMessage(Level = LogLevel.Information, Message = "Application password refused for login {Login}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string login, string reason);
}

/// <summary>An accepted Application Password as the call path remembers it.</summary>
internal sealed class AcceptedAppPassword(AppPasswordUser user, long passwordId, string passwordName, DateTime? lastUsedUtc)
{
    public AppPasswordUser User { get; } = user;
    public long PasswordId { get; } = passwordId;
    public string PasswordName { get; } = passwordName;

    /// <summary>The password's "last used" as read, then as this instance wrote it, to write it at most once a day.</summary>
    public LastUsedStamp LastUsed { get; } = new(lastUsedUtc);
}

/// <summary>Accepted passwords by (normalized login, SHA-256 of the password), each valid for one access version.</summary>
internal sealed class AppPasswordCache
{
    public VersionedCache<(string? Login, string Hash), AcceptedAppPassword> Passwords { get; } = new(capacity: 10_000);
}
