using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Tests.Accounts;

/// <summary><c>/account/profile</c> and <c>user/update-profile</c>: the fields saved, each refusal naming what was wrong and changing nothing.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ProfilePageTests : IAsyncLifetime
{
    private const string Page = "/account/profile";
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task Profile_Save_ChangesTheFields_ShownOnPostsAndByUserProfile()
    {
        var alice = await _s.AliceAsync();
        var saved = await TestServer.PostFormAsync(alice, Page, new()
        {
            ["DisplayName"] = "  Alice Gardener ", ["Email"] = "Alice.New@Example.com", ["Website"] = "https://alice.example", ["Bio"] = "Grows tomatoes.\r\nWrites about them.",
        });
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        var page = TestServer.Parse(await alice.GetStringAsync(saved.Headers.Location!.ToString()));
        Assert.Equal("Your profile was saved.", page.QuerySelector("[role=status]")!.TextContent);
        Assert.Equal("Alice Gardener", page.QuerySelector("#display-name")!.GetAttribute("value"));
        Assert.Equal("Grows tomatoes.\nWrites about them.", page.QuerySelector("#bio")!.TextContent);

        using var scope = _s.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "alice");
        Assert.Equal(("Alice.New@Example.com", "ALICE.NEW@EXAMPLE.COM"), (user.Email, user.NormalizedEmail));
        // Sign-in by the new e-mail works; the session that saved stays signed in.
        await _s.Server.SignedInClientAsync("alice.new@example.com", OAuthTestServer.Password);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(Page)).StatusCode);

        var profile = await scope.ServiceProvider.GetRequiredService<PersonCalls>().RunAsync(new SiteActor(user.Id, false, null), UserProfileAbility.Name, [], "test", default);
        Assert.True(profile.Succeeded, profile.Message);
        Assert.Equal(("Alice Gardener", "https://alice.example", "Grows tomatoes.\nWrites about them.", 2),
            (profile.Value.GetProperty("display_name").GetString(), profile.Value.GetProperty("website").GetString(), profile.Value.GetProperty("bio").GetString(), profile.Value.GetProperty("site_count").GetInt32()));

        await _s.Server.Services.GetRequiredService<PressMcp.Activity.ActivityFlusher>().FlushAsync();
        var entry = await db.ActivityLog.AsNoTracking().SingleAsync(a => a.Ability == UpdateProfileAbility.Name);
        Assert.Equal((user.Id, PersonCalls.Endpoint, "profile: save", CallOutcome.Succeeded), (entry.UserId, entry.Endpoint, entry.Tool, entry.Outcome));
    }

    [Theory]
    [InlineData("Alice", "alice@example.com", "ftp://alice.example", "", "website: an address starting with https:// or http://")]
    [InlineData("Alice", "alice@example.com", "", "LONG", "biographical info: at most 5,000 characters")]
    [InlineData("Alice", "bob@example.com", "", "", "e-mail: 'bob@example.com' is already used by another account")]
    [InlineData("Alice", "not an address", "", "", "e-mail: 'not an address' is not a valid e-mail address")]
    [InlineData(" ", "alice@example.com", "", "", "display name: enter the name to show on posts and comments")]
    public async Task Profile_Invalid_SaysWhatWasWrong_AndChangesNothing(string name, string email, string website, string bio, string message)
    {
        var alice = await _s.AliceAsync();
        var refused = await TestServer.PostFormAsync(alice, Page, new()
        {
            ["DisplayName"] = name, ["Email"] = email, ["Website"] = website, ["Bio"] = bio == "LONG" ? new string('b', UserProfileRules.MaxBioLength + 1) : bio,
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(message, TestServer.Parse(await refused.Content.ReadAsStringAsync()).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        using var scope = _s.Server.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Users.AsNoTracking().SingleAsync(u => u.UserName == "alice");
        Assert.Equal(("alice", "alice@example.com", "", ""), (user.DisplayName, user.Email, user.Website, user.Bio));
    }
}
