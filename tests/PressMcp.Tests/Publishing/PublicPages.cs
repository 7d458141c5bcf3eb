using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace PressMcp.Tests.Publishing;

/// <summary>Fetching public pages as a browser would, and checking that what came back is well-formed HTML5.</summary>
internal static class PublicPages
{
    public const string BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    public sealed record Fetched(HttpResponseMessage Response, string Html, IHtmlDocument Document)
    {
        public HttpStatusCode Status => Response.StatusCode;

        public string? Canonical => Document.QuerySelector("link[rel=canonical]")?.GetAttribute("href");

        public IReadOnlyList<string> Titles(string selector = ".entry-title") =>
            Document.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToList();
    }

    public static async Task<Fetched> GetAsync(HttpClient client, string path, string? host = null, string? agent = BrowserAgent, HttpMethod? method = null, string? referer = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (referer is not null) request.Headers.Referrer = new Uri(referer);
        if (host is not null) request.Headers.Host = host;
        if (agent is not null) request.Headers.UserAgent.ParseAdd(agent);
        request.Headers.Accept.ParseAdd("text/html");
        var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        return new Fetched(response, html, TestServer.Parse(html));
    }

    /// <summary>
    /// The HTML5 parser's errors for a page (AngleSharp reports every parse error the HTML5 specification names:
    /// a missing doctype, misnested or unclosed elements, stray end tags, bad attributes, unescaped characters).
    /// A page generated correctly has none.
    /// </summary>
    public static IReadOnlyList<string> ParseErrors(string html)
    {
        var errors = new List<string>();
        var parser = new HtmlParser(new HtmlParserOptions { IsStrictMode = false });
        parser.Error += (_, e) =>
        {
            if (e is AngleSharp.Html.Dom.Events.HtmlErrorEvent error) errors.Add($"{error.Code} at {error.Position}: {error.Message}");
        };
        using var _ = parser.ParseDocument(html);
        return errors;
    }

    public static void AssertWellFormed(Fetched page)
    {
        Assert.StartsWith("<!DOCTYPE html>", page.Html.TrimStart(), StringComparison.Ordinal);
        var errors = ParseErrors(page.Html);
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + page.Html);
    }

    public static IElement Single(this IHtmlDocument document, string selector) =>
        document.QuerySelectorAll(selector) is { Length: 1 } one ? one[0] : throw new Xunit.Sdk.XunitException($"expected one '{selector}', found {document.QuerySelectorAll(selector).Length}");
}
