using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace PressMcp.OAuth.Clients;

/// <summary>
/// Fetches and validates Client ID Metadata Documents: a client_id that is an https URL names a JSON
/// document that must name itself. Limits: 5 KB, 5 seconds, no redirects, public addresses only. Results
/// are cached as the response's Cache-Control allows (between one minute and one day; ten minutes when it
/// says nothing); failures for half a minute, so a bad URL cannot make the server fetch in a loop.
/// </summary>
internal sealed partial class MetadataDocumentFetcher(MetadataDocumentHttp http, IAddressPolicy policy, TimeProvider clock, ILogger<MetadataDocumentFetcher> logger)
{
    public const int MaxBytes = 5 * 1024;
    private const int MaxCacheEntries = 500;
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, ClientMetadata? Metadata, OAuthError? Error)> _cache = new(StringComparer.Ordinal);

    /// <summary>True when a client_id should be read as a metadata document URL rather than a registered id.</summary>
    public static bool IsDocumentUrl(string clientId) => clientId.StartsWith("https://", StringComparison.Ordinal);

    public async Task<(ClientMetadata? Metadata, OAuthError? Error)> FetchAsync(string url, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(url, out var cached) && cached.Expires > now) return (cached.Metadata, cached.Error);

        var (metadata, error, lifetime) = await LoadAsync(url, ct);
        if (error is not null)
        {
            LogRefused(logger, url, error.LogReason);
            lifetime = FailureLifetime;
        }
        if (lifetime > TimeSpan.Zero)
        {
            if (_cache.Count >= MaxCacheEntries) _cache.Clear();
            _cache[url] = (now + lifetime, metadata, error);
        }
        return (metadata, error);
    }

    private async Task<(ClientMetadata?, OAuthError?, TimeSpan)> LoadAsync(string url, CancellationToken ct)
    {
        if (CheckUrl(url) is { } urlError) return (null, Invalid(urlError), TimeSpan.Zero);
        byte[] body;
        TimeSpan lifetime;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(MetadataDocumentHttp.Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
                return (null, Invalid($"the client metadata document at {url} answered {(int)response.StatusCode}"), TimeSpan.Zero);
            if (response.Content.Headers.ContentLength > MaxBytes)
                return (null, Invalid($"the client metadata document at {url} is larger than {MaxBytes} bytes"), TimeSpan.Zero);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var read = await BoundedRead.ReadAsync(stream, MaxBytes, timeout.Token);
            if (read is null) return (null, Invalid($"the client metadata document at {url} is larger than {MaxBytes} bytes"), TimeSpan.Zero);
            body = read;
            lifetime = LifetimeOf(response);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return (null, new OAuthError(OAuthErrors.InvalidClient, $"the client metadata document at {url} could not be fetched", $"fetch failed: {ex.GetType().Name}: {ex.Message}"), TimeSpan.Zero);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return (null, Invalid($"the client metadata document at {url} is not JSON"), TimeSpan.Zero);
        }
        using (doc)
        {
            var (metadata, error) = ClientMetadataReader.Read(doc.RootElement, isDocument: true);
            if (error is not null) return (null, error with { Code = OAuthErrors.InvalidClient }, TimeSpan.Zero);
            // The document must name itself: otherwise anyone could publish a document claiming another client's id.
            if (!string.Equals(metadata!.ClientId, url, StringComparison.Ordinal))
                return (null, Invalid($"the client metadata document at {url} names a different client_id ('{metadata.ClientId}')"), TimeSpan.Zero);
            return (metadata, null, lifetime);
        }
    }

    /// <summary>The draft's URL rules: https, a host, a path, no fragment, no credentials, no dot segments; a literal IP must be public.</summary>
    private string? CheckUrl(string url)
    {
        if (url.Length > Model.OAuthColumns.ClientIdLength) return $"the client_id URL is longer than {Model.OAuthColumns.ClientIdLength} characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps) return $"the client_id '{url}' is not an https URL";
        if (url.Contains('#') || !string.IsNullOrEmpty(uri.UserInfo)) return $"the client_id URL '{url}' must not have a fragment or credentials";
        if (uri.AbsolutePath is "" or "/") return $"the client_id URL '{url}' must have a path";
        if (url.Contains("/./", StringComparison.Ordinal) || url.Contains("/../", StringComparison.Ordinal) || url.EndsWith("/.", StringComparison.Ordinal) || url.EndsWith("/..", StringComparison.Ordinal))
            return $"the client_id URL '{url}' must not contain dot segments";
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && !policy.Allows(IPAddress.Parse(uri.IdnHost.Trim('[', ']'))))
            return $"the client_id URL '{url}' points at an address that is not public";
        if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return $"the client_id URL '{url}' points at this machine";
        return null;
    }

    private static TimeSpan LifetimeOf(HttpResponseMessage response)
    {
        var cc = response.Headers.CacheControl;
        if (cc is null) return DefaultLifetime;
        if (cc.NoStore || cc.NoCache) return TimeSpan.Zero;
        if (cc.MaxAge is not { } maxAge) return DefaultLifetime;
        return maxAge < MinLifetime ? MinLifetime : maxAge > MaxLifetime ? MaxLifetime : maxAge;
    }

    private static OAuthError Invalid(string description) => new(OAuthErrors.InvalidClient, description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client metadata document {Url} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string url, string reason);
}
