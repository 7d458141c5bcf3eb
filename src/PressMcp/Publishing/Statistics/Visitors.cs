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

    /// <summary>
    /// A GET that would be a view but for its client being a robot (<see cref="IsRobot"/>): counted in the devices
    /// table as <c>bot</c>, never as a view.
    /// </summary>
    public static bool IsRobotLoad(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.UserAgent.ToString() is { Length: > 0 } agent && IsRobot(agent);

    public static bool IsRobot(string userAgent)
    {
        foreach (var marker in RobotMarkers)
            if (userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}

/// <summary>
/// The class of device a User-Agent names, as statistics tools group them: <c>bot</c> (<see cref="Visitors.IsRobot"/>),
/// <c>tablet</c> (iPad, Android without "Mobile", or a browser that says Tablet), <c>mobile</c> (a phone: "Mobi",
/// iPhone, Android, Windows Phone) and <c>desktop</c> for the rest. A heuristic on the header alone, like
/// <see cref="Visitors"/>: a browser that claims to be something else is counted as what it claims.
/// </summary>
internal static class DeviceClasses
{
    public const string Desktop = "desktop";
    public const string Mobile = "mobile";
    public const string Tablet = "tablet";
    public const string Bot = "bot";

    public static IReadOnlyList<string> All { get; } = [Desktop, Mobile, Tablet, Bot];

    public static string Of(string userAgent)
    {
        if (Visitors.IsRobot(userAgent)) return Bot;
        static bool Has(string agent, string part) => agent.Contains(part, StringComparison.OrdinalIgnoreCase);
        if (Has(userAgent, "iPad") || Has(userAgent, "Tablet") || (Has(userAgent, "Android") && !Has(userAgent, "Mobile"))) return Tablet;
        if (Has(userAgent, "Mobi") || Has(userAgent, "iPhone") || Has(userAgent, "Android") || Has(userAgent, "Windows Phone")) return Mobile;
        return Desktop;
    }
}
