using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts.AppPasswords;
using PressMcp.Storage;

namespace PressMcp.Tests.Cli;

/// <summary><c>pressmcp app-password</c> through the real entry point, on SQLite here and on PostgreSQL in the storage stage.</summary>
[Trait(Category.Name, Category.Storage)]
public sealed class AppPasswordCommandTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private TestStore Store => _services.Store;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        Assert.Equal(0, (await CliRunner.RunAsync(Store, "user", "create", "--login", "alice", "--email", "alice@example.com", "--password", "correct horse battery")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(Store, "user", "create", "--login", "bob", "--email", "bob@example.com", "--password", "kitchen secret phrase")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(Store, ["app-password", .. args]);

    [Fact]
    public async Task Create_PrintsThePasswordOnce_StoresOnlyItsHash()
    {
        var r = await RunAsync("create", "--login", "Alice", "--name", "Claude Desktop");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.TrimEnd().Split('\n');
        Assert.Equal("created application password 'Claude Desktop' for alice; it is shown only this once:", lines[0]);
        var password = lines[^1];
        Assert.Matches("^[A-Za-z0-9]{4}( [A-Za-z0-9]{4}){5}$", password);

        var rows = await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Set<AppPassword>().AsNoTracking().ToListAsync());
        var row = Assert.Single(rows);
        var compact = password.Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(compact))), row.Hash);
        Assert.DoesNotContain(compact, $"{row.Name} {row.NameKey} {row.Hash} {row.LastIp}", StringComparison.Ordinal);

        // Shown once: listing never shows it again.
        var list = await RunAsync("list", "--login", "alice");
        Assert.DoesNotContain(compact[..8], list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_TwoPasswordsDiffer_AndNamesAreUniqueWhateverTheCase()
    {
        var a = await RunAsync("create", "--login", "alice", "--name", "laptop");
        var b = await RunAsync("create", "--login", "alice", "--name", "phone");
        Assert.NotEqual(a.Out.Split('\n')[1], b.Out.Split('\n')[1]);

        var dup = await RunAsync("create", "--login", "alice", "--name", " LAPTOP ");
        Assert.Equal(4, dup.ExitCode);
        Assert.Equal("error: an application password named 'LAPTOP' already exists (names are unique whatever their case)", dup.Error.Trim());
        // Another user may use the same name.
        Assert.Equal(0, (await RunAsync("create", "--login", "bob", "--name", "laptop")).ExitCode);
    }

    [Theory]
    [InlineData(3, "error: no user with the login 'nobody'", "create", "--login", "nobody", "--name", "x")]
    [InlineData(1, "error: the application password needs a name (e.g. the app or machine that will use it)", "create", "--login", "alice", "--name", "  ")]
    [InlineData(3, "error: no application password named 'ghost'", "revoke", "--login", "alice", "--name", "ghost")]
    [InlineData(2, "error: give either --name N or --all (see 'pressmcp app-password revoke --help')", "revoke", "--login", "alice")]
    [InlineData(2, "error: give either --name N or --all (see 'pressmcp app-password revoke --help')", "revoke", "--login", "alice", "--name", "x", "--all")]
    [InlineData(2, "error: Option '--name' is required. (see 'pressmcp app-password create --help')", "create", "--login", "alice")]
    public async Task BadInput_OneLineError_AndExitCode(int exitCode, string error, params string[] args)
    {
        var r = await RunAsync(args);
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Equal(error, r.Error.Trim());
    }

    [Fact]
    public async Task List_ShowsNamesAndUse_RevokeOneAndAll()
    {
        await RunAsync("create", "--login", "alice", "--name", "laptop");
        await RunAsync("create", "--login", "alice", "--name", "phone");
        var list = await RunAsync("list", "--login", "alice");
        Assert.Equal(0, list.ExitCode);
        var lines = list.Out.TrimEnd().Split('\n');
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Contains("LAST USED (UTC)", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("laptop", lines[1], StringComparison.Ordinal);
        Assert.Contains("never", lines[1], StringComparison.Ordinal);

        var one = await RunAsync("revoke", "--login", "alice", "--name", "PHONE");
        Assert.Equal(0, one.ExitCode);
        Assert.Equal("revoked application password 'phone' of alice", one.Out.Trim());
        Assert.DoesNotContain("phone", (await RunAsync("list", "--login", "alice")).Out, StringComparison.Ordinal);

        await RunAsync("create", "--login", "bob", "--name", "bobs");
        var all = await RunAsync("revoke", "--login", "alice", "--all");
        Assert.Equal("revoked 1 application password of alice", all.Out.Trim());
        Assert.Single((await RunAsync("list", "--login", "alice")).Out.TrimEnd().Split('\n'));
        Assert.Contains("bobs", (await RunAsync("list", "--login", "bob")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesTheCommands()
    {
        var r = await RunAsync("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("create", r.Out, StringComparison.Ordinal);
        Assert.Contains("revoke", r.Out, StringComparison.Ordinal);
    }
}
