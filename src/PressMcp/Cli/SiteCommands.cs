using System.CommandLine;
using System.Globalization;
using PressMcp.Accounts;
using PressMcp.Sites;
using PressMcp.Sites.Abilities;

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
        site.Subcommands.Add(Settings(run, console));
        site.Subcommands.Add(Update(run, console));
        return site;
    }

    internal static Option<string> SiteOption() =>
        new("--site") { Description = "The site: its id, slug or host name", Required = true, HelpName = "S" };

    private static Option<string> LoginOption() =>
        new("--login") { Description = "Login name (or e-mail address) of the user", Required = true, HelpName = "L" };

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

    private static Command Settings(CommandServices run, CliConsole console)
    {
        var site = SiteOption();
        var cmd = new Command("settings", "Show a site's settings (those marked * can be changed with site update)") { site };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(parse.GetValue(site), ct);
            if (!resolved.Succeeded) return console.Fail(resolved.Problem!);
            var values = await sp.GetRequiredService<SiteSettingsStore>().ValuesAsync(resolved.Value!, ct);
            var table = new TextTable("SECTION", "NAME", "VALUE");
            foreach (var s in SiteSettingsCatalog.All)
                table.Add(s.Section, s.Writable ? s.Name + " *" : s.Name, values[s.Name]);
            table.WriteTo(console.Out);
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command Update(CommandServices run, CliConsole console)
    {
        var site = SiteOption();
        var title = new Option<string?>("--title") { Description = "Site title", HelpName = "T" };
        var tagline = new Option<string?>("--tagline") { Description = "Tagline", HelpName = "T" };
        var tz = new Option<string?>("--timezone") { Description = "IANA time zone", HelpName = "TZ" };
        var language = new Option<string?>("--language") { Description = "Language tag, e.g. en-US", HelpName = "TAG" };
        var policy = new Option<string?>("--mcp-policy") { Description = $"What MCP apps may do on the site: {string.Join(", ", SiteMcpPolicies.All)}", HelpName = "POLICY" };
        var set = new Option<string[]>("--set") { Description = "Any other setting as NAME=VALUE (booleans 1 or 0; see site settings), repeatable", HelpName = "NAME=VALUE" };
        var cmd = new Command("update", "Change a site's settings, all or none, with the rules of the settings page and site/update-settings")
            { site, title, tagline, tz, language, policy, set };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var changes = new List<(string, string)>();
            void Add(string name, string? value) { if (value is not null) changes.Add((name, value)); }
            Add(SiteSettingsCatalog.Title, parse.GetValue(title));
            Add(SiteSettingsCatalog.Tagline, parse.GetValue(tagline));
            Add(SiteSettingsCatalog.TimeZone, parse.GetValue(tz));
            Add(SiteSettingsCatalog.Language, parse.GetValue(language));
            Add(SiteSettingsCatalog.McpPolicy, parse.GetValue(policy));
            foreach (var pair in parse.GetValue(set) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) return console.Fail(Problem.Invalid($"--set '{pair}' is not NAME=VALUE"));
                changes.Add((pair[..eq].Trim(), pair[(eq + 1)..]));
            }
            var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(parse.GetValue(site), ct);
            if (!resolved.Succeeded) return console.Fail(resolved.Problem!);
            var updated = await sp.GetRequiredService<SiteSettingsStore>().UpdateAsync(resolved.Value!.Id, changes, null, ct);
            if (!updated.Succeeded) return console.Fail(updated.Problem!);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"updated {changes.Count} setting{(changes.Count == 1 ? "" : "s")} of {updated.Value!.Slug}"));
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }
}
