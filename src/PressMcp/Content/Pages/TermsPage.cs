using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Abilities;
using PressMcp.Content.Authoring;
using PressMcp.Sites.Pages;
using PressMcp.Storage;

namespace PressMcp.Content.Pages;

/// <summary>A category or tag in the list, with its published posts and (categories) its parent's name.</summary>
internal sealed record TermRow(long Id, string Name, string Slug, string Description, long? ParentId, string? ParentName, long Posts, bool IsDefault);

/// <summary>A category to choose as a parent: its name indented by its depth.</summary>
internal sealed record ParentChoice(long Id, string Label);

/// <summary>
/// The Categories and Tags pages (<c>manage_categories</c>): a list with post counts (one GROUP BY), search by name,
/// paging, and forms to create, edit and delete. Writes are the abilities categories/… and tags/… called by the person.
/// </summary>
internal abstract class TermsPageModel(SitePages pages, PressDbContext db, PersonCalls calls, TermEditor terms) : SitePageModel(pages)
{
    public const int PerPage = 20;

    public abstract string Taxonomy { get; }
    public bool IsCategory => Taxonomy == Taxonomies.Category;
    public string Kind => IsCategory ? "category" : "tag";
    public string Plural => IsCategory ? "Categories" : "Tags";
    public string? Search { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public long Total { get; private set; }
    public int PageCount => (int)Math.Max(1, (Total + PerPage - 1) / PerPage);
    public IReadOnlyList<TermRow> Rows { get; private set; } = [];
    public IReadOnlyList<ParentChoice> Parents { get; private set; } = [];
    public TermRow? Editing { get; private set; }

    private string AbilityOf(string action) => $"{(IsCategory ? "categories" : "tags")}/{action}";

    public string ListPath(int page = 1, string? search = null, long? edit = null)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(search)) query.Add("q=" + Uri.EscapeDataString(search));
        if (page > 1) query.Add(string.Create(CultureInfo.InvariantCulture, $"paged={page}"));
        if (edit is { } e) query.Add(string.Create(CultureInfo.InvariantCulture, $"edit={e}"));
        return SitePath(Section) + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    public async Task<IActionResult> OnGetAsync(string slug, string? q, int? paged, long? edit, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ManageCategories, ct) is { } refused) return refused;
        Search = string.IsNullOrWhiteSpace(q) ? null : q.Trim()[..Math.Min(q.Trim().Length, 200)];
        var query = db.Terms.AsNoTracking().Where(t => t.SiteId == Site.Id && t.Taxonomy == Taxonomy);
        if (Search is not null)
        {
            var lower = Search.ToLowerInvariant();
            query = query.Where(t => t.Name.ToLower().Contains(lower));
        }
        Total = await query.LongCountAsync(ct);
        PageNumber = Math.Clamp(paged ?? 1, 1, PageCount);
        var found = await query.OrderBy(t => t.Name).ThenBy(t => t.Id).Skip((PageNumber - 1) * PerPage).Take(PerPage).ToListAsync(ct);
        if (edit is { } editId && found.All(t => t.Id != editId)
            && await db.Terms.AsNoTracking().FirstOrDefaultAsync(t => t.SiteId == Site.Id && t.Taxonomy == Taxonomy && t.Id == editId, ct) is { } extra)
            found.Add(extra);
        Rows = await RowsAsync(found, ct);
        Editing = edit is { } id ? Rows.FirstOrDefault(r => r.Id == id) : null;
        if (IsCategory) Parents = await ParentChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string slug, string? name, string? termSlug, long? parent, string? description, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ManageCategories, ct) is { } refused) return refused;
        var input = new JsonObject { ["name"] = name ?? "" };
        if (!string.IsNullOrWhiteSpace(termSlug)) input["slug"] = termSlug;
        if (!string.IsNullOrWhiteSpace(description)) input["description"] = description;
        if (IsCategory && parent is > 0) input["parent"] = parent;
        var result = await calls.RunAsync(Member.Actor, Site, AbilityOf("create"), input, $"{Section}: create", ct);
        return result.Succeeded
            ? Done(ListPath(), $"Created the {Kind} “{name?.Trim()}”.")
            : Done(ListPath(), null, $"The {Kind} was not created: {result.Message}");
    }

    public async Task<IActionResult> OnPostUpdateAsync(string slug, long id, string? name, string? termSlug, long? parent, string? description, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ManageCategories, ct) is { } refused) return refused;
        var input = new JsonObject { ["id"] = id, ["name"] = name ?? "", ["description"] = description ?? "" };
        if (!string.IsNullOrWhiteSpace(termSlug)) input["slug"] = termSlug;
        if (IsCategory) input["parent"] = Math.Max(0, parent ?? 0);
        var result = await calls.RunAsync(Member.Actor, Site, AbilityOf("update"), input, $"{Section}: edit", ct);
        return result.Succeeded
            ? Done(ListPath(), $"Saved the {Kind} “{name?.Trim()}”.")
            : Done(ListPath(edit: id), null, $"The {Kind} was not saved: {result.Message}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string slug, long id, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ManageCategories, ct) is { } refused) return refused;
        // The person pressed the confirming button of the delete form: that is the confirmation the ability asks for.
        var result = await calls.RunAsync(Member.Actor, Site, AbilityOf("delete"), new JsonObject { ["id"] = id, ["confirm_permanent_delete"] = true }, $"{Section}: delete", ct);
        if (!result.Succeeded) return Done(ListPath(), null, $"The {Kind} was not deleted: {result.Message}");
        var note = result.Value.TryGetProperty("note", out var n) ? n.GetString() : null;
        return Done(ListPath(), note is { Length: > 0 } ? char.ToUpperInvariant(note[0]) + note[1..] + "." : $"Deleted the {Kind}.");
    }

    private async Task<IReadOnlyList<TermRow>> RowsAsync(IReadOnlyList<Term> found, CancellationToken ct)
    {
        var ids = found.Select(t => t.Id).ToList();
        var parentIds = found.Where(t => t.ParentId is not null).Select(t => t.ParentId!.Value).Distinct().ToList();
        // WordPress's count: published posts of each term, one GROUP BY for the whole page.
        var counts = await db.PostTerms.Where(pt => pt.SiteId == Site.Id && ids.Contains(pt.TermId))
            .Join(db.Posts.Where(p => p.SiteId == Site.Id && p.Status == PostStatuses.Publish), pt => pt.PostId, p => p.Id, (pt, p) => pt.TermId)
            .GroupBy(t => t).Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var parentNames = await db.Terms.Where(t => t.SiteId == Site.Id && parentIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var defaultId = IsCategory ? await terms.DefaultCategoryAsync(Site.Id, ct) : null;
        return found.Select(t => new TermRow(t.Id, t.Name, t.Slug, t.Description, t.ParentId,
            t.ParentId is { } p ? parentNames.GetValueOrDefault(p) : null, counts.GetValueOrDefault(t.Id), t.Id == defaultId)).ToList();
    }

    /// <summary>Every category of the site in tree order, for the parent lists (one query; a site's categories are a short list).</summary>
    private async Task<IReadOnlyList<ParentChoice>> ParentChoicesAsync(CancellationToken ct)
    {
        var all = await db.Terms.AsNoTracking().Where(t => t.SiteId == Site.Id && t.Taxonomy == Taxonomies.Category)
            .OrderBy(t => t.Name).Select(t => new { t.Id, t.Name, t.ParentId }).ToListAsync(ct);
        var ids = all.Select(t => t.Id).ToHashSet();
        var children = all.ToLookup(t => t.ParentId is { } p && ids.Contains(p) ? p : 0);
        var result = new List<ParentChoice>(all.Count);
        var seen = new HashSet<long>();
        void Walk(long parent, int depth)
        {
            foreach (var c in children[parent])
            {
                if (!seen.Add(c.Id)) continue;
                result.Add(new ParentChoice(c.Id, new string('—', depth) + (depth > 0 ? " " : "") + c.Name));
                Walk(c.Id, depth + 1);
            }
        }
        Walk(0, 0);
        // A loop of parents (only a damaged import makes one) is never reached from the top: list those too.
        result.AddRange(all.Where(t => !seen.Contains(t.Id)).Select(t => new ParentChoice(t.Id, t.Name)));
        return result;
    }
}

/// <summary><c>/account/sites/{slug}/categories</c>.</summary>
internal sealed class CategoriesModel(SitePages pages, PressDbContext db, PersonCalls calls, TermEditor terms) : TermsPageModel(pages, db, calls, terms)
{
    public override string Section => "categories";
    public override string Taxonomy => Taxonomies.Category;
}

/// <summary><c>/account/sites/{slug}/tags</c>.</summary>
internal sealed class TagsModel(SitePages pages, PressDbContext db, PersonCalls calls, TermEditor terms) : TermsPageModel(pages, db, calls, terms)
{
    public override string Section => "tags";
    public override string Taxonomy => Taxonomies.Tag;
}
