using System.Reflection;

namespace PressMcp.Web;

/// <summary>Serves the few static files (the style sheet) embedded in the executable, so a single binary is the whole server.</summary>
internal static class Assets
{
    public static void MapPressAssets(this IEndpointRouteBuilder app)
    {
        var css = Load("site.css");
        app.MapGet("/assets/site.css", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(css, "text/css; charset=utf-8");
        });
    }

    private static byte[] Load(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Assets." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }
}
