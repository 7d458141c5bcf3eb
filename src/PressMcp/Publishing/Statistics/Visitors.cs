namespace PressMcp.Publishing.Statistics;

/// <summary>
/// Which requests are views by people. Not counted: anything but GET (HEAD, link checkers), prefetches, requests
/// without a User-Agent, and obvious robots and scripts by their User-Agent (names containing bot, crawl, spider,
/// slurp, or a command-line or library client such as curl, wget, python, Go, Java, okhttp, or a headless browser).
/// A heuristic, as in every statistics tool: it removes the obvious, not the disguised.
/// </summary>
internal static class Visitors
{
    private static readonly string[] RobotMarkers =
    [
        "bot", "crawl", "spider", "slurp", "curl", "wget", "python", "go-http-client", "java/", "libwww", "httpclient",
        "okhttp", "headless", "scrapy", "facebookexternalhit", "lighthouse", "preview",
    ];

    public static bool IsCountable(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method)) return false;
        var headers = request.Headers;
        // Browsers mark speculative loads; the page may never be seen.
        if (headers["Sec-Purpose"].ToString().Contains("prefetch", StringComparison.OrdinalIgnoreCase)
            || headers["Purpose"].ToString().Contains("prefetch", StringComparison.OrdinalIgnoreCase))
            return false;
        var agent = headers.UserAgent.ToString();
        return agent.Length > 0 && !IsRobot(agent);
    }

    public static bool IsRobot(string userAgent)
    {
        foreach (var marker in RobotMarkers)
            if (userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
