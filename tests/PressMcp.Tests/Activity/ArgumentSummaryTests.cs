using System.Text.Json;
using PressMcp.Activity;

namespace PressMcp.Tests.Activity;

[Trait(Category.Name, Category.Unit)]
public sealed class ArgumentSummaryTests
{
    private static string Render(string json) => ArgumentSummary.Render(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void ShortValuesShown_SecretsAndBodiesOnlyByLength()
    {
        var text = Render("""{"wpcom_site":"garden","id":42,"password":"hunter2 hunter2","content":"<p>A whole post body</p>","tags":["a","b"],"draft":true}""");
        Assert.Equal("wpcom_site=\"garden\" id=42 password=(15 chars) content=(24 chars) tags=[2 items] draft=true", text);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedParamsAreFlattenedOnce_LongTextCut()
    {
        var text = Render($$$"""{"operation":"posts.create","params":{"title":"{{{new string('x', 100)}}}","data":"AAAA","api_key":"sk-123"}}""");
        Assert.StartsWith("operation=\"posts.create\" params.title=\"xxxxxxxx", text, StringComparison.Ordinal);
        Assert.Contains("…\"", text, StringComparison.Ordinal);
        Assert.Contains("params.data=(4 chars)", text, StringComparison.Ordinal);
        Assert.Contains("params.api_key=(6 chars)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-123", text, StringComparison.Ordinal);
        var y = new string('y', 2000);
        Assert.True(Render("{\"a\":\"" + y + "\",\"b\":\"" + y + "\",\"c\":1,\"d\":2}").Length <= 300);
        Assert.Equal("", Render("[1,2]"));
    }

    [Fact]
    public void TextThatIsNotUnicode_IsRenderedWithReplacementCharacters()
    {
        var text = Render("""{"search":"tomato \ud800","\udc00x":1,"title":"a\ud83d\ude00b\n","content":"\ud800\ud800"}""");
        Assert.Equal("search=\"tomato \uFFFD\" \uFFFDx=1 title=\"a\U0001F600b \" content=(withheld)", text);
    }

    [Fact]
    public void WithheldText_IsMeasuredInDecodedCharacters()
    {
        Assert.Equal("data=(3 chars) content=(2 chars)", Render("""{"data":"\u0041BC","content":"\ud83d\ude00"}"""));
    }
}
