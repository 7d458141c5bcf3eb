using System.CommandLine;
using System.Globalization;
using PressMcp.Accounts;
using PressMcp.Sites;

namespace PressMcp.Cli;

internal static class SiteCommands
{
    public static Command Build(CommandServices run, CliConsole console)
    {
        var site = new Command("site", "Create sites, list them, manage their members");
        site.Subcommands.Add(Create(run, console));
        site.Subcommands.Add(List(run, console));
        site.Subcommands.Add(AddUser(run, console));
        site.Subcommands.Add(RemoveUser(run, console));
        return site;
    }

    internal static Option<string> SiteOption() =>
        new("--site") { Description = "The site: its id, slug or host name", Required = true, HelpName = "S" };

    private static Option<string> LoginOption() =>
        new("--login") { Description = "Login name of the user", Required = true, HelpName = "L" };

    private static Command Create(CommandServices run, CliConsole console)
    {
        var slug = new Option<string>("--slug") { Description = "Short name: a-z, 0-9 and hyphens, with at least one letter", Required = true, HelpName = "S" };
        var title = new Option<string>("--title") { Description = "Site title", Required = true, HelpName = "T" };
        var owner = new Option<string>("--owner") { Description = "Login of the first administrator", Required = true, HelpName = "LOGIN" };
        var host = new Option<string?>("--host") { Description = "Host name the site answers on (e.g. blog.example.com)", HelpName = "NAME" };
        var tz = new Option<string?>("--timezone") { Description = "IANA time zone (default UTC)", HelpName = "TZ" };
        var cmd = new Command("create", "Create a site with an administrator") { slug, title, owner, host, tz };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var created = await sp.GetRequiredService<SiteDirectory>().CreateAsync(
                new NewSite(parse.GetValue(slug)!, parse.GetValue(title)!, parse.GetValue(owner)!, parse.GetValue(host), TimeZone: parse.GetValue(tz)), ct);
            if (!created.Succeeded) return console.Fail(created.Problem!);
            var s = created.Value!;
            console.Out.WriteLine($"created site {s.Slug} (id {s.Id}) at {sp.GetRequiredService<SiteUrls>().BaseOf(s)}");
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command List(CommandServices run, CliConsole console)
    {
        var cmd = new Command("list", "List sites");
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var table = new TextTable("ID", "SLUG", "TITLE", "HOST", "URL");
            foreach (var s in await sp.GetRequiredService<SiteDirectory>().ListAsync(ct))
                table.Add(s.Id.ToString(CultureInfo.InvariantCulture), s.Slug, s.Title, s.HostName ?? "-", s.Url);
            table.WriteTo(console.Out);
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command AddUser(CommandServices run, CliConsole console)
    {
        var site = SiteOption();
        var login = LoginOption();
        var role = new Option<string>("--role") { Description = $"One of {Roles.Describe()}", Required = true, HelpName = "ROLE" };
        var cmd = new Command("add-user", "Add a user to a site with a role (or change their role)") { site, login, role };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(parse.GetValue(site), ct);
            if (!resolved.Succeeded) return console.Fail(resolved.Problem!);
            var result = await sp.GetRequiredService<SiteDirectory>().SetMemberAsync(resolved.Value!, parse.GetValue(login)!, parse.GetValue(role)!, ct);
            if (!result.Succeeded) return console.Fail(result.Problem!);
            console.Out.WriteLine($"{parse.GetValue(login)} is {result.Value!.Role} on {resolved.Value!.Slug}");
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command RemoveUser(CommandServices run, CliConsole console)
    {
        var site = SiteOption();
        var login = LoginOption();
        var cmd = new Command("remove-user", "Remove a user from a site") { site, login };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(parse.GetValue(site), ct);
            if (!resolved.Succeeded) return console.Fail(resolved.Problem!);
            var result = await sp.GetRequiredService<SiteDirectory>().RemoveMemberAsync(resolved.Value!, parse.GetValue(login)!, ct);
            if (!result.Succeeded) return console.Fail(result.Problem!);
            console.Out.WriteLine($"removed {parse.GetValue(login)} from {resolved.Value!.Slug}");
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }
}
