using PressMcp.Content.Search;

namespace PressMcp.Tests.Content;

/// <summary>
/// A PostgreSQL word's list as held in memory: packed (the gap and the head flags as one varint a row) and unpacked by
/// each search; as bit sets when in three eighths of the rows it spans or more; or held as it is in more than
/// <see cref="PostgresWordPostings.PackedMaxRows"/> posts spread more thinly. The searches' tests compare whole answers
/// with SQL on small sites, with packed lists and bit sets (their frequent words); these cover the rest.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class PostgresWordPostingsTests
{
    /// <summary>Random ascending rows with random head flags, the gaps drawn up to <paramref name="maxGap"/>.</summary>
    private static (int[] Rows, byte[] Head) RandomList(Random random, int count, int maxGap)
    {
        var rows = new int[count];
        var head = new byte[count];
        var row = -1;
        for (var k = 0; k < count; k++)
        {
            row += random.Next(1, maxGap + 1);
            rows[k] = row;
            head[k] = (byte)random.Next(0, 4);
        }
        return (rows, head);
    }

    private static (int[] Rows, byte[] Head) Unpacked(PostgresWordPostings word)
    {
        // Longer than the list, as the pooled arrays a search unpacks into are; only the first Count places are the list's.
        var rows = Enumerable.Repeat(-7, word.Count + 5).ToArray();
        var head = Enumerable.Repeat((byte)9, word.Count + 5).ToArray();
        word.Unpack(rows, head);
        return (rows[..word.Count], head[..word.Count]);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(13_000, 31)] // a frequent word: every gap under 32
    [InlineData(700, 4_095)] // a rare word: gaps up to two bytes
    [InlineData(300, 2_000_000)] // gaps of three and four bytes, far past any site the bench has
    public void Pack_ThenUnpack_GivesTheRowsAndFlagsBack(int count, int maxGap)
    {
        var random = new Random(count * 31 + maxGap);
        var (rows, head) = RandomList(random, count, maxGap);

        var word = PostgresWordPostings.Pack(rows, head);

        Assert.True(word.Held);
        Assert.NotNull(word.Packed);
        Assert.Equal(count, word.Count);
        Assert.Equal(count, word.FloorRows);
        var (outRows, outHead) = Unpacked(word);
        Assert.Equal(rows, outRows);
        Assert.Equal(head, outHead);
    }

    [Fact]
    public void Pack_FrequentWord_TakesAByteARow_AndIsChargedNoLessThanItHolds()
    {
        var (rows, head) = RandomList(new Random(5), 13_000, 31);

        var word = PostgresWordPostings.Pack(rows, head);

        // A gap under 32 and two flag bits fit seven bits: one byte a row, against an int and a flag byte unpacked.
        Assert.Equal(13_000, word.Packed!.Length);
        Assert.Equal(64 + 13_000, word.Bytes);
        // The holder admits a word by its charge before reading it: never less than what the word turns out to hold.
        Assert.True(PostgresWordPostings.Charge(13_000) >= word.Bytes);
    }

    [Theory]
    [InlineData(30, 2)] // the fewest rows held as bit sets: 24 bytes, a block's three words, for 64 rows or fewer
    [InlineData(10_000, 2)] // a word in about two thirds of the rows
    [InlineData(90_000, 1)] // in every row it spans: as the bench site's stop words
    public void Pack_WordInThreeEighthsOfItsRowsOrMore_IsHeldAsBitSets_EachRowWithItsFlags(int count, int maxGap)
    {
        var (rows, head) = RandomList(new Random(count + maxGap), count, maxGap);

        var word = PostgresWordPostings.Pack(rows, head);

        Assert.True(word.Held);
        Assert.Null(word.Packed);
        Assert.Null(word.Rows);
        var dense = Assert.IsType<ulong[]>(word.Dense);
        Assert.Equal(count, word.Count);
        Assert.Equal(count, word.FloorRows);
        // Every row of the span, and a block past it: a listed row has its own flags, any other is absent.
        var flags = new Dictionary<int, byte>();
        for (var k = 0; k < count; k++) flags[rows[k]] = head[k];
        for (var row = 0; row < rows[^1] + 130; row++)
            Assert.Equal(flags.TryGetValue(row, out var f) ? f : PostgresWordPostings.Absent, PostgresWordPostings.DenseHead(dense, row));
        // Three words of 8 bytes a block of 64 rows up to the last: no more than a byte a listed row, what packing needs at least.
        Assert.Equal(3 * (rows[^1] / 64 + 1), dense.Length);
        Assert.True(word.Bytes <= 64 + count);
        Assert.True(PostgresWordPostings.Charge(count) >= word.Bytes);
    }

    [Fact]
    public void Pack_WordInFewerThanThreeEighthsOfItsRows_IsPacked()
    {
        // 24 rows in the first block are bit sets (24 bytes, a byte a row); one row further out makes them 48 bytes for 24 rows.
        var rows = Enumerable.Range(0, 24).ToArray();
        var head = new byte[24];
        Assert.NotNull(PostgresWordPostings.Pack(rows, head).Dense);
        var spread = rows[..^1].Append(64).ToArray();
        var packed = PostgresWordPostings.Pack(spread, head);
        Assert.Null(packed.Dense);
        Assert.NotNull(packed.Packed);
    }

    [Fact]
    public void Pack_WordInMoreThanPackedMaxRows_SpreadThinly_IsHeldUnpacked_AsItWasRead()
    {
        var count = PostgresWordPostings.PackedMaxRows + 1;
        // Gaps of 2 to 6 rows: about a quarter of the rows it spans, too few for bit sets.
        var (rows, head) = RandomList(new Random(11), count, 6);
        for (var k = 0; k < count; k++) rows[k] += k;

        var word = PostgresWordPostings.Pack(rows, head);

        Assert.True(word.Held);
        Assert.Null(word.Packed);
        Assert.Null(word.Dense);
        Assert.Equal(count, word.Count);
        Assert.Equal(rows, word.Rows);
        Assert.Equal(head, word.Head);
        Assert.Equal(64 + 5L * count, word.Bytes);
        Assert.Equal(word.Bytes, PostgresWordPostings.Charge(count));
        // One row fewer is packed again.
        Assert.NotNull(PostgresWordPostings.Pack(rows[..^1], head[..^1]).Packed);
    }
}
