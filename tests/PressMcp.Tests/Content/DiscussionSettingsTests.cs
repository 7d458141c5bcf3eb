namespace PressMcp.Tests.Content;

/// <summary>The site's Discussion settings applied: comments on new posts, and which members' comments wait for moderation.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class DiscussionSettingsTests : IAsyncLifetime
{
    private AbilityHarness _s = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await AbilityHarness.StartAsync();
        await _s.EnableAsync("alice");
        await _s.AddMemberAsync("cora", "garden", "contributor");
        await _s.EnableAsync("cora");
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task SetAsync(string setting) =>
        Assert.Equal(0, (await CliRunner.RunAsync(_s.Server.Server.Store, "site", "update", "--site", "garden", "--set", setting)).ExitCode);

    [Fact]
    public async Task NewPost_CommentsFollowTheSitesDefault_UnlessAsked()
    {
        Assert.Equal("open", (await _s.OkAsync("alice", "posts/create", new { title = "Before" })).GetProperty("comment_status").GetString());
        await SetAsync("default_comment_status=closed");
        Assert.Equal("closed", (await _s.OkAsync("alice", "posts/create", new { title = "After" })).GetProperty("comment_status").GetString());
        Assert.Equal("open", (await _s.OkAsync("alice", "posts/create", new { title = "Asked", comment_status = "open" })).GetProperty("comment_status").GetString());
    }

    [Fact]
    public async Task MemberComment_HeldUntilOneIsApproved_AllHeldWhenTheSiteSaysSo()
    {
        var post = (await _s.OkAsync("alice", "posts/create", new { title = "Open for talk", status = "publish" })).GetProperty("id").GetInt64();
        var first = await _s.OkAsync("cora", "comments/reply", new { post_id = post, content = "First words" });
        Assert.Equal("pending", first.GetProperty("status").GetString());
        await _s.OkAsync("alice", "comments/moderate", new { comment_id = first.GetProperty("id").GetInt64(), status = "approve" });
        // A previously approved author is trusted (comment_previously_approved, on by default).
        Assert.Equal("approved", (await _s.OkAsync("cora", "comments/reply", new { post_id = post, content = "Second words" })).GetProperty("status").GetString());

        await SetAsync("comment_moderation=1");
        Assert.Equal("pending", (await _s.OkAsync("cora", "comments/reply", new { post_id = post, content = "Third words" })).GetProperty("status").GetString());

        await SetAsync("comment_moderation=0");
        await SetAsync("comment_previously_approved=0");
        await _s.AddMemberAsync("dan", "garden", "subscriber");
        await _s.EnableAsync("dan");
        Assert.Equal("approved", (await _s.OkAsync("dan", "comments/reply", new { post_id = post, content = "New voice" })).GetProperty("status").GetString());
    }
}
