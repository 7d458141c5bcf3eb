using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Abilities;
using PressMcp.Content.Authoring;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>The mark an agent's write leaves on a post (the app's name for the people's lists), and a person's save clearing it.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AgentMarkerTests : IAsyncLifetime
{
    private AbilityHarness _s = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await AbilityHarness.StartAsync();
        await _s.EnableAsync("alice");
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<string?> MarkAsync(long postId)
    {
        await using var scope = _s.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        return await db.PostMeta.Where(m => m.PostId == postId && m.Key == AgentMarker.MetaKey).Select(m => m.Value).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task AgentWrite_MarksThePost_PersonSave_ClearsIt_AgentUpdate_MarksAgain()
    {
        var created = await _s.OkAsync("alice", PostWriteAbilities.CreatePost, new { wpcom_site = "garden", title = "Drafted by an agent" });
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("app-password:harness", await MarkAsync(id));

        await using (var scope = _s.Services.CreateAsyncScope())
        {
            var garden = (await scope.ServiceProvider.GetRequiredService<SiteResolver>().ResolveAsync("garden")).Value!;
            var person = new SiteActor(await _s.UserIdAsync("alice"), false, Roles.Administrator);
            var saved = await scope.ServiceProvider.GetRequiredService<PersonCalls>().RunAsync(person, garden, PostWriteAbilities.UpdatePost,
                new JsonObject { ["post_id"] = id, ["title"] = "Reviewed by a person" }, "editor: save", default);
            Assert.True(saved.Succeeded, saved.Message);
        }
        Assert.Null(await MarkAsync(id));

        await _s.OkAsync("alice", PostWriteAbilities.UpdatePost, new { wpcom_site = "garden", post_id = id, content = "<p>More from the agent</p>" });
        Assert.Equal("app-password:harness", await MarkAsync(id));
    }
}
