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
        var cmd = new Command("wxr", "Import a WordPress export: authors, categories, tags, posts, pages, attachments (as media records; nothing is downloaded), custom fields and comments. Importing the same file again changes nothing.") { file, site };
        cmd.SetAction((parse, ct) => run.RunAsync(parse, async (sp, ct) =>
        {
            var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(parse.GetValue(site), ct);
            if (!resolved.Succeeded) return console.Fail(resolved.Problem!);
            var path = parse.GetValue(file)!;
            var imported = await sp.GetRequiredService<WxrImporter>().ImportAsync(resolved.Value!, path, ct);
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
        output.WriteLine($"not imported: {report.DescribeOthers()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"final transaction (database write lock) held for {report.WriteLockHeld.TotalMilliseconds:0} ms"));
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
