using System.CommandLine;
using System.Globalization;
using PressMcp.Demo;

namespace PressMcp.Cli;

internal static class DemoCommand
{
    public static Command Build(CommandServices run, CliConsole console)
    {
        var site = new Option<string>("--site") { Description = "Slug (or id, or host name) of the site to create or fill", DefaultValueFactory = _ => "demo", HelpName = "S" };
        var posts = new Option<int>("--posts") { Description = $"Number of posts to write (0 to {DemoOptions.MaxPosts:N0}; default 200)", DefaultValueFactory = _ => 200, HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed writes the same content (default 1)", DefaultValueFactory = _ => 1, HelpName = "K" };
        var owner = new Option<string?>("--owner")
        {
            Description = "Login made an administrator of the site (default: the server's first administrator, when the run creates the site)",
            HelpName = "LOGIN",
        };
        var cmd = new Command("demo", "Create or fill a site with realistic synthetic posts, pages, terms, comments, media records and a year of statistics") { site, posts, seed, owner };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var result = await sp.GetRequiredService<DemoGenerator>().GenerateAsync(new DemoOptions(parse.GetValue(site)!, parse.GetValue(posts), parse.GetValue(seed), parse.GetValue(owner)), ct);
            if (!result.Succeeded) return console.Fail(result.Problem!);
            var r = result.Value!;
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(r.CreatedSite ? "created" : "filled")} site {r.SiteSlug} (id {r.SiteId}): {r.Posts} posts, {r.Pages} pages, {r.Categories} categories, {r.Tags} tags, {r.Comments} comments, {r.Media} media records, {r.ViewRows} daily view rows in {r.Elapsed.TotalSeconds:F1} s"));
            console.Out.WriteLine(r.Administrator is { } admin
                ? $"administrator of {r.SiteSlug}: {admin}"
                : r.CreatedSite
                    ? $"no administrator was added to {r.SiteSlug} (no server administrator yet): after setup, run pressmcp site add-user --site {r.SiteSlug} --login LOGIN --role administrator"
                    : $"members of {r.SiteSlug} unchanged (--owner adds an administrator)");
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }
}
