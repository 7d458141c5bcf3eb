using System.CommandLine;
using System.Globalization;
using PressMcp.Accounts;
using PressMcp.Accounts.AppPasswords;
using PressMcp.Mcp.Settings;

namespace PressMcp.Cli;

/// <summary><c>pressmcp app-password create|list|revoke</c>: a user's Application Passwords for the MCP Adapter endpoint.</summary>
internal static class AppPasswordCommands
{
    public static Command Build(CommandServices run, CliConsole console)
    {
        var cmd = new Command("app-password", "Create, list and revoke a user's Application Passwords (HTTP Basic for the MCP Adapter endpoint)");
        cmd.Subcommands.Add(Create(run, console));
        cmd.Subcommands.Add(List(run, console));
        cmd.Subcommands.Add(Revoke(run, console));
        return cmd;
    }

    private static Option<string> LoginOption() => new("--login") { Description = "The user's login", Required = true, HelpName = "L" };

    private static Command Create(CommandServices run, CliConsole console)
    {
        var login = LoginOption();
        var name = new Option<string>("--name") { Description = "A name for the password (unique for the user, any case), e.g. the app that will use it", Required = true, HelpName = "N" };
        var enableMcp = new Option<bool>("--enable-mcp") { Description = "Also turn the user's MCP access on (read tools only) if it is off" };
        var cmd = new Command("create", "Create an Application Password and print it (shown only this once)") { login, name, enableMcp };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var user = await sp.GetRequiredService<UserAccounts>().FindByLoginAsync(parse.GetValue(login)!);
            if (user is null) return console.Fail(Problem.NotFound($"no user with the login '{parse.GetValue(login)}'"));
            var created = await sp.GetRequiredService<AppPasswordStore>().CreateAsync(user.Id, parse.GetValue(name), ct);
            if (!created.Succeeded) return console.Fail(created.Problem!);
            if (parse.GetValue(enableMcp))
            {
                var settings = ActivatorUtilities.CreateInstance<McpSettingsStore>(sp);
                if (!(await settings.LoadAsync(user.Id, ct)).Enabled) await settings.SetEnabledAsync(user.Id, true, ct);
            }
            // The password goes on a line of its own, last, so a script can take it with `tail -n 1`.
            console.Out.WriteLine($"created application password '{created.Value!.Summary.Name}' for {user.UserName}; it is shown only this once:");
            console.Out.WriteLine(created.Value.Password);
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command List(CommandServices run, CliConsole console)
    {
        var login = LoginOption();
        var cmd = new Command("list", "List a user's Application Passwords (never the passwords themselves)") { login };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var user = await sp.GetRequiredService<UserAccounts>().FindByLoginAsync(parse.GetValue(login)!);
            if (user is null) return console.Fail(Problem.NotFound($"no user with the login '{parse.GetValue(login)}'"));
            var table = new TextTable("NAME", "CREATED (UTC)", "LAST USED (UTC)", "LAST IP");
            foreach (var p in await sp.GetRequiredService<AppPasswordStore>().ListAsync(user.Id, ct))
                table.Add(p.Name, Time(p.CreatedUtc), p.LastUsedUtc is { } used ? Time(used) : "never", p.LastIp ?? "-");
            table.WriteTo(console.Out);
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command Revoke(CommandServices run, CliConsole console)
    {
        var login = LoginOption();
        var name = new Option<string>("--name") { Description = "The password to revoke (any case)", HelpName = "N" };
        var all = new Option<bool>("--all") { Description = "Revoke every Application Password of the user" };
        var cmd = new Command("revoke", "Revoke one Application Password (--name) or all of them (--all); the next call with it is refused") { login, name, all };
        cmd.Validators.Add(r =>
        {
            var hasName = r.GetValue(name) is not null;
            if (hasName == r.GetValue(all)) r.AddError("give either --name N or --all");
        });
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var user = await sp.GetRequiredService<UserAccounts>().FindByLoginAsync(parse.GetValue(login)!);
            if (user is null) return console.Fail(Problem.NotFound($"no user with the login '{parse.GetValue(login)}'"));
            var store = sp.GetRequiredService<AppPasswordStore>();
            if (parse.GetValue(all))
            {
                var count = await store.RevokeAllAsync(user.Id, ct);
                console.Out.WriteLine($"revoked {count} application password{(count == 1 ? "" : "s")} of {user.UserName}");
                return ExitCodes.Ok;
            }
            var revoked = await store.RevokeAsync(user.Id, parse.GetValue(name)!, ct);
            if (!revoked.Succeeded) return console.Fail(revoked.Problem!);
            console.Out.WriteLine($"revoked application password '{revoked.Value}' of {user.UserName}");
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
