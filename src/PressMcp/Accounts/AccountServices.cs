using PressMcp.Activity;
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
                // A lock lives in the users table (so every instance sees it); when to lock is SignIn.PasswordSignIn's
                // decision, never Identity's failure counter, which anyone could drive with five wrong passwords.
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddPasswordValidator<PasswordRules>()
            .AddEntityFrameworkStores<Storage.PressDbContext>();

    /// <summary>Web sign-in: the failure limits (<see cref="SignIn.SignInLimitOptions"/>) and the sign-in rules.</summary>
    public static IServiceCollection AddPressSignIn(this IServiceCollection services)
    {
        services.AddPressOptions<SignIn.SignInLimitOptions>();
        services.AddSingleton<SignIn.SignInLimits>();
        services.AddScoped<SignIn.PasswordSignIn>();
        return services;
    }

    /// <summary>The server administrators' pages: their activity entries, and whole-site administration (which removes media files).</summary>
    public static IServiceCollection AddPressAdministration(this IServiceCollection services)
    {
        services.AddSingleton<PersonActivity>();
        services.AddScoped<Sites.SiteAdministration>();
        return services;
    }
}
