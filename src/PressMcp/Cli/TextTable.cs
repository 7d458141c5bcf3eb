namespace PressMcp.Cli;

/// <summary>A plain column-aligned table for command output.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(TextWriter w)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(w, headers, widths);
        foreach (var row in _rows) WriteRow(w, row, widths);
    }

    private static void WriteRow(TextWriter w, string[] cells, int[] widths) =>
        w.WriteLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
}
