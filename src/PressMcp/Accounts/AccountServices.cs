using Microsoft.AspNetCore.Identity;

namespace PressMcp.Accounts;

internal static class AccountServices
{
    public const string AllowedLoginCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";

    /// <summary>Identity's user store, hasher and validators, configured once for the server and the command line alike.</summary>
    public static IdentityBuilder AddPressIdentityCore(this IServiceCollection services) =>
        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters = AllowedLoginCharacters;
                o.Password.RequiredLength = PasswordRules.MinimumLength;
                o.Password.RequiredUniqueChars = 5;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                // Lockout counters live in the users table, so they hold across instances.
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddPasswordValidator<PasswordRules>()
            .AddEntityFrameworkStores<Storage.PressDbContext>();
}
