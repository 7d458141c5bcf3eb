using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PressMcp.Tests.Instances;

/// <summary>
/// nginx running the shipped site file (deploy/nginx/pressmcp.conf) on loopback: the upstream's server lines point
/// at the test's instances, the TLS lines (those ending in <c># TLS</c>) and the port-80 redirect block are dropped,
/// and the remaining server listens on a loopback port. Everything else (the upstream's failure rules, proxy headers,
/// retries, timeouts, body size, rate limits) runs as shipped. One addition for the tests: a response header naming
/// the instance that answered (<c>$upstream_addr</c>), so a test can count who served what; the shipped file does not
/// expose it. nginx runs in the foreground as one process (no master), with its own prefix, pid file and logs.
/// </summary>
public sealed partial class NginxSite : IAsyncDisposable
{
    public const string UpstreamHeader = "X-Test-Upstream";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NginxSite(Process process, string prefix, int port)
    {
        _process = process;
        Prefix = prefix;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }
    public string Prefix { get; }

    public static string ShippedFile => Path.Combine(AppContext.BaseDirectory, "deploy", "nginx", "pressmcp.conf");

    /// <summary>nginx from the Debian package, or on PATH; null when it is not installed.</summary>
    public static string? Executable =>
        new[] { "/usr/sbin/nginx" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "nginx")))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"^(\s*)server\s+127\.0\.0\.1:\d+(.*)$")]
    private static partial Regex UpstreamServer();

    /// <summary>The shipped site file rewritten for loopback (see the class summary); throws when the file lost its markers.</summary>
    public static string Derive(string shipped, int listenPort, IReadOnlyList<int> upstreamPorts)
    {
        var lines = shipped.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var output = new List<string>();
        bool inRedirect = false, sawRedirect = false, upstreamWritten = false, inUpstream = false;
        var servers = 0;
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed == "# BEGIN http-redirect") { inRedirect = sawRedirect = true; continue; }
            if (trimmed == "# END http-redirect") { inRedirect = false; continue; }
            if (inRedirect || trimmed.EndsWith("# TLS", StringComparison.Ordinal)) continue;
            if (trimmed.StartsWith("upstream pressmcp", StringComparison.Ordinal)) inUpstream = true;
            if (inUpstream && trimmed == "}") inUpstream = false;
            if (inUpstream && UpstreamServer().Match(line) is { Success: true } m)
            {
                // The first server line stands for all: one per test instance, with the shipped parameters.
                if (!upstreamWritten)
                    output.AddRange(upstreamPorts.Select(p => $"{m.Groups[1].Value}server 127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}{m.Groups[2].Value}"));
                upstreamWritten = true;
                continue;
            }
            output.Add(line);
            if (trimmed == "server {")
            {
                servers++;
                output.Add($"    listen 127.0.0.1:{listenPort.ToString(CultureInfo.InvariantCulture)};");
                output.Add($"    add_header {UpstreamHeader} $upstream_addr always;");
            }
        }
        if (!sawRedirect || !upstreamWritten || servers != 1)
            throw new InvalidOperationException($"{ShippedFile} no longer has the shape the test rewrites (redirect markers: {sawRedirect}, upstream server lines: {upstreamWritten}, server blocks left: {servers})");
        return string.Join('\n', output);
    }

    /// <summary>Writes the configuration under a fresh prefix, starts nginx and waits until it proxies <c>/healthz</c>.</summary>
    public static async Task<NginxSite> StartAsync(string executable, int port, IReadOnlyList<int> upstreamPorts)
    {
        var prefix = Path.Combine(Path.GetTempPath(), "pressmcp-nginx", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(prefix);
        await File.WriteAllTextAsync(Path.Combine(prefix, "site.conf"), Derive(await File.ReadAllTextAsync(ShippedFile), port, upstreamPorts));
        // One process (no master, no workers to change user): it can write its temporary files under the prefix
        // whoever runs the tests, root in the CI container included.
        var main = new StringBuilder()
            .AppendLine("daemon off;")
            .AppendLine("master_process off;")
            .AppendLine(CultureInfo.InvariantCulture, $"pid {prefix}/nginx.pid;")
            .AppendLine(CultureInfo.InvariantCulture, $"error_log {prefix}/error.log warn;")
            .AppendLine("events { worker_connections 1024; }")
            .AppendLine("http {")
            .AppendLine(CultureInfo.InvariantCulture, $"    access_log {prefix}/access.log;")
            .AppendLine(CultureInfo.InvariantCulture, $"    client_body_temp_path {prefix}/client_body;")
            .AppendLine(CultureInfo.InvariantCulture, $"    proxy_temp_path {prefix}/proxy;")
            .AppendLine(CultureInfo.InvariantCulture, $"    fastcgi_temp_path {prefix}/fastcgi;")
            .AppendLine(CultureInfo.InvariantCulture, $"    uwsgi_temp_path {prefix}/uwsgi;")
            .AppendLine(CultureInfo.InvariantCulture, $"    scgi_temp_path {prefix}/scgi;")
            .AppendLine(CultureInfo.InvariantCulture, $"    include {prefix}/site.conf;")
            .AppendLine("}");
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), main.ToString());

        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-p", prefix + "/", "-c", Path.Combine(prefix, "nginx.conf"), "-e", Path.Combine(prefix, "error.log")]) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var site = new NginxSite(process, prefix, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) site._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) site._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await site.WaitReadyAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
        return site;
    }

    private async Task WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"nginx exited with {_process.ExitCode}:\n{Diagnostics()}");
            try
            {
                using var r = await http.GetAsync(BaseUrl + "/healthz");
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"nginx did not proxy /healthz within {limit.TotalSeconds:0} s:\n{Diagnostics()}");
    }

    /// <summary>nginx's console and the end of its error log, for failure messages.</summary>
    public string Diagnostics()
    {
        var log = Path.Combine(Prefix, "error.log");
        var errors = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "(no error log)";
        return string.Join('\n', _output) + "\n" + errors;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
        try { Directory.Delete(Prefix, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
