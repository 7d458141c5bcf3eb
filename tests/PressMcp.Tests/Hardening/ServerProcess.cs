using PressMcp.Tests.Infrastructure;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PressMcp.Tests.Hardening;

/// <summary>
/// The built <c>pressmcp serve</c> as its own operating-system process on a loopback port, so that what the
/// hardening tests measure is real: <c>kill -9</c> ends it without any cleanup, and its resident memory is the
/// kernel's figure (<c>VmRSS</c> in <c>/proc/PID/status</c>), not a managed-heap estimate. The executable is the
/// build output copied next to the tests (the test project references the server), or
/// <c>PRESSMCP_HARDENING_BIN</c> (e.g. a published binary).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>Configuration the harness gives every server it starts (environment variables, read by ASP.NET Core).</summary>
    private static readonly Dictionary<string, string> HarnessEnvironment = new()
    {
        // The fuzzer sends thousands of requests from one address; the rate limits would answer most of them 429
        // before any parsing happened, hiding exactly the code under test. The limits have their own tests.
        ["PressMcp__RateLimits__Register__PermitLimit"] = "1000000",
        ["PressMcp__RateLimits__Authorize__PermitLimit"] = "1000000",
        ["PressMcp__RateLimits__Token__PermitLimit"] = "1000000",
        ["PressMcp__RateLimits__Login__PermitLimit"] = "1000000",
        ["PressMcp__RateLimits__AppPasswordFailures__PermitLimit"] = "1000000",
        // One line per request from the hosting diagnostics would drown the exceptions the report quotes.
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
    };

    /// <summary>Servers still running, ended if the test host exits first (a server must not outlive its test run).</summary>
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var p in Running.Values)
        {
            try { p.Kill(); } catch (InvalidOperationException) { }
        }
    };

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log;
    private int _logLines;

    private ServerProcess(Process process, string baseUrl, ConcurrentQueue<string> log)
    {
        _process = process;
        BaseUrl = baseUrl;
        _log = log;
    }

    public string BaseUrl { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Every line the server wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Log => [.. _log];

    /// <summary>The lines written since the last call (for quoting what one replayed request made the server log).</summary>
    public IReadOnlyList<string> TakeNewLog()
    {
        var all = _log.ToArray();
        var fresh = all.Skip(_logLines).ToList();
        _logLines = all.Length;
        return fresh;
    }

    public static string Executable =>
        Environment.GetEnvironmentVariable("PRESSMCP_HARDENING_BIN") is { Length: > 0 } bin ? bin : Path.Combine(AppContext.BaseDirectory, "pressmcp");

    /// <summary>Starts <c>pressmcp serve</c> with the store's options on a free loopback port and waits until it answers.</summary>
    /// <param name="serveArgs">More options of <c>serve</c> (e.g. --public-url, --trusted-proxy).</param>
    /// <param name="environment">More environment variables (configuration), over the harness's own.</param>
    public static async Task<ServerProcess> StartAsync(string[] storeArgs, int? port = null, string[]? serveArgs = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var url = $"http://127.0.0.1:{port ?? LoopbackPort.Free()}";
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["serve", .. storeArgs, "--urls", url, .. serveArgs ?? []]) info.ArgumentList.Add(a);
        foreach (var (k, v) in HarnessEnvironment) info.Environment[k] = v;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var log = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"could not start {Executable}");
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, url, log);
        try
        {
            // Generous: the machine running the tests may be busy with other work.
            await server.WaitReadyAsync(TimeSpan.FromSeconds(180));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} while starting:\n{string.Join('\n', Log.TakeLast(40))}");
            if (await IsHealthyAsync(http)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the server did not answer within {limit.TotalSeconds:0} s:\n{string.Join('\n', Log.TakeLast(40))}");
    }

    /// <summary>The health request: the authorization server metadata answers 200 (a database-free page of the running app).</summary>
    public async Task<bool> IsHealthyAsync(HttpClient http)
    {
        try
        {
            using var r = await http.GetAsync(BaseUrl + "/.well-known/oauth-authorization-server");
            return r.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    /// <summary>Resident set size in bytes, from the kernel (null once the process is gone).</summary>
    public long? ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb * 1024;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary><c>kill -9</c>: SIGKILL, no shutdown code runs, nothing is flushed by the server.</summary>
    public async Task KillHardAsync()
    {
        Running.TryRemove(_process.Id, out _);
        if (_process.HasExited) return;
        // Process.Kill sends SIGKILL on Unix.
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillHardAsync();
        _process.Dispose();
    }
}
