using Microsoft.Data.Sqlite;

namespace PressMcp.Storage;

/// <summary>What a backup or a restore copied.</summary>
internal sealed record BackupSummary(string Directory, long DatabaseBytes, int MediaFiles, long MediaBytes);

/// <summary>A backup or restore that could not be made, with the sentence that says why; nothing was left half-written.</summary>
/// <param name="conflict">True when the target holds data that only <c>--force</c> may replace.</param>
internal sealed class BackupException(string message, bool conflict = false) : Exception(message)
{
    public bool Conflict { get; } = conflict;
}

/// <summary>
/// Backs up and restores a SQLite data directory. A backup is a directory laid out like a data directory:
/// <c>pressmcp.db</c> (a consistent copy made with SQLite's online backup API, so the server may go on serving and
/// writing meanwhile) and <c>media/</c> (the media files). One thing to move or archive, and itself usable as
/// <c>--data</c>. Both directions build the result under a temporary name beside it and rename it into place at the
/// end: an interrupted run leaves no half-written backup or data directory behind.
/// </summary>
internal sealed class DataBackup(StorageSettings storage, string mediaRoot)
{
    public const string MediaFolder = "media";

    /// <summary>Media in the middle of an upload (<see cref="Media.MediaStorage"/>'s staging folder): not yet content.</summary>
    private const string IncomingFolder = ".incoming";

    public BackupSummary Backup(string target)
    {
        target = Path.GetFullPath(target);
        if (File.Exists(target) || Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new BackupException($"'{target}' already exists; a backup goes into a new directory", conflict: true);
        if (!File.Exists(storage.SqlitePath)) throw new BackupException($"there is no database at '{storage.SqlitePath}'");

        return Staged(target, "backup", staged =>
        {
            var db = Path.Combine(staged, StorageSettings.SqliteFileName);
            using (var source = Open(storage.SqlitePath, SqliteOpenMode.ReadWrite))
            using (var copy = Open(db, SqliteOpenMode.ReadWriteCreate))
            {
                // One step under one read transaction: a snapshot of the moment it began. In WAL mode the server's
                // writers go on meanwhile (a reader blocks no writer).
                source.BackupDatabase(copy);
                // A backup is one self-contained file: no -wal beside it. The server turns WAL on again when it opens it.
                using (var journal = copy.CreateCommand())
                {
                    journal.CommandText = "PRAGMA journal_mode=DELETE;";
                    journal.ExecuteNonQuery();
                }
                Check(copy, db);
            }
            // After the snapshot: every file it refers to existed when it was taken (a file deleted in the moments
            // between is the only one that can be missing; files uploaded since are extra and harmless).
            var (files, bytes) = CopyTree(mediaRoot, Path.Combine(staged, MediaFolder));
            return new BackupSummary(target, new FileInfo(db).Length, files, bytes);
        });
    }

    /// <summary>Restores <paramref name="source"/> into the data directory (and the media directory, when it lies elsewhere).</summary>
    public BackupSummary Restore(string source, bool force)
    {
        source = Path.GetFullPath(source);
        var db = Path.Combine(source, StorageSettings.SqliteFileName);
        if (!File.Exists(db)) throw new BackupException($"'{source}' is not a PressMcp backup (it has no {StorageSettings.SqliteFileName})");
        using (var check = Open(db, SqliteOpenMode.ReadOnly)) Check(check, db);

        var data = storage.DataDirectory;
        var mediaInside = IsInside(mediaRoot, data);
        if (!force)
        {
            if (NotEmpty(data)) throw new BackupException($"the data directory '{data}' is not empty; pass --force to replace it", conflict: true);
            if (!mediaInside && NotEmpty(mediaRoot)) throw new BackupException($"the media directory '{mediaRoot}' is not empty; pass --force to replace it", conflict: true);
        }
        var backupMedia = Path.Combine(source, MediaFolder);
        SqliteConnection.ClearAllPools();
        if (mediaInside)
        {
            return Replace(data, "restore", staged =>
            {
                File.Copy(db, Path.Combine(staged, StorageSettings.SqliteFileName));
                var (files, bytes) = CopyTree(backupMedia, Path.Combine(staged, Path.GetRelativePath(data, mediaRoot)));
                return new BackupSummary(data, new FileInfo(db).Length, files, bytes);
            });
        }
        // A media directory of its own (Media:Root) is replaced the same way, once the data directory is in place.
        var summary = Replace(data, "restore", staged =>
        {
            File.Copy(db, Path.Combine(staged, StorageSettings.SqliteFileName));
            return new BackupSummary(data, new FileInfo(db).Length, 0, 0);
        });
        return Replace(mediaRoot, "restore", staged =>
        {
            var (files, bytes) = CopyTree(backupMedia, staged);
            return summary with { MediaFiles = files, MediaBytes = bytes };
        });
    }

    /// <summary>Builds <paramref name="target"/> under a temporary sibling name, then renames it into place (it must not exist, or be empty).</summary>
    private static BackupSummary Staged(string target, string purpose, Func<string, BackupSummary> build)
    {
        var staged = Sibling(target, purpose);
        try
        {
            Directory.CreateDirectory(staged);
            var summary = build(staged);
            if (Directory.Exists(target)) Directory.Delete(target);
            Directory.Move(staged, target);
            return summary;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(staged)) Directory.Delete(staged, recursive: true);
        }
    }

    /// <summary>Builds the new <paramref name="target"/> beside the old one, then swaps them; the old one is deleted only once the new one is in place.</summary>
    private static BackupSummary Replace(string target, string purpose, Func<string, BackupSummary> build)
    {
        if (!Directory.Exists(target)) return Staged(target, purpose, build);
        var old = Sibling(target, "replaced");
        BackupSummary summary;
        try
        {
            summary = Staged(target, purpose, staged =>
            {
                var built = build(staged);
                Directory.Move(target, old);
                return built;
            });
        }
        catch when (!Directory.Exists(target) && Directory.Exists(old))
        {
            // The new one could not be moved in: the old one goes back.
            Directory.Move(old, target);
            throw;
        }
        Directory.Delete(old, recursive: true);
        return summary;
    }

    private static string Sibling(string path, string purpose)
    {
        var parent = Path.GetDirectoryName(path) ?? throw new BackupException($"'{path}' has no parent directory");
        Directory.CreateDirectory(parent);
        return Path.Combine(parent, $".{Path.GetFileName(path)}.{purpose}-{Guid.NewGuid():N}");
    }

    private static (int Files, long Bytes) CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        if (!Directory.Exists(from)) return (0, 0);
        var files = 0;
        var bytes = 0L;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] == IncomingFolder) continue;
            var destination = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            try
            {
                File.Copy(file, destination);
            }
            catch (FileNotFoundException)
            {
                // Deleted by the running server since it was listed.
                continue;
            }
            files++;
            bytes += new FileInfo(destination).Length;
        }
        return (files, bytes);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        // No pooling: the file must be closed when the connection is, before it is renamed.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    private static void Check(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        try
        {
            if (command.ExecuteScalar() as string != "ok") throw new BackupException($"'{path}' is damaged (SQLite's quick_check failed)");
        }
        catch (SqliteException ex)
        {
            throw new BackupException($"'{path}' is not a SQLite database ({ex.Message})");
        }
    }

    private static bool NotEmpty(string directory) => Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any();

    private static bool IsInside(string path, string directory)
    {
        var relative = Path.GetRelativePath(directory, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
