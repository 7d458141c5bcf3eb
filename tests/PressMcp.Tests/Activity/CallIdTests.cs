using PressMcp.Abilities;
using PressMcp.Activity;

namespace PressMcp.Tests.Activity;

[Trait(Category.Name, Category.Unit)]
public sealed class CallIdTests
{
    private static readonly McpCaller Caller = new(1, false, new HashSet<string>(), null, "client", "wpcom");

    [Fact]
    public void CallIds_OfSuccessiveCalls_SortByTimeAsStored()
    {
        var clock = new ManualClock();
        var ids = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(new AbilityCall(Caller, default, null, null, clock).CallId);
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        // As SQLite stores them (upper-case text) and as PostgreSQL compares uuid values (their bytes in text order).
        Assert.Equal(ids.Select(id => id.ToString().ToUpperInvariant()), ids.Select(id => id.ToString().ToUpperInvariant()).Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void CallIds_AreVersion7_WithTheTimeAndRandomBits()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_123);
        var ids = Enumerable.Range(0, 1_000).Select(_ => CallIds.New(at)).ToList();
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.Variant >> 2));
        // RFC 9562 §5.7: the first 48 bits are the Unix time in milliseconds.
        Assert.All(ids, id => Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(id.ToString("N")[..12], 16)));
        // Several buffers' worth in one millisecond, none repeated.
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
