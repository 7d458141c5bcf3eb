using System.CommandLine;
using System.Globalization;
using System.Net;
using PressMcp.OAuth;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Web;

namespace PressMcp.Cli;

internal static class ServeCommand
{
    public const string UrlsEnv = "PRESSMCP_URLS";
    public const string TrustedProxiesEnv = "PRESSMCP_TRUSTED_PROXIES";
    public const string AllowedOriginsEnv = "PRESSMCP_ALLOWED_ORIGINS";
    public const string NoMigrateEnv = "PRESSMCP_NO_MIGRATE";
    public const string LogFormatEnv = "PRESSMCP_LOG_FORMAT";
    public const string LogLevelEnv = "PRESSMCP_LOG_LEVEL";
    public const string UrlsKey = "PressMcp:Urls";
    public const string TrustedProxiesKey = "PressMcp:TrustedProxies";
    public const string AllowedOriginsKey = "PressMcp:AllowedOrigins";
    public const string NoMigrateKey = "PressMcp:NoMigrate";
    public const string LogFormatKey = "Logging:Format";
    public const string LogLevelKey = "Logging:LogLevel:Default";

    public static Command Build(GlobalOptions globals, CliConsole console)
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Addresses to listen on, separated by ';' (env {UrlsEnv}; default {GlobalOptions.DefaultUrl}: loopback only)",
            HelpName = "URL",
        };
        var publicUrl = new Option<string?>("--public-url")
        {
            Description = $"The URL people and clients use to reach this server; base of every absolute link and the OAuth issuer (env {GlobalOptions.PublicUrlEnv}; default: the first of --urls)",
            HelpName = "URL",
        };
        var proxies = new Option<string[]>("--trusted-proxy")
        {
            Description = $"Address or network (CIDR) of a reverse proxy whose X-Forwarded-* headers are trusted; repeatable (env {TrustedProxiesEnv}, comma-separated). Default: none",
            HelpName = "IP|CIDR",
            AllowMultipleArgumentsPerToken = false,
        };
        var origins = new Option<string[]>("--allowed-origin")
        {
            Description = $"A browser origin (scheme://host[:port]) allowed to call the OAuth and MCP endpoints from script; repeatable (env {AllowedOriginsEnv}, comma-separated). Default: none",
            HelpName = "URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var publishInterval = new Option<int?>("--publish-interval")
        {
            Description = $"Seconds between checks for scheduled posts whose time has come (Publishing:ScheduleInterval; default {PublishingOptions.DefaultScheduleInterval.TotalSeconds:0})",
            HelpName = "SECONDS",
        };
        var noMigrate = new Option<bool>("--no-migrate")
        {
            Description = $"Do not apply database migrations at start; refuse to start if the schema is behind (run 'pressmcp migrate' first) (env {NoMigrateEnv}=true)",
        };
        var logFormat = new Option<string?>("--log-format")
        {
            Description = $"Log lines as text, or json: one JSON object per line on standard output, for a log collector (env {LogFormatEnv}; default text)",
            HelpName = "text|json",
        };
        var logLevel = new Option<string?>("--log-level")
        {
            Description = $"Least level logged: trace, debug, information (one line per request), warning, error, critical or none (env {LogLevelEnv}; default information)",
            HelpName = "LEVEL",
        };
        CliSetting[] settings =
        [
            new(urls, UrlsEnv, UrlsKey),
            new(publicUrl, GlobalOptions.PublicUrlEnv, GlobalOptions.PublicUrlKey),
            new(proxies, TrustedProxiesEnv, TrustedProxiesKey),
            new(origins, AllowedOriginsEnv, AllowedOriginsKey),
            new(publishInterval, null, PublishingOptions.Section + ":" + nameof(PublishingOptions.ScheduleInterval),
                seconds => TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)).ToString("c", CultureInfo.InvariantCulture)),
            new(noMigrate, NoMigrateEnv, NoMigrateKey),
            new(logFormat, LogFormatEnv, LogFormatKey),
            new(logLevel, LogLevelEnv, LogLevelKey),
        ];
        var cmd = new Command("serve", "Run the web server (applies database migrations first unless --no-migrate)")
        {
            urls, publicUrl, proxies, origins, publishInterval, noMigrate, logFormat, logLevel,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(publishInterval) is { } seconds && seconds is < 1 or > 86_400)
                return console.Fail("--publish-interval must be between 1 and 86400 seconds", ExitCodes.Usage);
            var configuration = globals.ReadConfiguration(parse, settings, out var error);
            if (configuration is null) return console.Fail(error!, ExitCodes.Usage);
            var settingsRead = ReadSettings(configuration, out error);
            if (settingsRead is null) return console.Fail(error!, ExitCodes.Usage);
            return await RunAsync(settingsRead, console, ct);
        });
        return cmd;
    }

    /// <summary>Everything serve needs, from the configuration (command line, environment and file already merged).</summary>
    internal static ServeSettings? ReadSettings(IConfiguration configuration, out string? error)
    {
        var storage = GlobalOptions.ReadStorage(configuration, out error);
        if (storage is null) return null;
        var settings = ReadSettings(storage, configuration[UrlsKey], configuration[GlobalOptions.PublicUrlKey],
            PressConfiguration.List(configuration, TrustedProxiesKey), out error);
        if (settings is null) return null;
        var allowed = ReadOrigins(PressConfiguration.List(configuration, AllowedOriginsKey), out error);
        if (allowed is null) return null;
        var noMigrate = PressConfiguration.Flag(configuration, NoMigrateKey, out error);
        if (error is not null) return null;
        var format = configuration[LogFormatKey]?.Trim().ToLowerInvariant();
        if (format is not (null or "" or "text" or "json"))
        {
            error = $"--log-format is '{configuration[LogFormatKey]}'; it must be text or json";
            return null;
        }
        if (configuration[LogLevelKey] is { Length: > 0 } level && !Enum.TryParse<LogLevel>(level, ignoreCase: true, out _))
        {
            error = $"--log-level is '{level}'; it must be trace, debug, information, warning, error, critical or none";
            return null;
        }
        return settings with
        {
            AllowedOrigins = allowed,
            Configuration = configuration,
            Migrate = !noMigrate,
            JsonLogs = format == "json",
        };
    }

    internal static ServeSettings? ReadSettings(StorageSettings storage, string? urlsText, string? publicUrlText, string[] proxyTexts, out string? error)
    {
        error = null;
        var urls = (urlsText ?? GlobalOptions.DefaultUrl).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var u in urls)
        {
            if (!Uri.TryCreate(u.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                error = $"'{u}' is not a listen address (expected e.g. http://127.0.0.1:5000)";
                return null;
            }
        }
        if (urls.Length == 0)
        {
            error = "--urls is empty";
            return null;
        }

        var pub = PublicUrl.TryParse(string.IsNullOrWhiteSpace(publicUrlText) ? urls[0] : publicUrlText, out var pubError);
        if (pub is null)
        {
            error = $"--public-url: {pubError}";
            return null;
        }

        var ips = new List<IPAddress>();
        var nets = new List<System.Net.IPNetwork>();
        foreach (var p in proxyTexts)
        {
            if (p.Contains('/') && System.Net.IPNetwork.TryParse(p, out var net)) nets.Add(net);
            else if (IPAddress.TryParse(p, out var ip)) ips.Add(ip);
            else
            {
                error = $"--trusted-proxy: '{p}' is not an IP address or CIDR network";
                return null;
            }
        }
        return new ServeSettings(storage, urls, pub, ips, nets);
    }

    internal static IReadOnlyList<string>? ReadOrigins(IEnumerable<string> texts, out string? error)
    {
        error = null;
        var list = new List<string>();
        foreach (var text in texts)
        {
            var origin = OriginPolicy.Normalize(text, out var problem);
            if (origin is null)
            {
                error = $"--allowed-origin: {problem}";
                return null;
            }
            if (!list.Contains(origin, StringComparer.OrdinalIgnoreCase)) list.Add(origin);
        }
        return list;
    }

    internal static async Task<int> RunAsync(ServeSettings settings, CliConsole console, CancellationToken ct)
    {
        // Before anything is printed or migrated: a taken port is the whole message.
        if (PortCheck.FirstInUse(settings.Urls) is { } taken) return console.Fail(PortCheck.Message(taken));
        WebApplication app;
        try
        {
            app = await ServerHost.StartAsync(settings, settings.JsonLogs ? console.Error : console.Out, ct);
        }
        catch (Exception ex) when (PortCheck.IsAddressInUse(ex))
        {
            return console.Fail(PortCheck.Message(string.Join(", ", settings.Urls)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return console.Fail($"cannot start: {ex.Message.Split('\n')[0]}");
        }
        await using (app)
        {
            await app.WaitForShutdownAsync(ct);
        }
        return ExitCodes.Ok;
    }
}
