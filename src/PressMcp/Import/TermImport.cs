using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>Local term ids by taxonomy and slug, for the items' categories and tags.</summary>
internal sealed class TermMap
{
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Taxonomy, string Slug), long> _all = [];

    public void Add(string taxonomy, string slug, long id)
    {
        _ids[WxrStaging.TermKey(taxonomy, slug)] = id;
        _all[(taxonomy, slug)] = id;
    }

    public IEnumerable<(string Taxonomy, string Slug, long Id)> All => _all.Select(e => (e.Key.Taxonomy, e.Key.Slug, e.Value));

    public long? Find(string termKey) => _ids.TryGetValue(termKey, out var id) ? id : null;
}

/// <summary>
/// Categories (with their hierarchy) and tags. Terms are matched by taxonomy and slug, as WordPress's importer
/// does and as the site's unique index requires; a declared term's name, description and parent follow the file.
/// </summary>
internal sealed class TermImport(PressDbContext db, SiteSequences sequences)
{
    public async Task<TermMap> ApplyAsync(Site site, WxrStaging staging, ImportReport report, CancellationToken ct)
    {
        var map = new TermMap();
        await ApplyAsync(site, Taxonomies.Category, ImportKind.Categories, staging.Terms(Taxonomies.Category), map, report, ct);
        await ApplyAsync(site, Taxonomies.Tag, ImportKind.Tags, staging.Terms(Taxonomies.Tag), map, report, ct);
        return map;
    }

    private async Task ApplyAsync(Site site, string taxonomy, ImportKind kind, List<StagedTerm> staged, TermMap map, ImportReport report, CancellationToken ct)
    {
        var local = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy).ToDictionaryAsync(t => t.Slug, StringComparer.Ordinal, ct);
        var fresh = staged.Where(s => !local.ContainsKey(s.Term.Slug)).ToHashSet();
        if (fresh.Count > 0)
        {
            var next = await sequences.NextTermIdsAsync(site.Id, fresh.Count, ct);
            foreach (var s in fresh)
            {
                var term = new Term { SiteId = site.Id, Id = next++, Taxonomy = taxonomy, Name = s.Term.Name, Slug = s.Term.Slug, Description = s.Term.Description };
                db.Terms.Add(term);
                local[term.Slug] = term;
            }
        }

        var parents = taxonomy == Taxonomies.Category ? Parents(staged, local) : [];
        foreach (var s in staged)
        {
            var term = local[s.Term.Slug];
            map.Add(taxonomy, term.Slug, term.Id);
            var created = fresh.Contains(s);
            // A term only named by an item adds nothing to one the site already has.
            if (!created && !s.Declared)
            {
                report.Skipped(kind);
                continue;
            }
            long? parent = parents.TryGetValue(term.Slug, out var p) ? p : null;
            var changed = term.Name != s.Term.Name || term.Description != s.Term.Description || term.ParentId != parent;
            term.Name = s.Term.Name;
            term.Description = s.Term.Description;
            term.ParentId = parent;
            report.Count(kind, created, changed);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Each declared category's parent id, by slug; a parent not found, or one that would make a cycle, is dropped.</summary>
    private static Dictionary<string, long> Parents(List<StagedTerm> staged, Dictionary<string, Term> local)
    {
        var wanted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in staged.Where(s => s.Declared && s.Term.ParentSlug.Length > 0 && s.Term.ParentSlug != s.Term.Slug))
        {
            if (local.TryGetValue(s.Term.ParentSlug, out var parent)) wanted[s.Term.Slug] = parent.Id;
        }
        var slugById = local.Values.ToDictionary(t => t.Id, t => t.Slug);
        var declared = staged.Where(s => s.Declared).Select(s => s.Term.Slug).ToHashSet(StringComparer.Ordinal);
        foreach (var slug in wanted.Keys.ToList())
        {
            // Walk up from the parent; reaching the term itself means the file's hierarchy loops.
            var at = wanted[slug];
            for (var steps = 0; steps <= wanted.Count; steps++)
            {
                var atSlug = slugById[at];
                if (atSlug == slug)
                {
                    wanted.Remove(slug);
                    break;
                }
                long? up = wanted.TryGetValue(atSlug, out var w) ? w : declared.Contains(atSlug) ? null : local[atSlug].ParentId;
                if (up is not { } next) break;
                at = next;
            }
        }
        return wanted;
    }
}
