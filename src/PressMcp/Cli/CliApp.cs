using System.CommandLine;
using System.CommandLine.Help;

namespace PressMcp.Cli;

/// <summary>The <c>pressmcp</c> command line: parses arguments, reports usage errors in one line, runs the command.</summary>
internal static class CliApp
{
    public static RootCommand BuildRoot(CliConsole console)
    {
        var globals = new GlobalOptions();
        var run = new CommandServices(globals, console);
        var root = new RootCommand("PressMcp: WordPress-style sites that AI agents work on over MCP, with OAuth 2.1.");
        globals.AddTo(root);
        root.Subcommands.Add(ServeCommand.Build(globals, console));
        root.Subcommands.Add(UserCommands.Build(run, console));
        root.Subcommands.Add(SiteCommands.Build(run, console));
        root.Subcommands.Add(AppPasswordCommands.Build(run, console));
        root.Subcommands.Add(McpAccessCommand.Build(run, console));
        root.Subcommands.Add(DemoCommand.Build(run, console));
        root.Subcommands.Add(ImportExportCommands.BuildImport(run, console));
        root.Subcommands.Add(ImportExportCommands.BuildExport(run, console));
        root.Subcommands.Add(DatabaseCommands.BuildMigrate(run, console));
        root.Subcommands.Add(DatabaseCommands.BuildBackup(run, console));
        root.Subcommands.Add(DatabaseCommands.BuildRestore(run, console));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var console = new CliConsole(output, error);
        var root = BuildRoot(console);
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = output, Error = error };

        if (parse.Action is HelpAction) return await parse.InvokeAsync(invocation, ct);
        if (parse.Errors.Count > 0)
        {
            var command = string.Join(' ', parse.CommandResult.Command.Name == root.Name ? ["pressmcp"] : ["pressmcp", .. CommandPath(parse)]);
            // An unknown word explains the other errors it causes ("required command was not provided"), so it goes first.
            var message = parse.UnmatchedTokens.Count > 0
                ? $"unrecognized command or argument '{parse.UnmatchedTokens[0]}'"
                : parse.Errors[0].Message;
            error.WriteLine($"error: {message} (see '{command} --help')");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(invocation, ct);
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var r = parse.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
            names.Push(r.Command.Name);
        return names;
    }
}
