using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PressMcp.Abilities;
using PressMcp.Mcp;
using JsonRpcMessage = PressMcp.Mcp.JsonRpcMessage;

namespace PressMcp.Bench;

/// <summary>
/// The MCP layer alone, without HTTP, authentication or a database: one stateless request handled by building an
/// SDK <see cref="McpServer"/> (ModelContextProtocol 2.3.1, over its stream transport) for it, as a stateless HTTP
/// server built on the SDK would, against our <see cref="McpDispatcher"/>. Both answer the same <c>tools/list</c>
/// and <c>tools/call</c> with the same fixed tool, so the difference is the per-request protocol machinery.
/// One request at a time; wall time and the process's CPU time per request.
/// </summary>
internal static class SdkBench
{
    private const string ToolName = "wpcom-mcp-user-profile";
    private static readonly string ProfileJson = """{"id":2,"login":"bench-agent","display_name":"bench-agent","email":"bench-agent@bench.invalid","server_admin":false}""";

    private static readonly string[] Requests =
    [
        """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""",
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wpcom-mcp-user-profile","arguments":{}}}""",
    ];

    public static async Task RunAsync(int iterations)
    {
        var options = SdkOptions();
        var dispatcher = new McpDispatcher();
        var tools = new FixedTools();
        var context = new McpContext(new McpCaller(1, false, new HashSet<string>(), null, "bench", "bench"), null);
        Console.WriteLine($"One stateless request at a time, {iterations} runs per case after {iterations / 10} warm-up runs (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}).");
        Console.WriteLine("| request | SDK McpServer per request µs (median) | SDK CPU µs | direct dispatcher µs (median) | dispatcher CPU µs | SDK / dispatcher (CPU) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var request in Requests)
        {
            var bytes = Encoding.UTF8.GetBytes(request + "\n");
            var sdkSample = await SdkAsync(options, bytes);
            var oursSample = await OursAsync(dispatcher, tools, context, bytes);
            if (!sdkSample.Contains("\"result\"", StringComparison.Ordinal) || !oursSample.Contains("\"result\"", StringComparison.Ordinal))
                throw new InvalidOperationException($"unexpected answers:\n{sdkSample}\n{oursSample}");
            var (sdkWall, sdkCpu) = await TimeAsync(iterations, () => SdkAsync(options, bytes));
            var (oursWall, oursCpu) = await TimeAsync(iterations, () => OursAsync(dispatcher, tools, context, bytes));
            var method = JsonDocument.Parse(request).RootElement.GetProperty("method").GetString();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {method} | {sdkWall:F1} | {sdkCpu:F1} | {oursWall:F1} | {oursCpu:F1} | {sdkCpu / oursCpu:F1}× |"));
        }
    }

    private static async Task<(double Wall, double Cpu)> TimeAsync(int iterations, Func<Task<string>> run)
    {
        for (var i = 0; i < iterations / 10; i++) await run();
        var samples = new double[iterations];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await run();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        var cpuPer = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / iterations;
        Array.Sort(samples);
        return (samples[iterations / 2], cpuPer);
    }

    private static McpServerOptions SdkOptions()
    {
        var schema = JsonDocument.Parse("""{"type":"object","additionalProperties":false,"properties":{}}""").RootElement;
        var tool = new Tool { Name = ToolName, Description = "Shows your own account.", InputSchema = schema };
        return new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "pressmcp", Version = "0.1.0" },
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = false } },
            Handlers = new McpServerHandlers
            {
                ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [tool] }),
                CallToolHandler = (request, _) => ValueTask.FromResult(new CallToolResult
                {
                    Content = [new TextContentBlock { Text = ProfileJson }],
                    StructuredContent = JsonDocument.Parse(ProfileJson).RootElement,
                }),
            },
        };
    }

    /// <summary>
    /// A new server for the one request, over the SDK's stream transport: the request goes in, the server runs until
    /// its answer has been written, then the input ends and the server is disposed.
    /// </summary>
    private static async Task<string> SdkAsync(McpServerOptions options, byte[] request)
    {
        var input = new System.IO.Pipelines.Pipe();
        var output = new AnswerStream();
        await using (var transport = new StreamServerTransport(input.Reader.AsStream(), output, "bench", NullLoggerFactory.Instance))
        await using (var server = McpServer.Create(transport, options, NullLoggerFactory.Instance))
        {
            var running = server.RunAsync();
            await input.Writer.WriteAsync(request);
            await output.Answered.Task;
            await input.Writer.CompleteAsync();
            await running;
        }
        return output.Text;
    }

    /// <summary>Collects what the server writes and says when a whole line (one message) has arrived.</summary>
    private sealed class AnswerStream : Stream
    {
        private readonly MemoryStream _buffer = new();

        public TaskCompletionSource Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Text => Encoding.UTF8.GetString(_buffer.ToArray());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _buffer.Write(buffer);
            if (buffer.Contains((byte)'\n')) Answered.TrySetResult();
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush() { }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _buffer.Length;
        public override long Position { get => _buffer.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static async Task<string> OursAsync(McpDispatcher dispatcher, IMcpToolSet tools, McpContext context, byte[] request)
    {
        using var document = JsonDocument.Parse(request);
        var message = JsonRpcMessage.Parse(document.RootElement, out _)!;
        var reply = (McpReply.Message)await dispatcher.DispatchAsync(message, McpRevision.LegacyUnnamed, context, tools, default);
        using var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output)) reply.Body.WriteTo(writer);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>The same single tool as the SDK server's, answered the way our tool sets answer.</summary>
    private sealed class FixedTools : IMcpToolSet
    {
        private static readonly AbilityResultJson Profile = AbilityResultJson.OfJson(System.Text.Encoding.UTF8.GetBytes(ProfileJson));

        public string Instructions => "bench";

        public Task<JsonArray> ListAsync(McpContext context, CancellationToken ct) => Task.FromResult(new JsonArray(new JsonObject
        {
            ["name"] = ToolName,
            ["description"] = "Shows your own account.",
            ["inputSchema"] = JsonNode.Parse("""{"type":"object","additionalProperties":false,"properties":{}}"""),
        }));

        public Task<McpReply> CallAsync(JsonRpcMessage request, string name, JsonElement arguments, McpContext context, CancellationToken ct) =>
            Task.FromResult<McpReply>(McpReply.Tool(request, Profile));
    }
}
