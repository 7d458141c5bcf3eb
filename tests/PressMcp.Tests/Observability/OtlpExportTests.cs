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
        await using var collector = LoopbackCollector.Start();
        await using var server = await TestServer.StartAsync(configureHost: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Otlp:Endpoint"] = collector.BaseUrl,
            ["Metrics:Otlp:Protocol"] = "http/protobuf",
            ["Metrics:Otlp:ExportInterval"] = "00:00:01",
        }));
        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient().GetAsync("/healthz")).StatusCode);
        // No scrape endpoint: only the push export was asked for.
        Assert.Equal(HttpStatusCode.NotFound, (await server.CreateClient().GetAsync("/metrics")).StatusCode);

        // Exports come every second; the first ones may precede the request above. Bounded: 30 seconds.
        var body = await collector.WaitForAsync(b => b.Text.Contains("http.server.request.duration", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("/v1/metrics", body.Path);
        Assert.Equal("application/x-protobuf", body.ContentType);
        Assert.Contains("pressmcp", body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCommand_WithAnOtlpEndpoint_PushesItsItemCountsBeforeItExits()
    {
        await using var collector = LoopbackCollector.Start();
        await using var harness = await Import.ImportHarness.CreateAsync();
        await harness.CreateSiteAsync("news");
        var file = harness.Write("one.xml", Import.WxrFiles.Wxr(Import.WxrFiles.Alice + Import.WxrFiles.Item(1, "One", "one")));
        // The export interval (one hour) is far longer than the run: only the flush at the command's end can deliver.
        var r = await CliRunner.RunAsync(harness.Store, "import", "wxr", file, "--site", "news",
            "--option", $"Metrics:Otlp:Endpoint={collector.BaseUrl}", "--option", "Metrics:Otlp:Protocol=http/protobuf",
            "--option", "Metrics:Otlp:ExportInterval=01:00:00");
        Assert.Equal(0, r.ExitCode);

        // The collector keeps a post before answering it, and the exporter's flush returns only once answered: what the
        // command sent is all here when it has exited.
        var bodies = collector.Received;
        Assert.NotEmpty(bodies);
        Assert.All(bodies, b => Assert.Equal("/v1/metrics", b.Path));
        Assert.Contains(bodies, b => b.Text.Contains("pressmcp.import.items", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Command_WithABadOtlpEndpoint_RefusesNamingTheSetting()
    {
        await using var harness = await Import.ImportHarness.CreateAsync();
        var r = await CliRunner.RunAsync(harness.Store, "site", "list", "--option", "Metrics:Otlp:Endpoint=collector:4317");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Metrics:Otlp:Endpoint is 'collector:4317'; it must be an absolute http:// or https:// address", r.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// An OTLP collector on a loopback port: keeps every post (path, content type, body as text: the metric names
    /// travel as plain strings in protobuf) before answering it 200.
    /// </summary>
    private sealed class LoopbackCollector : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly System.Collections.Concurrent.ConcurrentQueue<Post> _received = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private Task _loop = Task.CompletedTask;

        public sealed record Post(string Path, string? ContentType, string Text);

        public string BaseUrl { get; private init; } = "";

        public IReadOnlyList<Post> Received => _received.ToArray();

        public static LoopbackCollector Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var collector = new LoopbackCollector { BaseUrl = $"http://127.0.0.1:{port}" };
            collector._listener.Prefixes.Add(collector.BaseUrl + "/");
            collector._listener.Start();
            collector._loop = collector.ServeAsync();
            return collector;
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync().WaitAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                using var read = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(read);
                _received.Enqueue(new Post(context.Request.Url!.AbsolutePath, context.Request.ContentType, Encoding.UTF8.GetString(read.ToArray())));
                _arrived.Release();
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        /// <summary>The first post that matches, waiting for new ones up to <paramref name="timeout"/>.</summary>
        public async Task<Post> WaitForAsync(Func<Post, bool> match, TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (true)
            {
                if (_received.FirstOrDefault(match) is { } found) return found;
                await _arrived.WaitAsync(deadline.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _listener.Close();
            _stop.Dispose();
            _arrived.Dispose();
        }
    }
}
