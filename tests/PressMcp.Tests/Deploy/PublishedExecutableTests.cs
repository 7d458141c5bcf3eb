using PressMcp.Tests.Infrastructure;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PressMcp.Tests.Deploy;

/// <summary>
/// The self-contained single-file executable deploy/publish.sh made (its folder in <c>PRESSMCP_PUBLISHED</c>, set by
/// ./test.sh deploy), run as its own process the way the systemd unit and the Dockerfile run it.
/// </summary>
[Trait(Category.Name, Category.Deploy)]
public sealed class PublishedExecutableTests
{
    private static string Executable
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("PRESSMCP_PUBLISHED");
            Assert.False(string.IsNullOrEmpty(folder), "PRESSMCP_PUBLISHED must name the folder deploy/publish.sh wrote (./test.sh deploy sets it)");
            var file = Path.Combine(folder, "pressmcp");
            Assert.True(File.Exists(file), $"{file} does not exist");
            return file;
        }
    }

    [Fact]
    public async Task Published_IsOneSelfContainedFile()
    {
        var folder = Path.GetDirectoryName(Executable)!;
        // One file to install: no runtime, no framework assemblies, no native library beside it. (The Web SDK also
        // writes an empty static-assets manifest; the server serves its assets from the executable and never reads it.)
        var files = Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "pressmcp" }, files.Where(n => n != "pressmcp.staticwebassets.endpoints.json").ToArray());
        // No dotnet on PATH: it runs on a machine without .NET.
        var run = await RunAsync(["--help"], new() { ["PATH"] = "/usr/bin:/bin", ["DOTNET_ROOT"] = "/nonexistent" });
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("serve", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_AnswersProbesAndMetrics_ThenStopsCleanlyOnSigterm()
    {
        var data = Directory.CreateTempSubdirectory("pressmcp-deploy-");
        var port = LoopbackPort.Free();
        var url = $"http://127.0.0.1:{port}";
        var output = new StringBuilder();
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "serve", "--urls", url, "--data", data.FullName }) info.ArgumentList.Add(a);
        info.Environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(data.FullName, "bundle");
        info.Environment["Metrics__Prometheus__Enabled"] = "true";
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilAnsweringAsync(http, process, output);

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            // Requests and latencies per endpoint: the readiness probe's route has its own series. Alone in its process,
            // this server is the only source of ASP.NET Core's meter, so the series is there once the duration is
            // recorded (after the response was sent: scrape again, within a bound).
            var routed = "";
            for (var deadline = DateTime.UtcNow.AddSeconds(10); !routed.Contains("http_route=\"/readyz\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline; await Task.Delay(100))
                routed = string.Join('\n', (await http.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal)));
            Assert.Contains("http_route=\"/readyz\"", routed, StringComparison.Ordinal);
            // The Dockerfile's HEALTHCHECK command, as the container runs it, against this process's port.
            var check = DeployFiles.ExecForm(DeployFiles.DockerInstructions().Single(s => s.Instruction == "HEALTHCHECK").Arguments.Split("CMD ", 2)[1]);
            var probe = await RunAsync(check[0], [.. check[1..].Select(a => a.Replace("/8080", "/" + port, StringComparison.Ordinal))], new());
            Assert.True(probe.ExitCode == 0, "the Dockerfile's health check failed: " + probe.Output);

            // systemctl stop, docker stop: SIGTERM, and the server ends on its own with 0.
            Assert.Equal(0, (await RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], new())).ExitCode);
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(stopped.Token);
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{output}");
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task SystemdUnit_VerifiesWithThePublishedExecutable()
    {
        // systemd-analyze checks every directive and that ExecStart's file can be run; the unit names where the
        // executable is installed (/opt/pressmcp), so a copy names the freshly published one instead.
        var folder = Directory.CreateTempSubdirectory("pressmcp-unit-");
        try
        {
            var unit = Path.Combine(folder.FullName, "pressmcp.service");
            var text = await File.ReadAllTextAsync(DeployFiles.UnitPath);
            Assert.Contains("ExecStart=" + DeployFiles.InstalledExecutable + " ", text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(unit, text.Replace("ExecStart=" + DeployFiles.InstalledExecutable, "ExecStart=" + Executable, StringComparison.Ordinal));

            var verify = await RunAsync("systemd-analyze", ["verify", unit], new());

            // Unknown keys and bad values are warnings with exit code 0: the unit is clean only if nothing is printed.
            Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0, "systemd-analyze verify:\n" + verify.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task WaitUntilAnsweringAsync(HttpClient http, Process process, StringBuilder output)
    {
        // Generous: the machine running the tests may be busy; bounded all the same.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < until)
        {
            Assert.False(process.HasExited, $"the server exited with {(process.HasExited ? process.ExitCode : 0)}:\n{output}");
            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        Assert.Fail($"the server did not answer within 120 s:\n{output}");
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string[] args, Dictionary<string, string> environment) =>
        RunAsync(Executable, args, environment);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
