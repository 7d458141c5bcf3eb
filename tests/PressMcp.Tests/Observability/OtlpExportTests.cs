using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PressMcp.Tests.Observability;

/// <summary>
/// <c>Metrics:Otlp:Endpoint</c>: the server pushes its measurements to a collector. The collector here is a loopback
/// HTTP listener that keeps what is posted to it (OTLP over HTTP, protobuf); the metric names travel as plain strings.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Otlp_HttpProtobufToBaseAddress_PostsMetricsToV1Metrics()
    {
        var port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        await using var server = await TestServer.StartAsync(configureHost: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Otlp:Endpoint"] = $"http://127.0.0.1:{port}",
            ["Metrics:Otlp:Protocol"] = "http/protobuf",
            ["Metrics:Otlp:ExportInterval"] = "00:00:01",
        }));
        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient().GetAsync("/healthz")).StatusCode);
        // No scrape endpoint: only the push export was asked for.
        Assert.Equal(HttpStatusCode.NotFound, (await server.CreateClient().GetAsync("/metrics")).StatusCode);

        // Exports come every second; the first ones may precede the request above. Bounded: 30 posts or 30 seconds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? body = null;
        for (var i = 0; i < 30 && body is null; i++)
        {
            var context = await collector.GetContextAsync().WaitAsync(timeout.Token);
            Assert.Equal("/v1/metrics", context.Request.Url!.AbsolutePath);
            Assert.Equal("application/x-protobuf", context.Request.ContentType);
            using var read = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(read, timeout.Token);
            var text = Encoding.UTF8.GetString(read.ToArray());
            context.Response.StatusCode = 200;
            context.Response.Close();
            if (text.Contains("http.server.request.duration", StringComparison.Ordinal)) body = text;
        }
        Assert.NotNull(body);
        Assert.Contains("pressmcp", body, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
