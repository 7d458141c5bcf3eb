using System.Globalization;
using PressMcp.Observability;

namespace PressMcp.Import;

/// <summary>What an import counts, in the order the report lists them.</summary>
internal enum ImportKind
{
    Authors,
    Categories,
    Tags,
    Posts,
    Pages,
    Attachments,
    Comments,
    Meta,
}

internal sealed record ImportCount(int Created, int Updated, int Skipped);

/// <summary>
/// What an import did, per kind: created, updated (the file's version differed), skipped (already there
/// and unchanged). Items and terms of kinds we do not import are listed by their WordPress name.
/// </summary>
internal sealed class ImportReport(StagingSummary staged, ImportPhases phases)
{
    private readonly Dictionary<ImportKind, ImportCount> _counts = Enum.GetValues<ImportKind>().ToDictionary(k => k, _ => new ImportCount(0, 0, 0));

    public string Version => staged.Version;
    public IReadOnlyDictionary<ImportKind, ImportCount> Counts => _counts;
    /// <summary>Items of other post types (nav_menu_item, wp_block, custom types), by type.</summary>
    public IReadOnlyDictionary<string, int> SkippedItemTypes => staged.SkippedItems;
    /// <summary>Terms of other taxonomies (nav_menu, custom ones), by taxonomy.</summary>
    public IReadOnlyDictionary<string, int> SkippedTaxonomies => staged.SkippedTerms;
    /// <summary>Items that appeared twice in the file (same id and GUID); the first one counts.</summary>
    public int DuplicateItems => staged.DuplicateItems;
    /// <summary>Items and comments left out, each "file:line:column: why" (the first <see cref="StagingWriter.MaxWarnings"/>).</summary>
    public IReadOnlyList<string> Warnings => staged.Warnings;
    /// <summary>How many were left out in all.</summary>
    public int WarningCount => staged.WarningCount;
    /// <summary>Who each author of the export became here, and why, in the export's order of logins.</summary>
    public List<AuthorOutcome> Authors { get; } = [];
    /// <summary>How long pass 2's transactions held the database's write lock, in all (the pauses between them not counted).</summary>
    public TimeSpan WriteLockHeld { get; private set; }
    /// <summary>The longest any one of them held it: how long a live writer could have waited.</summary>
    public TimeSpan LongestWriteLockHold { get; private set; }
    /// <summary>How many transactions pass 2 committed.</summary>
    public int Transactions { get; private set; }
    /// <summary>Where the time went, phase by phase.</summary>
    public ImportPhases Phases => phases;

    public void TransactionCommitted(TimeSpan held)
    {
        WriteLockHeld += held;
        if (held > LongestWriteLockHold) LongestWriteLockHold = held;
        Transactions++;
        CountCommitted();
    }

    /// <summary>The counts as the last committed batch left them: what the import metric has been told.</summary>
    private readonly Dictionary<ImportKind, ImportCount> _committed = Enum.GetValues<ImportKind>().ToDictionary(k => k, _ => new ImportCount(0, 0, 0));

    /// <summary>
    /// Adds what the batch just committed to <c>pressmcp.import.items</c>: counted at the commit, not as rows are read,
    /// so the rate a scraper sees is what reached the database, and a batch rolled back is never counted.
    /// </summary>
    private void CountCommitted()
    {
        if (!PressMetrics.ImportEnabled) return;
        foreach (var (kind, now) in _counts)
        {
            var before = _committed[kind];
            if (now == before) continue;
            var name = NameOf(kind);
            PressMetrics.Imported(name, "created", now.Created - before.Created);
            PressMetrics.Imported(name, "updated", now.Updated - before.Updated);
            PressMetrics.Imported(name, "skipped", now.Skipped - before.Skipped);
            _committed[kind] = now;
        }
    }

    public void Created(ImportKind kind, int count = 1) => _counts[kind] = _counts[kind] with { Created = _counts[kind].Created + count };
    public void Updated(ImportKind kind) => _counts[kind] = _counts[kind] with { Updated = _counts[kind].Updated + 1 };
    public void Skipped(ImportKind kind) => _counts[kind] = _counts[kind] with { Skipped = _counts[kind].Skipped + 1 };

    public void Count(ImportKind kind, bool created, bool changed)
    {
        if (created) Created(kind);
        else if (changed) Updated(kind);
        else Skipped(kind);
    }

    public static string NameOf(ImportKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Other types and taxonomies in one phrase, e.g. "70 nav_menu_item items, 6 nav_menu terms".</summary>
    public string DescribeOthers()
    {
        var parts = SkippedItemTypes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Phrase(p.Value, p.Key, "item"))
            .Concat(SkippedTaxonomies.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Phrase(p.Value, p.Key, "term")))
            .ToList();
        if (DuplicateItems > 0) parts.Add(Phrase(DuplicateItems, "duplicate", "item"));
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static string Phrase(int n, string name, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {name} {noun}{(n == 1 ? "" : "s")}");
}
