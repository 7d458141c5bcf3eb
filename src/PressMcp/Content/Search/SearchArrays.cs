using System.Buffers;

namespace PressMcp.Content.Search;

/// <summary>
/// The pools the in-memory search's working arrays come from: an intersection's matches (<see cref="SearchPostings.Matches"/>)
/// and the rows several words share as FTS5 gives them (<see cref="SearchPostingsReader.ReadCommonRowsAsync"/>). Why not
/// <see cref="ArrayPool{T}.Shared"/>: it keeps one array of every size in every thread that ever returned one, and a
/// search grows its arrays by doubling (1,024 up to 131,072 places for a word every post contains), so each pool thread
/// that ran a search kept about 1 MB of them (5.8 MB of such arrays in the threads' slots at the served mix's peak).
/// These pools keep at most <see cref="ArraysPerSize"/> arrays of each size, whichever thread returns them; an array
/// asked for when they are all out is allocated and, if the pool is full when it comes back, left to the collector.
/// A search rents and returns them without awaiting in between, so only the searches running on a core at that moment
/// hold one. docs/performance.md, Memory.
/// </summary>
internal static class SearchArrays
{
    /// <summary>
    /// The longest array kept: 131,072 elements (512 KB), the matches of a word every post of the 100,000-post site contains.
    /// Longer ones are allocated for the search and collected after it.
    /// </summary>
    public const int MaxPooledLength = 1 << 17;

    /// <summary>Arrays of one size kept: one per core (at least two), the searches that can run at once.</summary>
    public static readonly int ArraysPerSize = Math.Max(2, Environment.ProcessorCount);

    public static readonly ArrayPool<int> Ints = ArrayPool<int>.Create(MaxPooledLength, ArraysPerSize);

    public static readonly ArrayPool<uint> UInts = ArrayPool<uint>.Create(MaxPooledLength, ArraysPerSize);
}
