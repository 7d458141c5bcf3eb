using Microsoft.Playwright;
using PressMcp.Content;
using PressMcp.Tests.Publishing;

namespace PressMcp.Tests.Browser;

/// <summary>A public site on a phone-sized screen in Chromium: readable without sideways scrolling, hostile bodies inert.</summary>
[Trait(Category.Name, Category.Browser)]
public sealed class PublicSiteBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Phone_OpensHome_FollowsPost_NoSidewaysScroll_HostileBodyInert()
    {
        var seed = new PublicSiteSeed(_server.Services);
        var writer = await seed.UserAsync("writer", "Wendy Writer");
        var site = await seed.SiteAsync("pocket", "writer", title: "Pocket News");
        var longWord = new string('w', 300);
        var body =
            "<p>Before the image.</p>\n\n<img src=x onerror=\"window.__pwned = 1\">\n\n" +
            "<a href=\"javascript:window.__pwned = 2\">a link</a>\n\n" +
            $"<p>{longWord}</p>\n\n<pre>{new string('p', 300)}</pre>\n\n" +
            "<table><tr>" + string.Concat(Enumerable.Range(1, 30).Select(i => $"<td>cell{i}</td>")) + "</tr></table>\n\n" +
            "<img src=\"https://images.example/wide.png\" width=\"2000\" height=\"100\" alt=\"wide\">";
        await seed.PublishedAsync(site, "A story for small screens", new DateTime(2025, 9, 1, 12, 0, 0, DateTimeKind.Utc), body, writer);
        await seed.PublishedAsync(site, "An older story", new DateTime(2025, 8, 1, 12, 0, 0, DateTimeKind.Utc), "Older.");

        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseUrl,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 3,
        });
        // Keep the test on loopback: the image host above must never be contacted.
        await context.RouteAsync(url => !url.StartsWith(_server.BaseUrl, StringComparison.Ordinal), route => route.AbortAsync());
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);

        await page.GotoAsync("/sites/pocket/");
        Assert.Equal("Pocket News", await page.TitleAsync());
        Assert.Equal("704px", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('main')).maxWidth")); // the stylesheet applied
        await AssertNoSidewaysScrollAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "A story for small screens" }).ClickAsync();
        // Waits for the new address only: the elements below are waited for by their locators, and the page's load
        // (images included) by the readyState check further down. Waiting for the load event here timed out once in CI
        // while the page had loaded (Playwright saw its network idle, not the load it was waiting for).
        await page.WaitForAddressAsync("**/sites/pocket/2025/09/01/a-story-for-small-screens/");
        Assert.Equal("A story for small screens", await page.Locator("h1.entry-title").TextContentAsync());
        Assert.Equal("by Wendy Writer", await page.Locator("article.single .author").TextContentAsync());
        await AssertNoSidewaysScrollAsync(page);

        // Nothing in the page can run the body's script: no event handler attribute, no javascript: address, on any element.
        Assert.Equal(0, await page.EvaluateAsync<int>(
            "[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))).length"));
        await page.GetByText("a link").ClickAsync();
        // The window's load event comes after every image has loaded or failed (and fired its error event).
        await page.WaitForFunctionAsync("() => document.readyState === 'complete' && [...document.images].every(i => i.complete)");
        Assert.True(await page.EvaluateAsync<bool>("typeof window.__pwned === 'undefined'"));
        Assert.Equal(0, await page.Locator("img[onerror]").CountAsync());
        await context.CloseAsync();
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        // A phone widens its layout viewport to fit content that is too wide, so the width itself is checked too.
        Assert.True(scroll <= inner && inner == 390, $"page is {scroll}px wide in a {inner}px viewport");
    }
}
