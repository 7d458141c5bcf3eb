using System.CommandLine;
using PressMcp.Accounts;
using PressMcp.Mcp.Settings;

namespace PressMcp.Cli;

/// <summary>
/// <c>pressmcp mcp-access</c>: a user's MCP settings from the command line, for servers set up by script (the same
/// store as the settings page; changes apply from the next call).
/// </summary>
internal static class McpAccessCommand
{
    public static Command Build(CommandServices run, CliConsole console)
    {
        var login = new Option<string>("--login") { Description = "The user's login", Required = true, HelpName = "L" };
        var on = new Option<bool>("--on") { Description = "Turn MCP access on (read tools are on unless switched off)" };
        var off = new Option<bool>("--off") { Description = "Turn MCP access off: no tool may be used" };
        var tools = new Option<string[]>("--tool") { Description = "Switch this ability on, e.g. vmfo/create-folder (repeatable; implies --on)", HelpName = "ABILITY", AllowMultipleArgumentsPerToken = false };
        var toolsOff = new Option<string[]>("--tool-off") { Description = "Switch this ability off (repeatable)", HelpName = "ABILITY" };
        var cmd = new Command("mcp-access", "Turn a user's MCP access on or off and switch abilities on or off (as on the MCP settings page)") { login, on, off, tools, toolsOff };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var enable = parse.GetValue(tools) is { Length: > 0 } || parse.GetValue(on);
            if (enable && parse.GetValue(off)) return console.Fail("--off cannot be combined with --on or --tool", ExitCodes.Usage);
            var switches = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var name in parse.GetValue(tools) ?? []) switches[name] = true;
            foreach (var name in parse.GetValue(toolsOff) ?? []) switches[name] = false;
            // Ability names are namespace/name in lower case with dashes, as the registry requires.
            if (switches.Keys.FirstOrDefault(n => !IsAbilityName(n)) is { } bad)
                return console.Fail($"'{bad}' is not an ability name (namespace/name, e.g. vmfo/create-folder)", ExitCodes.Usage);
            if (!enable && !parse.GetValue(off) && switches.Count == 0)
                return console.Fail("say what to change: --on, --off, --tool or --tool-off", ExitCodes.Usage);

            var user = await sp.GetRequiredService<UserAccounts>().FindByLoginAsync(parse.GetValue(login)!);
            if (user is null) return console.Fail(Problem.NotFound($"no user with the login '{parse.GetValue(login)}'"));
            var store = ActivatorUtilities.CreateInstance<McpSettingsStore>(sp);
            if (switches.Count > 0) await store.SetToolsAsync(user.Id, switches, ct);
            if (enable || parse.GetValue(off)) await store.SetEnabledAsync(user.Id, enable, ct);
            var state = (await store.LoadAsync(user.Id, ct)).Enabled ? "on" : "off";
            console.Out.WriteLine($"MCP access for {user.UserName} is {state}" + (switches.Count > 0 ? $"; switched {string.Join(", ", switches.Select(s => $"{s.Key} {(s.Value ? "on" : "off")}"))}" : ""));
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static bool IsAbilityName(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < name.Length - 1 && name.IndexOf('/', slash + 1) < 0 && name.Length <= 100
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '/' or '_');
    }
}
