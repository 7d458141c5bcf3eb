namespace PressMcp.OAuth.Model;

/// <summary>
/// A client that may ask users for access: registered dynamically (RFC 7591) or known by the URL of its
/// Client ID Metadata Document, whose latest fetched content is kept here. Public clients only: no secret.
/// </summary>
internal sealed class OAuthClient
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The registered redirect URIs, one per line.</summary>
    public required string RedirectUris { get; set; }
    /// <summary>The scopes the client registered for (space-delimited), or null for any.</summary>
    public string? Scope { get; set; }
    public string ApplicationType { get; set; } = "web";
    public string? ClientUri { get; set; }
    public string? LogoUri { get; set; }
    /// <summary>True when <see cref="Id"/> is the https URL of a Client ID Metadata Document.</summary>
    public bool IsMetadataDocument { get; set; }
    public DateTime CreatedUtc { get; set; }
    /// <summary>When a user first approved the client; clients nobody approves are deleted after a while.</summary>
    public DateTime? FirstApprovedUtc { get; set; }

    public IReadOnlyList<string> RedirectUriList => RedirectUris.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
