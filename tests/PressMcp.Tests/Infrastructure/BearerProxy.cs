using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// TEST HARNESS ONLY: a loopback reverse proxy that adds <c>Authorization: Bearer …</c> to every request it
/// forwards to the real server, for MCP clients that cannot run an OAuth flow (the conformance suite). The token
/// is a real one, from the real OAuth flow; the server is not changed in any way. Responses are streamed back
/// as they arrive, so SSE passes through. It listens on 127.0.0.1 only.
/// </summary>
public sealed class BearerProxy : IAsyncDisposable
{
    // Hop-by-hop headers (RFC 9110 §7.6.1) are the proxy's own; Host is the target's; Authorization is ours.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Authorization",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private Uri? _target;
    private string? _token;

    private BearerProxy(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The proxy's own origin, <c>http://127.0.0.1:port</c>: what clients call, and what the server must allow as an Origin.</summary>
    public string BaseUrl { get; }

    /// <summary>Starts listening; requests fail with 502 until <see cref="Forward"/> names the server and token.</summary>
    public static async Task<BearerProxy> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        BearerProxy? proxy = null;
        app.Run(http => proxy!.ForwardAsync(http));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy = new BearerProxy(app, address.TrimEnd('/'));
        return proxy;
    }

    public void Forward(string serverBaseUrl, string accessToken)
    {
        _target = new Uri(serverBaseUrl);
        _token = accessToken;
    }

    private async Task ForwardAsync(HttpContext http)
    {
        if (_target is null || _token is null)
        {
            http.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), new Uri(_target, http.Request.Path + http.Request.QueryString));
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(http.Request.Body);
        foreach (var (name, values) in http.Request.Headers)
        {
            if (NotForwarded.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, [.. values])) request.Content?.Headers.TryAddWithoutValidation(name, [.. values]);
        }
        request.Headers.Authorization = new("Bearer", _token);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!NotForwarded.Contains(name)) http.Response.Headers[name] = values.ToArray();
        }
        await using var body = await response.Content.ReadAsStreamAsync(http.RequestAborted);
        var buffer = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
