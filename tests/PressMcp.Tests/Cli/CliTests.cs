namespace PressMcp.Tests.Cli;

/// <summary>Every command through the real entry point: success, and each bad input with its one-line reason.</summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class CliTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private TestStore _store = null!;

    public async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync();

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(_store, args);

    private static void AssertFails(CliResult r, int code, string reason)
    {
        Assert.Equal(code, r.ExitCode);
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(reason, lines[0], StringComparison.Ordinal);
    }

    private async Task SeedAsync()
    {
        Assert.Equal(0, (await Run("user", "create", "--login", "admin", "--email", "admin@example.com", "--password", Password, "--server-admin")).ExitCode);
        Assert.Equal(0, (await Run("user", "create", "--login", "writer", "--email", "writer@example.com", "--password", "another long passphrase")).ExitCode);
        Assert.Equal(0, (await Run("site", "create", "--slug", "news", "--title", "The News", "--owner", "admin", "--host", "news.example.com")).ExitCode);
    }

    [Fact]
    public async Task Help_ListsCommands()
    {
        var r = await CliRunner.RunRawAsync("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var cmd in new[] { "serve", "user", "site" }) Assert.Contains(cmd, r.Out, StringComparison.Ordinal);
        var sub = await CliRunner.RunRawAsync("site", "add-user", "--help");
        Assert.Equal(0, sub.ExitCode);
        Assert.Contains("--role", sub.Out, StringComparison.Ordinal);
        Assert.Contains("--data", sub.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserCreate_ThenList_ShowsUser()
    {
        var r = await Run("user", "create", "--login", "admin", "--email", "admin@example.com", "--password", Password, "--server-admin");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("created user admin", r.Out, StringComparison.Ordinal);
        var list = await Run("user", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"(?m)^1\s+admin\s+admin@example\.com\s+admin\s+yes\s+no$", list.Out);
    }

    [Fact]
    public async Task UserCreate_DuplicateLogin_Fails()
    {
        await SeedAsync();
        AssertFails(await Run("user", "create", "--login", "ADMIN", "--email", "x@example.com", "--password", Password), 4, "already exists");
        AssertFails(await Run("user", "create", "--login", "fresh", "--email", "admin@example.com", "--password", Password), 4, "e-mail 'admin@example.com' already exists");
    }

    [Theory]
    [InlineData("short", "at least 10 characters")]
    [InlineData("password123", "most common passwords")]
    [InlineData("aaaaaaaaaaaa", "different characters")]
    [InlineData("my-name-is-newbie", "must not contain the login")]
    public async Task UserCreate_WeakPassword_Fails(string password, string reason)
    {
        AssertFails(await Run("user", "create", "--login", "newbie", "--email", "n@example.com", "--password", password), 1, reason);
        Assert.DoesNotContain("newbie", (await Run("user", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserCreate_EmptyPasswordOrBadInput_Fails()
    {
        AssertFails(await Run("user", "create", "--login", "newbie", "--email", "n@example.com", "--password", ""), 1, "password is empty");
        AssertFails(await Run("user", "create", "--login", "bad login!", "--email", "n@example.com", "--password", Password), 1, "may contain only");
        AssertFails(await Run("user", "create", "--login", "newbie", "--email", "not-an-email", "--password", Password), 1, "not a valid e-mail");
        AssertFails(await Run("user", "create", "--login", "newbie", "--email", "n@example.com"), 2, "--password");
    }

    [Fact]
    public async Task UserSetPassword_ChangesIt_AndRefusesUnknownOrWeak()
    {
        await SeedAsync();
        Assert.Equal(0, (await Run("user", "set-password", "--login", "writer", "--password", "a brand new passphrase")).ExitCode);
        AssertFails(await Run("user", "set-password", "--login", "ghost", "--password", "a brand new passphrase"), 3, "no user with the login 'ghost'");
        AssertFails(await Run("user", "set-password", "--login", "writer", "--password", "tiny"), 1, "at least 10 characters");
    }

    [Fact]
    public async Task SiteCreate_ThenList_ShowsSiteAndUrl()
    {
        await SeedAsync();
        Assert.Equal(0, (await Run("site", "create", "--slug", "blog-2", "--title", "Second", "--owner", "writer")).ExitCode);
        var list = await Run("site", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("https://news.example.com", list.Out, StringComparison.Ordinal);
        Assert.Contains("/sites/blog-2", list.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("123", "at least one letter")]
    [InlineData("Bad_Slug", "only lower-case letters")]
    [InlineData("wp-json", "reserved")]
    [InlineData("-edge", "start or end with a hyphen")]
    public async Task SiteCreate_BadSlug_Fails(string slug, string reason)
    {
        await SeedAsync();
        AssertFails(await Run("site", "create", "--slug", slug, "--title", "T", "--owner", "admin"), 1, reason);
    }

    [Fact]
    public async Task SiteCreate_UnknownOwnerDuplicateOrBadHost_Fails()
    {
        await SeedAsync();
        AssertFails(await Run("site", "create", "--slug", "fresh", "--title", "T", "--owner", "ghost"), 3, "no user with the login 'ghost'");
        AssertFails(await Run("site", "create", "--slug", "news", "--title", "T", "--owner", "admin"), 4, "slug 'news' already exists");
        AssertFails(await Run("site", "create", "--slug", "fresh", "--title", "T", "--owner", "admin", "--host", "http://x"), 1, "not a valid host name");
        AssertFails(await Run("site", "create", "--slug", "fresh", "--title", "T", "--owner", "admin", "--timezone", "Mars/Olympus"), 1, "unknown time zone");
        Assert.DoesNotContain("fresh", (await Run("site", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiteAddUser_SetsAndChangesRole_RemoveUserRemoves()
    {
        await SeedAsync();
        var add = await Run("site", "add-user", "--site", "news", "--login", "writer", "--role", "author");
        Assert.Equal(0, add.ExitCode);
        Assert.Contains("writer is author on news", add.Out, StringComparison.Ordinal);
        var change = await Run("site", "add-user", "--site", "news.example.com", "--login", "writer", "--role", "editor");
        Assert.Contains("writer is editor on news", change.Out, StringComparison.Ordinal);
        var remove = await Run("site", "remove-user", "--site", "1", "--login", "writer");
        Assert.Equal(0, remove.ExitCode);
        AssertFails(await Run("site", "remove-user", "--site", "news", "--login", "writer"), 3, "not a member");
    }

    [Fact]
    public async Task SiteAddUser_UnknownSiteUserOrRole_Fails()
    {
        await SeedAsync();
        AssertFails(await Run("site", "add-user", "--site", "nowhere", "--login", "writer", "--role", "author"), 3, "no site 'nowhere'");
        AssertFails(await Run("site", "add-user", "--site", "news", "--login", "ghost", "--role", "author"), 3, "no user with the login 'ghost'");
        AssertFails(await Run("site", "add-user", "--site", "news", "--login", "writer", "--role", "overlord"), 1, "unknown role 'overlord'");
        AssertFails(await Run("site", "remove-user", "--site", "news", "--login", "admin"), 4, "last administrator");
    }

    [Fact]
    public async Task UnknownCommandOrDatabase_IsUsageError()
    {
        AssertFails(await CliRunner.RunRawAsync("frobnicate"), 2, "frobnicate");
        AssertFails(await CliRunner.RunRawAsync("user", "list", "--database", "oracle", "--data", _store.DataDirectory), 2, "unknown database 'oracle'");
        AssertFails(await CliRunner.RunRawAsync("user", "list", "--database", "postgres", "--data", _store.DataDirectory), 2, "needs --connection-string");
        AssertFails(await CliRunner.RunRawAsync("serve", "--urls", "nonsense", "--data", _store.DataDirectory), 2, "not a listen address");
        AssertFails(await CliRunner.RunRawAsync("serve", "--public-url", "ftp://x", "--data", _store.DataDirectory), 2, "--public-url");
        AssertFails(await CliRunner.RunRawAsync("serve", "--trusted-proxy", "not-an-ip", "--data", _store.DataDirectory), 2, "--trusted-proxy");
        AssertFails(await CliRunner.RunRawAsync("serve", "--publish-interval", "0", "--data", _store.DataDirectory), 2, "--publish-interval must be between 1 and 86400");
    }

    [Fact]
    public async Task DataDirectory_HoldsTheSqliteFile()
    {
        // PRESSMCP_DATA (process-wide, so not set in parallel tests) is checked by tests/peers/run.sh.
        await SeedAsync();
        if (!_store.IsPostgres) Assert.True(File.Exists(Path.Combine(_store.DataDirectory, "pressmcp.db")));
    }
}
