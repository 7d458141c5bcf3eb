using Microsoft.Playwright;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// The quality bar of every signed-in page, checked in Chromium: no serious or critical axe-core finding, no
/// content-security-policy violation or other console error, no sideways scrolling and no empty alert, each on a desktop
/// (1280 px) and a phone (390 px). A page class's browser test calls <see cref="CheckAsync"/> with its paths.
/// </summary>
internal static class PageQuality
{
    /// <summary>.tools/axe/node_modules/axe-core/axe.min.js under the repository root (installed by ./test.sh browser).</summary>
    public static string AxeScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "PressMcp.slnx"))) continue;
            var script = Path.Combine(dir.FullName, ".tools", "axe", "node_modules", "axe-core", "axe.min.js");
            return File.Exists(script) ? script : throw new InvalidOperationException($"{script} is missing: run ./test.sh browser, which installs axe-core there.");
        }
        throw new InvalidOperationException("the repository root (PressMcp.slnx) was not found above the test assembly");
    }

    public static async Task SignInAsync(IPage page, string login, string password)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitToLeaveAsync("/login");
    }

    /// <summary>
    /// Signs <paramref name="login"/> in and opens each of <paramref name="paths"/> (each must answer 200) at both widths:
    /// once keeping the pages' policy (console errors, width, empty alerts), once bypassing it to inject axe-core.
    /// Returns every problem found, each naming the path and width; an empty list is a pass.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(IBrowser browser, string baseUrl, string login, string password, IEnumerable<string> paths)
    {
        var axe = AxeScript();
        var problems = new List<string>();
        var list = paths.ToList();
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            foreach (var bypass in new[] { false, true })
            {
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = baseUrl, BypassCSP = bypass, ViewportSize = new ViewportSize { Width = width, Height = height },
                });
                var page = await context.NewPageAsync();
                page.SetDefaultTimeout(15_000);
                page.Console += (_, message) =>
                {
                    if (!bypass && message.Type == "error") problems.Add($"{page.Url} at {width} px: console error: {message.Text}");
                };
                await SignInAsync(page, login, password);
                foreach (var path in list)
                {
                    var response = await page.GotoAsync(path);
                    if (response?.Status != 200)
                    {
                        problems.Add($"{path}: status {response?.Status}");
                        continue;
                    }
                    await page.WaitForLoadStateAsync(LoadState.Load);
                    if (bypass)
                    {
                        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });
                        var serious = await page.EvaluateAsync<string[]>("""
                            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                                .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
                            """);
                        problems.AddRange(serious.Select(f => $"{path} at {width} px: {f}"));
                        continue;
                    }
                    var size = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
                    if (size[0] > size[1]) problems.Add($"{path}: {size[0]} px wide on a {size[1]} px screen");
                    foreach (var alert in await page.Locator("[role=alert]").AllAsync())
                        if (await alert.IsVisibleAsync() && string.IsNullOrWhiteSpace(await alert.TextContentAsync())) problems.Add($"{path} at {width} px: an empty alert is shown");
                }
            }
        }
        return problems;
    }
}
