using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Storage;

namespace PressMcp.Content.Authoring;

/// <summary>What categories.create and tags.create ask for.</summary>
internal sealed record NewTerm(string Name, string? Slug, long? ParentId, string? Description);

/// <summary>
/// Creates categories and tags with WordPress's rules: a name may not repeat among siblings (the same parent for
/// categories, all tags for tags), a slug may not repeat in the taxonomy. A slug asked for that is taken is an error;
/// one made from the name gets a number (<c>apples-2</c>) when another branch holds it. The term and its change record
/// are saved in one transaction. The capability (manage_categories) is the ability's.
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
}
