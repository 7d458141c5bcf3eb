using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.Sites;

/// <summary><c>pressmcp site update</c> and <c>site settings</c>: the settings page's rules on the command line, all or none.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SiteUpdateCommandTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice", "correct horse battery");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<(string Title, string TimeZone, string? PerPage)> GardenAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Slug == "garden");
        var perPage = await db.SiteOptions.Where(o => o.SiteId == site.Id && o.Name == "posts_per_page").Select(o => o.Value).SingleOrDefaultAsync();
        return (site.Title, site.TimeZone, perPage);
    }

    [Fact]
    public async Task Update_ChangesColumnsAndOptions_SettingsShowsThem()
    {
        var r = await CliRunner.RunAsync(_server.Store, "site", "update", "--site", "garden", "--title", "Seed Notes", "--timezone", "Europe/Madrid", "--set", "posts_per_page=5");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("updated 3 settings of garden", r.Out, StringComparison.Ordinal);
        Assert.Equal(("Seed Notes", "Europe/Madrid", "5"), await GardenAsync());
        var shown = await CliRunner.RunAsync(_server.Store, "site", "settings", "--site", "garden");
        Assert.Matches(@"reading\s+posts_per_page \*\s+5", shown.Out);
    }

    [Theory]
    [InlineData("--set", "posts_per_page=500")]
    [InlineData("--set", "admin_email=x@example.com")]
    [InlineData("--timezone", "Mars/Olympus_Mons")]
    public async Task Update_OneInvalid_NothingChanges(string option, string value)
    {
        var r = await CliRunner.RunAsync(_server.Store, "site", "update", "--site", "garden", "--title", "Changed", option, value);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal(("Garden Notes", "UTC", (string?)null), await GardenAsync());
    }
}
