using PressMcp.Content;
using PressMcp.Sites;

namespace PressMcp.Tests.Content;

[Trait(Category.Name, Category.Unit)]
public sealed class SlugTests
{
    [Theory]
    [InlineData("Hello World", "hello-world")]
    [InlineData("  Crème brûlée: a how-to!  ", "creme-brulee-a-how-to")]
    [InlineData("Don't stop", "dont-stop")]
    [InlineData("Привет мир", "привет-мир")]
    [InlineData("---", "")]
    [InlineData("", "")]
    public void FromTitle_FollowsWordPress(string title, string expected) => Assert.Equal(expected, Slugs.FromTitle(title));

    [Fact]
    public async Task Unique_AddsNumberSuffix()
    {
        var taken = new HashSet<string> { "hello", "hello-2" };
        Assert.Equal("hello-3", await Slugs.UniqueAsync("hello", s => Task.FromResult(taken.Contains(s))));
        Assert.Equal("fresh", await Slugs.UniqueAsync("fresh", s => Task.FromResult(taken.Contains(s))));
    }

    [Theory]
    [InlineData("wp-json", "wp-json-2")]
    [InlineData("wp-admin", "wp-admin-2")]
    [InlineData("admin", "admin-2")]
    [InlineData("administration", "administration")]
    public async Task Unique_ReservedPath_GetsSuffix(string slug, string expected)
    {
        Assert.True(Slugs.IsReserved("admin"));
        Assert.Equal(expected, await Slugs.UniqueAsync(slug, _ => Task.FromResult(false)));
    }

    [Fact]
    public void SiteTime_ConvertsThroughTheSiteZone()
    {
        var site = new Site { Slug = "x", Title = "x", TimeZone = "Europe/Madrid" };
        var utc = new DateTime(2026, 7, 1, 22, 30, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 7, 2, 0, 30, 0), SiteTime.ToLocal(site, utc));
        Assert.Equal(new DateOnly(2026, 7, 2), SiteTime.DayOf(site, utc));
        Assert.Equal(utc, SiteTime.ToUtc(site, new DateTime(2026, 7, 2, 0, 30, 0)));
    }
}
