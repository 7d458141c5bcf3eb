namespace PressMcp.Content.Search;

/// <summary>
/// PostgreSQL's <c>ts_rank_cd(weights, search_vector, query)</c>, computed here for the one query shape PostSearch sends
/// (every word ANDed, no weights, no prefix, distinct words; normalization 0) from the words' positions as the vector
/// stores them (<see cref="PostgresWordPostings.Positions"/>: PostgreSQL's 16-bit WordEntryPos, weight in the two high
/// bits, position in the low fourteen). Written anew after PostgreSQL 15's tsrank.c (calc_rank_cd, get_docrep, Cover),
/// with the same double operations in the same order and the same float4 result, so that ranks the statement finds
/// equal stay equal here and the order (rank, then the newest first) is the statement's to the bit:
/// <list type="bullet">
/// <item>the document is every position of every query word, sorted by position, then weight, then the word's place in
/// the vector's lexeme order (byte order), identical entries of one word joined;</item>
/// <item>covers are found left to right: from the current start, the first entry at which every word has been seen is the
/// cover's end; from there back, the first entry at which every word has been seen again is its start; the next search
/// starts after that start;</item>
/// <item>each cover adds (entries / Σ 1/weight) / (1 + noise), noise being the positions between the cover's ends not
/// taken by its entries (half its entries when negative: positions clamped at 16,383).</item>
/// </list>
/// PostgresSearchPostingsTests compares it with PostgreSQL's own on random queries.
/// </summary>
internal static class PostgresCoverDensity
{
    /// <summary>1 / weight, per WordEntryPos weight (D, C, B, A): PostSearch's '{0.2, 0.4, 0.7, 1.0}', each read as float4 first, as PostgreSQL does.</summary>
    private static readonly double[] InverseWeights = [1.0 / (double)0.2f, 1.0 / (double)0.4f, 1.0 / (double)0.7f, 1.0 / (double)1.0f];

    private const int PositionBits = 14;
    private const int PositionMask = (1 << PositionBits) - 1;

    /// <summary>
    /// One document entry as a sortable key: position, then weight, then the word's place in lexeme order (8 bits).
    /// Equal keys are the same word at the same position and weight, which PostgreSQL joins into one entry.
    /// </summary>
    public static int Key(ushort wordEntryPos, int lexemeOrder) =>
        ((wordEntryPos & PositionMask) << 10) | ((wordEntryPos >> PositionBits) << 8) | lexemeOrder;

    /// <summary>
    /// The rank of one document: <paramref name="keys"/> holds <paramref name="length"/> entries made by <see cref="Key"/>
    /// for every position of every one of <paramref name="words"/> words (sorted here, in place).
    /// </summary>
    public static float Rank(int[] keys, int length, int words)
    {
        if (length == 0) return 0f;
        Array.Sort(keys, 0, length);
        var n = 1;
        for (var i = 1; i < length; i++)
            if (keys[i] != keys[n - 1]) keys[n++] = keys[i];

        var all = (1 << words) - 1;
        var start = 0;
        var wdoc = 0.0;
        while (true)
        {
            // The cover's end: from the start up, the first entry where every word has been seen.
            var seen = 0;
            var (p, q, lastpos, begin, end) = (int.MaxValue, 0, start, 0, 0);
            var found = false;
            for (var at = start; at < n; at++)
            {
                seen |= 1 << (keys[at] & 0xFF);
                if (seen != all) continue;
                if (Position(keys[at]) > q)
                {
                    (q, end, lastpos, found) = (Position(keys[at]), at, at, true);
                }
                break;
            }
            if (!found) break;
            // Its start: from the end down, the first entry where every word has been seen again.
            seen = 0;
            var back = lastpos;
            for (; back >= start; back--)
            {
                seen |= 1 << (keys[back] & 0xFF);
                if (seen != all) continue;
                if (Position(keys[back]) < p) (begin, p) = (back, Position(keys[back]));
                break;
            }
            if (p > q)
            {
                start++;
                continue;
            }
            start = back + 1;

            var inverseSum = 0.0;
            for (var at = begin; at <= end; at++) inverseSum += InverseWeights[(keys[at] >> 8) & 3];
            var cpos = (end - begin + 1) / inverseSum;
            var noise = q - p - (end - begin);
            if (noise < 0) noise = (end - begin) / 2;
            wdoc += cpos / (1 + noise);
        }
        return (float)wdoc;
    }

    private static int Position(int key) => key >> 10;
}
