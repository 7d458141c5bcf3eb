using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Accounts;

internal sealed record NewUser(string Login, string Email, string? Password, bool IsServerAdmin = false, string? DisplayName = null);

internal sealed record UserSummary(long Id, string Login, string Email, string DisplayName, bool IsServerAdmin, DateTime CreatedUtc, bool IsDisabled);

/// <summary>Creating users and changing passwords, with every rule applied the same way for pages and commands.</summary>
internal sealed class UserAccounts(UserManager<User> users, PressDbContext db, TimeProvider clock)
{
    public const int MaxLoginLength = 60;
    public const int MaxEmailLength = 254;

    /// <summary>Creates a user. A null password creates an account that cannot sign in (imported authors).</summary>
    public async Task<Outcome<User>> CreateAsync(NewUser input, CancellationToken ct = default)
    {
        var login = input.Login?.Trim() ?? "";
        if (login.Length == 0) return Problem.Invalid("the login is empty");
        if (login.Length > MaxLoginLength) return Problem.Invalid($"the login is longer than {MaxLoginLength} characters");
        if (login.Any(c => !AccountServices.AllowedLoginCharacters.Contains(c)))
            return Problem.Invalid($"the login '{login}' may contain only letters, digits and - . _ @");
        var email = input.Email?.Trim() ?? "";
        if (!IsEmail(email)) return Problem.Invalid($"'{email}' is not a valid e-mail address");
        if (input.Password is not null && string.IsNullOrEmpty(input.Password)) return Problem.Invalid("the password is empty");

        if (await users.FindByNameAsync(login) is not null) return Problem.Conflict($"a user with the login '{login}' already exists");
        if (await users.FindByEmailAsync(email) is not null) return Problem.Conflict($"a user with the e-mail '{email}' already exists");

        var user = new User
        {
            UserName = login,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? login : input.DisplayName.Trim(),
            IsServerAdmin = input.IsServerAdmin,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };

        var result = input.Password is null
            ? await users.CreateAsync(user)
            : await users.CreateAsync(user, input.Password);
        return result.Succeeded ? Outcome<User>.Ok(user) : Problem.Invalid(Describe(result));
    }

    public async Task<Outcome<User>> SetPasswordAsync(string login, string password, CancellationToken ct = default)
    {
        var user = await users.FindByNameAsync(login);
        if (user is null) return Problem.NotFound($"no user with the login '{login}'");
        if (string.IsNullOrEmpty(password)) return Problem.Invalid("the password is empty");

        // Validate first so a refused password leaves the old one in place.
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded) return Problem.Invalid(Describe(check));
        }
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        // A new security stamp signs out every existing session of this user.
        await users.UpdateSecurityStampAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return Outcome<User>.Ok(user);
    }

    public Task<User?> FindByLoginAsync(string login) => users.FindByNameAsync(login);

    public Task<User?> FindByIdAsync(long id) => users.FindByIdAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task<bool> AnyAsync(CancellationToken ct = default) => db.Users.AnyAsync(ct);

    /// <summary>The server administrator created first (setup's), or null before setup.</summary>
    public Task<User?> FirstServerAdminAsync(CancellationToken ct = default) =>
        db.Users.Where(u => u.IsServerAdmin).OrderBy(u => u.Id).FirstOrDefaultAsync(ct);

    public Task<List<UserSummary>> ListAsync(CancellationToken ct = default) =>
        db.Users.OrderBy(u => u.Id)
            .Select(u => new UserSummary(u.Id, u.UserName!, u.Email!, u.DisplayName, u.IsServerAdmin, u.CreatedUtc, u.DisabledUtc != null))
            .ToListAsync(ct);

    internal static string Describe(IdentityResult result) =>
        string.Join(" ", result.Errors.Select(e => e.Description.TrimEnd('.') + "."));

    internal static bool IsEmail(string value)
    {
        if (value.Length is 0 or > MaxEmailLength || value.Contains(' ')) return false;
        return MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && value.Contains('@');
    }
}
