using System.Diagnostics;
using System.Text;

namespace PressMcp.Tests.Conformance;

/// <summary>
/// The MCP conformance suite (npm <c>@modelcontextprotocol/conformance</c>) against the real WordPress.com-style
/// endpoint, once per protocol revision, each at its own wire. The suite cannot run OAuth, so it talks to a
/// loopback <see cref="BearerProxy"/> that adds a token obtained through the real OAuth flow; the proxy's origin
/// is allowed the way an operator allows one (<c>serve --allowed-origin</c>). A checked-in list of expected
/// failures (tests/conformance/expected-failures.yml, each with its reason) serves every revision: an entry whose
/// scenario or check does not run in a revision is not held against it. The suite itself fails the run on an
/// unexpected failure and on an expected one that passes.
/// Run by <c>tests/conformance/run.sh</c> (test.sh's conformance stage), which installs Node 22 and the suite and
/// names them in PRESSMCP_CONFORMANCE_NODE and PRESSMCP_CONFORMANCE_CLI.
/// </summary>
[Trait(Category.Name, Category.Conformance)]
public sealed class ConformanceSuiteTests(ITestOutputHelper output) : IAsyncLifetime
{
    private BearerProxy _proxy = null!;
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync()
    {
        _proxy = await BearerProxy.StartAsync();
        _s = await OAuthTestServer.StartAsync(allowedOrigins: [_proxy.BaseUrl]);
        var token = (await _s.ConnectAsync()).Tokens.AccessToken;
        _proxy.Forward(_s.BaseUrl, token);
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _s.DisposeAsync();
    }

    /// <summary>
    /// 2026-07-28 and 2025-11-25 run exactly what their published requirement sets name. 2025-06-18 has no set:
    /// its run is every active scenario tagged for it.
    /// </summary>
    [Theory]
    [InlineData("2026-07-28", "--requirements 2026-07-28")]
    [InlineData("2025-11-25", "--requirements 2025-11-25")]
    [InlineData("2025-06-18", "--spec-version 2025-06-18")]
    public async Task Server_PassesTheSuite_ApartFromItsListedExpectedFailures(string revision, string selection)
    {
        var node = Environment.GetEnvironmentVariable("PRESSMCP_CONFORMANCE_NODE");
        var cli = Environment.GetEnvironmentVariable("PRESSMCP_CONFORMANCE_CLI");
        Assert.True(node is not null && cli is not null, "run tests/conformance/run.sh (it installs Node 22 and the suite and names them in PRESSMCP_CONFORMANCE_NODE and PRESSMCP_CONFORMANCE_CLI)");
        var root = RepositoryRoot();
        var baseline = Path.Combine(root, "tests", "conformance", "expected-failures.yml");
        var results = Path.Combine(root, "artifacts", "conformance", revision);
        Directory.CreateDirectory(results);

        var start = new ProcessStartInfo(node!) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = results };
        foreach (var a in (string[])[cli!, "server", "--url", _proxy.BaseUrl + "/wpcom/v2/mcp/v1", .. selection.Split(' '), "--expected-failures", baseline, "-o", results, "--timeout", "15000"])
            start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var text = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, text);
        var stderr = PumpAsync(process.StandardError, text);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the conformance suite ({revision}) ran longer than 3 minutes:\n{text}");
        }
        await Task.WhenAll(stdout, stderr);
        await File.WriteAllTextAsync(Path.Combine(root, "artifacts", "conformance", $"{revision}.log"), text.ToString());
        output.WriteLine(text.ToString());
        Assert.True(process.ExitCode == 0, $"conformance {revision}: exit {process.ExitCode} (an unexpected failure, or an expected failure that now passes: update {baseline})\n{text}");
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            lock (into) into.AppendLine(line);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PressMcp.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("PressMcp.slnx not found above " + AppContext.BaseDirectory);
    }
}
