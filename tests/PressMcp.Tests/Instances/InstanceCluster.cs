using PressMcp.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Npgsql;
using PressMcp.Tests.Hardening;

namespace PressMcp.Tests.Instances;

/// <summary>
/// Two <c>pressmcp serve</c> processes (A and B) on one PostgreSQL database, each with its own data directory and
/// one shared media directory (<c>Media__Root</c>), both with the public URL of the nginx in front of them
/// (<see cref="NginxSite"/>, round robin) and trusting it as their proxy. Shared by the tests of
/// <see cref="InstancesTests"/>; every process is killed at the end, whatever happened.
/// </summary>
public sealed class InstanceCluster : IAsyncLifetime
{
    public const string AlicePassword = "correct horse battery";
    public const string BobPassword = "kitchen secret phrase";

    private readonly ServerProcess?[] _instances = new ServerProcess?[2];
    private readonly int[] _ports = [LoopbackPort.Free(), LoopbackPort.Free()];
    private readonly string[] _dataDirs = new string[2];
    private TestStore? _store;
    private NginxSite? _nginx;
    private string? _skip;

    /// <summary>Why the stage cannot run here (no PostgreSQL or no nginx), or null.</summary>
    public string? SkipReason => _skip;

    public TestStore Store => _store!;
    public NginxSite Nginx => _nginx!;
    public string Front => _nginx!.BaseUrl;
    public string MediaRoot { get; private set; } = "";
    public string AliceAppPassword { get; private set; } = "";
    public AuthenticationHeaderValue AliceBasic => AdapterCalls.Basic("alice", AliceAppPassword);

    public ServerProcess Instance(int i) => _instances[i] ?? throw new InvalidOperationException($"instance {Name(i)} is not running");
    public string Direct(int i) => $"http://127.0.0.1:{_ports[i]}";
    public static string Name(int i) => i == 0 ? "A" : "B";

    /// <summary>Which instance answered through nginx (the last address nginx tried), or null when none did.</summary>
    public int? AnsweredBy(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(NginxSite.UpstreamHeader, out var values)) return null;
        var last = values.Last().Split(',').Last().Trim();
        for (var i = 0; i < _ports.Length; i++)
            if (last == $"127.0.0.1:{_ports[i]}") return i;
        return null;
    }

    public async ValueTask InitializeAsync()
    {
        var required = Environment.GetEnvironmentVariable("PRESSMCP_INSTANCES_REQUIRE") == "1";
        if (Environment.GetEnvironmentVariable("PRESSMCP_TEST_POSTGRES") is null) _skip = "PRESSMCP_TEST_POSTGRES is not set: run ./test.sh instances, which starts a throwaway PostgreSQL";
        else if (NginxSite.Executable is null) _skip = "nginx is not installed: run ./test.sh instances, which installs it";
        if (_skip is not null)
        {
            // ./test.sh instances provides both; there, a missing one is an error, not a skip.
            if (required) throw new InvalidOperationException(_skip);
            return;
        }

        _store = await TestStore.CreateAsync(postgres: true);
        MediaRoot = Path.Combine(_store.DataDirectory, "shared-media");
        Directory.CreateDirectory(MediaRoot);
        for (var i = 0; i < 2; i++) Directory.CreateDirectory(_dataDirs[i] = Path.Combine(_store.DataDirectory, "instance-" + Name(i)));

        await Cli("user", "create", "--login", "alice", "--email", "alice@example.com", "--password", AlicePassword);
        await Cli("user", "create", "--login", "bob", "--email", "bob@example.com", "--password", BobPassword);
        AliceAppPassword = await AdapterCalls.CreatePasswordAsync(_store, "alice", "instances", enableMcp: true);
        await Cli("mcp-access", "--login", "alice", "--tool", "media/upload", "--tool", "site/update-member-role", "--tool", "site/update-settings",
            "--tool", "vmfo-cleanup/start-scan", "--tool", "vmfo-cleanup/cancel-scan", "--tool", "posts/create");

        var frontPort = LoopbackPort.Free();
        // A first: it applies the migrations; B then starts on a migrated database (the way docs/deployment.md says to roll out).
        for (var i = 0; i < 2; i++) _instances[i] = await StartInstanceAsync(i, frontPort);
        _nginx = await NginxSite.StartAsync(NginxSite.Executable!, frontPort, _ports);
    }

    private int _frontPort;

    private async Task<ServerProcess> StartInstanceAsync(int i, int frontPort)
    {
        _frontPort = frontPort;
        var cs = _store!.Settings.ConnectionString;
        return await ServerProcess.StartAsync(
            ["--data", _dataDirs[i], "--database", "postgres", "--connection-string", cs],
            _ports[i],
            ["--public-url", $"http://127.0.0.1:{frontPort}", "--trusted-proxy", "127.0.0.1"],
            new Dictionary<string, string>
            {
                ["Media__Root"] = MediaRoot,
                // Short intervals so that a scan's hand-over between instances happens within the test's bounds.
                ["Media__Scans__HeartbeatSeconds"] = "0.5",
                ["Media__Scans__PollSeconds"] = "0.5",
                ["Media__Scans__StaleAfterSeconds"] = "60",
                // The request log (one line per request) is how a failure message shows who served what.
                ["Logging__LogLevel__PressMcp.Web.RequestLog"] = "Information",
            });
    }

    /// <summary>SIGKILL, no shutdown code runs.</summary>
    public async Task KillAsync(int i)
    {
        if (_instances[i] is { } p) await p.DisposeAsync();
        _instances[i] = null;
    }

    /// <summary>Starts a killed instance again on its port and data directory.</summary>
    public async Task RestartAsync(int i)
    {
        await KillAsync(i);
        _instances[i] = await StartInstanceAsync(i, _frontPort);
    }

    public async Task Cli(params string[] args)
    {
        var r = await CliRunner.RunAsync(_store!, args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"pressmcp {string.Join(' ', args)}: {r}");
    }

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(_store!.Settings.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A browser-like client of one address (cookies shared through <paramref name="cookies"/>, no redirects followed).</summary>
    public static HttpClient Browser(string baseUrl, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>One JSON-RPC call; the parsed answer and the response (for its status and headers).</summary>
    public static async Task<(HttpResponseMessage Response, JsonElement Rpc)> RpcAsync(HttpClient http, string url, string body, AuthenticationHeaderValue auth)
    {
        var response = await AdapterCalls.PostAsync(http, url, body, auth);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement rpc = default;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json") rpc = JsonDocument.Parse(text).RootElement.Clone();
        return (response, rpc);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        // Each step on its own: a failure to stop one process must not leave the others running.
        var errors = new List<Exception>();
        if (_nginx is not null)
        {
            try { await _nginx.DisposeAsync(); } catch (Exception e) { errors.Add(e); }
        }
        for (var i = 0; i < _instances.Length; i++)
        {
            try { await KillAsync(i); } catch (Exception e) { errors.Add(e); }
        }
        if (_store is not null)
        {
            try { await _store.DisposeAsync(); } catch (Exception e) { errors.Add(e); }
        }
        if (errors.Count > 0) throw new AggregateException(errors);
    }
}
