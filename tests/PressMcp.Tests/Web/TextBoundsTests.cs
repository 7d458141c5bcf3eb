namespace PressMcp.Tests.Web;

[Trait(Category.Name, Category.Unit)]
public sealed class TextBoundsTests
{
    [Theory]
    [InlineData("", 5, "")]
    [InlineData("abcde", 5, "abcde")]
    [InlineData("abcdef", 5, "abcd…")]
    [InlineData("abcdef", 1, "…")]
    public void Shorten_KeepsWhatFits_AndMarksTheCut(string value, int max, string expected) =>
        Assert.Equal(expected, TextBounds.Shorten(value, max));

    [Fact]
    public void Shorten_NeverSplitsASurrogatePair()
    {
        // "ab😀cd": the emoji is two UTF-16 units at 2 and 3; cutting to 4 would keep its first half.
        var shortened = TextBounds.Shorten("ab\U0001F600cd", 4);
        Assert.Equal("ab…", shortened);
        Assert.True(shortened.Length <= 4);
    }

    [Fact]
    public void Shorten_RefusesABoundWithNoRoomForTheMark() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TextBounds.Shorten("abc", 0));
}
