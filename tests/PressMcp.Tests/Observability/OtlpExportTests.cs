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

    [Fact]
    public async Task ImportCommand_WithAnOtlpEndpoint_PushesItsItemCountsBeforeItExits()
    {
        var port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var posted = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var collecting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await collector.GetContextAsync().WaitAsync(stop.Token); }
                catch (OperationCanceledException) { return; }
                using var read = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(read);
                // Kept before the answer: the exporter's flush returns only once answered, so the command cannot exit first.
                posted.Enqueue(context.Request.Url!.AbsolutePath + " " + Encoding.UTF8.GetString(read.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await using var harness = await Import.ImportHarness.CreateAsync();
        await harness.CreateSiteAsync("news");
        var file = harness.Write("one.xml", Import.WxrFiles.Wxr(Import.WxrFiles.Alice + Import.WxrFiles.Item(1, "One", "one")));
        // The export interval (one hour) is far longer than the run: only the flush at the command's end can deliver.
        var r = await CliRunner.RunAsync(harness.Store, "import", "wxr", file, "--site", "news",
            "--option", $"Metrics:Otlp:Endpoint=http://127.0.0.1:{port}", "--option", "Metrics:Otlp:Protocol=http/protobuf",
            "--option", "Metrics:Otlp:ExportInterval=01:00:00");
        Assert.Equal(0, r.ExitCode);
        await stop.CancelAsync();
        await collecting;

        var bodies = posted.ToArray();
        Assert.NotEmpty(bodies);
        Assert.All(bodies, b => Assert.StartsWith("/v1/metrics ", b, StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains("pressmcp.import.items", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Command_WithABadOtlpEndpoint_RefusesNamingTheSetting()
    {
        await using var harness = await Import.ImportHarness.CreateAsync();
        var r = await CliRunner.RunAsync(harness.Store, "site", "list", "--option", "Metrics:Otlp:Endpoint=collector:4317");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Metrics:Otlp:Endpoint is 'collector:4317'; it must be an absolute http:// or https:// address", r.Error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
