using System.Diagnostics;

namespace PressMcp.Web;

/// <summary>
/// One log line per request: method, path (never the query string, which can hold codes and tokens), status and
/// duration. ASP.NET Core's HttpLogging writes a block of lines per request, and the framework's own Information logs
/// are a dozen lines; both are off by default (ServerHost's filters). Turned off by configuration with
/// <c>Logging:LogLevel:PressMcp.Web.RequestLog = Warning</c>. Health probes are not logged.
/// </summary>
internal sealed partial class RequestLog(RequestDelegate next, ILogger<RequestLog> logger)
{
    // Not async when nothing is logged (the bench's and many deployments' Warning level): no state machine a request.
    public Task InvokeAsync(HttpContext http) =>
        !logger.IsEnabled(LogLevel.Information) || HealthEndpoints.IsProbe(http.Request.Path) ? next(http) : LogAsync(http);

    private async Task LogAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            LogRequest(logger, http.Request.Method, http.Request.PathBase + http.Request.Path, http.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {DurationMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double durationMs);
}
