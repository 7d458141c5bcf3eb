using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// <c>wpcom-mcp-user-profile</c> answers from a cache kept per access version (Accounts/ProfileCache). Whoever changes
/// what it shows, and wherever: the next call on this host shows a change made through any host of the database, and a
/// change made behind every host's back (plain SQL, as the command line or another instance writes) within the bound of
/// SharedAccessVersion, exactly as a revocation.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ProfileCacheTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<JsonElement> ProfileAsync(string token)
    {
        var result = await _s.ToolResultAsync(token, "wpcom-mcp-user-profile", new { });
        Assert.False(result.GetProperty("isError").GetBoolean(), OAuthTestServer.TextOf(result));
        return result.GetProperty("structuredContent");
    }

    [Fact]
    public async Task UserProfile_EditedOnAnotherHost_ShownOnTheNextCall()
    {
        var (_, tokens) = await _s.ConnectAsync();
        // Twice, so the second answer comes from the cache.
        await ProfileAsync(tokens.AccessToken);
        Assert.Equal(2, (await ProfileAsync(tokens.AccessToken)).GetProperty("site_count").GetInt32());

        // A second host on the same database: the person edits their profile there, and an administrator adds them to a site.
        await using (var other = await TestServer.StartAsync(_s.Server.Store))
        {
            var alice = await other.SignedInClientAsync("alice", OAuthTestServer.Password);
            var saved = await TestServer.PostFormAsync(alice, "/account/profile", new()
            {
                ["DisplayName"] = "Alice Elsewhere", ["Email"] = "alice@example.org", ["Website"] = "https://alice.example", ["Bio"] = "Edited on the other host.",
            });
            Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
            var cli = await CliRunner.RunAsync(other.Store, ["site", "create", "--slug", "orchard", "--title", "Orchard", "--owner", "alice"]);
            Assert.True(cli.ExitCode == 0, cli.ToString());
        }

        var profile = await ProfileAsync(tokens.AccessToken);
        Assert.Equal(("Alice Elsewhere", "alice@example.org", "https://alice.example", "Edited on the other host.", 3),
            (profile.GetProperty("display_name").GetString(), profile.GetProperty("email").GetString(), profile.GetProperty("website").GetString(),
                profile.GetProperty("bio").GetString(), profile.GetProperty("site_count").GetInt32()));
    }

    [Fact]
    public async Task UserProfile_ChangedBehindEveryHost_ShownWithinTheBound()
    {
        var (_, tokens) = await _s.ConnectAsync();
        await ProfileAsync(tokens.AccessToken);
        Assert.Equal("", (await ProfileAsync(tokens.AccessToken)).GetProperty("bio").GetString());

        // Each field the profile shows, written as another instance or plain SQL would: a write this process's EF Core never sees.
        await using (var scope = _s.Server.Services.CreateAsyncScope())
        {
            var connection = scope.ServiceProvider.GetRequiredService<PressDbContext>().Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE users SET display_name = 'Alice SQL', email = 'alice@sql.example', website = 'https://sql.example', bio = 'Written in SQL.' WHERE user_name = 'alice'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        // Within SharedAccessVersion.MaxAge (1 s) by design; bounded here with room for a slow machine.
        var within = Stopwatch.StartNew();
        JsonElement profile;
        while ((profile = await ProfileAsync(tokens.AccessToken)).GetProperty("bio").GetString() != "Written in SQL." && within.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(100);
        Assert.Equal(("Alice SQL", "alice@sql.example", "https://sql.example", "Written in SQL."),
            (profile.GetProperty("display_name").GetString(), profile.GetProperty("email").GetString(), profile.GetProperty("website").GetString(),
                profile.GetProperty("bio").GetString()));
    }
}
