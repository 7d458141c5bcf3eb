using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Authoring;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>
/// The authoring services against the database itself (test.sh runs these on SQLite and on PostgreSQL): revisions,
/// change records, term rules, comment writes and comment search visibility, in the SQL each provider runs.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class AuthoringStorageTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;
    private long _owner, _writer;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        await using var scope = _services.Scope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        _owner = (await accounts.CreateAsync(new NewUser("owner", "owner@example.com", "correct horse battery"))).Value!.Id;
        _writer = (await accounts.CreateAsync(new NewUser("writer", "writer@example.com", "correct horse battery"))).Value!.Id;
        var directory = scope.ServiceProvider.GetRequiredService<SiteDirectory>();
        _site = (await directory.CreateAsync(new NewSite("news", "News", "owner"))).Value!;
        Assert.True((await directory.SetMemberAsync(_site, "writer", Roles.Contributor)).Succeeded);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private static AbilityCall Call(IServiceProvider sp, Site site, long userId, string role) =>
        new(new McpCaller(userId, IsServerAdmin: false, new HashSet<string>(), null, "test", "test"), default, site, new SiteActor(userId, false, role), TimeProvider.System);

    private static PostEditor Posts(IServiceProvider sp, ContentLimits? limits = null) => new(sp.GetRequiredService<PressMcp.Sites.Abilities.SiteSettingsStore>(), sp.GetRequiredService<PressDbContext>(), sp.GetRequiredService<SiteSequences>(),
        sp.GetRequiredService<SiteUrls>(), new TermReferences(sp.GetRequiredService<PressDbContext>()), sp.GetRequiredService<StorageSettings>(), TimeProvider.System,
        limits ?? sp.GetRequiredService<ContentLimits>());

    private static CommentEditor Comments(IServiceProvider sp) => new(sp.GetRequiredService<PressDbContext>(), sp.GetRequiredService<SiteSequences>(),
        sp.GetRequiredService<StorageSettings>(), TimeProvider.System, sp.GetRequiredService<PressMcp.Sites.Abilities.SiteSettingsStore>());

    [Fact]
    public async Task CreateAndUpdate_ContentOrExcerptOverTheLimit_RefusedNamingIt_NothingWritten()
    {
        await using var scope = _services.Scope();
        var sp = scope.ServiceProvider;
        var limits = new ContentLimits { MaxContentLength = 1024 };
        var call = Call(sp, _site, _owner, Roles.Administrator);
        var db = sp.GetRequiredService<PressDbContext>();
        var before = await db.Posts.CountAsync(p => p.SiteId == _site.Id);

        var tooLong = await Posts(sp, limits).CreateAsync(call, PostTypes.Post,
            new PostChange { Title = "Long", Content = new string('x', 1025), Status = PostStatuses.Publish }, default);
        Assert.Equal(ErrorKind.Invalid, tooLong.Problem?.Kind);
        Assert.Equal("content: 1,025 characters is longer than the 1,024 characters a post may hold (Content:MaxContentLength)", tooLong.Problem!.Message);
        Assert.Equal(before, await db.Posts.CountAsync(p => p.SiteId == _site.Id));

        var atLimit = await Posts(sp, limits).CreateAsync(call with { CallId = Guid.NewGuid() }, PostTypes.Post,
            new PostChange { Title = "Exactly", Content = new string('x', 1024), Excerpt = new string('e', 1024), Status = PostStatuses.Publish }, default);
        Assert.True(atLimit.Succeeded, atLimit.Problem?.Message);

        var longExcerpt = await Posts(sp, limits).UpdateAsync(call with { CallId = Guid.NewGuid() }, PostTypes.Post, atLimit.Value!.Post.Id,
            new PostChange { Title = "Changed", Excerpt = new string('e', 2000) }, default);
        Assert.Equal("excerpt: 2,000 characters is longer than the 1,024 characters a post may hold (Content:MaxContentLength)", longExcerpt.Problem?.Message);
        await using var check = _services.Scope();
        var stored = await check.ServiceProvider.GetRequiredService<PressDbContext>().Posts.AsNoTracking()
            .SingleAsync(p => p.SiteId == _site.Id && p.Id == atLimit.Value.Post.Id);
        Assert.Equal(("Exactly", 1024), (stored.Title, stored.Excerpt.Length));
    }

    [Fact]
    public async Task CreateUpdateTrash_KeepRevisionsAndChangeRecords_RevisionsNotSearched()
    {
        await using var scope = _services.Scope();
        var sp = scope.ServiceProvider;
        var call = Call(sp, _site, _owner, Roles.Administrator);
        var created = await Posts(sp).CreateAsync(call, PostTypes.Post,
            new PostChange { Title = "Turnip report", Content = "turnips everywhere", Status = PostStatuses.Publish, Tags = [new(null, "Roots")] }, default);
        Assert.True(created.Succeeded, created.Problem?.Message);
        var id = created.Value!.Post.Id;

        var updated = await Posts(sp).UpdateAsync(call with { CallId = Guid.NewGuid() }, PostTypes.Post, id,
            new PostChange { Title = "Parsnip report", Content = "parsnips everywhere", Tags = [] }, default);
        Assert.True(updated.Succeeded, updated.Problem?.Message);

        // The full-text index holds revisions on PostgreSQL (a generated column on every row): search must still skip them.
        var search = sp.GetRequiredService<PostSearch>();
        var admin = ReadAccess.For(new SiteActor(_owner, false, Roles.Administrator));
        Assert.Equal(0, (await search.SearchAsync(_site.Id, new PostQuery { Text = "turnip" }, admin)).Value!.Total);
        Assert.Equal(1, (await search.SearchAsync(_site.Id, new PostQuery { Text = "parsnip" }, admin)).Value!.Total);

        var trashed = await Posts(sp).TrashAsync(call with { CallId = Guid.NewGuid() }, PostTypes.Post, id, default);
        Assert.True(trashed.Succeeded, trashed.Problem?.Message);

        await using var check = _services.Scope();
        var db = check.ServiceProvider.GetRequiredService<PressDbContext>();
        var revisions = await db.Posts.AsNoTracking().Where(p => p.SiteId == _site.Id && p.Type == PostTypes.Revision).OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(["Turnip report", "Parsnip report"], revisions.Select(r => r.Title));
        Assert.All(revisions, r => Assert.Equal((PostStatuses.Inherit, (long?)id), (r.Status, r.ParentId)));
        var changes = await db.ChangeRecords.AsNoTracking().Where(c => c.SiteId == _site.Id).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([("post", "create"), ("term", "create"), ("post", "update"), ("post", "update")], changes.Select(c => (c.ObjectType, c.Action)));
        var before = JsonDocument.Parse(changes[2].Before!).RootElement;
        Assert.Equal("Turnip report", before.GetProperty("title").GetString());
        Assert.Equal([changes[1].ObjectId], before.GetProperty("tag_ids").EnumerateArray().Select(t => t.GetInt64()));
        Assert.Equal(revisions[0].Id, changes[2].RevisionId);
        Assert.Equal("publish", JsonDocument.Parse(changes[3].Before!).RootElement.GetProperty("status").GetString());
        Assert.Empty(await db.PostTerms.Where(t => t.SiteId == _site.Id && t.PostId == id).ToListAsync());
    }

    [Fact]
    public async Task Contributor_GetsDraft_OthersPostsRefused_NothingWritten()
    {
        await using var scope = _services.Scope();
        var sp = scope.ServiceProvider;
        var writer = Call(sp, _site, _writer, Roles.Contributor);
        var draft = await Posts(sp).CreateAsync(writer, PostTypes.Post, new PostChange { Title = "Hopeful", Status = PostStatuses.Publish }, default);
        Assert.Equal(PostStatuses.Draft, draft.Value!.Post.Status);
        Assert.NotNull(draft.Value.Note);

        var owners = await Posts(sp).CreateAsync(Call(sp, _site, _owner, Roles.Administrator), PostTypes.Post, new PostChange { Title = "Owner's" }, default);
        var refused = await Posts(sp).UpdateAsync(writer with { CallId = Guid.NewGuid() }, PostTypes.Post, owners.Value!.Post.Id, new PostChange { Title = "Mine" }, default);
        Assert.Equal(ErrorKind.Forbidden, refused.Problem?.Kind);
        Assert.Contains(Caps.EditOthersPosts, refused.Problem!.Message, StringComparison.Ordinal);

        await using var check = _services.Scope();
        var db = check.ServiceProvider.GetRequiredService<PressDbContext>();
        Assert.Equal(2, await db.ChangeRecords.CountAsync());
        Assert.Equal("Owner's", await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == owners.Value.Post.Id).Select(p => p.Title).SingleAsync());
    }

    [Fact]
    public async Task Terms_SiblingNamesAndSlugs_AreUniqueCaseInsensitively()
    {
        await using var scope = _services.Scope();
        var sp = scope.ServiceProvider;
        var editor = new TermEditor(sp.GetRequiredService<PressDbContext>(), sp.GetRequiredService<SiteSequences>());
        var call = Call(sp, _site, _owner, Roles.Administrator);
        var fruit = await editor.CreateAsync(call, Taxonomies.Category, new NewTerm("Fruit", null, null, null), default);
        Assert.True(fruit.Succeeded);
        var dup = await editor.CreateAsync(call, Taxonomies.Category, new NewTerm("FRUIT", null, 0, null), default);
        Assert.Equal(ErrorKind.Conflict, dup.Problem?.Kind);
        var child = await editor.CreateAsync(call, Taxonomies.Category, new NewTerm("Fruit", null, fruit.Value!.Id, null), default);
        Assert.Equal("fruit-2", child.Value!.Slug);
        var slug = await editor.CreateAsync(call, Taxonomies.Tag, new NewTerm("Other", "fruit", null, null), default);
        Assert.True(slug.Succeeded, "tags and categories have separate slugs");
        Assert.Equal(ErrorKind.Conflict, (await editor.CreateAsync(call, Taxonomies.Tag, new NewTerm("Again", "fruit", null, null), default)).Problem?.Kind);
    }

    [Fact]
    public async Task Comments_ReplyModerateAndSearch_FollowWordPressVisibility()
    {
        await using var scope = _services.Scope();
        var sp = scope.ServiceProvider;
        var owner = Call(sp, _site, _owner, Roles.Administrator);
        var writer = Call(sp, _site, _writer, Roles.Contributor);
        var published = (await Posts(sp).CreateAsync(owner, PostTypes.Post, new PostChange { Title = "Open", Status = PostStatuses.Publish }, default)).Value!.Post;
        var ownDraft = (await Posts(sp).CreateAsync(writer, PostTypes.Post, new PostChange { Title = "Mine" }, default)).Value!.Post;

        var top = await Comments(sp).ReplyAsync(owner with { CallId = Guid.NewGuid() }, published.Id, null, "Welcome", default);
        Assert.Equal(CommentStatuses.Approved, top.Value!.Comment.Status);
        var reply = await Comments(sp).ReplyAsync(writer with { CallId = Guid.NewGuid() }, published.Id, top.Value.Comment.Id, "Thanks", default);
        Assert.Equal(CommentStatuses.Hold, reply.Value!.Comment.Status);
        var onDraft = await Comments(sp).ReplyAsync(writer with { CallId = Guid.NewGuid() }, ownDraft.Id, null, "Note to self", default);
        Assert.Equal(CommentStatuses.Approved, onDraft.Value!.Comment.Status); // the post's own author, as wp_allow_comment

        var moderated = await Comments(sp).ModerateAsync(owner with { CallId = Guid.NewGuid() }, reply.Value.Comment.Id, "approve", default);
        Assert.Equal(CommentStatuses.Hold, moderated.Value!.PreviousStatus);
        var refused = await Comments(sp).ModerateAsync(writer with { CallId = Guid.NewGuid() }, top.Value.Comment.Id, "spam", default);
        Assert.Equal(ErrorKind.Forbidden, refused.Problem?.Kind);

        await using var check = _services.Scope();
        var search = new CommentSearch(check.ServiceProvider.GetRequiredService<PressDbContext>());
        var asOwner = await search.SearchAsync(_site.Id, new SiteActor(_owner, false, Roles.Administrator), new CommentQuery(), default);
        // The owner may read the contributor's draft, so its comment is found too; the reply sits under its parent.
        Assert.Equal(3, asOwner.Total);
        Assert.Equal(2, asOwner.Threads.Count);
        var thread = asOwner.Threads.Single(t => t.Comment.Id == top.Value.Comment.Id);
        Assert.Equal(1, thread.Replies.Single().Depth);
        var asWriter = await search.SearchAsync(_site.Id, new SiteActor(_writer, false, Roles.Contributor), new CommentQuery { Text = "SELF" }, default);
        Assert.Equal(1, asWriter.Total);
        Assert.Equal(2, await check.ServiceProvider.GetRequiredService<PressDbContext>().Posts.Where(p => p.SiteId == _site.Id && p.Id == published.Id).Select(p => p.CommentCount).SingleAsync());
    }
}
