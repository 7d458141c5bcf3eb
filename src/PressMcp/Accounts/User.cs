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
}

/// <summary>A user's single role on one site.</summary>
internal sealed class SiteMember
{
    public long SiteId { get; set; }
    public long UserId { get; set; }
    public required string Role { get; set; }
    public DateTime AddedUtc { get; set; }
}
