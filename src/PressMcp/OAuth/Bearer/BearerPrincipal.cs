namespace PressMcp.OAuth.Bearer;

/// <summary>
/// Who is calling an MCP endpoint with a valid access token: the user, the app (client), the approval
/// (grant) with its scopes (expanded: <c>auth</c> stands for all) and the sites the user chose, and the
/// resource the token was issued for. The MCP layers narrow the user's own permissions with these; nothing
/// here widens them.
/// </summary>
internal sealed record BearerPrincipal(
    long UserId,
    string ClientId,
    long GrantId,
    IReadOnlySet<string> Scopes,
    IReadOnlySet<long> SiteIds,
    string Resource)
{
    /// <summary>Whether the user operates the server, read with the token (so a call needs no separate user query).</summary>
    public bool UserIsServerAdmin { get; init; }

    public bool HasScope(string scope) => Scopes.Contains(scope);

    public bool HasScopes(IEnumerable<string> scopes) => scopes.All(Scopes.Contains);

    public bool MaySee(long siteId) => SiteIds.Contains(siteId);
}
