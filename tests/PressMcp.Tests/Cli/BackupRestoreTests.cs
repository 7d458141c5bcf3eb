using PressMcp.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Storage;
using PressMcp.Tests.Media;

namespace PressMcp.Tests.Cli;

/// <summary>
/// <c>pressmcp backup</c>, <c>restore</c> and <c>migrate</c> through the real command line, and <c>serve --no-migrate</c>:
/// a backup taken while the server serves and writes restores into a new data directory whose server has the posts
/// and the media files.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class BackupRestoreTests
{
    private const string Password = "correct horse battery";

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "pressmcp-tests", "ops-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Backup_WhileTheServerServesAndWrites_RestoredServerHasPostsAndMedia()
    {
        await using var store = await TestStore.CreateAsync(postgres: false);
        await using var server = await TestServer.StartAsync(store);
        await server.CreateUserAsync("alice", Password, serverAdmin: true);
        Assert.Equal(0, (await CliRunner.RunAsync(store, "site", "create", "--slug", "garden", "--title", "Garden", "--owner", "alice")).ExitCode);
        var png = MediaSamples.Png(3, 2);
        await UploadAsync(server, png, "leaf.png");
        for (var i = 1; i <= 5; i++) await PublishAsync(server, $"Before the backup {i}");

        // The server goes on writing while the backup runs.
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await PublishAsync(server, $"During the backup {written + 1}");
                written++;
            }
        });
        var backup = NewDirectory();
        try
        {
            while (Volatile.Read(ref written) < 2) await Task.Delay(10);
            var r = await CliRunner.RunAsync(store, "backup", backup);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("1 media file(s)", r.Out, StringComparison.Ordinal);
            await stop.CancelAsync();
            await writer;
            Assert.True(written >= 2, "the server wrote while the backup ran");

            await using var restored = await TestStore.CreateAsync(postgres: false);
            var restore = await CliRunner.RunAsync(restored, "restore", backup);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.False(File.Exists(Path.Combine(backup, StorageSettings.SqliteFileName + "-wal")), "a backup is one self-contained file");

            await using var second = await TestServer.StartAsync(restored);
            var titles = await InScope(second, db => db.Posts.Where(p => p.Status == PostStatuses.Publish).Select(p => p.Title).ToListAsync());
            for (var i = 1; i <= 5; i++) Assert.Contains($"Before the backup {i}", titles);
            Assert.Contains("During the backup 1", titles);
            var home = await (await second.CreateClient().GetAsync("/sites/garden/")).Content.ReadAsStringAsync();
            Assert.Contains("During the backup", home, StringComparison.Ordinal);
            var media = await InScope(second, db => db.MediaFiles.SingleAsync(m => m.FileName == "leaf.png"));
            var file = await second.CreateClient().GetAsync($"/sites/garden/wp-content/uploads/{media.StoragePath}");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(png, await file.Content.ReadAsByteArrayAsync());
            // The people came along: the administrator signs in on the restored server.
            await second.SignedInClientAsync("alice", Password);
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
            if (Directory.Exists(backup)) Directory.Delete(backup, recursive: true);
        }
    }

    [Fact]
    public async Task Restore_IntoANonEmptyDataDirectory_RefusesUnlessForced()
    {
        await using var source = await TestStore.CreateAsync(postgres: false);
        Assert.Equal(0, (await CliRunner.RunAsync(source, "user", "create", "--login", "alice", "--email", "alice@example.com", "--password", Password)).ExitCode);
        var backup = NewDirectory();
        await using var target = await TestStore.CreateAsync(postgres: false);
        try
        {
            Assert.Equal(0, (await CliRunner.RunAsync(source, "backup", backup)).ExitCode);
            Assert.Equal(0, (await CliRunner.RunAsync(target, "user", "create", "--login", "bob", "--email", "bob@example.com", "--password", Password)).ExitCode);

            var refused = await CliRunner.RunAsync(target, "restore", backup);
            Assert.Equal(4, refused.ExitCode);
            Assert.Equal($"error: the data directory '{target.DataDirectory}' is not empty; pass --force to replace it", refused.Error.Trim());
            Assert.Contains("bob", (await CliRunner.RunAsync(target, "user", "list")).Out, StringComparison.Ordinal);

            // A second backup into the same directory is refused too: a backup is never overwritten.
            Assert.Equal(4, (await CliRunner.RunAsync(source, "backup", backup)).ExitCode);

            var forced = await CliRunner.RunAsync(target, "restore", backup, "--force");
            Assert.True(forced.ExitCode == 0, forced.ToString());
            var users = (await CliRunner.RunAsync(target, "user", "list")).Out;
            Assert.Contains("alice", users, StringComparison.Ordinal);
            Assert.DoesNotContain("bob", users, StringComparison.Ordinal);
            // Nothing left beside it: no staging or replaced directories.
            Assert.Empty(Directory.EnumerateDirectories(Path.GetDirectoryName(target.DataDirectory)!, $".{Path.GetFileName(target.DataDirectory)}.*"));
        }
        finally
        {
            if (Directory.Exists(backup)) Directory.Delete(backup, recursive: true);
        }
    }

    [Fact]
    public async Task Restore_NotABackup_FailsAndChangesNothing()
    {
        var empty = NewDirectory();
        Directory.CreateDirectory(empty);
        var data = NewDirectory();
        try
        {
            var r = await CliRunner.RunRawAsync("restore", empty, "--data", data);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"error: restore failed: '{empty}' is not a PressMcp backup (it has no pressmcp.db)", r.Error.Trim());
            Assert.False(Directory.Exists(data));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task BackupAndRestore_OnPostgres_ExplainPgDumpAndPgRestore()
    {
        string[] postgres = ["--database", "postgres", "--connection-string", "Host=127.0.0.1;Database=pressmcp"];
        var backup = await CliRunner.RunRawAsync(["backup", NewDirectory(), .. postgres]);
        Assert.Equal(1, backup.ExitCode);
        Assert.StartsWith("error: on PostgreSQL, back up the database with pg_dump", backup.Error, StringComparison.Ordinal);
        Assert.Single(backup.Error.Trim().Split('\n'));
        var restore = await CliRunner.RunRawAsync(["restore", NewDirectory(), .. postgres]);
        Assert.Equal(1, restore.ExitCode);
        Assert.StartsWith("error: on PostgreSQL, restore the database with pg_restore", restore.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_AfterAProcessDiedWhileMigrating_RemovesItsLockRowAndApplies()
    {
        // What a server killed during its first migration leaves: EF Core's lock table with its row, nothing else.
        var data = NewDirectory();
        try
        {
            Directory.CreateDirectory(data);
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, StorageSettings.SqliteFileName)};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                    INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-12-05 10:00:00+00:00');
                    """;
                await command.ExecuteNonQueryAsync();
            }
            // Without the fix this waits for the row forever; the bound turns that into a failure.
            var run = await CliRunner.RunRawAsync("migrate", "--data", data).WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.StartsWith("applied ", run.Out, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_OnAnEmptyDirectory_CreatesTheSchema_ThenHasNothingToDo()
    {
        var data = NewDirectory();
        try
        {
            var first = await CliRunner.RunRawAsync("migrate", "--data", data);
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.StartsWith("applied ", first.Out, StringComparison.Ordinal);
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, StorageSettings.SqliteFileName)};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM ef_migrations_history";
                Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
            }
            var again = await CliRunner.RunRawAsync("migrate", "--data", data);
            Assert.Equal("the database schema is current; nothing to apply", again.Out.Trim());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_NoMigrateOnAnEmptyDataDirectory_RefusesToStart_AndCreatesNothing()
    {
        var data = NewDirectory();
        var r = await CliRunner.RunRawAsync("serve", "--no-migrate", "--data", data, "--urls", $"http://127.0.0.1:{LoopbackPort.Free()}", "--log-level", "warning");
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"^error: cannot start: the database schema is behind this version \(\d+ migration\(s\) not applied, the last \w+\); run 'pressmcp migrate' first, or start without --no-migrate$", r.Error.Trim());
        Assert.False(File.Exists(Path.Combine(data, StorageSettings.SqliteFileName)));
    }

    [Fact]
    public async Task Serve_NoMigrateOnAMigratedDatabase_Starts()
    {
        await using var store = await TestStore.CreateAsync(postgres: false);
        Assert.Equal(0, (await CliRunner.RunAsync(store, "migrate")).ExitCode);
        var port = LoopbackPort.Free();
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();
        var serve = PressMcp.Cli.CliApp.RunAsync(["serve", "--no-migrate", "--urls", $"http://127.0.0.1:{port}", "--log-level", "warning", .. store.CliArgs], output, error, stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ready = false;
        for (var i = 0; i < 300 && !ready && !serve.IsCompleted; i++)
        {
            try
            {
                ready = (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        await stop.CancelAsync();
        var code = await serve;
        Assert.True(ready, $"serve --no-migrate on a current database answers /readyz (exit {code}: {error})");
    }

    private static async Task UploadAsync(TestServer server, byte[] bytes, string name)
    {
        var alice = await server.SignedInClientAsync("alice", Password);
        var page = await (await alice.GetAsync("/account/sites/garden/media")).Content.ReadAsStringAsync();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", name);
        form.Add(new StringContent(TestServer.AntiforgeryToken(page)!), "__RequestVerificationToken");
        var response = await alice.PostAsync("/account/sites/garden/media/upload", form);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    private static async Task PublishAsync(TestServer server, string title)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var site = await db.Sites.SingleAsync(s => s.Slug == "garden");
        var created = await new ContentSeed(scope.ServiceProvider).CreateAsync(site, new NewPost { Title = title, Content = "Words.", Status = PostStatuses.Publish });
        Assert.True(created.Succeeded);
    }

    private static async Task<T> InScope<T>(TestServer server, Func<PressDbContext, Task<T>> query)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }
}
