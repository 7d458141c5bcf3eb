using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of its own on a loopback port, started from the installed binaries (the Debian package's, the
/// highest version under <c>/usr/lib/postgresql</c>) in a directory of the caller's: initialised there once and kept,
/// so what a run wrote (the benchmark's generated site, which takes minutes) is there for the next run. It is a
/// throwaway as test.sh's is: durability off (<c>fsync</c>, <c>synchronous_commit</c>, <c>full_page_writes</c>), trust
/// authentication, listening on 127.0.0.1 and a socket in the directory only, stopped at disposal. The bench starts one
/// for <c>served --engines sqlite,postgres</c>; ThrowawayPostgresTests checks it. PostgreSQL refuses to run as root, so as
/// root the directory is given to the <c>postgres</c> user and its tools run as that user (<c>runuser</c>), as test.sh does.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private bool _stopped;

    private ThrowawayPostgres(string bin, string directory, int port)
    {
        (_bin, _directory, Port) = (bin, directory, port);
    }

    public int Port { get; }

    /// <summary>The data directory's path (<c>data</c> under the directory given to <see cref="StartAsync"/>).</summary>
    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The installed server's binaries: the highest version under /usr/lib/postgresql; null when none is installed.</summary>
    public static string? InstalledBinaries =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Bin, "pg_ctl")))
                .OrderByDescending(d => d.Version).Select(d => d.Bin).FirstOrDefault()
            : null;

    /// <summary>
    /// Starts a server on <paramref name="port"/> over the data in <paramref name="directory"/>, initialising it first when
    /// the directory holds none. A server a killed run left running on that data is stopped first. Throws with the
    /// tools' own messages (and the server's log) when it cannot start.
    /// </summary>
    public static async Task<ThrowawayPostgres> StartAsync(string directory, int port, CancellationToken ct = default)
    {
        var bin = InstalledBinaries ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql), or name a server with PRESSMCP_CONNECTION_STRING");
        directory = Path.GetFullPath(directory);
        // pg_ctl hands -o to the server through a shell: the socket directory is quoted, so it may hold spaces but no quote.
        if (directory.Contains('\'', StringComparison.Ordinal)) throw new ArgumentException("a directory without a single quote", nameof(directory));
        Directory.CreateDirectory(directory);
        var server = new ThrowawayPostgres(bin, directory, port);
        // The tools run as postgres under root: the directory must be theirs (a temporary one is created 0700 by root).
        if (Environment.IsPrivilegedProcess) await RunAsync("chown", ["postgres:postgres", directory], ct);
        if (!File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION")))
            await server.ToolAsync("initdb", ["-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"], ct);
        else if (await server.ToolAsync("pg_ctl", ["-D", server.DataDirectory, "status"], ct, check: false) == 0)
            await server.ToolAsync("pg_ctl", ["-D", server.DataDirectory, "-m", "fast", "-w", "stop"], ct);
        var log = Path.Combine(directory, "server.log");
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {port} -k '{directory}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        if (await server.ToolAsync("pg_ctl", ["-D", server.DataDirectory, "-l", log, "-w", "-t", "120", "-o", options, "start"], ct, check: false) != 0)
            throw new InvalidOperationException($"PostgreSQL did not start on port {port}: {LastLines(log)}");
        return server;
    }

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database, int maxPoolSize = 40) => string.Create(CultureInfo.InvariantCulture,
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size={maxPoolSize}");

    /// <summary>Creates the database unless it exists; returns whether it was created.</summary>
    public async Task<bool> EnsureDatabaseAsync(string name, CancellationToken ct = default)
    {
        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')) throw new ArgumentException("a database name of lower-case letters, digits and _", nameof(name));
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", maxPoolSize: 1));
        await connection.OpenAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(ct) is not null) return false;
        }
        // CREATE DATABASE takes no parameter; the name was checked above.
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync(ct);
        return true;
    }

    /// <summary>Stops the server (fast: open sessions are ended); the data stays in the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        await ToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], CancellationToken.None, check: false);
    }

    private Task<int> ToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct, bool check = true) =>
        Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments], ct, check)
            : RunAsync(Path.Combine(_bin, tool), arguments, ct, check);

    private static async Task<int> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct, bool check = true)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {(await errors).Trim()} {(await output).Trim()}");
        return process.ExitCode;
    }

    private static string LastLines(string log) =>
        File.Exists(log) ? string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(10)) : "(no server log)";
}
