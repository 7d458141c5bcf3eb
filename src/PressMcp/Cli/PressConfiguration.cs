using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace PressMcp.Cli;

/// <summary>
/// A command-line option that is also an environment variable and a configuration key: <c>--data</c>,
/// <c>PRESSMCP_DATA</c> and <c>PressMcp:Data</c> are one setting. <paramref name="ToValue"/> turns the option's
/// words into the key's value where they differ (<c>--publish-interval 30</c> is <c>Publishing:ScheduleInterval = 00:00:30</c>).
/// </summary>
internal sealed record CliSetting(Option Option, string? Environment, string Key, Func<string, string>? ToValue = null);

/// <summary>
/// The one configuration every command and the server read, built from its sources in order of precedence, lowest
/// first: the configuration file (<c>./appsettings.json</c> when it exists, or <c>--config FILE</c>), environment
/// variables (<c>Section__Key</c>, and the <c>PRESSMCP_*</c> names of the command-line options), <c>--option KEY=VALUE</c>,
/// and the named command-line options. A later source wins. Relative paths in any of them are the current
/// directory's, whatever launched the process.
/// </summary>
internal static class PressConfiguration
{
    public const string FileName = "appsettings.json";

    /// <summary>A configuration read from the environment only (no file, no command line): what a test host gets by default.</summary>
    public static IConfiguration FromEnvironment() => new ConfigurationBuilder().AddEnvironmentVariables().Build();

    /// <summary>Builds the configuration of one run; null with a one-line <paramref name="error"/> when the file is missing or malformed.</summary>
    public static IConfiguration? Build(ParseResult parse, Option<string?> configOption, Option<string[]> valueOption,
        IEnumerable<CliSetting> settings, out string? error)
    {
        error = null;
        var list = settings.ToList();
        var builder = new ConfigurationBuilder();

        var given = parse.GetValue(configOption) ?? Environment.GetEnvironmentVariable(GlobalOptions.ConfigEnv);
        string? file = null;
        if (!string.IsNullOrWhiteSpace(given))
        {
            file = Path.GetFullPath(given);
            if (!File.Exists(file))
            {
                error = $"configuration file '{file}' not found";
                return null;
            }
        }
        else if (Path.GetFullPath(FileName) is var local && File.Exists(local))
        {
            file = local;
        }
        // Read once at start: a server changes its settings by a restart, the same on every instance.
        if (file is not null) builder.AddJsonFile(file, optional: false, reloadOnChange: false);

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(list
            .Where(s => s.Environment is not null && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(s.Environment)))
            .Select(s => Pair(s, Environment.GetEnvironmentVariable(s.Environment!)!)));

        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var text in parse.GetValue(valueOption) ?? [])
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"--option '{text}' is not KEY=VALUE (e.g. --option Media:MaxUploadBytes=52428800)";
                return null;
            }
            pairs.Add(new(text[..eq].Trim().Replace("__", ":", StringComparison.Ordinal), text[(eq + 1)..]));
        }
        builder.AddInMemoryCollection(pairs);

        builder.AddInMemoryCollection(list
            .Where(s => parse.GetResult(s.Option) is { Implicit: false })
            .Select(s => Pair(s, OptionText(parse.GetResult(s.Option)!))));

        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (file is not null && ex is InvalidDataException or FormatException)
        {
            // The provider wraps the parser's exception twice; the parser's message names the line and position.
            error = $"configuration file '{file}' is not valid JSON: {FirstLine(ex.GetBaseException().Message)}";
            return null;
        }
    }

    /// <summary>
    /// A list setting (<c>--trusted-proxy</c> given twice, <c>PRESSMCP_TRUSTED_PROXIES=a,b</c>, or a JSON array): the
    /// comma-separated value of the key itself when a source set one (the environment and the command line do, and
    /// they outrank the file), otherwise the array's elements.
    /// </summary>
    public static string[] List(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var items = section.Value is { } scalar
            ? scalar.Split(',')
            : section.GetChildren().Select(c => c.Value ?? "");
        return [.. items.Select(i => i.Trim()).Where(i => i.Length > 0)];
    }

    /// <summary>Whether a flag's key is set to true (<c>--no-migrate</c>, <c>PRESSMCP_NO_MIGRATE=true</c>).</summary>
    public static bool Flag(IConfiguration configuration, string key, out string? error)
    {
        error = null;
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (bool.TryParse(text.Trim(), out var value)) return value;
        error = $"{key} is '{text}'; it must be true or false";
        return false;
    }

    private static KeyValuePair<string, string?> Pair(CliSetting setting, string text) =>
        new(setting.Key, setting.ToValue is { } convert ? convert(text) : text);

    /// <summary>The words given to an option, comma-joined (a repeated option is a list); a bare flag is "true".</summary>
    private static string OptionText(OptionResult result) =>
        result.Tokens.Count == 0 ? "true" : string.Join(',', result.Tokens.Select(t => t.Value));

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    /// <summary>The sources the web host adds by default that this configuration replaces (files beside the binary, the environment, the arguments).</summary>
    public static bool IsReplacedHostSource(IConfigurationSource source) => source switch
    {
        JsonConfigurationSource => true,
        EnvironmentVariablesConfigurationSource env => string.IsNullOrEmpty(env.Prefix),
        Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationSource => true,
        _ => false,
    };
}
