using Microsoft.AspNetCore.Identity;

namespace PressMcp.Accounts;

/// <summary>
/// Password policy beyond Identity's length and variety rules: refuses the passwords attackers try first
/// and passwords that contain the login. No composition rules (NIST SP 800-63B): length beats symbols.
/// </summary>
internal sealed class PasswordRules : IPasswordValidator<User>
{
    public const int MinimumLength = 10;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssw0rd", "p@ssword",
        "1234567890", "12345678910", "0123456789", "123456789a", "qwertyuiop", "qwerty1234", "qwerty123456",
        "1q2w3e4r5t", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjkl1", "iloveyou12", "letmein123", "welcome123",
        "admin12345", "administrator", "changeme123", "wordpress1", "wordpress123", "football12", "baseball12",
        "sunshine12", "princess12", "monkey1234", "dragon1234", "trustno1234", "abcdefghij", "abc1234567",
        "aaaaaaaaaa", "1111111111", "0000000000", "secret1234", "master1234", "superman12", "starwars12",
    };

    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password)
    {
        if (string.IsNullOrEmpty(password)) return Task.FromResult(Fail("The password is empty."));
        if (Common.Contains(password))
            return Task.FromResult(Fail("The password is one of the most common passwords; choose another."));
        if (!string.IsNullOrEmpty(user.UserName) && user.UserName.Length >= 3 &&
            password.Contains(user.UserName, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(Fail("The password must not contain the login."));
        return Task.FromResult(IdentityResult.Success);
    }

    private static IdentityResult Fail(string description) =>
        IdentityResult.Failed(new IdentityError { Code = "WeakPassword", Description = description });
}
