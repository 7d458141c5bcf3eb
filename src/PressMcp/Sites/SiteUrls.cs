namespace PressMcp.Sites;

/// <summary>
/// The server's public URL (from configuration, never from a request's Host header) and every absolute
/// link derived from it. A site with a host name lives at https://{host}; others under /sites/{slug}.
/// </summary>
internal sealed class SiteUrls(PublicUrl publicUrl)
{
    public string Public => publicUrl.Value;

    /// <summary>The WordPress.com-style MCP endpoint's URL (its OAuth resource), built once: every call of it compares its token's resource with this.</summary>
    public string WpcomEndpoint { get; } = publicUrl.Value + OAuth.McpResources.WpcomPath;

    public string BaseOf(Site site) => BaseOf(site.Slug, site.HostName);

    public string BaseOf(string slug, string? hostName) =>
        hostName is { Length: > 0 } ? $"https://{hostName}" : $"{publicUrl.Value}/sites/{slug}";
}

/// <summary>The normalised public URL: scheme, host, optional port and path, no trailing slash.</summary>
internal sealed record PublicUrl
{
    private PublicUrl(string value) => Value = value;

    public string Value { get; }

    public Uri Uri => new(Value);

    public static PublicUrl? TryParse(string? value, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"'{value}' is not an absolute http or https URL";
            return null;
        }
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            error = $"the public URL '{value}' must not have a query or fragment";
            return null;
        }
        var text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new PublicUrl(text);
    }
}
