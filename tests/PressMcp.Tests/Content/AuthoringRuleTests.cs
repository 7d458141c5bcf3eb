using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Authoring;

namespace PressMcp.Tests.Content;

/// <summary>The pure rules of authoring: who may publish, scheduling, comment threads.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class AuthoringRuleTests
{
    private static SiteActor As(string role) => new(7, IsServerAdmin: false, role);

    [Theory]
    [InlineData(Roles.Contributor, "post", null, null, "draft", false)]
    [InlineData(Roles.Contributor, "post", "pending", null, "pending", false)]
    [InlineData(Roles.Contributor, "post", "publish", null, "draft", true)]
    [InlineData(Roles.Contributor, "post", "future", null, "draft", true)]
    [InlineData(Roles.Contributor, "post", "private", null, "draft", true)]
    [InlineData(Roles.Contributor, "post", "publish", "pending", "pending", true)]
    [InlineData(Roles.Author, "post", "publish", null, "publish", false)]
    [InlineData(Roles.Author, "page", "publish", null, "draft", true)]
    [InlineData(Roles.Editor, "page", "private", "draft", "private", false)]
    [InlineData(Roles.Author, "post", null, "publish", "publish", false)]
    public void PublishRule_KeepsUnpublishedUnlessTheRoleMayPublish(string role, string type, string? requested, string? current, string expected, bool noted)
    {
        var decision = PublishRule.Decide(As(role), type, requested, current);
        Assert.Equal(expected, decision.Status);
        Assert.Equal(noted, decision.Note is not null);
        if (noted) Assert.Contains(type == "page" ? "publish_pages" : "publish_posts", decision.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishRule_ServerAdminMayPublishAnywhere()
    {
        Assert.Equal("publish", PublishRule.Decide(new SiteActor(1, IsServerAdmin: true, Role: null), "page", "publish", null).Status);
    }

    [Fact]
    public void Schedule_FutureDatePublishIsFuture_PastFutureIsPublish()
    {
        var now = new DateTime(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal("future", PublishRule.Schedule("publish", now.AddDays(1), now));
        Assert.Equal("publish", PublishRule.Schedule("future", now.AddDays(-1), now));
        Assert.Equal("draft", PublishRule.Schedule("draft", now.AddDays(1), now));
    }

    private static Comment C(long id, long? parent, int minute) =>
        new() { Id = id, ParentId = parent, PostId = 1, DateUtc = new DateTime(2026, 1, 1, 0, minute, 0, DateTimeKind.Utc) };

    [Fact]
    public void Threads_RepliesOnThePageNestUnderTheirParents_WithRealDepth()
    {
        // 1 ← 2 ← 3 and 1 ← 4 on the page; 6 replies to 5, which is not on the page.
        var page = new[] { C(4, 1, 4), C(3, 2, 3), C(2, 1, 2), C(1, null, 1), C(6, 5, 6) };
        var parents = page.ToDictionary(c => c.Id, c => c.ParentId);
        parents[5] = null;
        var threads = CommentThreads.Build(page, parents);

        Assert.Equal([1L, 6L], threads.Select(t => t.Comment.Id));
        var one = threads[0];
        Assert.Equal(0, one.Depth);
        Assert.Equal([2L, 4L], one.Replies.Select(r => r.Comment.Id));
        Assert.Equal(1, one.Replies[0].Depth);
        Assert.Equal(3, one.Replies[0].Replies.Single().Comment.Id);
        Assert.Equal(2, one.Replies[0].Replies.Single().Depth);
        // Its parent is elsewhere, but it is still a reply.
        Assert.Equal(1, threads[1].Depth);
    }

    [Fact]
    public void Threads_ACycleInStoredParents_IsShownOnceWithoutLooping()
    {
        var page = new[] { C(1, 2, 1), C(2, 1, 2) };
        var threads = CommentThreads.Build(page, page.ToDictionary(c => c.Id, c => c.ParentId));
        var all = threads.SelectMany(t => new[] { t }.Concat(t.Replies)).Select(t => t.Comment.Id).ToList();
        Assert.Equal([1L, 2L], all.Order());
        Assert.True(CommentThreads.DepthOf(1, page.ToDictionary(c => c.Id, c => c.ParentId)) <= 2);
    }
}
