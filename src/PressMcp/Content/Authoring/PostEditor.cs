using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Content.Authoring;

/// <summary>What a create or update asks for; null leaves a field as it is (or at its default for a new post).</summary>
internal sealed record PostChange
{
    public string? Title { get; init; }
    public string? Content { get; init; }
    public string? Excerpt { get; init; }
    public string? Status { get; init; }
    public string? Slug { get; init; }
    public DateTime? DateUtc { get; init; }
    /// <summary>The date as a wall-clock time on the site, when it was given without an offset; read in the site's time zone.</summary>
    public DateTime? SiteDate { get; init; }
    public IReadOnlyList<TermReference>? Categories { get; init; }
    public IReadOnlyList<TermReference>? Tags { get; init; }
    public string? CommentStatus { get; init; }
    /// <summary>Pages only; 0 puts the page at the top level.</summary>
    public long? ParentId { get; init; }
    public int? MenuOrder { get; init; }
    /// <summary>Posts only: kept at the top of the home page (WordPress's sticky posts).</summary>
    public bool? Sticky { get; init; }
    /// <summary>The featured image, an image attachment of the site (post meta <c>_thumbnail_id</c>); 0 removes it.</summary>
    public long? FeaturedMedia { get; init; }
    /// <summary>Custom fields to set (key → value) or delete (null value); keys starting with <c>_</c> are WordPress's own and refused.</summary>
    public IReadOnlyDictionary<string, string?>? Meta { get; init; }
}

/// <summary>The post after a write, what to tell the caller, and the revision that holds the previous version.</summary>
internal sealed record PostEdit(Post Post, string? Note, long? RevisionId);

/// <summary>
/// Creates, updates and trashes posts and pages for abilities. Each write is one transaction holding the post, its
/// terms, any tags created with it, the revision with the previous version (updates) and the
/// <see cref="Activity.ChangeRecord"/>s that reverse it (docs/architecture.md lists what each holds). Permission is
/// checked here against the post itself (edit_post, delete_post and the publish rule); the ability's own
/// capability and the MCP layers were checked before.
/// </summary>
internal sealed class PostEditor(Sites.Abilities.SiteSettingsStore settings, PressDbContext db, SiteSequences sequences, SiteUrls urls, TermReferences terms, StorageSettings storage, TimeProvider clock, ContentLimits limits)
{
    public const string ObjectType = "post";

    private static DateTime? GivenDate(Site site, PostChange change) =>
        change.DateUtc ?? (change.SiteDate is { } local ? SiteTime.ToUtc(site, local) : null);

    public async Task<Outcome<PostEdit>> CreateAsync(AbilityCall call, string type, PostChange change, CancellationToken ct)
    {
        var site = call.Site!;
        var actor = call.Actor!;
        var now = clock.GetUtcNow().UtcDateTime;
        if (TooLong(change) is { } tooLong) return tooLong;
        if (PostExtras.CheckMeta(change.Meta) is { } badMeta) return badMeta;
        if (PostExtras.CheckSticky(actor, type, change.Sticky) is { } badSticky) return badSticky;
        var decision = PublishRule.Decide(actor, type, change.Status, current: null);
        var given = GivenDate(site, change);
        if (change.Status == PostStatuses.Future && given is null) return Problem.Invalid("status future needs a date (when to publish)");
        var date = given ?? now;
        var status = PublishRule.Schedule(decision.Status, date, now);
        var categories = await ResolveAsync(call, Taxonomies.Category, change.Categories, ct);
        if (!categories.Succeeded) return categories.Problem!;
        var tags = await ResolveAsync(call, Taxonomies.Tag, change.Tags, ct);
        if (!tags.Succeeded) return tags.Problem!;
        if (change.ParentId is > 0 and var parent && !await db.Posts.AnyAsync(p => p.SiteId == site.Id && p.Id == parent && p.Type == PostTypes.Page && p.Status != PostStatuses.Trash, ct))
            return Problem.Invalid($"parent: there is no page {parent} on this site");
        if (await PostExtras.CheckFeaturedAsync(db, site.Id, change.FeaturedMedia, ct) is { } badImage) return badImage;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (slug, slugNote) = await SlugAsync(site.Id, type, change.Slug, change.Title!, exceptId: null, ct);
        var id = await sequences.NextPostIdsAsync(site.Id, 1, ct);
        var post = new Post
        {
            SiteId = site.Id,
            Id = id,
            Type = type,
            Status = status,
            Title = change.Title!.Trim(),
            Content = change.Content ?? "",
            Excerpt = change.Excerpt ?? "",
            Slug = slug,
            AuthorId = actor.UserId,
            DateUtc = date,
            ModifiedUtc = now,
            ParentId = change.ParentId is > 0 ? change.ParentId : null,
            MenuOrder = change.MenuOrder ?? 0,
            // As WordPress: a new post's comments are open or closed as the site's Discussion settings say, unless asked.
            CommentStatus = change.CommentStatus ?? await settings.OptionAsync(site.Id, "default_comment_status", ct),
            Sticky = change.Sticky ?? false,
            Guid = $"{urls.BaseOf(site)}/?p={id}",
        };
        db.Posts.Add(post);
        if (await PostExtras.ApplyAsync(db, site.Id, id, change, [], ct) is { } metaProblem) return metaProblem;
        db.ChangeRecords.Add(call.Change(ObjectType, id, "create"));
        await AgentMarker.MarkAsync(db, call, id, ct);
        var termIds = await AddNewTermsAsync(call, categories.Value, tags.Value, ct);
        foreach (var termId in termIds.Distinct())
            db.PostTerms.Add(new PostTerm { SiteId = site.Id, PostId = id, TermId = termId });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<PostEdit>.Ok(new PostEdit(post, Join(decision.Note, slugNote), null));
    }

    /// <summary>
    /// Content and excerpt longer than <see cref="ContentLimits.MaxContentLength"/> are refused before anything is
    /// written: every view of a post costs time in its length, so one author must not be able to make it unbounded.
    /// </summary>
    private Problem? TooLong(PostChange change)
    {
        if (change.Content is { } content && content.Length > limits.MaxContentLength)
            return Problem.Invalid($"content: {Characters(content.Length)} is longer than the {limits.MaxContentText} a post may hold ({ContentLimits.ConfigurationKey})");
        if (change.Excerpt is { } excerpt && excerpt.Length > limits.MaxContentLength)
            return Problem.Invalid($"excerpt: {Characters(excerpt.Length)} is longer than the {limits.MaxContentText} a post may hold ({ContentLimits.ConfigurationKey})");
        return null;
    }

    private static string Characters(int length) => length.ToString("N0", CultureInfo.InvariantCulture) + " characters";

    public async Task<Outcome<PostEdit>> UpdateAsync(AbilityCall call, string type, long postId, PostChange change, CancellationToken ct)
    {
        var site = call.Site!;
        var actor = call.Actor!;
        var now = clock.GetUtcNow().UtcDateTime;
        if (TooLong(change) is { } tooLong) return tooLong;
        if (PostExtras.CheckMeta(change.Meta) is { } badMeta) return badMeta;
        if (PostExtras.CheckSticky(actor, type, change.Sticky) is { } badSticky) return badSticky;
        if (await PostExtras.CheckFeaturedAsync(db, site.Id, change.FeaturedMedia, ct) is { } badImage) return badImage;
        var categories = await ResolveAsync(call, Taxonomies.Category, change.Categories, ct);
        if (!categories.Succeeded) return categories.Problem!;
        var tags = await ResolveAsync(call, Taxonomies.Tag, change.Tags, ct);
        if (!tags.Succeeded) return tags.Problem!;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var found = await LoadForWriteAsync(site.Id, actor, type, postId, Caps.EditPost, "edit", ct);
        if (!found.Succeeded) return found.Problem!;
        var post = found.Value!;
        if (post.Status == PostStatuses.Trash) return Problem.Invalid($"{type} {post.Id} is in the trash; it cannot be edited");
        if (change.ParentId is > 0 and var parent)
        {
            if (parent == post.Id) return Problem.Invalid("parent: a page cannot be its own parent");
            if (!await db.Posts.AnyAsync(p => p.SiteId == site.Id && p.Id == parent && p.Type == PostTypes.Page && p.Status != PostStatuses.Trash, ct))
                return Problem.Invalid($"parent: there is no page {parent} on this site");
            if (await IsDescendantAsync(site.Id, parent, post.Id, ct)) return Problem.Invalid($"parent: page {parent} is below page {post.Id}, so it cannot be its parent");
        }

        var decision = PublishRule.Decide(actor, type, change.Status, post.Status);
        var date = GivenDate(site, change) ?? post.DateUtc;
        if (change.Status == PostStatuses.Future && date <= now) return Problem.Invalid("status future needs a date in the future (when to publish)");
        var status = PublishRule.Schedule(decision.Status, date, now);
        var before = new Dictionary<string, object?>(StringComparer.Ordinal);
        void Set<T>(string field, T current, T? wanted, Action<T> apply)
        {
            if (wanted is null || EqualityComparer<T>.Default.Equals(current, wanted)) return;
            before[field] = current;
            apply(wanted);
        }
        var previous = new { post.Title, post.Content, post.Excerpt };
        Set("title", post.Title, change.Title?.Trim(), v => post.Title = v);
        Set("content", post.Content, change.Content, v => post.Content = v);
        Set("excerpt", post.Excerpt, change.Excerpt, v => post.Excerpt = v);
        Set("status", post.Status, status, v => post.Status = v);
        if (date != post.DateUtc)
        {
            before["date_utc"] = post.DateUtc;
            post.DateUtc = date;
        }
        Set("comment_status", post.CommentStatus, change.CommentStatus, v => post.CommentStatus = v);
        if (change.Sticky is { } sticky && sticky != post.Sticky)
        {
            before["sticky"] = post.Sticky;
            post.Sticky = sticky;
        }
        if (await PostExtras.ApplyAsync(db, site.Id, post.Id, change, before, ct) is { } metaProblem) return metaProblem;
        if (change.ParentId is { } newParent && (newParent == 0 ? null : newParent) != post.ParentId)
        {
            before["parent_id"] = post.ParentId;
            post.ParentId = newParent == 0 ? null : newParent;
        }
        if (change.MenuOrder is { } order && order != post.MenuOrder)
        {
            before["menu_order"] = post.MenuOrder;
            post.MenuOrder = order;
        }
        string? slugNote = null;
        if (change.Slug is not null)
        {
            (var slug, slugNote) = await SlugAsync(site.Id, type, change.Slug, post.Title, post.Id, ct);
            Set("slug", post.Slug, slug, v => post.Slug = v);
        }
        var termRows = await db.PostTerms.Where(t => t.SiteId == site.Id && t.PostId == post.Id)
            .Join(db.Terms, pt => new { pt.SiteId, Id = pt.TermId }, t => new { t.SiteId, t.Id }, (pt, t) => new { Row = pt, t.Taxonomy }).ToListAsync(ct);
        var termChanges = new List<(string Taxonomy, ResolvedTerms Wanted)>();
        foreach (var (taxonomy, wanted, field) in new[] { (Taxonomies.Category, categories.Value, "category_ids"), (Taxonomies.Tag, tags.Value, "tag_ids") })
        {
            if (wanted is null) continue;
            var currentIds = termRows.Where(r => r.Taxonomy == taxonomy).Select(r => r.Row.TermId).Order().ToList();
            if (wanted.NewNames.Count == 0 && currentIds.SequenceEqual(wanted.ExistingIds.Distinct().Order())) continue;
            before[field] = currentIds;
            termChanges.Add((taxonomy, wanted));
        }

        if (before.Count == 0)
            return Outcome<PostEdit>.Ok(new PostEdit(post, Join("nothing changed: every field given already had that value", decision.Note), null));

        var revision = await RevisionAsync(site, post, previous.Title, previous.Content, previous.Excerpt, actor.UserId, now, ct);
        post.ModifiedUtc = now;
        foreach (var (taxonomy, _) in termChanges)
            db.PostTerms.RemoveRange(termRows.Where(r => r.Taxonomy == taxonomy).Select(r => r.Row));
        var newIds = await AddNewTermsAsync(call, termChanges.FirstOrDefault(t => t.Taxonomy == Taxonomies.Category).Wanted, termChanges.FirstOrDefault(t => t.Taxonomy == Taxonomies.Tag).Wanted, ct);
        // Rows removed and added again for the same term are one row: EF would otherwise insert a duplicate key.
        foreach (var termId in newIds.Distinct())
        {
            var existing = termRows.FirstOrDefault(r => r.Row.TermId == termId);
            if (existing is not null) db.Entry(existing.Row).State = EntityState.Unchanged;
            else db.PostTerms.Add(new PostTerm { SiteId = site.Id, PostId = post.Id, TermId = termId });
        }
        db.ChangeRecords.Add(call.Change(ObjectType, post.Id, "update", before, revision.Id));
        await AgentMarker.MarkAsync(db, call, post.Id, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<PostEdit>.Ok(new PostEdit(post, Join(decision.Note, slugNote), revision.Id));
    }

    /// <summary>Moves a post or page to the trash (WordPress's delete without force), keeping a revision and the status to restore.</summary>
    public async Task<Outcome<PostEdit>> TrashAsync(AbilityCall call, string type, long postId, CancellationToken ct)
    {
        var site = call.Site!;
        var actor = call.Actor!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var found = await LoadForWriteAsync(site.Id, actor, type, postId, Caps.DeletePost, "trash", ct);
        if (!found.Succeeded) return found.Problem!;
        var post = found.Value!;
        if (post.Status == PostStatuses.Trash) return Outcome<PostEdit>.Ok(new PostEdit(post, $"{type} {post.Id} was already in the trash; nothing changed", null));
        var revision = await RevisionAsync(site, post, post.Title, post.Content, post.Excerpt, actor.UserId, now, ct);
        db.ChangeRecords.Add(call.Change(ObjectType, post.Id, "update", new Dictionary<string, object?> { ["status"] = post.Status }, revision.Id));
        // WordPress's memory of the status to restore, on the post itself: it outlives the activity log's retention.
        db.PostMeta.RemoveRange(await db.PostMeta.Where(m => m.SiteId == site.Id && m.PostId == post.Id && (m.Key == PostExtras.TrashStatusKey || m.Key == PostExtras.TrashTimeKey)).ToListAsync(ct));
        db.PostMeta.Add(new PostMeta { SiteId = site.Id, PostId = post.Id, Key = PostExtras.TrashStatusKey, Value = post.Status });
        db.PostMeta.Add(new PostMeta { SiteId = site.Id, PostId = post.Id, Key = PostExtras.TrashTimeKey, Value = new DateTimeOffset(now, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) });
        post.Status = PostStatuses.Trash;
        post.ModifiedUtc = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<PostEdit>.Ok(new PostEdit(post, null, revision.Id));
    }

    /// <summary>
    /// Takes a post or page out of the trash (WordPress's untrash, which needs delete_post): back to the status it had
    /// before, as <see cref="PostExtras.TrashStatusKey"/> remembers it (draft when nothing does, e.g. imported as trash),
    /// still subject to the publish rule and to scheduling.
    /// </summary>
    public async Task<Outcome<PostEdit>> RestoreAsync(AbilityCall call, string type, long postId, CancellationToken ct)
    {
        var site = call.Site!;
        var actor = call.Actor!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var found = await LoadForWriteAsync(site.Id, actor, type, postId, Caps.DeletePost, "restore", ct);
        if (!found.Succeeded) return found.Problem!;
        var post = found.Value!;
        if (post.Status != PostStatuses.Trash) return Outcome<PostEdit>.Ok(new PostEdit(post, $"{type} {post.Id} is not in the trash (it is {post.Status}); nothing changed", null));
        var memory = await db.PostMeta.Where(m => m.SiteId == site.Id && m.PostId == post.Id && (m.Key == PostExtras.TrashStatusKey || m.Key == PostExtras.TrashTimeKey)).ToListAsync(ct);
        var remembered = memory.Where(m => m.Key == PostExtras.TrashStatusKey).Select(m => m.Value).FirstOrDefault();
        var wanted = remembered is PostStatuses.Publish or PostStatuses.Future or PostStatuses.Draft or PostStatuses.Pending or PostStatuses.Private ? remembered : PostStatuses.Draft;
        var decision = PublishRule.Decide(actor, type, wanted, post.Status);
        var status = PublishRule.Schedule(decision.Status, post.DateUtc, now);
        db.ChangeRecords.Add(call.Change(ObjectType, post.Id, "update", new Dictionary<string, object?> { ["status"] = post.Status }));
        db.PostMeta.RemoveRange(memory);
        post.Status = status;
        post.ModifiedUtc = now;
        await AgentMarker.MarkAsync(db, call, post.Id, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<PostEdit>.Ok(new PostEdit(post, Join(remembered is null ? "no status was remembered from before the trash, so it is a draft" : null, decision.Note), null));
    }

    /// <summary>What a permanent deletion removed.</summary>
    internal sealed record Deletion(Post Post, int Revisions, string? Note);

    /// <summary>
    /// Deletes a post or page for good (WordPress's wp_delete_post with force): only from the trash unless
    /// <paramref name="force"/>, and only with delete_post on it. Its revisions go with it; its custom fields, terms,
    /// comments and view counts by the database's cascade; child pages move up to its parent and attachments become
    /// unattached, as in WordPress. The change record keeps the post, its meta, terms and revisions, so the
    /// deletion could be reversed.
    /// </summary>
    public async Task<Outcome<Deletion>> DeleteAsync(AbilityCall call, string type, long postId, bool force, CancellationToken ct)
    {
        var site = call.Site!;
        var actor = call.Actor!;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var found = await LoadForWriteAsync(site.Id, actor, type, postId, Caps.DeletePost, "delete", ct);
        if (!found.Succeeded) return found.Problem!;
        var post = found.Value!;
        if (post.Status != PostStatuses.Trash && !force)
            return Problem.Invalid($"{type} {post.Id} is not in the trash (it is {post.Status}); move it to the trash first, or pass force: true to delete it for good");
        var meta = await db.PostMeta.Where(m => m.SiteId == site.Id && m.PostId == post.Id).ToListAsync(ct);
        var termIds = await db.PostTerms.Where(t => t.SiteId == site.Id && t.PostId == post.Id).Select(t => t.TermId).ToListAsync(ct);
        var revisions = await db.Posts.Where(p => p.SiteId == site.Id && p.ParentId == post.Id && p.Type == PostTypes.Revision).ToListAsync(ct);
        var children = await db.Posts.Where(p => p.SiteId == site.Id && p.ParentId == post.Id && p.Type != PostTypes.Revision).ToListAsync(ct);
        db.ChangeRecords.Add(call.Change(ObjectType, post.Id, "delete", new
        {
            post = new { post.Type, post.Title, post.Content, post.Excerpt, post.Slug, post.Status, post.AuthorId, post.DateUtc, post.ModifiedUtc, post.ParentId, post.MenuOrder, post.Sticky, post.CommentStatus, post.PingStatus, post.Format, post.Password, post.Guid },
            meta = meta.Select(m => new { m.Key, m.Value }).ToList(),
            term_ids = termIds,
            revisions = revisions.Select(r => new { r.Id, r.Title, r.Content, r.Excerpt, r.Slug, r.AuthorId, r.DateUtc }).ToList(),
            children = children.Select(c => c.Id).ToList(),
        }));
        foreach (var child in children)
            child.ParentId = child.Type == PostTypes.Page ? post.ParentId : null;
        db.Posts.RemoveRange(revisions);
        db.Posts.Remove(post);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<Deletion>.Ok(new Deletion(post, revisions.Count, children.Count == 0 ? null : $"{children.Count} item(s) below it moved up a level"));
    }

    /// <summary>
    /// Puts a revision's title, content and excerpt back on its post. That is an update like any other (the same
    /// permission, publish rule and change record), so the version it replaces becomes a revision in turn.
    /// </summary>
    public async Task<Outcome<PostEdit>> RestoreRevisionAsync(AbilityCall call, long revisionId, CancellationToken ct)
    {
        var site = call.Site!;
        var revision = await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == revisionId && p.Type == PostTypes.Revision, ct);
        if (revision?.ParentId is not { } parentId) return Problem.NotFound($"there is no revision {revisionId} on this site");
        var type = await db.Posts.AsNoTracking().Where(p => p.SiteId == site.Id && p.Id == parentId).Select(p => p.Type).FirstOrDefaultAsync(ct);
        if (type is null || !PostTypes.IsContent(type)) return Problem.NotFound($"revision {revisionId} belongs to no post or page on this site");
        var edit = await UpdateAsync(call, type, parentId, new PostChange { Title = revision.Title, Content = revision.Content, Excerpt = revision.Excerpt }, ct);
        return edit.Succeeded && edit.Value!.RevisionId is null
            ? Outcome<PostEdit>.Ok(edit.Value with { Note = $"revision {revisionId} is the same as the current version; nothing changed" })
            : edit;
    }

    /// <summary>
    /// The post, locked for this transaction: SQLite's write transaction already excludes other writers; on
    /// PostgreSQL a row lock stops two updates from both reading the same "before" and losing one revision.
    /// </summary>
    /// <summary>
    /// The post to change, locked for the transaction on PostgreSQL, if it is a <paramref name="type"/> and the actor has
    /// <paramref name="capability"/> on it (a meta capability, with WordPress's owner rules); the refusal names what is missing.
    /// </summary>
    private async Task<Outcome<Post>> LoadForWriteAsync(long siteId, SiteActor actor, string type, long postId, string capability, string verb, CancellationToken ct)
    {
        if (storage.Provider == DatabaseProvider.Postgres)
            await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM posts WHERE site_id = {0} AND id = {1} FOR UPDATE", [siteId, postId], ct);
        var post = await db.Posts.FirstOrDefaultAsync(p => p.SiteId == siteId && p.Id == postId, ct);
        if (post is null || !PostTypes.IsContent(post.Type)) return Problem.NotFound($"there is no {type} {postId} on this site");
        if (post.Type != type) return Problem.NotFound($"{postId} is a {post.Type}, not a {type}; use {post.Type}s.* operations for it");
        var missing = Permissions.MissingCapabilities(actor, capability, post.Facts);
        if (missing.Count > 0)
            return Problem.Forbidden($"your role ({actor.Role}) may not {verb} {type} {post.Id} (status {post.Status}{(post.AuthorId == actor.UserId ? "" : ", by another author")}): it needs {string.Join(", ", missing)}");
        return Outcome<Post>.Ok(post);
    }

    /// <summary>WordPress's revision: a post of type revision, status inherit, child of the post, holding the version being replaced.</summary>
    private async Task<Post> RevisionAsync(Site site, Post post, string title, string content, string excerpt, long editorId, DateTime now, CancellationToken ct)
    {
        var id = await sequences.NextPostIdsAsync(site.Id, 1, ct);
        var count = await db.Posts.CountAsync(p => p.SiteId == site.Id && p.ParentId == post.Id && p.Type == PostTypes.Revision, ct);
        var revision = new Post
        {
            SiteId = site.Id,
            Id = id,
            Type = PostTypes.Revision,
            Status = PostStatuses.Inherit,
            Title = title,
            Content = content,
            Excerpt = excerpt,
            Slug = string.Create(CultureInfo.InvariantCulture, $"{post.Id}-revision-v{count + 1}"),
            AuthorId = editorId,
            DateUtc = now,
            ModifiedUtc = now,
            ParentId = post.Id,
            CommentStatus = OpenClosed.Closed,
            PingStatus = OpenClosed.Closed,
            Guid = $"{urls.BaseOf(site)}/?p={id}",
        };
        db.Posts.Add(revision);
        return revision;
    }

    private async Task<Outcome<ResolvedTerms?>> ResolveAsync(AbilityCall call, string taxonomy, IReadOnlyList<TermReference>? references, CancellationToken ct)
    {
        if (references is null) return Outcome<ResolvedTerms?>.Ok(null);
        var resolved = await terms.ResolveAsync(call.Site!, call.Actor!, taxonomy, references, ct);
        return resolved.Succeeded ? Outcome<ResolvedTerms?>.Ok(resolved.Value) : resolved.Problem!;
    }

    /// <summary>Creates the tags named for the first time (recording each creation) and returns every term id to assign.</summary>
    private async Task<List<long>> AddNewTermsAsync(AbilityCall call, ResolvedTerms? categories, ResolvedTerms? tags, CancellationToken ct)
    {
        var ids = new List<long>();
        ids.AddRange(categories?.ExistingIds ?? []);
        ids.AddRange(tags?.ExistingIds ?? []);
        foreach (var name in tags?.NewNames ?? [])
        {
            var term = new Term
            {
                SiteId = call.Site!.Id,
                Id = await sequences.NextTermIdsAsync(call.Site.Id, 1, ct),
                Taxonomy = Taxonomies.Tag,
                Name = name,
                Slug = Slugs.FromTitle(name),
            };
            db.Terms.Add(term);
            db.ChangeRecords.Add(call.Change(TermEditor.ObjectType, term.Id, "create"));
            ids.Add(term.Id);
        }
        return ids;
    }

    /// <summary>A slug from the one asked for (or the title), unique among the site's posts of the type; a note when it had to change.</summary>
    private async Task<(string Slug, string? Note)> SlugAsync(long siteId, string type, string? asked, string title, long? exceptId, CancellationToken ct)
    {
        var wanted = Slugs.FromTitle(string.IsNullOrWhiteSpace(asked) ? title : asked);
        if (wanted.Length == 0) wanted = type;
        var slug = await Slugs.UniqueAsync(wanted, s => db.Posts.AnyAsync(p => p.SiteId == siteId && p.Type == type && p.Slug == s && p.Id != exceptId, ct));
        return (slug, asked is not null && slug != asked ? $"the slug '{asked}' became '{slug}' (slugs are lower-case words and hyphens, unique among the site's {type}s)" : null);
    }

    private async Task<bool> IsDescendantAsync(long siteId, long candidate, long ancestor, CancellationToken ct)
    {
        var tree = await db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && p.Type == PostTypes.Page).Select(p => new { p.Id, p.ParentId }).ToDictionaryAsync(p => p.Id, p => p.ParentId, ct);
        var seen = new HashSet<long>();
        for (long? at = candidate; at is { } a && seen.Add(a); at = tree.GetValueOrDefault(a))
            if (a == ancestor) return true;
        return false;
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : a + "; " + b;
}
