using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Tests.Storage;

/// <summary>Storage behaviour; test.sh runs these on SQLite and again on a real PostgreSQL server.</summary>
[Trait(Category.Name, Category.Storage)]
public sealed class StorageTests : IAsyncLifetime
{
    private TestServices _services = null!;

    public async ValueTask InitializeAsync() => _services = await TestServices.CreateAsync();

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private async Task<(User Owner, Site Site)> SeedAsync(string slug = "news", string? host = null)
    {
        await using var scope = _services.Scope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var owner = (await accounts.FindByLoginAsync("owner"))
            ?? (await accounts.CreateAsync(new NewUser("owner", "owner@example.com", "correct horse battery"))).Value!;
        var site = await scope.ServiceProvider.GetRequiredService<SiteDirectory>().CreateAsync(new NewSite(slug, "News", "owner", host));
        Assert.True(site.Succeeded, site.Problem?.Message);
        return (owner, site.Value!);
    }

    [Fact]
    public async Task CreateSite_WithOwner_MakesOwnerAdministrator()
    {
        var (owner, site) = await SeedAsync();
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var member = await db.SiteMembers.SingleAsync(m => m.SiteId == site.Id);
        Assert.Equal(owner.Id, member.UserId);
        Assert.Equal(Roles.Administrator, member.Role);
        Assert.Equal("owner@example.com", (await db.SiteOptions.SingleAsync(o => o.SiteId == site.Id && o.Name == "admin_email")).Value);
        var stored = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == site.Id);
        Assert.Equal(DateTimeKind.Utc, stored.CreatedUtc.Kind);
        Assert.True(Math.Abs((stored.CreatedUtc - DateTime.UtcNow).TotalMinutes) < 5);
    }

    [Fact]
    public async Task CreateSite_DuplicateSlugOrHost_IsConflict()
    {
        await SeedAsync("news", "blog.example.com");
        await using var scope = _services.Scope();
        var sites = scope.ServiceProvider.GetRequiredService<SiteDirectory>();
        var dupSlug = await sites.CreateAsync(new NewSite("news", "Again", "owner"));
        Assert.Equal(ErrorKind.Conflict, dupSlug.Problem?.Kind);
        var dupHost = await sites.CreateAsync(new NewSite("other", "Other", "owner", "BLOG.example.com"));
        Assert.Equal(ErrorKind.Conflict, dupHost.Problem?.Kind);
    }

    [Fact]
    public async Task Database_EnforcesUniqueSlug_EvenWithoutTheService()
    {
        await SeedAsync("news");
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        db.Sites.Add(new Site { Slug = "news", Title = "Twin", CreatedUtc = DateTime.UtcNow });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task SiteResolver_FindsByIdSlugAndHost()
    {
        var (_, site) = await SeedAsync("news", "blog.example.com");
        await using var scope = _services.Scope();
        var resolver = scope.ServiceProvider.GetRequiredService<SiteResolver>();
        Assert.Equal(site.Id, (await resolver.ResolveAsync(site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Value?.Id);
        Assert.Equal(site.Id, (await resolver.ResolveAsync("news")).Value?.Id);
        Assert.Equal(site.Id, (await resolver.ResolveAsync("Blog.Example.com")).Value?.Id);
        var missing = await resolver.ResolveAsync("nope");
        Assert.Equal(ErrorKind.NotFound, missing.Problem?.Kind);
        Assert.Contains("'nope'", missing.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.NotFound, (await resolver.ResolveAsync("999999")).Problem?.Kind);
    }

    [Fact]
    public async Task SiteResolver_LookAlikeCharacters_AreNotFound()
    {
        // The Kelvin sign (U+212A) lower-cases to an ASCII "k": neither the slug nor the host may be reached through it.
        var (_, site) = await SeedAsync("kite", "kite.example.com");
        await using var scope = _services.Scope();
        var resolver = scope.ServiceProvider.GetRequiredService<SiteResolver>();
        foreach (var reference in new[] { "\u212Aite", "\u212Aite.example.com", "k\u0131te" })
        {
            Assert.Equal(ErrorKind.NotFound, (await resolver.ResolveAsync(reference)).Problem?.Kind);
            Assert.Equal(ErrorKind.NotFound, (await resolver.ResolveWithActorAsync(reference, 1, isServerAdmin: true)).Problem?.Kind);
        }
        Assert.Equal(site.Id, (await resolver.ResolveWithActorAsync("KITE", 1, isServerAdmin: true)).Value.Site.Id);
        Assert.Equal(site.Id, (await resolver.ResolveWithActorAsync("Kite.Example.com.", 1, isServerAdmin: true)).Value.Site.Id);
    }

    [Fact]
    public async Task SiteSequences_ConcurrentReservations_NeverRepeat()
    {
        var (_, site) = await SeedAsync();
        var tasks = Enumerable.Range(0, 16).Select(_ => _services.WithAsync(sp => sp.GetRequiredService<SiteSequences>().NextPostIdsAsync(site.Id, 3)));
        var firsts = await Task.WhenAll(tasks);
        var ids = firsts.SelectMany(f => new[] { f, f + 1, f + 2 }).ToList();
        Assert.Equal(48, ids.Distinct().Count());
        Assert.Equal(1, ids.Min());
        Assert.Equal(48, ids.Max());
    }

    [Fact]
    public async Task Posts_ArePerSite_WithRepeatedMetaTermsAndThreadedComments()
    {
        var (owner, site) = await SeedAsync("news");
        var (_, second) = await SeedAsync("sports");
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var seq = scope.ServiceProvider.GetRequiredService<SiteSequences>();
        var now = DateTime.UtcNow;

        // Both sites number their posts from 1.
        var id1 = await seq.NextPostIdsAsync(site.Id);
        var id2 = await seq.NextPostIdsAsync(second.Id);
        Assert.Equal(1, id1);
        Assert.Equal(1, id2);
        db.Posts.Add(new Post { SiteId = site.Id, Id = id1, Title = "Hello", Slug = "hello", AuthorId = owner.Id, Status = PostStatuses.Publish, DateUtc = now, ModifiedUtc = now });
        db.Posts.Add(new Post { SiteId = second.Id, Id = id2, Title = "Other", Slug = "hello", AuthorId = owner.Id, DateUtc = now, ModifiedUtc = now });
        db.PostMeta.Add(new PostMeta { SiteId = site.Id, PostId = id1, Key = "mood", Value = "happy" });
        db.PostMeta.Add(new PostMeta { SiteId = site.Id, PostId = id1, Key = "mood", Value = "curious" });
        var cat = await seq.NextTermIdsAsync(site.Id);
        var sub = await seq.NextTermIdsAsync(site.Id);
        db.Terms.Add(new Term { SiteId = site.Id, Id = cat, Taxonomy = Taxonomies.Category, Name = "Parent", Slug = "parent" });
        db.Terms.Add(new Term { SiteId = site.Id, Id = sub, Taxonomy = Taxonomies.Category, Name = "Child", Slug = "child", ParentId = cat });
        db.PostTerms.Add(new PostTerm { SiteId = site.Id, PostId = id1, TermId = sub });
        var c1 = await seq.NextCommentIdsAsync(site.Id);
        var c2 = await seq.NextCommentIdsAsync(site.Id);
        db.Comments.Add(new Comment { SiteId = site.Id, Id = c1, PostId = id1, AuthorName = "Ann", Content = "First", Status = CommentStatuses.Approved, DateUtc = now });
        db.Comments.Add(new Comment { SiteId = site.Id, Id = c2, PostId = id1, ParentId = c1, AuthorName = "Bob", Content = "Reply", Status = CommentStatuses.Hold, DateUtc = now });
        await db.SaveChangesAsync();

        db.ChangeTracker.Clear();
        Assert.Equal(["curious", "happy"], await db.PostMeta.Where(m => m.SiteId == site.Id && m.PostId == id1 && m.Key == "mood").Select(m => m.Value).OrderBy(v => v).ToListAsync());
        Assert.Equal(cat, (await db.Terms.SingleAsync(t => t.SiteId == site.Id && t.Id == sub)).ParentId);
        Assert.Equal(c1, (await db.Comments.SingleAsync(c => c.SiteId == site.Id && c.Id == c2)).ParentId);

        // Deleting the post removes its meta, terms links and comments, and nothing of the other site.
        db.Posts.Remove(await db.Posts.SingleAsync(p => p.SiteId == site.Id && p.Id == id1));
        await db.SaveChangesAsync();
        Assert.Equal(0, await db.Comments.CountAsync(c => c.SiteId == site.Id));
        Assert.Equal(0, await db.PostMeta.CountAsync(m => m.SiteId == site.Id));
        Assert.Equal(0, await db.PostTerms.CountAsync(pt => pt.SiteId == site.Id));
        Assert.Equal(2, await db.Terms.CountAsync(t => t.SiteId == site.Id));
        Assert.True(await db.Posts.AnyAsync(p => p.SiteId == second.Id && p.Id == id2));
    }

    [Fact]
    public async Task ContentStamp_GrowsWithTheSitesWrites_AndOnSqliteWithAnySitesWrite()
    {
        var (owner, site) = await SeedAsync("news");
        var (_, second) = await SeedAsync("sports");
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var seq = scope.ServiceProvider.GetRequiredService<SiteSequences>();
        var sqlite = db.Database.IsSqlite();
        async Task<ContentStamp> StampAsync(long siteId) =>
            await ContentVersion.ReadCommittedStampAsync(db, siteId, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("no stamp");
        async Task WriteAsync(long siteId)
        {
            var now = DateTime.UtcNow;
            db.Posts.Add(new Post { SiteId = siteId, Id = await seq.NextPostIdsAsync(siteId), Title = "Hello", Slug = "hello", AuthorId = owner.Id, Status = PostStatuses.Publish, DateUtc = now, ModifiedUtc = now });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var before = await StampAsync(site.Id);
        await WriteAsync(second.Id);
        var afterOther = await StampAsync(site.Id);
        // SQLite's bm25 statistics are the whole table's, so another site's write changes this site's stamp; PostgreSQL's
        // ranking reads one post, so it must not (its held lists stay).
        if (sqlite) Assert.NotEqual(before, afterOther);
        else Assert.Equal(before, afterOther);
        await WriteAsync(site.Id);
        var afterOwn = await StampAsync(site.Id);
        Assert.True(afterOwn.Site > afterOther.Site);
        Assert.NotEqual(afterOther, afterOwn);
    }

    [Theory]
    [InlineData("Host=db;Username=press", StorageSettings.PostgresAutoPrepared, true)]
    [InlineData("Host=db;Username=press;Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    [InlineData("Host=db;Username=press;MaxAutoPrepare=5;noresetonclose=false", 5, false)]
    public void PostgresConnectionString_PreparesAndKeepsConnections_UnlessTheOperatorSays(string given, int prepared, bool noReset)
    {
        var settings = new StorageSettings("/tmp/unused", DatabaseProvider.Postgres, given);
        var built = new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(prepared, built.MaxAutoPrepare);
        Assert.Equal(noReset, built.NoResetOnClose);
        Assert.Equal("db", built.Host);
        Assert.Equal("press", built.Username);
    }

    [Fact]
    public async Task DeletingAFolder_UnassignsMedia_NeverDeletesThem()
    {
        var (owner, site) = await SeedAsync();
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var id = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(site.Id);
        var folder = new MediaFolder { SiteId = site.Id, Name = "Photos", CreatedUtc = DateTime.UtcNow };
        db.MediaFolders.Add(folder);
        await db.SaveChangesAsync();
        db.Posts.Add(new Post { SiteId = site.Id, Id = id, Type = PostTypes.Attachment, Status = PostStatuses.Inherit, Title = "cat.jpg", MimeType = "image/jpeg", AuthorId = owner.Id, DateUtc = DateTime.UtcNow, ModifiedUtc = DateTime.UtcNow });
        db.MediaFiles.Add(new MediaFile { SiteId = site.Id, PostId = id, FileName = "cat.jpg", SizeBytes = 10, Width = 2, Height = 1, FolderId = folder.Id });
        await db.SaveChangesAsync();

        db.MediaFolders.Remove(folder);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var media = await db.MediaFiles.SingleAsync(m => m.SiteId == site.Id && m.PostId == id);
        Assert.Null(media.FolderId);
    }

    [Fact]
    public async Task DeletingASite_RemovesItsContentAndMemberships()
    {
        var (owner, site) = await SeedAsync();
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var id = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(site.Id);
        db.Posts.Add(new Post { SiteId = site.Id, Id = id, Title = "x", AuthorId = owner.Id, DateUtc = DateTime.UtcNow, ModifiedUtc = DateTime.UtcNow });
        db.SiteDailyViews.Add(new SiteDailyViews { SiteId = site.Id, Day = new DateOnly(2026, 1, 1), Views = 3 });
        await db.SaveChangesAsync();
        db.Sites.Remove(await db.Sites.SingleAsync(s => s.Id == site.Id));
        await db.SaveChangesAsync();
        Assert.False(await db.Posts.AnyAsync());
        Assert.False(await db.SiteMembers.AnyAsync());
        Assert.False(await db.SiteDailyViews.AnyAsync());
        Assert.True(await db.Users.AnyAsync(u => u.Id == owner.Id));
    }

    [Fact]
    public async Task Passwords_AreHashed_AndLockoutIsStoredInTheDatabase()
    {
        var (owner, _) = await SeedAsync();
        await using var scope = _services.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = (await users.FindByNameAsync("owner"))!;
        Assert.DoesNotContain("correct horse battery", user.PasswordHash!, StringComparison.Ordinal);
        Assert.True(await users.CheckPasswordAsync(user, "correct horse battery"));
        for (var i = 0; i < 5; i++) await users.AccessFailedAsync(user);

        // A fresh scope (as another instance would) sees the lockout.
        await using var other = _services.Scope();
        var reread = (await other.ServiceProvider.GetRequiredService<UserManager<User>>().FindByIdAsync(owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        Assert.True(await other.ServiceProvider.GetRequiredService<UserManager<User>>().IsLockedOutAsync(reread));
    }

    [Fact]
    public async Task Members_RoleChangesAndLastAdministratorIsProtected()
    {
        var (_, site) = await SeedAsync();
        await using var scope = _services.Scope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var sites = scope.ServiceProvider.GetRequiredService<SiteDirectory>();
        await accounts.CreateAsync(new NewUser("writer", "writer@example.com", "another long password"));

        Assert.Equal(Roles.Author, (await sites.SetMemberAsync(site, "writer", Roles.Author)).Value?.Role);
        Assert.Equal(Roles.Editor, (await sites.SetMemberAsync(site, "writer", Roles.Editor)).Value?.Role);
        Assert.Equal(ErrorKind.Invalid, (await sites.SetMemberAsync(site, "writer", "overlord")).Problem?.Kind);
        Assert.Equal(ErrorKind.Conflict, (await sites.SetMemberAsync(site, "owner", Roles.Editor)).Problem?.Kind);
        Assert.Equal(ErrorKind.Conflict, (await sites.RemoveMemberAsync(site, "owner")).Problem?.Kind);
        Assert.True((await sites.RemoveMemberAsync(site, "writer")).Succeeded);

        var members = await sites.MembersOfAsync(site.Id);
        Assert.Equal(["owner"], members.Select(m => m.Login));
        var actor = await scope.ServiceProvider.GetRequiredService<SiteResolver>().ActorAsync((await accounts.FindByLoginAsync("writer"))!, site.Id);
        Assert.Null(actor.Role);
    }

    [Fact]
    public async Task BulkInsert_StoresValuesAsEfCoreDoes()
    {
        // The bulk path (imports, the demo) binds values itself on SQLite: dates, booleans and nulls must be stored as EF
        // Core stores them, or date filters and ordering would treat the two kinds of rows differently.
        var (owner, site) = await SeedAsync();
        var date = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var withTicks = date.AddTicks(1_234_500);
        await using var scope = _services.Scope();
        var written = await new ContentSeed(scope.ServiceProvider).CreateAsync(site,
            new NewPost { Title = "By EF", Content = "x", Status = PostStatuses.Publish, AuthorId = owner.Id, DateUtc = date });
        Assert.True(written.Succeeded, written.Problem?.Message);
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var ef = await db.Posts.SingleAsync(p => p.SiteId == site.Id && p.Id == written.Value!.Id);
        ef.ModifiedUtc = withTicks;
        ef.Sticky = true; // written by EF Core (an agent cannot make a post sticky; only an import, which is the bulk path)
        await db.SaveChangesAsync();
        var bulkId = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(site.Id);
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await using (var insert = new BulkInsert<Post>(ContextConnection.TransactionOf(db), EntityTable<Post>.Of(db)))
            {
                await insert.AddAsync(new Post
                {
                    SiteId = site.Id, Id = bulkId, Type = ef.Type, Status = ef.Status, Title = "By bulk", Content = "x", Excerpt = "", Slug = "by-bulk",
                    AuthorId = owner.Id, DateUtc = date, ModifiedUtc = withTicks, ParentId = null, MenuOrder = 0, Sticky = true, CommentStatus = ef.CommentStatus,
                    PingStatus = ef.PingStatus, Format = ef.Format, Password = "", MimeType = null, Guid = "bulk-guid", CommentCount = 0,
                }, default);
            }
            await tx.CommitAsync();
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT date_utc, modified_utc, sticky, parent_id, mime_type FROM posts WHERE site_id = {site.Id} AND id IN ({ef.Id}, {bulkId}) ORDER BY id";
        var rows = new List<object[]>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                rows.Add(row);
            }
        }
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0], rows[1]);
        // And EF Core's own comparisons find both rows alike.
        Assert.Equal(2, await db.Posts.CountAsync(p => p.SiteId == site.Id && p.DateUtc == date && p.ModifiedUtc >= withTicks && p.Sticky));
    }
}
