using System.CommandLine;
using System.Globalization;
using PressMcp.Import;
using PressMcp.Sites;

namespace PressMcp.Cli;

/// <summary><c>pressmcp import wxr FILE --site S</c> and <c>pressmcp export wxr --site S FILE</c>.</summary>
internal static class ImportExportCommands
{
    public static Command BuildImport(CommandServices run, CliConsole console)
    {
        var import = new Command("import", "Import content into a site");
        import.Subcommands.Add(ImportWxr(run, console));
        return import;
    }

    public static Command BuildExport(CommandServices run, CliConsole console)
    {
        var export = new Command("export", "Export a site's content");
        export.Subcommands.Add(ExportWxr(run, console));
        return export;
    }

    private static Command ImportWxr(CommandServices run, CliConsole console)
    {
        var file = new Argument<string>("FILE") { Description = "A WordPress export file (WXR 1.0, 1.1 or 1.2)" };
        var site = SiteCommands.SiteOption();
        var authorMap = new Option<string[]>("--author-map")
        {
            Description = "Attribute the export's author OLD to NEW, an existing member of the site who may write posts (repeatable). "
                + "Unmapped authors: a member of that login is used; an unknown login becomes a new user and author; a login held by a non-member is never added (a new user 'login-2' is created instead)",
            HelpName = "OLD=NEW",
            AllowMultipleArgumentsPerToken = false,
        };
        var cmd = new Command("wxr", "Import a WordPress export: authors, categories, tags, posts, pages, attachments (as media records; nothing is downloaded), custom fields and comments. Importing the same file again changes nothing.") { file, site, authorMap };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var options = ParseAuthorMap(parse.GetValue(authorMap) ?? []);
            if (!options.Succeeded) return console.Fail(options.Problem!);
            var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(parse.GetValue(site), ct);
            if (!resolved.Succeeded) return console.Fail(resolved.Problem!);
            var path = parse.GetValue(file)!;
            var imported = await sp.GetRequiredService<WxrImporter>().ImportAsync(resolved.Value!, path, options.Value!, ct);
            if (!imported.Succeeded) return console.Fail(imported.Problem!);
            WriteReport(console.Out, Path.GetFileName(path), resolved.Value!, imported.Value!);
            return ExitCodes.Ok;
        }, ct));
        return cmd;
    }

    private static Command ExportWxr(CommandServices run, CliConsole console)
    {
        var site = SiteCommands.SiteOption();
        var file = new Argument<string>("FILE") { Description = "Where to write the export (replaced if it exists)" };
        var cmd = new Command("wxr", "Export a site as a WordPress export file (WXR 1.2) that WordPress can import") { site, file };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(parse.GetValue(site), ct);
            if (!resolved.Succeeded) return console.Fail(resolved.Problem!);
            var path = Path.GetFullPath(parse.GetValue(file)!);
            // Written beside the target and moved into place: a failed export never leaves half a file.
            var partial = path + ".partial";
            try
            {
                ExportSummary summary;
                await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true))
                    summary = await sp.GetRequiredService<WxrExporter>().ExportAsync(resolved.Value!, output, ct);
                File.Move(partial, path, overwrite: true);
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"exported {resolved.Value!.Slug} to {path}: {summary.Authors} authors, {summary.Categories} categories, {summary.Tags} tags, {summary.Items} items, {summary.Comments} comments"));
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (File.Exists(partial)) File.Delete(partial);
                return console.Fail($"cannot write '{path}': {ex.Message}");
            }
        }, ct));
        return cmd;
    }

    /// <summary>"old=new" pairs; each export login at most once.</summary>
    private static Outcome<ImportOptions> ParseAuthorMap(string[] pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1) return Problem.Invalid($"--author-map '{pair}': expected OLD=NEW (an export login, '=', a login of this server)");
            if (!map.TryAdd(pair[..eq].Trim(), pair[(eq + 1)..].Trim())) return Problem.Invalid($"--author-map: '{pair[..eq].Trim()}' is mapped twice");
        }
        return Outcome<ImportOptions>.Ok(new ImportOptions(map));
    }

    private static void WriteReport(TextWriter output, string fileName, Site site, ImportReport report)
    {
        output.WriteLine($"imported {fileName} (WXR {report.Version}) into {site.Slug}");
        var table = new TextTable("KIND", "CREATED", "UPDATED", "SKIPPED");
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            var count = report.Counts[kind];
            table.Add(ImportReport.NameOf(kind), Number(count.Created), Number(count.Updated), Number(count.Skipped));
        }
        table.WriteTo(output);
        foreach (var author in report.Authors) output.WriteLine($"author {author.ExportLogin} -> {author.LocalLogin}: {Describe(author.How, site)}");
        foreach (var warning in report.Warnings) output.WriteLine($"warning: {warning}");
        if (report.WarningCount > report.Warnings.Count)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: {report.WarningCount - report.Warnings.Count} more items or comments left out"));
        output.WriteLine($"not imported: {report.DescribeOthers()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"database write lock held for {report.WriteLockHeld.TotalMilliseconds:0} ms in {report.Transactions} transactions, at most {report.LongestWriteLockHold.TotalMilliseconds:0} ms at a time"));
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Describe(AuthorResolution how, Site site) => how switch
    {
        AuthorResolution.Mapped => "mapped with --author-map",
        AuthorResolution.Member => $"already a member of {site.Slug}",
        AuthorResolution.Created => $"new user, made an author of {site.Slug}",
        _ => $"new user, made an author of {site.Slug} (the export's login belongs to a user who is not a member of {site.Slug}; an import never adds one)",
    };
}
