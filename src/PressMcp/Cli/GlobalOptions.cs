using System.CommandLine;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Cli;

/// <summary>
/// Options every command takes: the configuration file, any configuration key, where the data lives and which
/// database holds it. Each is also an environment variable and a configuration key (<see cref="CliSetting"/>), read
/// through <see cref="PressConfiguration"/>: command line over environment over file over default.
/// </summary>
internal sealed class GlobalOptions
{
    public const string ConfigEnv = "PRESSMCP_CONFIG";
    public const string DataEnv = "PRESSMCP_DATA";
    public const string DatabaseEnv = "PRESSMCP_DATABASE";
    public const string ConnectionStringEnv = "PRESSMCP_CONNECTION_STRING";
    public const string PublicUrlEnv = "PRESSMCP_PUBLIC_URL";
    public const string DataKey = "PressMcp:Data";
    public const string DatabaseKey = "PressMcp:Database";
    public const string ConnectionStringKey = "PressMcp:ConnectionString";
    public const string PublicUrlKey = "PressMcp:PublicUrl";
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public readonly Option<string?> Config = new("--config")
    {
        Description = $"Configuration file (JSON, keys as in docs/deployment.md; env {ConfigEnv}; default ./{PressConfiguration.FileName} when it exists)",
        HelpName = "FILE",
        Recursive = true,
    };

    public readonly Option<string[]> Values = new("--option")
    {
        Description = "Sets any configuration key, e.g. --option Media:MaxUploadBytes=52428800; repeatable; outranks the environment and the file",
        HelpName = "KEY=VALUE",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public readonly Option<string?> Data = new("--data")
    {
        Description = $"Data directory: the SQLite file and media files, relative to the current directory (env {DataEnv}; default ./data)",
        HelpName = "DIR",
        Recursive = true,
    };

    public readonly Option<string?> Database = new("--database")
    {
        Description = $"Database provider: sqlite or postgres (env {DatabaseEnv}; default sqlite)",
        HelpName = "sqlite|postgres",
        Recursive = true,
    };

    public readonly Option<string?> ConnectionString = new("--connection-string")
    {
        Description = $"PostgreSQL connection string (env {ConnectionStringEnv})",
        HelpName = "CS",
        Recursive = true,
    };

    /// <summary>The global options that are settings (--config and --option choose sources rather than values).</summary>
    public IReadOnlyList<CliSetting> Settings =>
    [
        new(Data, DataEnv, DataKey),
        new(Database, DatabaseEnv, DatabaseKey),
        new(ConnectionString, ConnectionStringEnv, ConnectionStringKey),
    ];

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Config);
        root.Options.Add(Values);
        root.Options.Add(Data);
        root.Options.Add(Database);
        root.Options.Add(ConnectionString);
    }

    /// <summary>This run's configuration: the global settings plus <paramref name="commandSettings"/> of the command that runs.</summary>
    public IConfiguration? ReadConfiguration(ParseResult parse, IEnumerable<CliSetting> commandSettings, out string? error) =>
        PressConfiguration.Build(parse, Config, Values, [.. Settings, .. commandSettings], out error);

    /// <summary>Where the data lives, from the configuration; a relative data directory is the current directory's.</summary>
    public static StorageSettings? ReadStorage(IConfiguration configuration, out string? error)
    {
        error = null;
        var data = configuration[DataKey];
        data = Path.GetFullPath(string.IsNullOrWhiteSpace(data) ? "data" : data);

        var providerText = configuration[DatabaseKey];
        if (StorageSettings.ParseProvider(providerText) is not { } provider)
        {
            error = $"unknown database '{providerText}' (use sqlite or postgres)";
            return null;
        }
        var cs = configuration[ConnectionStringKey];
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(cs))
        {
            error = $"--database postgres needs --connection-string (or {ConnectionStringEnv}, or {ConnectionStringKey} in the configuration file)";
            return null;
        }
        return new StorageSettings(data, provider, provider == DatabaseProvider.Postgres ? cs : null);
    }

    /// <summary>The public URL for commands other than serve, which only print links.</summary>
    public static PublicUrl DefaultPublicUrl(IConfiguration configuration) =>
        PublicUrl.TryParse(configuration[PublicUrlKey] ?? DefaultUrl, out _)
        ?? PublicUrl.TryParse(DefaultUrl, out _)!;
}
