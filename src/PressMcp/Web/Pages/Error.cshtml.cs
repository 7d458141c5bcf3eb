using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PressMcp.Web.Pages;

/// <summary>
/// Why a page refused, for the error page it is re-executed into (the same request, so <see cref="HttpContext.Items"/>
/// carries it): "your role lacks …" says more than a bare 403.
/// </summary>
internal static class ErrorModelReason
{
    private static readonly object Key = new();

    public static void Set(HttpContext http, string reason) => http.Items[Key] = reason;

    public static string? Of(HttpContext http) => http.Items.TryGetValue(Key, out var r) ? r as string : null;
}

/// <summary>A readable page for a browser that met an empty 4xx or 5xx answer (the status code is kept).</summary>
internal sealed class ErrorModel : PageModel
{
    public string Heading { get; private set; } = "Something went wrong";
    public string Explanation { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    // A refused form post is re-executed here with its own method.
    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        (Heading, Explanation) = code switch
        {
            400 => ("Bad request", "The request could not be understood. If you submitted a form, reload the page and try again."),
            403 => ("Not allowed", "You do not have permission to see this page."),
            404 => ("Not found", "There is nothing at this address."),
            429 => ("Too many requests", "Please wait a moment before trying again."),
            _ when code >= 500 => ("Server error", "The server could not complete the request. The operator can find details in the server log."),
            _ => ("Something went wrong", $"The request ended with status {code}."),
        };
        if (ErrorModelReason.Of(HttpContext) is { } reason) Explanation = reason;
    }
}
