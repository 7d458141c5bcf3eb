using System.CommandLine;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Cli;

/// <summary>Options every command takes: where the data lives and which database holds it.</summary>
internal sealed class GlobalOptions
{
    public const string DataEnv = "PRESSMCP_DATA";
    public const string DatabaseEnv = "PRESSMCP_DATABASE";
    public const string ConnectionStringEnv = "PRESSMCP_CONNECTION_STRING";
    public const string PublicUrlEnv = "PRESSMCP_PUBLIC_URL";
    public const string AllowedOriginsEnv = "PRESSMCP_ALLOWED_ORIGINS";
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public readonly Option<string?> Data = new("--data")
    {
        Description = $"Data directory: the SQLite file and media files (env {DataEnv}; default ./data)",
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

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Data);
        root.Options.Add(Database);
        root.Options.Add(ConnectionString);
    }

    /// <summary>Options win over environment variables, which win over defaults.</summary>
    public StorageSettings? ReadStorage(ParseResult parse, out string? error)
    {
        error = null;
        var data = parse.GetValue(Data) ?? Environment.GetEnvironmentVariable(DataEnv);
        data = Path.GetFullPath(string.IsNullOrWhiteSpace(data) ? "data" : data);

        var providerText = parse.GetValue(Database) ?? Environment.GetEnvironmentVariable(DatabaseEnv);
        if (StorageSettings.ParseProvider(providerText) is not { } provider)
        {
            error = $"unknown database '{providerText}' (use sqlite or postgres)";
            return null;
        }
        var cs = parse.GetValue(ConnectionString) ?? Environment.GetEnvironmentVariable(ConnectionStringEnv);
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(cs))
        {
            error = $"--database postgres needs --connection-string (or {ConnectionStringEnv})";
            return null;
        }
        return new StorageSettings(data, provider, provider == DatabaseProvider.Postgres ? cs : null);
    }

    /// <summary>The public URL for commands other than serve, which only print links.</summary>
    public static PublicUrl DefaultPublicUrl() =>
        PublicUrl.TryParse(Environment.GetEnvironmentVariable(PublicUrlEnv) ?? DefaultUrl, out _)
        ?? PublicUrl.TryParse(DefaultUrl, out _)!;
}
