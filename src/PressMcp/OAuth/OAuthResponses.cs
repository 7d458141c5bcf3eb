using System.Text.Json.Serialization.Metadata;
using PressMcp.OAuth.Protocol;

namespace PressMcp.OAuth;

/// <summary>How the JSON endpoints answer: source-generated JSON, never cached (RFC 6749 §5.1).</summary>
internal static class OAuthResponses
{
    public static IResult Json<T>(HttpContext http, T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        NoStore(http.Response);
        return TypedResults.Json(value, type, statusCode: status);
    }

    public static IResult Error(HttpContext http, OAuthError error, int status = StatusCodes.Status400BadRequest) =>
        Json(http, new ErrorResponse { Error = error.Code, ErrorDescription = error.Description }, OAuthJson.Default.ErrorResponse, status);

    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>
    /// Reads a form body (application/x-www-form-urlencoded only), refusing a parameter sent twice
    /// (RFC 6749 §3.1, §3.2). Returns null and an error when the body is not such a form.
    /// </summary>
    public static async Task<(IFormCollection? Form, OAuthError? Error)> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            return (null, new OAuthError(OAuthErrors.InvalidRequest, "the body must be application/x-www-form-urlencoded"));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, new OAuthError(OAuthErrors.InvalidRequest, "the form body could not be read"));
        }
        var repeated = form.FirstOrDefault(p => p.Value.Count > 1).Key;
        return repeated is null ? (form, null) : (null, new OAuthError(OAuthErrors.InvalidRequest, $"the parameter '{repeated}' is repeated"));
    }
}
