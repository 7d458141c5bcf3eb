using Microsoft.Playwright;

namespace PressMcp.Tests.Browser;

/// <summary>
/// axe-core (pinned in tests/browser/package.json, installed by test.sh into .tools/axe) run in Chromium on the sign-in
/// page and every signed-in page, on a desktop and on a phone: no serious or critical finding. The script is injected
/// into a context that bypasses the pages' content security policy (it allows only this origin's scripts); the
/// policy itself is checked by <see cref="AccountBrowserTests"/>, in contexts that keep it.
/// </summary>
[Trait(Category.Name, Category.Browser)]
public sealed class AccessibilityBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    /// <summary>.tools/axe/node_modules/axe-core/axe.min.js under the repository root.</summary>
    private static string AxeScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "PressMcp.slnx"))) continue;
            var script = Path.Combine(dir.FullName, ".tools", "axe", "node_modules", "axe-core", "axe.min.js");
            return File.Exists(script) ? script : throw new InvalidOperationException($"{script} is missing: run ./test.sh browser, which installs axe-core there.");
        }
        throw new InvalidOperationException("the repository root (PressMcp.slnx) was not found above the test assembly");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Pages_HaveNoSeriousOrCriticalAxeFinding(int width, int height)
    {
        var axe = AxeScript();
        await _server.CreateUserAsync("alice", "correct horse battery");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseUrl, BypassCSP = true, ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var findings = new List<string>();

        async Task CheckAsync(string path)
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });
            var serious = await page.EvaluateAsync<string[]>("""
                async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
                """);
            findings.AddRange(serious.Select(f => $"{path} at {width} px: {f}"));
        }

        await CheckAsync("/login");
        await page.FillAsync("#login", "alice");
        await page.FillAsync("#password", "correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForAddressAsync("**/account");
        foreach (var path in new[] { "/account", "/account/welcome", "/account/connect", "/account/mcp", "/account/apps", "/account/activity", "/account/password", "/account/app-passwords", "/account/sites/garden/media" })
            await CheckAsync(path);
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }
}
