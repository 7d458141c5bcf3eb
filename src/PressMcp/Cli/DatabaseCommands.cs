using System.CommandLine;
using PressMcp.Media;
using PressMcp.Storage;

namespace PressMcp.Cli;

/// <summary><c>pressmcp migrate</c>, <c>backup</c> and <c>restore</c>: the database and media files as a whole.</summary>
internal static class DatabaseCommands
{
    private const string Docs = "see docs/deployment.md, Backups and restore";

    public static Command BuildMigrate(CommandServices run, CliConsole console)
    {
        var cmd = new Command("migrate", "Apply the database migrations this version needs, then exit (serve does it too unless --no-migrate)");
        cmd.SetAction((parse, ct) => run.RunAsync(parse, (_, applied, _) =>
        {
            console.Out.WriteLine(applied.Count == 0
                ? "the database schema is current; nothing to apply"
                : $"applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return Task.FromResult(ExitCodes.Ok);
        }, ct));
        return cmd;
    }

    public static Command BuildBackup(CommandServices run, CliConsole console)
    {
        var target = new Argument<string>("DIR") { Description = "A new directory for the backup: pressmcp.db and media/ (it must not exist or must be empty)" };
        var cmd = new Command("backup", "Back up a SQLite data directory while the server runs (SQLite's online backup API), with its media files. On PostgreSQL: use pg_dump") { target };
        cmd.SetAction(parse =>
        {
            if (run.Read(parse, out var error) is not var (configuration, storage)) return console.Fail(error!, ExitCodes.Usage);
            var media = MediaOptions.RootFor(configuration[MediaOptions.Section + ":" + nameof(MediaOptions.Root)], storage);
            if (storage.Provider == DatabaseProvider.Postgres)
                return console.Fail($"on PostgreSQL, back up the database with pg_dump (e.g. pg_dump --format=custom --file pressmcp.dump DBNAME) and copy the media directory '{media}'; {Docs}");
            return Copy(console, "backup", () => new DataBackup(storage, media).Backup(parse.GetValue(target)!),
                done => $"backed up to {done.Directory}: {Contents(done)}");
        });
        return cmd;
    }

    public static Command BuildRestore(CommandServices run, CliConsole console)
    {
        var source = new Argument<string>("DIR") { Description = "A directory written by 'pressmcp backup'" };
        var force = new Option<bool>("--force") { Description = "Replace a data directory (and media directory) that is not empty; stop the server first" };
        var cmd = new Command("restore", "Restore a backup into the data directory (--data), refusing to overwrite one that is not empty unless --force. On PostgreSQL: use pg_restore") { source, force };
        cmd.SetAction(parse =>
        {
            if (run.Read(parse, out var error) is not var (configuration, storage)) return console.Fail(error!, ExitCodes.Usage);
            var media = MediaOptions.RootFor(configuration[MediaOptions.Section + ":" + nameof(MediaOptions.Root)], storage);
            if (storage.Provider == DatabaseProvider.Postgres)
                return console.Fail($"on PostgreSQL, restore the database with pg_restore (e.g. pg_restore --clean --dbname DBNAME pressmcp.dump) and copy the media files into '{media}'; {Docs}");
            return Copy(console, "restore", () => new DataBackup(storage, media).Restore(parse.GetValue(source)!, parse.GetValue(force)),
                done => $"restored into {done.Directory}: {Contents(done)}; the server applies any migration the backup lacks when it starts");
        });
        return cmd;
    }

    /// <summary>
    /// Runs a backup or a restore and reports it: the summary on success, a target in the way as a conflict (exit 4),
    /// any file or database failure as one line naming the command (never a stack trace).
    /// </summary>
    private static int Copy(CliConsole console, string verb, Func<BackupSummary> copy, Func<BackupSummary, string> report)
    {
        try
        {
            console.Out.WriteLine(report(copy()));
            return ExitCodes.Ok;
        }
        catch (BackupException ex) when (ex.Conflict)
        {
            return console.Fail(ex.Message, ExitCodes.Conflict);
        }
        catch (Exception ex) when (ex is BackupException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return console.Fail($"{verb} failed: {FirstLine(ex.Message)}");
        }
    }

    private static string Contents(BackupSummary done) => $"database {Bytes(done.DatabaseBytes)}, {done.MediaFiles} media file(s), {Bytes(done.MediaBytes)}";

    private static string Bytes(long bytes) => MediaOptions.Describe(bytes);

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
