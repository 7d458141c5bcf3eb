namespace PressMcp.OAuth.Model;

/// <summary>
/// A user's approval of one client for one MCP endpoint (resource): the scopes and the sites chosen.
/// Codes and tokens hang off it; deleting it ends every one of them.
/// </summary>
internal sealed class OAuthGrant
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string ClientId { get; set; }
    public required string Resource { get; set; }
    /// <summary>Normalized scopes (space-delimited), as approved.</summary>
    public required string Scope { get; set; }
    public DateTime FirstApprovedUtc { get; set; }
    public DateTime LastApprovedUtc { get; set; }
    public DateTime? LastUsedUtc { get; set; }
}

/// <summary>A site a grant lets the client work on.</summary>
internal sealed class OAuthGrantSite
{
    public long GrantId { get; set; }
    public long SiteId { get; set; }
}

/// <summary>Something the user should know about a connection, shown on the connected-apps page.</summary>
internal sealed class OAuthGrantEvent
{
    public long Id { get; set; }
    public long GrantId { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Message { get; set; }
}
