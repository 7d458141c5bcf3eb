using PressMcp.Mcp.Settings;

namespace PressMcp.Tests.Cli;

/// <summary><c>pressmcp mcp-access</c> through the entry point, against the real settings store.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class McpAccessCommandTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private TestStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        _store = _services.Store;
        var r = await CliRunner.RunAsync(_store, "user", "create", "--login", "carol", "--email", "carol@example.com", "--password", "quiet harbour lantern");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private Task<McpSettingsSnapshot> SettingsAsync() => _services.WithAsync(sp =>
    {
        var db = sp.GetRequiredService<PressMcp.Storage.PressDbContext>();
        var id = db.Users.Single(u => u.UserName == "carol").Id;
        return new McpSettingsStore(db, TimeProvider.System).LoadAsync(id, whole: true);
    });

    [Fact]
    public async Task OnWithTools_ThenOff_ThenBadInput()
    {
        var on = await CliRunner.RunAsync(_store, "mcp-access", "--login", "carol", "--tool", "vmfo/create-folder", "--tool-off", "posts/search");
        Assert.True(on.ExitCode == 0, on.ToString());
        Assert.Contains("is on", on.Out, StringComparison.Ordinal);
        var settings = await SettingsAsync();
        Assert.True(settings.Enabled);
        Assert.True(settings.HasExplicitSwitch("vmfo/create-folder"));
        Assert.True(settings.HasExplicitSwitch("posts/search"));

        Assert.Equal(0, (await CliRunner.RunAsync(_store, "mcp-access", "--login", "carol", "--off")).ExitCode);
        Assert.False((await SettingsAsync()).Enabled);

        var both = await CliRunner.RunAsync(_store, "mcp-access", "--login", "carol", "--off", "--on");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("cannot be combined", both.Error, StringComparison.Ordinal);
        var badName = await CliRunner.RunAsync(_store, "mcp-access", "--login", "carol", "--tool", "CreateFolder");
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("not an ability name", badName.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAsync(_store, "mcp-access", "--login", "carol")).ExitCode);
        Assert.Equal(3, (await CliRunner.RunAsync(_store, "mcp-access", "--login", "nobody", "--on")).ExitCode);
        Assert.False((await SettingsAsync()).Enabled);
    }
}
