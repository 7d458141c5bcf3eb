using Microsoft.AspNetCore.Identity;

namespace PressMcp.Accounts;

/// <summary>
/// A PressMcp account. Identity's <c>UserName</c> is the WordPress login; the password hash,
/// lockout counters and security stamp live in the database so they hold across instances.
/// </summary>
internal sealed class User : IdentityUser<long>
{
    public string DisplayName { get; set; } = "";
    /// <summary>The operator: administers the server and acts as administrator on every site (WordPress's super admin).</summary>
    public bool IsServerAdmin { get; set; }
    public DateTime CreatedUtc { get; set; }
    /// <summary>The profile's website (WordPress's <c>user_url</c>): an http(s) address or empty.</summary>
    public string Website { get; set; } = "";
    /// <summary>The profile's biographical info (WordPress's <c>description</c> user meta), plain text.</summary>
    public string Bio { get; set; } = "";
    /// <summary>
    /// When a server administrator disabled the account (null: enabled). A disabled account cannot sign in, and its
    /// sessions, tokens and Application Passwords stop working; its content stays. Apart from Identity's lockout, which
    /// is the sign-in limiter's and ends by itself.
    /// </summary>
    public DateTime? DisabledUtc { get; set; }

    public bool IsDisabled => DisabledUtc is not null;
    /// <summary>
    /// The last successful sign-in: a password sign-in on the sign-in page, or a use of an access token or an
    /// Application Password (written at most once a minute, or once a day for Application Passwords, as their own
    /// "last used" columns are). Null: never. Left out of the access-version triggers: it changes no one's access.
    /// </summary>
    public DateTime? LastSignInUtc { get; set; }
}

/// <summary>A user's single role on one site.</summary>
internal sealed class SiteMember
{
    public long SiteId { get; set; }
    public long UserId { get; set; }
    public required string Role { get; set; }
    public DateTime AddedUtc { get; set; }
}

/// <summary>The signed-in user's id, as every page that needs it reads it.</summary>
internal static class SignedInUser
{
    /// <summary>
    /// The id of <paramref name="principal"/>, a user the page's <c>[Authorize]</c> has already let in (so the claim is
    /// there and is the number Identity wrote).
    /// </summary>
    public static long IdOf(this UserManager<User> users, System.Security.Claims.ClaimsPrincipal principal) =>
        long.Parse(users.GetUserId(principal)!, System.Globalization.CultureInfo.InvariantCulture);
}
