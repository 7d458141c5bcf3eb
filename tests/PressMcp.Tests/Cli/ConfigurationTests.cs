using PressMcp.Tests.Infrastructure;
using System.Collections;
using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PressMcp.Cli;
using PressMcp.Tests.Hardening;

namespace PressMcp.Tests.Cli;

/// <summary>
/// One configuration for the server and every command: the file (./appsettings.json or --config FILE), the
/// environment, --option KEY=VALUE and the named options, a later source winning; and the reference table in
/// docs/deployment.md that names every one of them.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pressmcp-tests", "config-" + Guid.NewGuid().ToString("N"));

    public ConfigurationTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Config_MissingFile_FailsNamingIt()
    {
        var missing = Path.Combine(_directory, "missing.json");
        var r = await CliRunner.RunRawAsync("migrate", "--config", missing);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"error: configuration file '{missing}' not found", r.Error.Trim());
    }

    [Fact]
    public async Task Config_MalformedFile_FailsInOneLineNamingTheFileAndLine()
    {
        var file = Path.Combine(_directory, "broken.json");
        await File.WriteAllTextAsync(file, "{\n  \"PressMcp\": { \"Data\": \"x\" \n");
        var r = await CliRunner.RunRawAsync("migrate", "--config", file);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Error.Trim().Split('\n'));
        Assert.StartsWith($"error: configuration file '{file}' is not valid JSON: ", line, StringComparison.Ordinal);
        Assert.Contains("LineNumber", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_FileSetsTheDataDirectory_TheCommandLineOutranksIt()
    {
        var fromFile = Path.Combine(_directory, "from-file");
        var fromOption = Path.Combine(_directory, "from-option");
        var file = Path.Combine(_directory, "settings.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new Dictionary<string, object> { ["PressMcp"] = new Dictionary<string, string> { ["Data"] = fromFile } }));

        Assert.Equal(0, (await CliRunner.RunRawAsync("migrate", "--config", file)).ExitCode);
        Assert.True(File.Exists(Path.Combine(fromFile, "pressmcp.db")));

        Assert.Equal(0, (await CliRunner.RunRawAsync("migrate", "--config", file, "--data", fromOption)).ExitCode);
        Assert.True(File.Exists(Path.Combine(fromOption, "pressmcp.db")));

        // --option sets any key, and outranks the file as well.
        var fromValue = Path.Combine(_directory, "from-value");
        Assert.Equal(0, (await CliRunner.RunRawAsync("migrate", "--config", file, "--option", $"PressMcp:Data={fromValue}")).ExitCode);
        Assert.True(File.Exists(Path.Combine(fromValue, "pressmcp.db")));
    }

    [Fact]
    public async Task Config_AnOptionOutOfRangeInTheFile_FailsNamingTheKey()
    {
        var file = Path.Combine(_directory, "limits.json");
        await File.WriteAllTextAsync(file, """{ "Content": { "MaxContentLength": 10 } }""");
        var r = await CliRunner.RunRawAsync("user", "list", "--config", file, "--data", Path.Combine(_directory, "data"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Content:MaxContentLength is 10", r.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The built server as a process started in a directory of its own: it reads ./appsettings.json from there (not from
    /// beside the binary), an environment variable outranks the file, and with the JSON log format every line on
    /// standard output is one JSON object (the request among them), while the setup code goes to standard error.
    /// </summary>
    [Fact]
    public async Task Serve_ReadsAppSettingsFromTheCurrentDirectory_EnvironmentOutranksIt_JsonLogsAreJsonOnly()
    {
        var port = LoopbackPort.Free();
        await File.WriteAllTextAsync(Path.Combine(_directory, "appsettings.json"),
            $$"""{ "PressMcp": { "Urls": "http://127.0.0.1:{{port}}", "Data": "from-file" }, "Logging": { "Format": "text" } }""");
        var info = new ProcessStartInfo(ServerProcess.Executable)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("serve");
        info.Environment[ServeCommand.LogFormatEnv] = "json";
        using var process = Process.Start(info)!;
        var stdout = new List<string>();
        var stderr = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await Until(async () =>
            {
                try { return (await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK; }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, () => process.HasExited);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/login")).StatusCode);
            // The request line is written by the logger's own thread: wait for it, as a collector would.
            await Until(() => Task.FromResult(Snapshot(stdout).Any(l => l.Contains("GET /login 200", StringComparison.Ordinal))), () => process.HasExited);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        Assert.True(File.Exists(Path.Combine(_directory, "from-file", "pressmcp.db")), "the data directory from ./appsettings.json, relative to the current directory");
        var lines = Snapshot(stdout);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        }
        var request = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("Category").GetString() == "PressMcp.Web.RequestLog");
        Assert.Equal("GET /login 200", string.Join(' ', request.GetProperty("Message").GetString()!.Split(' ')[..3]));
        var errors = Snapshot(stderr);
        var code = errors.Single(l => l.Contains("one-time setup code", StringComparison.Ordinal)).Split(':')[^1].Trim();
        Assert.Matches("^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$", code);
        Assert.DoesNotContain(lines, l => l.Contains(code, StringComparison.Ordinal));
    }

    /// <summary>The table in docs/deployment.md names every option of serve and the global ones, and every key of every options class, with its default.</summary>
    [Fact]
    [Trait(Category.Name, Category.Unit)]
    public void ConfigurationReference_NamesEveryOptionAndKey_WithItsDefault()
    {
        var table = ReferenceTable();
        var root = CliApp.BuildRoot(new CliConsole(TextWriter.Null, TextWriter.Null));
        var serve = root.Subcommands.Single(c => c.Name == "serve");
        var missing = new List<string>();
        foreach (var option in root.Options.Concat(serve.Options).Where(o => o.Name is not ("--help" or "--version")))
        {
            if (!table.Any(row => row.Option.Split(' ')[0] == option.Name)) missing.Add(option.Name);
        }

        foreach (var type in typeof(IPressOptions).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IPressOptions).IsAssignableFrom(t)))
        {
            var section = (string)type.GetProperty("Section", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            foreach (var (key, value) in Keys(section, Activator.CreateInstance(type)!))
            {
                var row = table.FirstOrDefault(r => r.Key == key);
                if (row is null) missing.Add(key);
                else if (value is not null && !row.Default.Contains(value, StringComparison.Ordinal)) missing.Add($"{key}: default {value}, the table says {row.Default}");
            }
        }
        Assert.True(missing.Count == 0, "docs/deployment.md's configuration reference lacks: " + string.Join("; ", missing));
    }

    private sealed record Row(string Option, string Environment, string Key, string Default);

    private static List<Row> ReferenceTable()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PressMcp.slnx"))) dir = dir.Parent;
        var text = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "deployment.md"));
        var start = text.IndexOf("## Configuration reference", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/deployment.md has a Configuration reference section");
        var section = text[start..];
        var next = section.IndexOf("\n## ", 5, StringComparison.Ordinal);
        if (next > 0) section = section[..next];
        return [.. section.Split('\n')
            .Where(l => l.StartsWith('|') && !l.StartsWith("|---", StringComparison.Ordinal) && !l.StartsWith("| option", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal)).ToArray())
            .Select(c => new Row(c[0], c[1], c[2], c[3]))];
    }

    /// <summary>Each settable property as its configuration key, with its default as the table writes it (null: not compared).</summary>
    private static IEnumerable<(string Key, string? Default)> Keys(string prefix, object instance)
    {
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetSetMethod() is not null))
        {
            var key = $"{prefix}:{property.Name}";
            var value = property.GetValue(instance);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) && value is not null)
            {
                foreach (var nested in Keys(key, value)) yield return nested;
                continue;
            }
            yield return (key, value switch
            {
                null => null,
                string s when s.Length == 0 => null,
                bool b => b ? "true" : "false",
                IEnumerable => null,
                TimeSpan t => t.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString(),
            });
        }
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines) return [.. lines];
    }

    private static async Task Until(Func<Task<bool>> condition, Func<bool> gaveUp)
    {
        var until = DateTime.UtcNow.AddSeconds(120);
        while (!await condition())
        {
            Assert.False(gaveUp(), "the server exited");
            Assert.True(DateTime.UtcNow < until, "timed out");
            await Task.Delay(100);
        }
    }
}
