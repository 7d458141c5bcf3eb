using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.Data.Sqlite;
using PressMcp.Content;

namespace PressMcp.Import;

/// <summary>
/// What pass 1 found besides the staged rows: the format version, what it will not import, and the warnings (items and
/// comments it left out, each as "file:line:column: why"; at most <see cref="StagingWriter.MaxWarnings"/>, of <see cref="WarningCount"/>).
/// </summary>
internal sealed record StagingSummary(string Version, IReadOnlyDictionary<string, int> SkippedItems, IReadOnlyDictionary<string, int> SkippedTerms, int DuplicateItems,
    IReadOnlyList<string> Warnings, int WarningCount);

/// <summary>
/// Pass 1 of an import: the whole export streamed into a private SQLite file in the data directory, validated
/// on the way. The main database is not touched, so a bad file aborts with nothing changed, and pass 2 can
/// read the rows back in batches (constant memory) while it holds the main database's write lock briefly.
/// The file is deleted when the staging is disposed.
/// </summary>
internal sealed partial class WxrStaging : IDisposable
{
    private readonly SqliteConnection _db;

    private WxrStaging(string path)
    {
        Path = path;
        // Private, throwaway data: no journal and no fsync; no pooling so the file can be deleted at the end.
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        _db.Open();
        using var setup = new SqliteCommand("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;" + Schema, _db);
        setup.ExecuteNonQuery();
    }

    public static WxrStaging Create(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return new WxrStaging(System.IO.Path.Combine(dataDirectory, $"import-{Guid.NewGuid():N}.staging.db"));
    }

    /// <summary>The staging file, which pass 2 attaches to the import's connection on SQLite (<see cref="StagedInserts"/>).</summary>
    public string Path { get; }

    /// <summary>Streams <paramref name="xml"/> into the staging tables; any format error is a Problem naming the line and column.</summary>
    public Outcome<StagingSummary> Load(Stream xml, string sourceName, TimeZoneInfo siteZone, int maxContentLength, ImportPhases phases)
    {
        using var tx = _db.BeginTransaction();
        using var writer = new StagingWriter(_db);
        using var reader = new WxrReader(xml, siteZone, maxContentLength);
        try
        {
            // The XML is parsed on a second thread while this one writes the rows: each takes about half of pass 1.
            using var records = new ReadAhead<WxrRecord>(reader.Records(), chunkSize: 32, capacity: 2);
            foreach (var record in records.Items())
            {
                using (phases.Time("pass 1: write staging rows"))
                    writer.Add(record);
            }
        }
        catch (WxrFormatException ex)
        {
            return Problem.Invalid($"{sourceName}:{ex.At}: {ex.Message}");
        }
        catch (XmlException ex)
        {
            // XmlReader gives no position for a refused DTD; it is in the prolog, so the document's start is named.
            var at = ex.LineNumber > 0 ? new SourcePosition(ex.LineNumber, ex.LinePosition) : reader.Here with { Line = Math.Max(1, reader.Here.Line), Column = Math.Max(1, reader.Here.Column) };
            return Problem.Invalid($"{sourceName}:{at}: not well-formed XML: {Describe(ex)}");
        }
        tx.Commit();
        var warnings = writer.Warnings.Select(w => $"{sourceName}:{w.At}: {w.Message}").ToList();
        return Outcome<StagingSummary>.Ok(new StagingSummary(writer.Version, writer.SkippedItems, writer.SkippedTerms, writer.DuplicateItems, warnings, writer.WarningCount));
    }

    public void Dispose()
    {
        _db.Dispose();
        foreach (var file in new[] { Path, Path + "-journal", Path + "-wal", Path + "-shm" })
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// XmlException's message without its " Line 3, position 7." (we say where in our own format). A refused DTD's
    /// message tells how to enable DTDs, which is not advice for the person importing.
    /// </summary>
    private static string Describe(XmlException ex) =>
        ex.Message.Contains("DtdProcessing", StringComparison.Ordinal)
            ? "a document type declaration (<!DOCTYPE …>) is not allowed in an export"
            : XmlPositionSuffix().Replace(ex.Message, "");

    [GeneratedRegex(@"\s*Line \d+, position \d+\.\s*$")]
    private static partial Regex XmlPositionSuffix();

    private const string Schema = """
        CREATE TABLE authors (login TEXT PRIMARY KEY, email TEXT NOT NULL, display_name TEXT NOT NULL, source_id INTEGER);
        CREATE TABLE terms (taxonomy TEXT NOT NULL, slug TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
            parent_slug TEXT NOT NULL, declared INTEGER NOT NULL, PRIMARY KEY (taxonomy, slug));
        -- Long texts last: SQLite reads a row's columns in order, through the overflow pages of a long post, so a statement
        -- that wants only the short columns (planning reads type, slug, creator) stops before the text.
        CREATE TABLE items (seq INTEGER PRIMARY KEY, source_key TEXT NOT NULL UNIQUE, source_id INTEGER NOT NULL, guid TEXT NOT NULL,
            type TEXT NOT NULL, status TEXT NOT NULL, slug TEXT NOT NULL, creator TEXT NOT NULL, date_utc TEXT NOT NULL, modified_utc TEXT NOT NULL,
            parent_source_id INTEGER NOT NULL, menu_order INTEGER NOT NULL, sticky INTEGER NOT NULL, comment_status TEXT NOT NULL,
            ping_status TEXT NOT NULL, password TEXT NOT NULL, format TEXT NOT NULL, attachment_url TEXT NOT NULL,
            title TEXT NOT NULL, excerpt TEXT NOT NULL, content TEXT NOT NULL);
        CREATE INDEX items_by_source_id ON items (source_id, seq);
        CREATE TABLE item_terms (item_seq INTEGER NOT NULL, taxonomy TEXT NOT NULL, slug TEXT NOT NULL);
        CREATE INDEX item_terms_by_item ON item_terms (item_seq);
        CREATE TABLE item_meta (item_seq INTEGER NOT NULL, ord INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
        CREATE INDEX item_meta_by_item ON item_meta (item_seq, ord);
        CREATE TABLE comments (seq INTEGER PRIMARY KEY, item_seq INTEGER NOT NULL, source_key TEXT NOT NULL, source_id INTEGER NOT NULL,
            parent_source_id INTEGER NOT NULL, status TEXT NOT NULL, type TEXT NOT NULL, user_source_id INTEGER NOT NULL, date_utc TEXT NOT NULL,
            author_name TEXT NOT NULL, author_email TEXT NOT NULL, author_url TEXT NOT NULL, author_ip TEXT NOT NULL, content TEXT NOT NULL);
        CREATE INDEX comments_by_item ON comments (item_seq, source_id);
        -- What pass 2 decides for items and comments, apart from the (wide) staged rows so that recording it rewrites only
        -- these small rows: local ids, and an item's slug, author and media type (ImportPlanner).
        -- comment_count: what a new item is inserted with when all its comments are new too (StagedRules.CommentCountAtInsert).
        CREATE TABLE item_ids (seq INTEGER PRIMARY KEY, local_id INTEGER NOT NULL, is_new INTEGER NOT NULL,
            slug TEXT, author_id INTEGER, mime_type TEXT, comment_count INTEGER);
        CREATE TABLE comment_ids (seq INTEGER PRIMARY KEY, local_id INTEGER NOT NULL, is_new INTEGER NOT NULL);
        -- The site's ids of the file's terms and of its authors by their id in the exporting site (comments name users by it).
        CREATE TABLE local_terms (taxonomy TEXT NOT NULL, slug TEXT NOT NULL, term_id INTEGER NOT NULL, PRIMARY KEY (taxonomy, slug));
        CREATE TABLE local_users (source_id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL);
        """;
}
