using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Storage;

namespace PressMcp.Content.Authoring;

/// <summary>What categories.create and tags.create ask for.</summary>
internal sealed record NewTerm(string Name, string? Slug, long? ParentId, string? Description);

/// <summary>What categories.update and tags.update may change; null keeps a field, a parent of 0 is the top level.</summary>
internal sealed record TermChange(string? Name, string? Slug, long? ParentId, string? Description);

/// <summary>A term after an update or a delete, and what to tell the caller.</summary>
internal sealed record TermEdit(Term Term, string? Note);

/// <summary>
/// Creates categories and tags with WordPress's rules: a name may not repeat among siblings (the same parent for
/// categories, all tags for tags), a slug may not repeat in the taxonomy. A slug asked for that is taken is an error;
/// one made from the name gets a number (<c>apples-2</c>) when another branch holds it. The term and its change record
/// are saved in one transaction. The capability (manage_categories) is the ability's.
/// An update keeps those rules and refuses to put a category under itself or one of its descendants. A delete keeps
/// the posts: they lose the term, a post left without any category gets the site's default category, a deleted
/// category's children move up to its parent, and the default category itself cannot be deleted (wp_delete_term).
/// </summary>
internal sealed class TermEditor(PressDbContext db, SiteSequences sequences)
{
    public const string ObjectType = "term";

    public async Task<Outcome<Term>> CreateAsync(AbilityCall call, string taxonomy, NewTerm input, CancellationToken ct)
    {
        var site = call.Site!;
        var kind = taxonomy == Taxonomies.Category ? "category" : "tag";
        var name = input.Name.Trim();
        if (name.Length == 0) return Problem.Invalid("name must not be blank");
        var parent = taxonomy == Taxonomies.Category && input.ParentId is > 0 ? input.ParentId : null;
        if (parent is { } p && !await db.Terms.AnyAsync(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Id == p, ct))
            return Problem.Invalid($"parent: there is no category {p} on this site");
        var lower = name.ToLowerInvariant();
        var sibling = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.ParentId == parent && t.Name.ToLower() == lower)
            .Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
        if (sibling is { } s)
            return Problem.Conflict($"a {kind} named '{name}' already exists{(parent is null ? "" : $" under category {parent}")} (id {s}); use it, or choose another name");

        var asked = string.IsNullOrWhiteSpace(input.Slug) ? null : Slugs.FromTitle(input.Slug);
        if (asked is { Length: 0 }) return Problem.Invalid($"slug '{input.Slug}' has no letters or digits");
        var fromName = Slugs.FromTitle(name);
        if (asked is null && fromName.Length == 0) return Problem.Invalid($"the name '{name}' has no letters or digits to make a slug from; give a slug");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        string slug;
        if (asked is not null)
        {
            var holder = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Slug == asked).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
            if (holder is { } h) return Problem.Conflict($"the slug '{asked}' is already used by {kind} {h}; choose another slug");
            slug = asked;
        }
        else
        {
            slug = await Slugs.UniqueAsync(fromName, c => db.Terms.AnyAsync(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Slug == c, ct));
        }
        var term = new Term
        {
            SiteId = site.Id,
            Id = await sequences.NextTermIdsAsync(site.Id, 1, ct),
            Taxonomy = taxonomy,
            Name = name,
            Slug = slug,
            Description = input.Description?.Trim() ?? "",
            ParentId = parent,
        };
        db.Terms.Add(term);
        db.ChangeRecords.Add(call.Change(ObjectType, term.Id, "create"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<Term>.Ok(term);
    }

    public async Task<Outcome<TermEdit>> UpdateAsync(AbilityCall call, string taxonomy, long id, TermChange change, CancellationToken ct)
    {
        var site = call.Site!;
        var kind = KindOf(taxonomy);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var term = await db.Terms.FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Id == id, ct);
        if (term is null) return Problem.NotFound($"there is no {kind} {id} on this site");
        var name = change.Name?.Trim() ?? term.Name;
        if (name.Length == 0) return Problem.Invalid("name must not be blank");
        var parent = taxonomy != Taxonomies.Category ? null : change.ParentId is { } asked ? (asked > 0 ? asked : null) : term.ParentId;
        if (parent is { } p && parent != term.ParentId)
        {
            // Walk up from the new parent: meeting this category on the way would make it its own ancestor.
            var parents = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy).Select(t => new { t.Id, t.ParentId }).ToDictionaryAsync(t => t.Id, t => t.ParentId, ct);
            if (!parents.ContainsKey(p)) return Problem.Invalid($"parent: there is no category {p} on this site");
            var seen = new HashSet<long>();
            for (long? at = p; at is { } a && seen.Add(a); at = parents.GetValueOrDefault(a))
                if (a == id) return Problem.Invalid(p == id ? $"parent: category {id} cannot be its own parent" : $"parent: category {p} is inside category {id}; a category cannot become its own ancestor");
        }
        var lower = name.ToLowerInvariant();
        var sibling = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Id != id && t.ParentId == parent && t.Name.ToLower() == lower)
            .Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
        if (sibling is { } s)
            return Problem.Conflict($"a {kind} named '{name}' already exists{(parent is null ? "" : $" under category {parent}")} (id {s}); choose another name");
        var slug = term.Slug;
        if (change.Slug is { } wanted && !string.IsNullOrWhiteSpace(wanted))
        {
            slug = Slugs.FromTitle(wanted);
            if (slug.Length == 0) return Problem.Invalid($"slug '{wanted}' has no letters or digits");
            var holder = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Id != id && t.Slug == slug).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
            if (holder is { } h) return Problem.Conflict($"the slug '{slug}' is already used by {kind} {h}; choose another slug");
        }
        var description = change.Description?.Trim() ?? term.Description;
        var before = new Dictionary<string, object?>();
        if (name != term.Name) before["name"] = term.Name;
        if (slug != term.Slug) before["slug"] = term.Slug;
        if (parent != term.ParentId) before["parent_id"] = term.ParentId;
        if (description != term.Description) before["description"] = term.Description;
        if (before.Count == 0) return Outcome<TermEdit>.Ok(new TermEdit(term, $"{kind} {id} already reads so; nothing changed"));
        (term.Name, term.Slug, term.ParentId, term.Description) = (name, slug, parent, description);
        db.ChangeRecords.Add(call.Change(ObjectType, term.Id, "update", before));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<TermEdit>.Ok(new TermEdit(term, null));
    }

    public async Task<Outcome<TermEdit>> DeleteAsync(AbilityCall call, string taxonomy, long id, CancellationToken ct)
    {
        var site = call.Site!;
        var kind = KindOf(taxonomy);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var term = await db.Terms.FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Id == id, ct);
        if (term is null) return Problem.NotFound($"there is no {kind} {id} on this site");
        long? fallback = null;
        if (taxonomy == Taxonomies.Category)
        {
            fallback = await DefaultCategoryAsync(site.Id, ct);
            if (fallback == id)
                return Problem.Invalid($"category {id} ('{term.Name}') is the site's default category, which cannot be deleted; make another category the default first");
        }
        var tagged = db.PostTerms.Where(pt => pt.SiteId == site.Id && pt.TermId == id);
        var postIds = await tagged.Select(pt => pt.PostId).ToListAsync(ct);
        var defaulted = new List<long>();
        if (fallback is { } d)
        {
            // Posts whose only category this was: they would have none, and a post always has one in WordPress.
            defaulted = await tagged.Where(pt => !db.PostTerms.Any(o => o.SiteId == site.Id && o.PostId == pt.PostId && o.TermId != id
                    && db.Terms.Any(t => t.SiteId == site.Id && t.Id == o.TermId && t.Taxonomy == Taxonomies.Category)))
                .Select(pt => pt.PostId).ToListAsync(ct);
            db.PostTerms.AddRange(defaulted.Select(p => new PostTerm { SiteId = site.Id, PostId = p, TermId = d }));
        }
        db.ChangeRecords.Add(call.Change(ObjectType, term.Id, "delete", new Dictionary<string, object?>
        {
            ["taxonomy"] = term.Taxonomy, ["name"] = term.Name, ["slug"] = term.Slug, ["description"] = term.Description,
            ["parent_id"] = term.ParentId, ["post_ids"] = postIds, ["given_default_category"] = defaulted,
        }));
        await tagged.ExecuteDeleteAsync(ct);
        if (taxonomy == Taxonomies.Category)
            await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.ParentId == id).ExecuteUpdateAsync(u => u.SetProperty(t => t.ParentId, term.ParentId), ct);
        db.Terms.Remove(term);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var note = $"{kind} '{term.Name}' is deleted; {postIds.Count} post{(postIds.Count == 1 ? "" : "s")} kept"
            + (defaulted.Count > 0 ? $", {defaulted.Count} of them moved to the default category" : "");
        return Outcome<TermEdit>.Ok(new TermEdit(term, note));
    }

    /// <summary>
    /// The site's default category: the <c>default_category</c> option when it names a category of the site, else the
    /// one with the slug <c>uncategorized</c> (WordPress's installed default); null when the site has neither.
    /// </summary>
    public async Task<long?> DefaultCategoryAsync(long siteId, CancellationToken ct)
    {
        var option = await db.SiteOptions.Where(o => o.SiteId == siteId && o.Name == DefaultCategoryOption).Select(o => o.Value).FirstOrDefaultAsync(ct);
        if (long.TryParse(option, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            && await db.Terms.AnyAsync(t => t.SiteId == siteId && t.Taxonomy == Taxonomies.Category && t.Id == id, ct))
            return id;
        return await db.Terms.Where(t => t.SiteId == siteId && t.Taxonomy == Taxonomies.Category && t.Slug == "uncategorized").Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
    }

    public const string DefaultCategoryOption = "default_category";

    private static string KindOf(string taxonomy) => taxonomy == Taxonomies.Category ? "category" : "tag";
}
