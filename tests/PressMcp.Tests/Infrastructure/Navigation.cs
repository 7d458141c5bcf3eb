using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// How browser tests wait for a navigation: until the page's address matches, never for a load event. In CI Chromium
/// has reported network-idle on a signed-in page whose load event never reached Playwright, and
/// <c>WaitForURLAsync</c> waits for that event when the address already matches (even with <c>WaitUntil = Commit</c>,
/// which it turns back into the load state), so it timed out on a page that was there. Playwright's URL assertion
/// polls the address alone; what a test reads next is a locator, which waits for its element on the new page anyway.
/// </summary>
internal static class Navigation
{
    private static readonly PageAssertionsToHaveURLOptions Bound = new() { Timeout = 15_000 };

    /// <summary>Waits until the address matches <paramref name="glob"/> (<c>**</c> any text, <c>*</c> any text without <c>/</c>, the rest literal).</summary>
    public static Task WaitForAddressAsync(this IPage page, string glob) =>
        Assertions.Expect(page).ToHaveURLAsync(Glob(glob), Bound);

    /// <summary>Waits until the address no longer matches the regular expression <paramref name="pattern"/>.</summary>
    public static Task WaitToLeaveAsync(this IPage page, string pattern) =>
        Assertions.Expect(page).Not.ToHaveURLAsync(new Regex(pattern), Bound);

    private static Regex Glob(string glob)
    {
        var pattern = Regex.Escape(glob).Replace(@"\*\*", "\u0001", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace("\u0001", ".*", StringComparison.Ordinal);
        return new Regex("^" + pattern + "$");
    }
}
