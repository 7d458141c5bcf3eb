using System.CommandLine;
using PressMcp.Accounts;

namespace PressMcp.Cli;

internal static class UserCommands
{
    public static Command Build(CommandServices run, CliConsole console)
    {
        var user = new Command("user", "Create users, set passwords, disable and enable users, list users");
        user.Subcommands.Add(Create(run, console));
        user.Subcommands.Add(SetPassword(run, console));
        user.Subcommands.Add(Disable(run, console, disable: true));
        user.Subcommands.Add(Disable(run, console, disable: false));
        user.Subcommands.Add(List(run, console));
        return user;
    }

    private static Command Create(CommandServices run, CliConsole console)
    {
        var login = new Option<string>("--login") { Description = "Login name (letters, digits, - . _ @)", Required = true, HelpName = "L" };
        var email = new Option<string>("--email") { Description = "E-mail address", Required = true, HelpName = "E" };
        var password = new Option<string>("--password") { Description = $"Password (at least {PasswordRules.MinimumLength} characters)", Required = true, HelpName = "P" };
        var admin = new Option<bool>("--server-admin") { Description = "Make the user a server administrator (the operator)" };
        var cmd = new Command("create", "Create a user") { login, email, password, admin };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var created = await sp.GetRequiredService<UserAccounts>().CreateAsync(
                new NewUser(parse.GetValue(login)!, parse.GetValue(email)!, parse.GetValue(password)!, parse.GetValue(admin)), ct);
            if (!created.Succeeded) return console.Fail(created.Problem!);
            var u = created.Value!;
            console.Out.WriteLine($"created user {u.UserName} (id {u.Id}){(u.IsServerAdmin ? ", server admin" : "")}");
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command SetPassword(CommandServices run, CliConsole console)
    {
        var login = new Option<string>("--login") { Description = "Login name", Required = true, HelpName = "L" };
        var password = new Option<string>("--password") { Description = "New password", Required = true, HelpName = "P" };
        var cmd = new Command("set-password", "Set a user's password (signs out their sessions and clears a lockout)") { login, password };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var result = await sp.GetRequiredService<UserAccounts>().SetPasswordAsync(parse.GetValue(login)!, parse.GetValue(password)!, ct);
            if (!result.Succeeded) return console.Fail(result.Problem!);
            console.Out.WriteLine($"password changed for {result.Value!.UserName}");
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    /// <summary><c>user disable</c> and <c>user enable</c>: the Users page's service, with its rules (never the last enabled server administrator).</summary>
    private static Command Disable(CommandServices run, CliConsole console, bool disable)
    {
        var login = new Option<string>("--login") { Description = "Login name", Required = true, HelpName = "L" };
        var cmd = disable
            ? new Command("disable", "Disable a user: sign-in, sessions, OAuth tokens and application passwords stop working; content stays") { login }
            : new Command("enable", "Enable a disabled user again") { login };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var user = await sp.GetRequiredService<UserAccounts>().FindByLoginAsync(parse.GetValue(login)!);
            if (user is null) return console.Fail(Problem.NotFound($"no user with the login '{parse.GetValue(login)}'"));
            var admin = sp.GetRequiredService<UserAdministration>();
            var result = disable ? await admin.DisableAsync(user.Id, actingUserId: null, ct) : await admin.EnableAsync(user.Id, ct);
            if (!result.Succeeded) return console.Fail(result.Problem!);
            console.Out.WriteLine($"{(disable ? "disabled" : "enabled")} user {result.Value!.UserName}");
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command List(CommandServices run, CliConsole console)
    {
        var cmd = new Command("list", "List users");
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var users = await sp.GetRequiredService<UserAccounts>().ListAsync(ct);
            var table = new TextTable("ID", "LOGIN", "EMAIL", "DISPLAY NAME", "SERVER ADMIN", "DISABLED");
            foreach (var u in users)
                table.Add(u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), u.Login, u.Email, u.DisplayName, u.IsServerAdmin ? "yes" : "no", u.IsDisabled ? "yes" : "no");
            table.WriteTo(console.Out);
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }
}
