using PressMcp.Content.Search;

namespace PressMcp.Tests.Content;

/// <summary>
/// A PostgreSQL word's list as held in memory: packed (the gap and the head flags as one varint a row) and unpacked by
/// each search, or held as it is in more than <see cref="PostgresWordPostings.PackedMaxRows"/> posts. The searches' tests
/// compare whole answers with SQL on small sites, where every list is packed and gaps are small; these cover the rest.
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

    [Fact]
    public void Pack_WordInMoreThanPackedMaxRows_IsHeldUnpacked_AsItWasRead()
    {
        var count = PostgresWordPostings.PackedMaxRows + 1;
        var (rows, head) = RandomList(new Random(11), count, 3);

        var word = PostgresWordPostings.Pack(rows, head);

        Assert.True(word.Held);
        Assert.Null(word.Packed);
        Assert.Equal(count, word.Count);
        Assert.Equal(rows, word.Rows);
        Assert.Equal(head, word.Head);
        Assert.Equal(64 + 5L * count, word.Bytes);
        Assert.Equal(word.Bytes, PostgresWordPostings.Charge(count));
        // One row fewer is packed again.
        Assert.NotNull(PostgresWordPostings.Pack(rows[..^1], head[..^1]).Packed);
    }
}
