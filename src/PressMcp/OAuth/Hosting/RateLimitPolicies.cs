using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace PressMcp.OAuth.Hosting;

/// <summary>One fixed-window limit: so many requests per client IP per window.</summary>
internal sealed class RateLimitRule
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// Per-IP limits (per instance) on the endpoints that invite guessing or flooding, bound from configuration
/// section <c>PressMcp:RateLimits</c> (environment: <c>PressMcp__RateLimits__Token__PermitLimit=120</c>).
/// </summary>
internal sealed class RateLimitSettings : IPressOptions
{
    public static string Section => "PressMcp:RateLimits";

    public RateLimitRule Register { get; set; } = new() { PermitLimit = 20 };
    public RateLimitRule Authorize { get; set; } = new() { PermitLimit = 60 };
    public RateLimitRule Token { get; set; } = new() { PermitLimit = 60 };
    /// <summary>Sign-in attempts (form posts); showing the page is not limited.</summary>
    public RateLimitRule Login { get; set; } = new() { PermitLimit = 20 };

    public IEnumerable<string?> Problems()
    {
        foreach (var (name, rule) in new[] { (nameof(Register), Register), (nameof(Authorize), Authorize), (nameof(Token), Token), (nameof(Login), Login) })
        {
            yield return PressOptions.Range<RateLimitSettings, int>($"{name}:{nameof(RateLimitRule.PermitLimit)}", rule.PermitLimit, 1, 1_000_000);
            yield return PressOptions.Range<RateLimitSettings, int>($"{name}:{nameof(RateLimitRule.WindowSeconds)}", rule.WindowSeconds, 1, 86_400);
        }
    }
}

internal static class RateLimitPolicies
{
    public const string Register = "register";
    public const string Authorize = "authorize";
    public const string Token = "token";
    public const string Login = "login";

    public static IServiceCollection AddPressRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPressOptions<RateLimitSettings>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = static (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Response.Headers.CacheControl = "no-store";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(Register, http => PerClientIp(http, s => s.Register));
            o.AddPolicy(Authorize, http => PerClientIp(http, s => s.Authorize));
            o.AddPolicy(Token, http => PerClientIp(http, s => s.Token));
            o.AddPolicy(Login, http => HttpMethods.IsPost(http.Request.Method)
                ? PerClientIp(http, s => s.Login)
                : RateLimitPartition.GetNoLimiter("page"));
        });
        return services;
    }

    private static RateLimitPartition<string> PerClientIp(HttpContext http, Func<RateLimitSettings, RateLimitRule> pick)
    {
        var rule = pick(http.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value);
        // The peer address, or the forwarded client address when a trusted proxy is configured (ForwardedHeaders runs first).
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, rule.PermitLimit),
            Window = TimeSpan.FromSeconds(Math.Max(1, rule.WindowSeconds)),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
