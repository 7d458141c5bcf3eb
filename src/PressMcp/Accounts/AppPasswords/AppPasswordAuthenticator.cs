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
    /// <summary>The password is right but the account is locked out (failed sign-ins): refused until the lockout ends.</summary>
    LockedOut,
}

internal sealed record AppPasswordResult(AppPasswordVerdict Verdict, User? User, string? PasswordName);

/// <summary>
/// Checks <c>login:password</c> against the user's application passwords on every call (no cache: a revoked
/// password is refused on the very next call, on every instance). The login is matched case-insensitively,
/// as Identity does for sign-in. Failures here do not count towards the account's sign-in lockout: that would let
/// anyone lock a user out of the site by sending bad passwords to the API; guessing is limited per client address
/// instead (<see cref="AppPasswordFailureLimiter"/>), and 142 random bits are not guessable anyway.
/// </summary>
internal sealed partial class AppPasswordAuthenticator(PressDbContext db, UserManager<User> users, TimeProvider clock, ILogger<AppPasswordAuthenticator> logger)
{
    /// <summary>How stale "last used" may get before a call writes it again (WordPress: a day).</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromDays(1);

    public async Task<AppPasswordResult> VerifyAsync(string login, string presentedPassword, IPAddress? clientIp, CancellationToken ct = default)
    {
        var normalized = AppPasswordSecret.Normalize(presentedPassword);
        // Hash even when the shape is wrong or the login unknown, so the time taken says nothing about either.
        var hash = AppPasswordSecret.Hash(normalized ?? presentedPassword);
        var user = login.Length is > 0 and <= UserAccounts.MaxLoginLength ? await users.FindByNameAsync(login) : null;
        if (user is null || normalized is null) return Invalid(login, user is null ? "unknown login" : "not an application password");

        var candidates = await db.Set<AppPassword>().AsNoTracking().Where(p => p.UserId == user.Id)
            .Select(p => new { p.Id, p.Name, p.Hash, p.LastUsedUtc }).ToListAsync(ct);
        // Every stored hash is compared (no early exit), each in constant time.
        var match = candidates.Where(c => AppPasswordSecret.HashesEqual(c.Hash, hash)).ToList().FirstOrDefault();
        if (match is null) return Invalid(login, "wrong or revoked application password");

        if (await users.IsLockedOutAsync(user))
        {
            LogLockedOut(logger, user.Id);
            return new(AppPasswordVerdict.LockedOut, user, match.Name);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (match.LastUsedUtc is null || now - match.LastUsedUtc >= LastUsedResolution)
        {
            var ip = clientIp?.ToString();
            await db.Set<AppPassword>().Where(p => p.Id == match.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.LastUsedUtc, now).SetProperty(p => p.LastIp, ip), ct);
        }
        return new(AppPasswordVerdict.Accepted, user, match.Name);
    }

    private AppPasswordResult Invalid(string login, string reason)
    {
        LogRefused(logger, login.Length > 60 ? login[..60] : login, reason);
        return new(AppPasswordVerdict.Invalid, null, null);
    }

    // The login is logged (it is not a secret, and it is what an operator looks for); the password never is.
    [LoggerMessage(Level = LogLevel.Information, Message = "Application password refused for login {Login}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string login, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Application password of user {UserId} refused: the account is locked out")]
    private static partial void LogLockedOut(ILogger logger, long userId);
}
