using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Import;
using PressMcp.Media;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Tests.Storage.Sql;

/// <summary>
/// The tables written and read by hand (bulk inserts, the import's INSERT … SELECT, a results page's reads) use the EF
/// model's columns: the same names, all of them, the database has them, and every value goes in and comes back as
/// EF Core stores and reads it, on SQLite and PostgreSQL.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class EntityTableTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        _site = await _services.CreateNewsSiteAsync();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Columns_OfEveryTableWrittenByHand_AreTheModelsAndInTheDatabase()
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await AssertModelColumnsAsync<Post>(db);
        await AssertModelColumnsAsync<Term>(db);
        await AssertModelColumnsAsync<PostTerm>(db);
        await AssertModelColumnsAsync<PostMeta>(db);
        await AssertModelColumnsAsync<Comment>(db);
        await AssertModelColumnsAsync<ImportKey>(db);
        await AssertModelColumnsAsync<MediaFile>(db);
        await AssertModelColumnsAsync<ActivityEntry>(db);
        // Identity keys are the database's to give: read, never inserted.
        Assert.Contains("id", EntityTable<PostMeta>.Of(db).Columns);
        Assert.DoesNotContain("id", EntityTable<PostMeta>.Of(db).InsertColumns);
        Assert.DoesNotContain("id", EntityTable<ActivityEntry>.Of(db).InsertColumns);
        // Keys the code assigns (per-site post ids) are inserted.
        Assert.Contains("id", EntityTable<Post>.Of(db).InsertColumns);
        // Built once per model.
        Assert.Same(EntityTable<Post>.Of(db), EntityTable<Post>.Of(db.Model));
        // SQLite's stored search text is written with the post; its generated facets column never is (SQLite refuses a
        // value for it). Neither is read into a Post, and PostgreSQL's model has none of them.
        var posts = EntityTable<Post>.Of(db);
        string[] searchText = ["excerpt_text", "content_text"];
        if (_services.Store.IsPostgres)
            Assert.All(searchText.Append("search_facets"), c => Assert.DoesNotContain(c, posts.InsertColumns.Concat(posts.Columns)));
        else
            Assert.All(searchText, c => Assert.Contains(c, posts.InsertColumns));
        Assert.DoesNotContain("search_facets", posts.InsertColumns);
        Assert.All(searchText.Append("search_facets"), c => Assert.DoesNotContain(c, posts.Columns));
    }

    [Fact]
    public async Task BulkInsert_RowsOfEveryTable_ReadBackAsEfCoreReadsThem()
    {
        var at = new DateTime(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(123_450);
        var author = await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Users.Select(u => u.Id).FirstAsync());
        var post = new Post
        {
            SiteId = _site.Id, Id = 501, Type = PostTypes.Attachment, Status = PostStatuses.Inherit, Title = "Ünïcode ✓", Content = "<p>x</p>", Excerpt = "e",
            Slug = "s", AuthorId = author, DateUtc = at, ModifiedUtc = at.AddDays(1), ParentId = 7, MenuOrder = -2, Sticky = true, CommentStatus = "closed",
            PingStatus = "open", Format = "aside", Password = "pw", MimeType = "image/png", Guid = "g501", CommentCount = 3,
        };
        var plain = new Post { SiteId = _site.Id, Id = 502, Title = "plain", Slug = "plain", DateUtc = at, ModifiedUtc = at, Guid = "g502" };
        var term = new PostTerm { SiteId = _site.Id, PostId = 501, TermId = await CategoryAsync() };
        var meta = new PostMeta { SiteId = _site.Id, PostId = 501, Key = "mood", Value = "calm «quoted»" };
        var comments = new[]
        {
            new Comment { SiteId = _site.Id, Id = 61, PostId = 501, AuthorName = "Ann", AuthorEmail = "a@example.com", AuthorUrl = "https://a.example",
                AuthorIp = "127.0.0.1", UserId = author, DateUtc = at, Content = "first", Status = CommentStatuses.Approved, Type = "comment" },
            new Comment { SiteId = _site.Id, Id = 62, PostId = 501, ParentId = 61, DateUtc = at.AddHours(1), Content = "reply" },
        };
        var key = new ImportKey { SiteId = _site.Id, Kind = ImportKinds.Post, SourceKey = "12 http://old.example/?p=12", LocalId = 501 };
        var media = new MediaFile { SiteId = _site.Id, PostId = 501, SourceUrl = "https://old.example/a.png", FileName = "a.png", SizeBytes = 1234, Width = 40,
            Height = 30, AltText = "an «a»" };

        await _services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            // Batches of two on PostgreSQL: a full batch and a remainder written by FlushAsync.
            await InsertAsync(db, post, plain);
            await InsertAsync(db, term);
            await InsertAsync(db, meta);
            await InsertAsync(db, comments);
            await InsertAsync(db, key);
            await InsertAsync(db, media);
            await tx.CommitAsync();
            return 0;
        });

        await _services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            AssertSame(post, await db.Posts.AsNoTracking().SingleAsync(p => p.SiteId == _site.Id && p.Id == 501));
            AssertSame(plain, await db.Posts.AsNoTracking().SingleAsync(p => p.SiteId == _site.Id && p.Id == 502));
            AssertSame(term, await db.PostTerms.AsNoTracking().SingleAsync(t => t.SiteId == _site.Id && t.PostId == 501));
            AssertSame(meta, await db.PostMeta.AsNoTracking().SingleAsync(m => m.SiteId == _site.Id && m.PostId == 501), nameof(PostMeta.Id));
            foreach (var c in comments) AssertSame(c, await db.Comments.AsNoTracking().SingleAsync(x => x.SiteId == _site.Id && x.Id == c.Id));
            AssertSame(key, await db.ImportKeys.AsNoTracking().SingleAsync(k => k.SiteId == _site.Id && k.LocalId == 501));
            AssertSame(media, await db.MediaFiles.AsNoTracking().SingleAsync(m => m.SiteId == _site.Id && m.PostId == 501));
            // And the model's reader (PostRows) reads what was written.
            AssertSame(post, (await PostRows.ByIdsAsync(db, _site.Id, [501], default)).Single());
            return 0;
        });
        if (!_services.Store.IsPostgres)
        {
            // SQLite's stored search text, as SaveChanges writes it (SearchText.Fill): stripped, or NULL when unchanged.
            Assert.NotNull(SearchText.Of(post.Content));
            Assert.Equal((null, SearchText.Of(post.Content)), await SearchTextAsync(501));
            Assert.Equal((null, null), await SearchTextAsync(502));
        }
    }

    private Task<(string? Excerpt, string? Content)> SearchTextAsync(long id) => _services.WithAsync(async sp =>
    {
        var text = await sp.GetRequiredService<PressDbContext>().Posts.Where(p => p.SiteId == _site.Id && p.Id == id)
            .Select(p => new { Excerpt = EF.Property<string?>(p, SearchText.ExcerptTextProperty), Content = EF.Property<string?>(p, SearchText.ContentTextProperty) }).SingleAsync();
        return (text.Excerpt, text.Content);
    });

    [Fact]
    public async Task InsertSelect_ColumnWithoutSourceOrUnknownSource_IsRefused()
    {
        await using var scope = _services.Scope();
        var table = EntityTable<PostTerm>.Of(scope.ServiceProvider.GetRequiredService<PressDbContext>());

        var missing = Assert.Throws<InvalidOperationException>(() => table.InsertSelect("main.", new Dictionary<string, string>
        {
            [nameof(PostTerm.SiteId)] = "$site", [nameof(PostTerm.PostId)] = "n.local_id",
        }));
        Assert.Contains(nameof(PostTerm.TermId), missing.Message);

        var unknown = Assert.Throws<InvalidOperationException>(() => table.InsertSelect("main.", new Dictionary<string, string>
        {
            [nameof(PostTerm.SiteId)] = "$site", [nameof(PostTerm.PostId)] = "n.local_id", [nameof(PostTerm.TermId)] = "t.term_id", ["Weight"] = "1",
        }));
        Assert.Contains("Weight", unknown.Message);

        Assert.Equal("INSERT INTO main.post_terms (site_id, post_id, term_id) SELECT DISTINCT $site, n.local_id, t.term_id", table.InsertSelect("main.",
            new Dictionary<string, string> { [nameof(PostTerm.TermId)] = "t.term_id", [nameof(PostTerm.PostId)] = "n.local_id", [nameof(PostTerm.SiteId)] = "$site" },
            distinct: true));
    }

    [Fact]
    public async Task StagedInserts_EveryStatement_WritesEveryColumnOfItsTable()
    {
        // The import's INSERT … SELECT statements name a source for each column of the model; a column added to an
        // entity without one makes these throw here, not in a user's import.
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        Assert.StartsWith(Into<Post>(db), StagedInserts.InsertPosts(db));
        if (!_services.Store.IsPostgres)
            Assert.All([SearchText.OfSql("i.excerpt"), SearchText.OfSql("i.content")], source => Assert.Contains(source, StagedInserts.InsertPosts(db)));
        Assert.StartsWith(Into<ImportKey>(db), StagedInserts.InsertKeys(db, "i.source_key", "n.local_id"));
        Assert.StartsWith(Into<PostTerm>(db), StagedInserts.InsertPostTerms(db));
        Assert.StartsWith(Into<PostMeta>(db), StagedInserts.InsertMeta(db));
        Assert.StartsWith(Into<Comment>(db), StagedInserts.InsertComments(db));
    }

    private static string Into<T>(PressDbContext db) where T : class
    {
        var table = EntityTable<T>.Of(db);
        return $"INSERT INTO main.{table.Name} ({string.Join(", ", table.InsertColumns)}) SELECT ";
    }

    private async Task<long> CategoryAsync() => await _services.WithAsync(async sp =>
    {
        var db = sp.GetRequiredService<PressDbContext>();
        db.Terms.Add(new Term { SiteId = _site.Id, Id = 900, Taxonomy = Taxonomies.Category, Name = "Food", Slug = "food" });
        await db.SaveChangesAsync();
        return 900L;
    });

    private static async Task InsertAsync<T>(PressDbContext db, params T[] rows) where T : class
    {
        await using var insert = new BulkInsert<T>(ContextConnection.TransactionOf(db), EntityTable<T>.Of(db), batchRows: 2);
        foreach (var row in rows) await insert.AddAsync(row, default);
        await insert.FlushAsync(default);
    }

    private static void AssertSame<T>(T expected, T actual, params string[] except)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanWrite && !except.Contains(p.Name)))
            Assert.True(Equals(property.GetValue(expected), property.GetValue(actual)),
                $"{typeof(T).Name}.{property.Name}: wrote {property.GetValue(expected)}, read {property.GetValue(actual)}");
    }

    private static async Task AssertModelColumnsAsync<T>(PressDbContext db) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = EntityTable<T>.Of(db);
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        Assert.Equal(entity.GetTableName(), table.Name);
        Assert.Equal(entity.GetProperties().Where(p => p.PropertyInfo is not null).Select(p => p.GetColumnName(store)!).Order(), table.Columns.Order());
        Assert.Equal(entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never && p.GetComputedColumnSql() is null)
            .Select(p => p.GetColumnName(store)!).Order(), table.InsertColumns.Order());
        Assert.Equal(string.Join(", ", table.Columns), table.ColumnList);
        var stored = await DatabaseColumnsAsync(db, table.Name);
        Assert.All(table.Columns.Concat(table.InsertColumns), c => Assert.Contains(c, stored));
    }

    private static async Task<HashSet<string>> DatabaseColumnsAsync(PressDbContext db, string table)
    {
        await using var connection = await ContextConnection.OpenAsync(db, default);
        await using var command = connection.Command(connection.IsSqlite
            ? "SELECT name FROM pragma_table_info(@t)"
            : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t");
        command.AddParameter("@t", table);
        var names = new HashSet<string>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        Assert.NotEmpty(names);
        return names;
    }
}
