using PressMcp.Web;

namespace PressMcp.Tests.Web;

[Trait(Category.Name, Category.Unit)]
public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("evil")]
    [InlineData(" /evil")]
    [InlineData("http://evil.example/")]
    [InlineData("https:evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("\\evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/%5cevil.example")]
    [InlineData("/%255Cevil.example")]
    [InlineData("/%2F/evil.example")]
    [InlineData("/%2f%2fevil.example")]
    [InlineData("/%09/evil.example/path")]
    [InlineData("/\t/evil.example/path")]
    [InlineData("/\n/evil.example")]
    [InlineData("/%0a")]
    [InlineData("/%0A/evil.example")]
    [InlineData("/%0b")]
    [InlineData("/\v")]
    [InlineData("/%0d%0aSet-Cookie:%20a=b")]
    [InlineData("/account?next=%0a")]
    [InlineData("/\0")]
    [InlineData("/%00")]
    [InlineData("/\u2028evil.example")]
    [InlineData("/%E2%80%A8evil.example")]
    [InlineData("/\u2029")]
    [InlineData("/\u202Eelpmaxe.live")]
    [InlineData("/\u200B/evil.example")]
    [InlineData("/\uFEFF")]
    [InlineData("/a\\b")]
    [InlineData("/%25%32%35%32%35%35%43evil")]
    public void Validate_NotALocalPath_IsNull(string? value) => Assert.Null(LocalReturnUrl.Validate(value));

    [Fact]
    public void Validate_LoneSurrogate_IsNull() => Assert.Null(LocalReturnUrl.Validate("/a\uD800b"));

    [Fact]
    public void Validate_TooLong_IsNull() => Assert.Null(LocalReturnUrl.Validate("/" + new string('a', LocalReturnUrl.MaxLength)));

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/account", "/account")]
    [InlineData("/account/password?x=1#top", "/account/password?x=1#top")]
    [InlineData("/oauth2-1/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=a%20b", "/oauth2-1/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=a%20b")]
    [InlineData("/sites/garden/caf\u00e9/", "/sites/garden/caf%C3%A9/")]
    [InlineData("/search?s=two words", "/search?s=two%20words")]
    public void Validate_LocalPath_IsKeptReadyForAHeader(string value, string expected) => Assert.Equal(expected, LocalReturnUrl.Validate(value));
}
