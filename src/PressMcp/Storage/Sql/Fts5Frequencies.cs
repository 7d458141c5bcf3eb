using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace PressMcp.Storage.Sql;

/// <summary>
/// <c>pm_rows(posts_fts)</c>: an FTS5 auxiliary function that hands each row of a full-text query, with what it found of
/// every phrase (the column of its first occurrence, or its occurrences in each of the first three columns, title,
/// excerpt and content, packed as <c>title | excerpt &lt;&lt; 21 | content &lt;&lt; 42</c>: <see cref="Unpack"/>), to the
/// <see cref="Fts5RowSink"/> the calling thread set (<see cref="Collect"/>), inside SQLite's own step: the statement
/// around it is an aggregate over a subquery, so no row crosses into ADO.NET. Why: the in-memory search
/// (Content/Search/SearchPostings) ranks with bm25 exactly as FTS5 does, and for that needs each match's frequency of
/// every word; FTS5 finds the few rows a frequent word shares with a rare one by seeking and reports their counts from
/// the positions it has already loaded, where <c>fts5vocab</c> walks all of a frequent word's occurrences. And reading a
/// match through Microsoft.Data.Sqlite (a step, the row's columns, an auxiliary function per word) cost about 0.5–0.7 µs,
/// where FTS5 walks a word's list at about 0.04 µs a row (a word in 65,000 rows: 2.8 ms), and the searches that read the
/// rows their words share, or a frequent word's rows, spent most of their time there (docs/performance.md, Search).
/// Without a sink set on the thread (any other caller) it returns 1 and does nothing.
/// <para>
/// Registered on the <c>sqlite3</c> handle by <see cref="SqliteConnectionSetup"/>, once per handle, through FTS5's own
/// C interface (<c>fts5_api.xCreateFunction</c>, reached by <c>SELECT fts5(?)</c> with a bound pointer), which
/// Microsoft.Data.Sqlite and SQLitePCLRaw do not expose: the calls go to the same native library SQLitePCLRaw loaded
/// (<c>e_sqlite3</c>). Nothing is written to the database file, so plain <c>sqlite3</c> clients and the migrations are
/// untouched; only this server's statements call it. The layouts below are SQLite's <c>fts5.h</c> (stable: FTS5 only
/// appends members, and <c>iVersion</c> says which exist). Session 16's <c>pm_frequencies(posts_fts, phrase)</c>, one
/// phrase's counts a call read through ADO.NET, is gone: every read it served goes through <c>pm_rows</c>.
/// </para>
/// </summary>
internal static unsafe partial class Fts5Frequencies
{
    /// <summary>The function's name in SQL.</summary>
    public const string RowsName = "pm_rows";

    /// <summary>The most phrases a query handed to a sink may have (the values are kept on the stack).</summary>
    public const int MaxPhrases = 16;

    [ThreadStatic]
    private static Fts5RowSink? t_sink;

    /// <summary>
    /// Runs <paramref name="command"/>, an aggregate over <c>pm_rows(posts_fts)</c> (<c>SELECT max(x) FROM (SELECT
    /// pm_rows(posts_fts) AS x FROM posts_fts WHERE posts_fts MATCH … ORDER BY rowid LIMIT …)</c>: FTS5 refuses its
    /// functions in an aggregate's own row loop, and a subquery with a LIMIT is not flattened into it), with <paramref name="sink"/> receiving its rows; true when every row was
    /// accepted. Synchronous on purpose: the sink is the calling thread's while SQLite steps (Microsoft.Data.Sqlite's
    /// asynchronous methods run synchronously too).
    /// </summary>
    public static bool Collect(Microsoft.Data.Sqlite.SqliteCommand command, Fts5RowSink sink)
    {
        var previous = t_sink;
        t_sink = sink;
        try
        {
            var result = command.ExecuteScalar();
            return !sink.Failed && result is not 1L;
        }
        finally
        {
            t_sink = previous;
        }
    }

    private const string Library = "e_sqlite3";

    private const int Ok = 0;
    private const int Row = 100;

    /// <summary>Bits per column in the packed result: a column of two million occurrences of one word would not fit.</summary>
    private const int Bits = 21;
    private const long Mask = (1L << Bits) - 1;

    /// <summary>The title, excerpt and content counts of a packed result (the caller checks -1 first).</summary>
    public static (int Title, int Excerpt, int Content) Unpack(long packed) =>
        ((int)(packed & Mask), (int)((packed >> Bits) & Mask), (int)((packed >> (2 * Bits)) & Mask));

    /// <summary>Registers <c>pm_rows</c> on a handle; throws when FTS5 is missing or refuses it (as <see cref="SqliteFunctions"/>).</summary>
    public static void Register(sqlite3 handle)
    {
        var db = handle.DangerousGetHandle();
        Fts5Api* api = null;
        IntPtr statement;
        int rc;
        fixed (byte* sql = "SELECT fts5(?1)\0"u8)
            if ((rc = sqlite3_prepare_v2(db, sql, -1, out statement, IntPtr.Zero)) != Ok) throw new InvalidOperationException($"SQLite could not prepare fts5() (error {rc}).");
        try
        {
            // The type name is compared by FTS5 during the step; a literal lives as long as the process.
            fixed (byte* type = "fts5_api_ptr\0"u8)
            {
                if ((rc = sqlite3_bind_pointer(statement, 1, &api, type, IntPtr.Zero)) != Ok || (rc = sqlite3_step(statement)) != Row)
                    throw new InvalidOperationException($"SQLite did not hand over its FTS5 interface (error {rc}).");
            }
        }
        finally
        {
            _ = sqlite3_finalize(statement);
        }
        if (api is null || api->Version < 2) throw new InvalidOperationException("SQLite's FTS5 interface is too old.");
        // FTS5 copies the name.
        fixed (byte* name = "pm_rows\0"u8)
            rc = api->CreateFunction(api, name, IntPtr.Zero, &Rows, IntPtr.Zero);
        if (rc != Ok) throw new InvalidOperationException($"SQLite could not register {RowsName} (error {rc}).");
    }

    /// <summary>
    /// <c>pm_rows</c>: the row's id and, per phrase, the column of its first occurrence (a phrase's positions come in column
    /// order) or its occurrences per column packed (<see cref="Unpack"/>), as the sink asks, handed to the
    /// thread's sink. 0 when accepted; 1 otherwise (no sink, too many phrases, the sink refused the row, an error), and
    /// the sink is then marked failed. Nothing may throw out of a function SQLite calls.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Rows(Fts5ExtensionApi* api, IntPtr fts, IntPtr context, int count, IntPtr* values)
    {
        var sink = t_sink;
        if (sink is null || sink.Failed)
        {
            sqlite3_result_int64(context, 1);
            return;
        }
        try
        {
            var phrases = api->PhraseCount(fts);
            if (phrases > MaxPhrases) throw new InvalidOperationException("too many phrases");
            var found = stackalloc long[phrases];
            PhraseIterator iterator;
            int column, offset;
            for (var phrase = 0; phrase < phrases; phrase++)
            {
                if (api->PhraseFirst(fts, phrase, &iterator, &column, &offset) != Ok) throw new InvalidOperationException("no phrase iterator");
                if (sink.FirstColumnOnly)
                {
                    found[phrase] = column;
                    continue;
                }
                found[phrase] = CountPerColumn(api, fts, &iterator, column, offset);
            }
            if (sink.Accept(api->Rowid(fts), new ReadOnlySpan<long>(found, phrases)))
            {
                sqlite3_result_int64(context, 0);
                return;
            }
        }
#pragma warning disable CA1031 // An exception must not cross into SQLite: the sink is marked failed and the caller goes another way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        sink.Failed = true;
        sqlite3_result_int64(context, 1);
    }

    /// <summary>
    /// A phrase's occurrences in the row per column, packed (<see cref="Unpack"/>), walked with FTS5's phrase iterator
    /// from its first occurrence (<paramref name="column"/>, <paramref name="offset"/>, as <c>xPhraseFirst</c> gave them).
    /// </summary>
    private static long CountPerColumn(Fts5ExtensionApi* api, IntPtr fts, PhraseIterator* iterator, int column, int offset)
    {
        long title = 0, excerpt = 0, content = 0;
        for (; column >= 0; api->PhraseNext(fts, iterator, &column, &offset))
        {
            switch (column)
            {
                case 0: title++; break;
                case 1: excerpt++; break;
                case 2: content++; break;
            }
        }
        return Math.Min(title, Mask) | (Math.Min(excerpt, Mask) << Bits) | (Math.Min(content, Mask) << (2 * Bits));
    }

    /// <summary>fts5.h's <c>fts5_api</c> up to <c>xCreateFunction</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Fts5Api
    {
        public int Version;
        public IntPtr CreateTokenizer;
        public IntPtr FindTokenizer;
        public delegate* unmanaged[Cdecl]<Fts5Api*, byte*, IntPtr, delegate* unmanaged[Cdecl]<Fts5ExtensionApi*, IntPtr, IntPtr, int, IntPtr*, void>, IntPtr, int> CreateFunction;
    }

    /// <summary>fts5.h's <c>Fts5ExtensionApi</c> (version 2 and later) up to <c>xPhraseNext</c>; the members not called are opaque.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Fts5ExtensionApi
    {
        public int Version;
        public IntPtr UserData, ColumnCount, RowCount, ColumnTotalSize, Tokenize;
        public delegate* unmanaged[Cdecl]<IntPtr, int> PhraseCount;
        public IntPtr PhraseSize, InstCount, Inst;
        public delegate* unmanaged[Cdecl]<IntPtr, long> Rowid;
        public IntPtr ColumnText, ColumnSize, QueryPhrase, SetAuxdata, GetAuxdata;
        public delegate* unmanaged[Cdecl]<IntPtr, int, PhraseIterator*, int*, int*, int> PhraseFirst;
        public delegate* unmanaged[Cdecl]<IntPtr, PhraseIterator*, int*, int*, void> PhraseNext;
    }

    /// <summary>fts5.h's <c>Fts5PhraseIter</c>: two pointers FTS5 keeps its place in.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PhraseIterator
    {
        public byte* A;
        public byte* B;
    }

    [LibraryImport(Library)]
    private static partial int sqlite3_prepare_v2(IntPtr db, byte* sql, int bytes, out IntPtr statement, IntPtr tail);

    [LibraryImport(Library)]
    private static partial int sqlite3_bind_pointer(IntPtr statement, int index, void* pointer, byte* type, IntPtr destructor);

    [LibraryImport(Library)]
    private static partial int sqlite3_step(IntPtr statement);

    [LibraryImport(Library)]
    private static partial int sqlite3_finalize(IntPtr statement);

    [LibraryImport(Library)]
    private static partial void sqlite3_result_int64(IntPtr context, long value);
}

/// <summary>
/// What <c>pm_rows</c> hands each row of a full-text query to, on the thread that runs the statement
/// (<see cref="Fts5Frequencies.Collect"/>). Called from inside SQLite's step: it must not block or call SQLite.
/// </summary>
internal abstract class Fts5RowSink
{
    /// <summary>
    /// True: each phrase's value is the column of its first occurrence in the row (0 title, 1 excerpt, 2 content, 3
    /// facets; -1 none); false: its occurrences in title, excerpt and content packed (<see cref="Fts5Frequencies.Unpack"/>).
    /// </summary>
    public abstract bool FirstColumnOnly { get; }

    /// <summary>Set when a row was refused or could not be read: the statement's rows after it are ignored.</summary>
    public bool Failed { get; set; }

    /// <summary>One row: its rowid and a value per phrase of the query; false refuses it (the collection fails).</summary>
    public abstract bool Accept(long rowid, ReadOnlySpan<long> phrases);
}
