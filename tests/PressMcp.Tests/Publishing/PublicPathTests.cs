using PressMcp.Publishing;
using PressMcp.Publishing.Statistics;

namespace PressMcp.Tests.Publishing;

[Trait(Category.Name, Category.Unit)]
public sealed class PublicPathTests
{
    [Theory]
    [InlineData("", null, "Home", "", 1)]
    [InlineData("page/3/", null, "Home", "", 3)]
    [InlineData("", "  tomato soup ", "Search", "", 1)]
    [InlineData("page/2", "tomato", "Search", "", 2)]
    [InlineData("", "   ", "Home", "", 1)]
    [InlineData("2026/01/31/hello-world/", null, "Post", "hello-world", 1)]
    [InlineData("category/sport/tennis/page/2/", null, "Category", "sport/tennis", 2)]
    [InlineData("Category/Sport/", null, "Category", "sport", 1)]
    [InlineData("tag/finals", null, "Tag", "finals", 1)]
    [InlineData("about/team/", null, "Page", "about/team", 1)]
    [InlineData("category/", null, "Page", "category", 1)]
    [InlineData("2026/1/31/hello/", null, "Page", "2026/1/31/hello", 1)]
    public void Parse_KnownShapes(string path, string? search, string kind, string slugs, int page)
    {
        var request = PublicPath.Parse(path, search)!;
        Assert.Equal(kind, request.Kind.ToString());
        Assert.Equal(slugs, string.Join('/', request.Slugs));
        Assert.Equal(page, request.Page);
    }

    [Theory]
    [InlineData("wp-json/wp/v2/posts")]
    [InlineData("wp-admin/")]
    [InlineData("admin")]
    [InlineData("WP-JSON")]
    [InlineData("2026/02/30/impossible/")]
    [InlineData("page/0/")]
    [InlineData("page/x/")]
    [InlineData("page/9999999/")]
    [InlineData("about/page/2/")]
    [InlineData("2026/01/31/hello/page/2/")]
    public void Parse_ReservedOrMalformed_IsNothing(string path) => Assert.Null(PublicPath.Parse(path, null));

    [Fact]
    public void Parse_PostDate_IsTheDayInThePath()
    {
        Assert.Equal(new DateOnly(2026, 1, 31), PublicPath.Parse("2026/01/31/x", null)!.Date);
        Assert.Equal("tomato soup", PublicPath.Parse("", " tomato soup ")!.Text);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true)]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0)", true)]
    [InlineData("Mozilla/5.0 (compatible; Yahoo! Slurp)", true)]
    [InlineData("Baiduspider+(+http://www.baidu.com/search/spider.htm)", true)]
    [InlineData("curl/8.5.0", true)]
    [InlineData("Wget/1.21", true)]
    [InlineData("python-requests/2.31", true)]
    [InlineData("Go-http-client/1.1", true)]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36", true)]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", false)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", false)]
    public void IsRobot_ByUserAgent(string agent, bool robot) => Assert.Equal(robot, Visitors.IsRobot(agent));

    [Fact]
    public void ParseErrors_FindsMisnestedMarkup()
    {
        // The well-formedness check used by the page tests can fail.
        Assert.NotEmpty(PublicPages.ParseErrors("<!DOCTYPE html><html><head><title>x</title></head><body><p><div></p></span></body></html>"));
        Assert.NotEmpty(PublicPages.ParseErrors("<html><head><title>x</title></head><body></body></html>"));
        Assert.Empty(PublicPages.ParseErrors("<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><p>ok</p></body></html>"));
    }
}
