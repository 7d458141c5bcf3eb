using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PressMcp.Storage;
using PressMcp.Tests.Media;

namespace PressMcp.Tests.Browser;

/// <summary>The media page in Chromium: upload a file, create a folder, drag the item onto it, move it back with the menu; no policy violations.</summary>
[Trait(Category.Name, Category.Browser)]
public sealed class MediaBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice", "correct horse battery");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<long?> FolderOfAsync(string fileName)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PressDbContext>().MediaFiles.Where(m => m.FileName == fileName).Select(m => m.FolderId).SingleAsync();
    }

    [Fact]
    public async Task UploadCreateFolderAndMove_InTheBrowser()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var problems = new List<string>();
        // The browser asks for /favicon.ico on its own; the server has none.
        page.Console += (_, m) => { if (m.Type == "error" && !m.Location.Contains("/favicon.ico", StringComparison.Ordinal)) problems.Add($"{m.Text} ({m.Location})"); };
        page.PageError += (_, e) => problems.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync("/login");
        await page.FillAsync("#login", "alice");
        await page.FillAsync("#password", "correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForAddressAsync("**/account");
        await page.GetByRole(AriaRole.Link, new() { Name = "Media library" }).ClickAsync();
        await page.WaitForAddressAsync("**/account/sites/garden/media");

        // Upload: a real PNG, shown as a thumbnail the browser scales.
        await page.SetInputFilesAsync("#upload-file", new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = MediaSamples.Png(40, 30) });
        await page.FillAsync("#upload-alt", "A sunset");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Uploaded sunset.png" }).WaitForAsync();
        // The original file itself, decoded by the browser (40 pixels wide), scaled by CSS.
        await page.WaitForFunctionAsync("() => { const i = document.querySelector(\"li.media-item img[alt='sunset']\"); return i && i.complete && i.naturalWidth === 40; }");

        // Create a folder.
        await page.FillAsync("#new-folder-name", "Trips");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create folder" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Created folder Trips" }).WaitForAsync();
        var trips = page.Locator("nav.folder-tree a[data-folder-name='Trips']");
        await trips.WaitForAsync();

        // Drag the item onto the folder: the script posts the move with the antiforgery header and reloads.
        await page.Locator("li.media-item").First.DragToAsync(trips);
        await page.WaitForFunctionAsync("() => document.querySelector(\"a[data-folder-name='Trips']\").textContent.includes('(1)')");
        Assert.NotNull(await FolderOfAsync("sunset.png"));

        // And back with the move menu (no script needed).
        await page.SelectOptionAsync("li.media-item select[name=folderId]", "0");
        await page.Locator("li.media-item").GetByRole(AriaRole.Button, new() { Name = "Move" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Moved the item" }).WaitForAsync();
        Assert.Null(await FolderOfAsync("sunset.png"));
        Assert.Contains("(0)", await trips.TextContentAsync(), StringComparison.Ordinal);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
