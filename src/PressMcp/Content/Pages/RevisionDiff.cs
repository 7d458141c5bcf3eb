using DiffPlex;
using DiffPlex.Chunkers;

namespace PressMcp.Content.Pages;

/// <summary>A run of text on one side of a difference; <see cref="Changed"/> when it is not on the other side.</summary>
internal sealed record DiffSpan(string Text, bool Changed)
{
    /// <summary>
    /// A line's spans as HTML, changed ones inside <paramref name="tag"/> (<c>del</c> or <c>ins</c>), with no whitespace
    /// between them: the diff's cells keep whitespace as it is (pre-wrap), so markup around the spans must add none.
    /// </summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Render(IReadOnlyList<DiffSpan>? spans, string tag)
    {
        var html = new Microsoft.AspNetCore.Html.HtmlContentBuilder();
        foreach (var span in spans ?? [])
        {
            if (span.Changed) html.AppendHtml($"<{tag}>").Append(span.Text).AppendHtml($"</{tag}>");
            else html.Append(span.Text);
        }
        return html;
    }
}

internal enum DiffRowKind
{
    Same,
    Changed,
    Removed,
    Added,
    /// <summary>Unchanged lines left out between changes; <see cref="DiffRow.Skipped"/> says how many.</summary>
    Skipped,
}

/// <summary>One line of a side-by-side difference: the old line (null: none) beside the new one.</summary>
internal sealed record DiffRow(DiffRowKind Kind, IReadOnlyList<DiffSpan>? Old, IReadOnlyList<DiffSpan>? New, int Skipped = 0);

/// <summary>The difference of one field (title, content or excerpt); <see cref="TooLarge"/> when it was not computed.</summary>
internal sealed record FieldDiff(string Field, IReadOnlyList<DiffRow> Rows, bool Identical, string? TooLarge = null);

/// <summary>
/// A readable side-by-side difference of two versions of a post, by DiffPlex (Myers' algorithm): lines first, then
/// the words of each changed line paired with its new form. Myers costs time in (size × differences), so both steps
/// are bounded: at most <see cref="MaxLines"/> lines in all, and word differences only within lines of at most
/// <see cref="MaxWordLineLength"/> characters (a longer changed line is shown whole on both sides). Unchanged lines
/// further than <see cref="Context"/> from a change are folded into one row.
/// </summary>
internal static class RevisionDiff
{
    public const int MaxLines = 5_000;
    public const int MaxWordLineLength = 20_000;
    public const int Context = 3;

    public static FieldDiff Compare(string field, string oldText, string newText)
    {
        if (oldText == newText) return new FieldDiff(field, [], Identical: true);
        // One kind of line ending, so the chunker's lines are the lines a reader sees.
        oldText = oldText.ReplaceLineEndings("\n");
        newText = newText.ReplaceLineEndings("\n");
        var (oldCount, newCount) = (oldText.Count(c => c == '\n') + 1, newText.Count(c => c == '\n') + 1);
        if (oldCount + newCount > MaxLines)
            return new FieldDiff(field, [], Identical: false, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{oldCount:N0} and {newCount:N0} lines: more than the {MaxLines:N0} lines compared line by line"));
        var result = Differ.Instance.CreateDiffs(oldText, newText, ignoreWhiteSpace: false, ignoreCase: false, LineChunker.Instance);
        var (oldLines, newLines) = (result.PiecesOld, result.PiecesNew);
        var rows = new List<DiffRow>();
        int a = 0, b = 0;
        foreach (var block in result.DiffBlocks)
        {
            for (; a < block.DeleteStartA && b < block.InsertStartB; a++, b++) rows.Add(Same(oldLines[a]));
            var pairs = Math.Max(block.DeleteCountA, block.InsertCountB);
            for (var i = 0; i < pairs; i++)
            {
                var old = i < block.DeleteCountA ? oldLines[block.DeleteStartA + i] : null;
                var @new = i < block.InsertCountB ? newLines[block.InsertStartB + i] : null;
                rows.Add(old is not null && @new is not null ? Changed(old, @new)
                    : old is not null ? new DiffRow(DiffRowKind.Removed, [new DiffSpan(old, true)], null)
                    : new DiffRow(DiffRowKind.Added, null, [new DiffSpan(@new!, true)]));
            }
            a = block.DeleteStartA + block.DeleteCountA;
            b = block.InsertStartB + block.InsertCountB;
        }
        while (a < oldLines.Count) rows.Add(Same(oldLines[a++]));
        return new FieldDiff(field, Fold(rows), Identical: false);
    }

    private static DiffRow Same(string line) => new(DiffRowKind.Same, [new DiffSpan(line, false)], [new DiffSpan(line, false)]);

    /// <summary>A changed line beside its new form, the words that differ marked on each side.</summary>
    private static DiffRow Changed(string old, string @new)
    {
        if (old.Length > MaxWordLineLength || @new.Length > MaxWordLineLength)
            return new DiffRow(DiffRowKind.Changed, [new DiffSpan(old, true)], [new DiffSpan(@new, true)]);
        var words = Differ.Instance.CreateDiffs(old, @new, ignoreWhiteSpace: false, ignoreCase: false, WordChunker.Instance);
        var oldChanged = new bool[words.PiecesOld.Count];
        var newChanged = new bool[words.PiecesNew.Count];
        foreach (var block in words.DiffBlocks)
        {
            for (var i = 0; i < block.DeleteCountA; i++) oldChanged[block.DeleteStartA + i] = true;
            for (var i = 0; i < block.InsertCountB; i++) newChanged[block.InsertStartB + i] = true;
        }
        return new DiffRow(DiffRowKind.Changed, Spans(words.PiecesOld, oldChanged), Spans(words.PiecesNew, newChanged));
    }

    /// <summary>Neighbouring pieces with the same mark joined into one span.</summary>
    private static List<DiffSpan> Spans(IReadOnlyList<string> pieces, bool[] changed)
    {
        var spans = new List<DiffSpan>();
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && changed[i] != changed[i - 1])
            {
                spans.Add(new DiffSpan(text.ToString(), changed[i - 1]));
                text.Clear();
            }
            text.Append(pieces[i]);
        }
        if (pieces.Count > 0) spans.Add(new DiffSpan(text.ToString(), changed[^1]));
        return spans;
    }

    /// <summary>Unchanged lines more than <see cref="Context"/> away from any change become one <see cref="DiffRowKind.Skipped"/> row.</summary>
    private static List<DiffRow> Fold(List<DiffRow> rows)
    {
        var near = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Kind == DiffRowKind.Same) continue;
            for (var j = Math.Max(0, i - Context); j <= Math.Min(rows.Count - 1, i + Context); j++) near[j] = true;
        }
        var folded = new List<DiffRow>();
        for (var i = 0; i < rows.Count;)
        {
            if (near[i] || rows[i].Kind != DiffRowKind.Same) { folded.Add(rows[i++]); continue; }
            var start = i;
            while (i < rows.Count && !near[i] && rows[i].Kind == DiffRowKind.Same) i++;
            // A fold of one line saves nothing: show it.
            if (i - start == 1) folded.Add(rows[start]);
            else folded.Add(new DiffRow(DiffRowKind.Skipped, null, null, i - start));
        }
        return folded;
    }
}
