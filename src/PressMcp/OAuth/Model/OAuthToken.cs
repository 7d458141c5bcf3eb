namespace PressMcp.OAuth.Model;

internal enum TokenKind
{
    Access = 1,
    Refresh = 2,
}

/// <summary>
/// An access or refresh token, stored only as the SHA-256 hash of its value. Tokens issued from one
/// authorization code form a family: refresh rotation keeps it, reuse detection ends all of it at once.
/// </summary>
internal sealed class OAuthToken
{
    public required string Hash { get; set; }
    public TokenKind Kind { get; set; }
    public required string FamilyId { get; set; }
    public long GrantId { get; set; }
    public required string ClientId { get; set; }
    public long UserId { get; set; }
    public required string Scope { get; set; }
    public required string Resource { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
    /// <summary>Refresh tokens: when this token was exchanged for a new pair (rotation).</summary>
    public DateTime? RotatedUtc { get; set; }
    /// <summary>Refresh tokens: the hash of the refresh token this one replaced.</summary>
    public string? ParentHash { get; set; }
}
