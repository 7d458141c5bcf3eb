using System.Net;
using System.Text;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// Serves Client ID Metadata Documents from memory in place of the network, and counts fetches, so the real
/// fetcher (limits, validation, caching) is tested without leaving loopback.
/// </summary>
public sealed class FixtureDocuments : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string Body, string? CacheControl)> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _fetches = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Serve(string url, string body, string? cacheControl = null, HttpStatusCode status = HttpStatusCode.OK)
    {
        lock (_lock) _documents[url] = (status, body, cacheControl);
    }

    public int FetchesOf(string url)
    {
        lock (_lock) return _fetches.GetValueOrDefault(url);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.ToString();
        (HttpStatusCode Status, string Body, string? CacheControl) doc;
        lock (_lock)
        {
            _fetches[url] = _fetches.GetValueOrDefault(url) + 1;
            if (!_documents.TryGetValue(url, out doc)) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }
        var response = new HttpResponseMessage(doc.Status) { Content = new StringContent(doc.Body, Encoding.UTF8, "application/json") };
        if (doc.CacheControl is not null) response.Headers.TryAddWithoutValidation("Cache-Control", doc.CacheControl);
        return Task.FromResult(response);
    }
}
