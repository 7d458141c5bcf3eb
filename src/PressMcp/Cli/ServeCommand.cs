using System.CommandLine;
using System.Net;
using PressMcp.OAuth;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Web;

namespace PressMcp.Cli;

internal static class ServeCommand
{
    public static Command Build(GlobalOptions globals, CliConsole console)
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Addresses to listen on, separated by ';' (default {GlobalOptions.DefaultUrl}: loopback only)",
            HelpName = "URL",
        };
        var publicUrl = new Option<string?>("--public-url")
        {
            Description = $"The URL people and clients use to reach this server; base of every absolute link and the OAuth issuer (env {GlobalOptions.PublicUrlEnv}; default: the first of --urls)",
            HelpName = "URL",
        };
        var proxies = new Option<string[]>("--trusted-proxy")
        {
            Description = "Address or network (CIDR) of a reverse proxy whose X-Forwarded-* headers are trusted; repeatable. Default: none",
            HelpName = "IP|CIDR",
            AllowMultipleArgumentsPerToken = false,
        };
        var origins = new Option<string[]>("--allowed-origin")
        {
            Description = $"A browser origin (scheme://host[:port]) allowed to call the OAuth and MCP endpoints from script; repeatable (env {GlobalOptions.AllowedOriginsEnv}, comma-separated). Default: none",
            HelpName = "URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var publishInterval = new Option<int?>("--publish-interval")
        {
            Description = $"Seconds between checks for scheduled posts whose time has come (default {PublishingOptions.DefaultScheduleInterval.TotalSeconds:0})",
            HelpName = "SECONDS",
        };
        var cmd = new Command("serve", "Run the web server") { urls, publicUrl, proxies, origins, publishInterval };
        cmd.SetAction(async (parse, ct) =>
        {
            var storage = globals.ReadStorage(parse, out var error);
            if (storage is null) return console.Fail(error!, ExitCodes.Usage);
            var settings = ReadSettings(storage, parse.GetValue(urls), parse.GetValue(publicUrl), parse.GetValue(proxies) ?? [], out error);
            if (settings is null) return console.Fail(error!, ExitCodes.Usage);
            var originTexts = parse.GetValue(origins) is { Length: > 0 } given
                ? given
                : (Environment.GetEnvironmentVariable(GlobalOptions.AllowedOriginsEnv) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var allowed = ReadOrigins(originTexts, out error);
            if (allowed is null) return console.Fail(error!, ExitCodes.Usage);
            settings = settings with { AllowedOrigins = allowed };
            if (parse.GetValue(publishInterval) is { } seconds)
            {
                if (seconds is < 1 or > 86_400) return console.Fail("--publish-interval must be between 1 and 86400 seconds", ExitCodes.Usage);
                settings = settings with { PublishInterval = TimeSpan.FromSeconds(seconds) };
            }
            return await RunAsync(settings, console, ct);
        });
        return cmd;
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

        var pub = PublicUrl.TryParse(publicUrlText ?? Environment.GetEnvironmentVariable(GlobalOptions.PublicUrlEnv) ?? urls[0], out var pubError);
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
            app = await ServerHost.StartAsync(settings, console.Out, ct);
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
