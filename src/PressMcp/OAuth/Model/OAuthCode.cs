namespace PressMcp.OAuth.Model;

/// <summary>
/// An authorization code, stored only as the SHA-256 hash of its value. It stays after redemption so a
/// replay can be recognised and the token family it started revoked.
/// </summary>
internal sealed class OAuthCode
{
    public required string Hash { get; set; }
    public long GrantId { get; set; }
    public required string ClientId { get; set; }
    public long UserId { get; set; }
    public required string RedirectUri { get; set; }
    public required string CodeChallenge { get; set; }
    public required string Scope { get; set; }
    public required string Resource { get; set; }
    /// <summary>The family every token issued from this code belongs to.</summary>
    public required string FamilyId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? RedeemedUtc { get; set; }
}
