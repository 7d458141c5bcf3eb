using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace PressMcp.Accounts.SignIn;

internal enum SignInVerdict
{
    SignedIn,
    /// <summary>Unknown login, no password, or a wrong one: one answer for all.</summary>
    Refused,
    /// <summary>The client address failed too often: refused before any password is checked.</summary>
    AddressLimited,
    /// <summary>The account (or an unknown login, answered alike) is locked after failures from many addresses.</summary>
    Locked,
    /// <summary>
    /// The right password for an account a server administrator disabled. Said only after the password checked out,
    /// so a guesser learns nothing about which accounts are disabled.
    /// </summary>
    Disabled,
}

/// <summary>
/// Web sign-in with a login or an e-mail address and the account password. Refusals say nothing about which
/// logins exist: an unknown login is answered with the same message, after the same work (a dummy hash is
/// verified with the same hasher), and is locked like an account after the same failures. Failures are limited
/// per client address first (<see cref="SignInLimits"/>); an account is locked, in the users table so every
/// instance sees it and <c>pressmcp user set-password</c> clears it, only when many addresses fail together.
/// Application Passwords are a separate door (<c>AppPasswordAuthenticator</c>): this lock never closes it.
/// </summary>
internal sealed partial class PasswordSignIn(
    SignInManager<User> signIn, UserManager<User> users, SignInLimits limits, Storage.PressDbContext db, TimeProvider clock, ILogger<PasswordSignIn> logger)
{
    private static string? s_dummyHash;

    public async Task<SignInVerdict> SignInAsync(string login, string password, IPAddress? client)
    {
        var address = SignInLimits.AddressKey(client);
        if (!limits.AddressMayTry(address))
        {
            LogAddressLimited(logger, address);
            return SignInVerdict.AddressLimited;
        }

        var user = await FindAsync(login);
        var key = user?.NormalizedUserName ?? users.NormalizeName(login);
        if (user is not null ? await users.IsLockedOutAsync(user) : !limits.AccountMayTry(key))
        {
            LogLocked(logger, Shorten(login));
            return SignInVerdict.Locked;
        }

        if (user is not null && user.PasswordHash is not null)
        {
            // The lock is ours (above), so Identity's own failure counter stays off.
            var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
            if (result.Succeeded && user.IsDisabled)
            {
                LogDisabled(logger, user.Id);
                return SignInVerdict.Disabled;
            }
            if (result.Succeeded)
            {
                await signIn.SignInAsync(user, isPersistent: false);
                // One column, not UserManager.UpdateAsync: that would write every column and raise the access version.
                var now = clock.GetUtcNow().UtcDateTime;
                await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSignInUtc, now));
                LogSignedIn(logger, user.UserName!);
                return SignInVerdict.SignedIn;
            }
        }
        else
        {
            // No account, or one that cannot sign in (an imported author): the same hashing work as a wrong password.
            var hasher = users.PasswordHasher;
            hasher.VerifyHashedPassword(new User(), s_dummyHash ??= hasher.HashPassword(new User(), "a password nobody has"), password);
        }

        if (limits.RecordFailure(address, key) && user is not null)
        {
            await users.SetLockoutEndDateAsync(user, clock.GetUtcNow() + limits.Window);
            LogLocking(logger, user.Id, limits.Window);
        }
        LogRefused(logger, Shorten(login), address);
        return SignInVerdict.Refused;
    }

    /// <summary>By login; failing that, by e-mail address when the input looks like one (a login may contain '@' too).</summary>
    private async Task<User?> FindAsync(string login)
    {
        if (login.Length > UserAccounts.MaxEmailLength) return null;
        return await users.FindByNameAsync(login) ?? (login.Contains('@') ? await users.FindByEmailAsync(login) : null);
    }

    private static string Shorten(string login) => login.Length > UserAccounts.MaxLoginLength ? login[..UserAccounts.MaxLoginLength] : login;

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Login} signed in")]
    private static partial void LogSignedIn(ILogger logger, string login);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused for {Login} from {Address}: unknown login or wrong password")]
    private static partial void LogRefused(ILogger logger, string login, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused for user {UserId}: the account is disabled")]
    private static partial void LogDisabled(ILogger logger, long userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused from {Address}: too many failed sign-ins from this address")]
    private static partial void LogAddressLimited(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Login}: locked after failed sign-ins from many addresses")]
    private static partial void LogLocked(ILogger logger, string login);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} locked for {Duration} after failed sign-ins from many addresses")]
    private static partial void LogLocking(ILogger logger, long userId, TimeSpan duration);
}
