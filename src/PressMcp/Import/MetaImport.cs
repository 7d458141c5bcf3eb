using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// Custom fields, kept as text (serialized PHP stays serialized PHP; ids in values such as _thumbnail_id are
/// the export's and are not rewritten). Keys may repeat, so a value is matched to the stored one with the
/// same key and the same position among that key's values. Keys the file does not mention are left alone:
/// they were added here, after the import.
/// </summary>
internal sealed class MetaImport(PressDbContext db)
{
    public async Task ApplyAsync(Site site, IReadOnlyList<StagedItem> batch, ImportContext context, CancellationToken ct)
    {
        foreach (var staged in batch.Where(i => i.IsNew))
        {
            // A new post has no custom fields yet: every value is a new row.
            foreach (var m in staged.Item.Meta) await context.Rows.MetaAsync(site.Id, staged.LocalId, m.Key, m.Value, ct);
            context.Report.Created(ImportKind.Meta, staged.Item.Meta.Count);
        }

        var ids = batch.Where(i => !i.IsNew).Select(i => i.LocalId).ToList();
        var stored = (await db.PostMeta.Where(m => m.SiteId == site.Id && ids.Contains(m.PostId)).OrderBy(m => m.Id).ToListAsync(ct))
            .ToLookup(m => m.PostId);
        foreach (var staged in batch.Where(i => !i.IsNew))
        {
            var current = stored[staged.LocalId].ToLookup(m => m.Key, StringComparer.Ordinal);
            foreach (var group in staged.Item.Meta.GroupBy(m => m.Key, StringComparer.Ordinal))
                Apply(site, staged.LocalId, group.Select(m => m.Value).ToList(), current[group.Key].ToList(), group.Key, context.Report);
        }
    }

    private void Apply(Site site, long postId, List<string> values, List<PostMeta> rows, string key, ImportReport report)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i >= rows.Count)
            {
                db.PostMeta.Add(new PostMeta { SiteId = site.Id, PostId = postId, Key = key, Value = values[i] });
                report.Created(ImportKind.Meta);
                continue;
            }
            var changed = rows[i].Value != values[i];
            rows[i].Value = values[i];
            report.Count(ImportKind.Meta, created: false, changed);
        }
        // The file has fewer values for this key than we do: the export is the truth for its own keys.
        db.PostMeta.RemoveRange(rows.Skip(values.Count));
    }
}
