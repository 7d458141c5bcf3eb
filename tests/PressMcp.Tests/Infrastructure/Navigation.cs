using Microsoft.Playwright;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// How browser tests wait for a navigation: until the new address is committed, not until its load event. In CI
/// Chromium has twice reported network-idle on a page that had loaded but never delivered its load event to Playwright,
/// and the wait for the default load state then timed out. What a test reads next is a locator, which waits for its
/// element on the new document anyway.
/// </summary>
internal static class Navigation
{
    public static PageWaitForURLOptions Committed => new() { WaitUntil = WaitUntilState.Commit };
}
