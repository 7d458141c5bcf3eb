using Microsoft.AspNetCore.Mvc;

namespace PressMcp.Web;

/// <summary>A 303 See Other: after a form post the browser follows with a GET, so a reload never re-submits.</summary>
internal sealed class SeeOtherResult(string location) : IActionResult
{
    public string Location { get; } = location;

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.HttpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}

internal static class PageHelpers
{
    /// <summary>Only paths on this server are followed after sign-in (<see cref="LocalReturnUrl"/>): never another host.</summary>
    public static string SafeReturnUrl(string? returnUrl, string fallback = "/account") => LocalReturnUrl.SafeOr(returnUrl, fallback);

    /// <summary>Account pages are personal: never stored by a browser or proxy cache.</summary>
    public static void NoStore(HttpResponse response)
    {
        // As antiforgery writes it on pages with a form: the same value, so it does not warn that it overrode ours.
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
    }
}
